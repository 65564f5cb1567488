"""Process tuning for the long-running bot: the cyclic garbage collector and GIL hand-offs."""

from __future__ import annotations

import gc
import sys

# Python's default collects the young generation every 700 net allocations of containers.
YOUNG_THRESHOLD = 10_000
# Python's default is 5 ms.
SWITCH_INTERVAL_S = 0.001


def tune_for_serving() -> None:
    """Call once startup is done (`llmfed bot` does, at the end of setup_hook).

    The GIL: the bot's one other busy thread is the SQLite writer (aiosqlite). SQLite lets go
    of the GIL around every statement, and to take it back the writer waits until the event
    loop thread hands it over, which a busy loop does only every switch interval. At the
    default 5 ms a group commit of a dozen statements spent most of its time waiting (73 ms
    for 12 ms of work, measured on the concurrency bench) and the live matches stalled on
    their commits; at 1 ms the writer keeps up. The loop gives the GIL away more often only
    while the writer is waiting for it."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    tune_gc_for_serving()


def tune_gc_for_serving() -> None:
    """The garbage collector part of ``tune_for_serving``.

    A live tick allocates hundreds of short-lived containers (pydantic models, rows, futures)
    while hundreds of matches keep their state alive between ticks. With the default
    threshold nearly every tick paid for a young collection, and the live matches' objects
    were promoted and rescanned by ever older, costlier collections: on the concurrency
    bench the collector took a tenth of the event loop. Collecting the young generation every
    10,000 allocations lets most of them die first. What startup built (modules, schemas,
    caches, the cogs) lives as long as the process, so it is frozen out of every later scan
    after one last collection; frozen objects are still freed by reference counting."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
