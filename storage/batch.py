"""Group commit: atomic writes queued together share one transaction and one commit.

Each write still succeeds or fails on its own (a savepoint each), so a refused tick of one
match never undoes another match's tick. With one live match a batch is one write; with many,
the cost of a commit (and of the hop to the connection's thread) is shared.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import StorageError

log = logging.getLogger(__name__)

Work = Callable[[sqlite3.Connection], Any]
Merge = Callable[[sqlite3.Connection, Sequence[Any]], list[Any]]

MERGED = "merged_writes"
SINGLE = "batched_write"


@dataclass(eq=False)
class PendingWrite:
    work: Work
    future: asyncio.Future[Any] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


def run_batch(works: Sequence[Work], path: Path, conn: sqlite3.Connection) -> list[Outcome]:
    """Runs on the connection's thread: BEGIN IMMEDIATE, every work, one COMMIT.

    A work may name a ``merge`` function (an attribute): a run of queued works sharing one
    is first offered to it, to be written with a few multi-row statements (see
    storage/tick_writes.py). If it raises, its savepoint is undone and the works run one by
    one as any other, each getting its own result or error."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise StorageError(f"the database {path} is busy: {exc}") from exc
    try:
        if len(works) == 1:
            outcomes = [Outcome(value=works[0](conn))]
        else:
            outcomes = []
            for merge, run in _runs(works):
                merged = _merged(merge, run, conn) if merge is not None and len(run) > 1 else None
                if merged is None:
                    merged = [_in_savepoint(work, path, conn) for work in run]
                outcomes.extend(merged)
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        _rollback(conn)
        raise StorageError(f"could not save to {path}: {exc}") from exc
    except BaseException:
        _rollback(conn)
        raise
    return outcomes


@dataclass(frozen=True)
class Outcome:
    value: Any = None
    error: BaseException | None = None


def settle(batch: Sequence[PendingWrite], result: list[Outcome] | BaseException) -> None:
    """On the event loop: hands every writer of a batch its own result or error (the batch's
    error when the whole batch failed). Writers that gave up meanwhile are skipped."""
    for index, pending in enumerate(batch):
        if pending.future.done():
            continue
        if isinstance(result, BaseException):
            pending.future.set_exception(result)
            continue
        outcome = result[index]
        if outcome.error is not None:
            pending.future.set_exception(outcome.error)
        else:
            pending.future.set_result(outcome.value)


def _runs(works: Sequence[Work]) -> list[tuple[Merge | None, list[Work]]]:
    """Consecutive works grouped by their merge function (queue order is kept)."""
    runs: list[tuple[Merge | None, list[Work]]] = []
    for work in works:
        merge: Merge | None = getattr(work, "merge", None)
        if runs and merge is not None and runs[-1][0] is merge:
            runs[-1][1].append(work)
        else:
            runs.append((merge, [work]))
    return runs


def _merged(merge: Merge, works: list[Work], conn: sqlite3.Connection) -> list[Outcome] | None:
    conn.execute(f"SAVEPOINT {MERGED}")
    try:
        values = merge(conn, works)
    except Exception as exc:  # refused or failed: each work then runs, and fails, on its own
        _undo_savepoint(conn, MERGED)
        log.debug("writing %d works one by one: %s", len(works), exc)
        return None
    conn.execute(f"RELEASE {MERGED}")
    return [Outcome(value=value) for value in values]


def _in_savepoint(work: Work, path: Path, conn: sqlite3.Connection) -> Outcome:
    conn.execute(f"SAVEPOINT {SINGLE}")
    try:
        value = work(conn)
    except sqlite3.Error as exc:
        _undo_savepoint(conn, SINGLE)
        return Outcome(error=StorageError(f"could not save to {path}: {exc}"))
    except Exception as exc:  # the writer gets its own error; the batch goes on
        _undo_savepoint(conn, SINGLE)
        return Outcome(error=exc)
    conn.execute(f"RELEASE {SINGLE}")
    return Outcome(value=value)


def _undo_savepoint(conn: sqlite3.Connection, name: str) -> None:
    conn.execute(f"ROLLBACK TO {name}")
    conn.execute(f"RELEASE {name}")


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        conn.execute("ROLLBACK")
