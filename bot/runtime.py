"""Process tuning for the long-running bot: how often the cyclic garbage collector runs."""

from __future__ import annotations

import gc

# Python's default collects the young generation every 700 net allocations of containers.
YOUNG_THRESHOLD = 10_000


def tune_gc_for_serving() -> None:
    """Call once startup is done (`llmfed bot` does, at the end of setup_hook).

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
