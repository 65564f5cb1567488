"""Group commit: atomic writes queued together share one transaction and one commit.

Each write still succeeds or fails on its own (a savepoint each), so a refused tick of one
match never undoes another match's tick. With one live match a batch is one write; with many,
the cost of a commit (and of the hop to the connection's thread) is shared.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import StorageError

Work = Callable[[sqlite3.Connection], Any]


@dataclass(eq=False)
class PendingWrite:
    work: Work
    future: asyncio.Future[Any] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


def run_batch(works: Sequence[Work], path: Path, conn: sqlite3.Connection) -> list[Outcome]:
    """Runs on the connection's thread: BEGIN IMMEDIATE, every work, one COMMIT."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise StorageError(f"the database {path} is busy: {exc}") from exc
    try:
        if len(works) == 1:
            outcomes = [Outcome(value=works[0](conn))]
        else:
            outcomes = [_in_savepoint(work, path, conn) for work in works]
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


def settle(batch: Sequence[PendingWrite], job: asyncio.Future[list[Outcome]]) -> None:
    """Hands every writer its own result or error once the batch is done."""
    if job.cancelled():
        failure: BaseException | None = StorageError("the write was cancelled")
    else:
        failure = job.exception()
    for index, pending in enumerate(batch):
        if pending.future.done():
            continue
        if failure is not None:
            pending.future.set_exception(failure)
            continue
        outcome = job.result()[index]
        if outcome.error is not None:
            pending.future.set_exception(outcome.error)
        else:
            pending.future.set_result(outcome.value)


def _in_savepoint(work: Work, path: Path, conn: sqlite3.Connection) -> Outcome:
    conn.execute("SAVEPOINT batched_write")
    try:
        value = work(conn)
    except sqlite3.Error as exc:
        _undo_savepoint(conn)
        return Outcome(error=StorageError(f"could not save to {path}: {exc}"))
    except Exception as exc:  # the writer gets its own error; the batch goes on
        _undo_savepoint(conn)
        return Outcome(error=exc)
    conn.execute("RELEASE batched_write")
    return Outcome(value=value)


def _undo_savepoint(conn: sqlite3.Connection) -> None:
    conn.execute("ROLLBACK TO batched_write")
    conn.execute("RELEASE batched_write")


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        conn.execute("ROLLBACK")
