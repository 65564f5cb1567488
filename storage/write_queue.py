"""The group committer's queue: writes queued on the event loop, drained batch after batch on
the connection's thread, with no round trip through the loop between one batch and the next.

When the loop is busy (hundreds of live matches) each of its iterations can take tens of
milliseconds. Had every batch to wait for the loop to notice the last one finished before
the next could start, commits would trail far behind the ticks. Here the thread takes the
next batch itself as soon as one is committed; the loop only queues writes and receives
results (one callback per batch).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from storage.batch import Outcome, PendingWrite, Work, settle

RunBatch = Callable[[Sequence[Work], Path, sqlite3.Connection], list[Outcome]]

# How long one turn of draining may hold the connection before transactions, reads and
# other work queued for the connection get their turn.
DRAIN_TURN_S = 0.05


class WriteQueue:
    """Pending writes, shared by the event loop (which adds) and the connection's thread
    (which takes). ``draining`` says whether a drain is under way or due: exactly one at a
    time, so the writer that finds the queue idle is the one that must start one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[PendingWrite] = []
        self._draining = False

    def put(self, pending: PendingWrite) -> bool:
        """Queue a write; True when the queue was idle and the caller must start a drain."""
        with self._lock:
            self._pending.append(pending)
            if self._draining:
                return False
            self._draining = True
            return True

    def discard(self, pending: PendingWrite) -> None:
        """Forget a write whose writer gave up, unless a batch has taken it already."""
        with self._lock:
            if pending in self._pending:
                self._pending.remove(pending)

    def take(self) -> list[PendingWrite]:
        """Everything queued. When nothing is, the queue turns idle in the same step, so a
        write queued a moment later starts a new drain rather than being left behind."""
        with self._lock:
            batch, self._pending = self._pending, []
            if not batch:
                self._draining = False
            return batch

    def abandon(self) -> list[PendingWrite]:
        """Turn idle and hand back whatever is still queued (the drain stopped early)."""
        with self._lock:
            left, self._pending = self._pending, []
            self._draining = False
            return left


def drain(
    queue: WriteQueue,
    run_batch: RunBatch,
    path: Path,
    loop: asyncio.AbstractEventLoop,
    conn: sqlite3.Connection,
    turn_s: float = DRAIN_TURN_S,
) -> bool:
    """On the connection's thread: run the queued writes as batches until the queue is empty
    (False: it is idle now) or the turn is over (True: call again). Each batch's results go
    to its writers through the loop as soon as it is committed."""
    started = time.monotonic()
    while True:
        taken = queue.take()
        if not taken:
            return False
        batch = [pending for pending in taken if not pending.future.done()]
        if batch:
            try:
                outcomes = run_batch([pending.work for pending in batch], path, conn)
            except Exception as exc:  # the whole batch failed (busy, commit): tell each writer
                loop.call_soon_threadsafe(settle, batch, exc)
            else:
                loop.call_soon_threadsafe(settle, batch, outcomes)
        if time.monotonic() - started >= turn_s:
            return True
