"""The SQLite database: one writer connection, WAL, checked opening, transactions, backup.

Durability: WAL with synchronous=NORMAL. A committed transaction survives the process being
killed at any moment (kill -9) and the file is never corrupted; a power loss or OS crash may
lose the last few committed transactions (never corrupt the file) because the WAL is not
fsynced on every commit.

Read cache: ``db.cache`` (storage/read_cache.py) keeps committed league reads in memory. Writes
through the repositories invalidate what they change at once. Commits by another process or
connection (a CLI on the same file) are noticed by polling ``PRAGMA data_version``, which
changes only when another connection commits: the cache is cleared at most
``DATA_VERSION_POLL_SECONDS`` (plus one queued query) after such a commit, so that is how long
the bot may show data another process has already changed. ``refresh_cache()`` checks at once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import aiosqlite

from engine.errors import StorageError
from storage.batch import PendingWrite, run_batch
from storage.migrate import Migration, applied_versions, apply_pending, load_migrations
from storage.read_cache import DEFAULT_CAPACITY, ReadCache
from storage.write_queue import WriteQueue, drain

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
DATA_VERSION_POLL_SECONDS = 1.0
T = TypeVar("T")


class Database:
    """Owns the single aiosqlite connection. Every write goes through ``transaction()`` (many
    statements) or ``write()`` (one round trip); reads run directly on the same connection."""

    def __init__(
        self, path: Path, conn: aiosqlite.Connection, cache_capacity: int = DEFAULT_CAPACITY
    ) -> None:
        self._path = path
        self._conn = conn
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        self._depth = 0
        self._queue = WriteQueue()
        self._flusher: asyncio.Task[None] | None = None
        self.cache = ReadCache(
            may_use=lambda: not self.in_transaction,
            may_fill=lambda: self._owner is None,
            capacity=cache_capacity,
        )
        self._data_version: int | None = None
        self._watcher: asyncio.Task[None] | None = None

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        create: bool = True,
        migrations: Sequence[Migration] | None = None,
        cache_capacity: int = DEFAULT_CAPACITY,
        poll_seconds: float = DATA_VERSION_POLL_SECONDS,
    ) -> Database:
        """Open (or create) and migrate. Refuses, without writing a byte, any file it cannot
        safely use: not SQLite, corrupt, unwritable, or from a newer version of LLMFed.
        ``poll_seconds`` is how often other processes' commits are looked for (see above)."""
        db_path = Path(path)
        fresh = _check_path(db_path, create)
        known = tuple(migrations) if migrations is not None else load_migrations()
        try:
            conn = await aiosqlite.connect(db_path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the database {db_path}: {exc}") from exc
        try:
            await _configure(conn)
            if not fresh:
                await _check_existing(conn, db_path, known)
            await _enable_wal(conn, db_path)
            await apply_pending(conn, known, db_path)
        except sqlite3.DatabaseError as exc:
            await conn.close()
            raise StorageError(_database_error(db_path, exc)) from exc
        except BaseException:
            await conn.close()
            raise
        conn.row_factory = aiosqlite.Row
        db = cls(db_path, conn, cache_capacity)
        db._data_version = await db._read_data_version()
        db._watcher = asyncio.get_running_loop().create_task(
            db._watch_data_version(poll_seconds), name=f"data_version watcher for {db_path}"
        )
        return db

    @property
    def path(self) -> Path:
        return self._path

    @property
    def conn(self) -> aiosqlite.Connection:
        return self._conn

    async def close(self) -> None:
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.cancel()
            await asyncio.wait([watcher])
        if self._flusher is not None:
            await asyncio.wait([self._flusher])  # queued writes are committed, not dropped
        async with self._lock:
            await self._conn.close()
        self.cache.clear()

    async def refresh_cache(self) -> bool:
        """Clear the read cache if another connection has committed since the last look;
        True when it did."""
        current = await self._read_data_version()
        if current == self._data_version:
            return False
        self._data_version = current
        self.cache.clear()
        return True

    async def _read_data_version(self) -> int:
        async with self._conn.execute("PRAGMA data_version") as cursor:
            row = await cursor.fetchone()
        return -1 if row is None else int(row[0])

    async def _watch_data_version(self, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await self.refresh_cache()
            except sqlite3.Error:
                # Unsure what is on disk: forget everything rather than risk stale answers.
                self.cache.clear()
                log.warning("could not read data_version of %s", self._path, exc_info=True)

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def in_transaction(self) -> bool:
        """True when the current task has a transaction open (nested calls then join it)."""
        return self._owner is not None and self._owner is asyncio.current_task()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error. Re-entrant within a task:
        a nested use joins the outer transaction, and an error anywhere rolls all of it back.
        Other tasks wait their turn, so they never see or join someone else's transaction."""
        if self.in_transaction:
            self._depth += 1
            try:
                yield self._conn
            finally:
                self._depth -= 1
            return
        async with self._lock:
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StorageError(f"the database {self._path} is busy: {exc}") from exc
            self._owner = asyncio.current_task()
            try:
                yield self._conn
            except BaseException:
                await self._rollback()
                raise
            else:
                await self._commit()
            finally:
                self._owner = None

    async def write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` with the raw connection on its own thread in ONE round trip, inside a
        transaction: the caller's if this task has one open; otherwise writes queued at the
        same time share one BEGIN IMMEDIATE ... COMMIT (group commit), each in a savepoint
        so that each succeeds or fails alone. For hot paths such as recording a tick.

        Writes run in the order they were queued. A writer cancelled before its batch starts
        is dropped from the queue; once its batch has started, the write completes anyway."""
        if self.in_transaction:
            return await self._run(work)
        pending = PendingWrite(work)
        if self._queue.put(pending):
            self._flusher = asyncio.get_running_loop().create_task(
                self._flush(), name=f"group commit for {self._path}"
            )
        try:
            result: T = await pending.future
        except asyncio.CancelledError:
            self._queue.discard(pending)
            raise
        return result

    async def _flush(self) -> None:
        """The group committer (see storage/write_queue.py): drains the queue on the
        connection's thread, a turn at a time, holding the connection's lock for each turn so
        that no transaction is open meanwhile. Writers only wait for their own future."""
        drain_a_turn = partial(
            drain, self._queue, run_batch, self._path, asyncio.get_running_loop()
        )
        idle = False
        try:
            while not idle:
                async with self._lock:
                    idle = not await self._run(drain_a_turn)
        finally:
            if not idle:
                for pending in self._queue.abandon():
                    if not pending.future.done():
                        pending.future.set_exception(
                            StorageError(f"the write to {self._path} was abandoned")
                        )

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        conn = self._conn
        # aiosqlite's queue of callables on its thread; it has no public name for it.
        result: T = await conn._execute(lambda: work(conn._conn))
        return result

    async def _commit(self) -> None:
        try:
            await self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            await self._rollback()
            raise StorageError(f"could not save to {self._path}: {exc}") from exc

    async def _rollback(self) -> None:
        if self._conn.in_transaction:
            await self._conn.execute("ROLLBACK")

    async def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Run one write statement in a transaction (the caller's, if open); rows changed."""
        return await self.write(lambda conn: conn.execute(sql, params).rowcount)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = list(rows)
        await self.write(lambda conn: conn.executemany(sql, batch))

    async def fetchone(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> sqlite3.Row | None:
        async with self._conn.execute(sql, params) as cursor:
            row: sqlite3.Row | None = await cursor.fetchone()
            return row

    async def fetchall(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> list[sqlite3.Row]:
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetchvalue(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def schema_version(self) -> int:
        versions = await applied_versions(self._conn)
        return max(versions, default=0)

    async def backup(self, dest: str | Path) -> None:
        """A consistent copy via SQLite's online backup API, written atomically to ``dest``."""
        target = Path(dest)
        _check_backup_target(target, self._path)
        partial = target.with_name(f".{target.name}.partial")
        try:
            async with self._lock:
                copy = await aiosqlite.connect(partial)
                try:
                    await self._conn.backup(copy)
                    await copy.execute("PRAGMA journal_mode=DELETE")
                finally:
                    await copy.close()
            os.replace(partial, target)
        except (sqlite3.Error, OSError) as exc:
            partial.unlink(missing_ok=True)
            raise StorageError(f"cannot back up to {target}: {exc}") from exc


def _check_path(path: Path, create: bool) -> bool:
    """Refuse unusable paths before SQLite touches them. True when a new file will be made."""
    if path.is_dir():
        raise StorageError(f"cannot use {path} as a database: it is a directory")
    if not path.exists():
        if not create:
            raise StorageError(f"no database at {path}")
        if not path.parent.is_dir():
            raise StorageError(f"cannot create {path}: no directory {path.parent}")
        if not os.access(path.parent, os.W_OK | os.X_OK):
            raise StorageError(f"cannot create {path}: directory {path.parent} is not writable")
        return True
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror}") from exc
    if header and header != SQLITE_HEADER:
        raise StorageError(f"{path} is not an SQLite database")
    # WAL keeps -wal and -shm files beside the database, so the directory must be writable too.
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK | os.X_OK):
        raise StorageError(f"cannot write to {path} (or its directory): permission denied")
    return not header


async def _configure(conn: aiosqlite.Connection) -> None:
    """Per-connection settings; none of them writes to the file."""
    await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    await conn.execute("PRAGMA foreign_keys = ON")
    await conn.execute("PRAGMA synchronous = NORMAL")


async def _check_existing(
    conn: aiosqlite.Connection, path: Path, known: tuple[Migration, ...]
) -> None:
    """Read-only checks of an existing file: intact, ours, and not from a newer version."""
    async with conn.execute("PRAGMA quick_check") as cursor:
        problems = [str(row[0]) for row in await cursor.fetchall()]
    if problems != ["ok"]:
        raise StorageError(f"{path} is corrupt: {problems[0] if problems else 'unreadable'}")
    versions = await applied_versions(conn)
    if not versions:
        async with conn.execute("SELECT count(*) FROM sqlite_master") as cursor:
            row = await cursor.fetchone()
        if row is not None and row[0]:
            raise StorageError(f"{path} is an SQLite database, but not an LLMFed one")
        return
    newest = max(m.version for m in known) if known else 0
    if max(versions) > newest:
        raise StorageError(
            f"{path} has schema version {max(versions)}, newer than this LLMFed knows "
            f"({newest}); upgrade LLMFed to use it"
        )


async def _enable_wal(conn: aiosqlite.Connection, path: Path) -> None:
    async with conn.execute("PRAGMA journal_mode = WAL") as cursor:
        row = await cursor.fetchone()
    if row is None or str(row[0]).lower() != "wal":
        raise StorageError(f"cannot use write-ahead logging for {path}")


def _database_error(path: Path, exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return f"{path} is corrupt: {text}"
    if "readonly" in text or "read-only" in text:
        return f"cannot write to {path}: {text}"
    if "locked" in text or "busy" in text:
        return f"{path} is in use by another process: {text}"
    return f"cannot use the database {path}: {text}"


def _check_backup_target(target: Path, live: Path) -> None:
    if _same_file(target, live):
        raise StorageError(f"refusing to back up {live} onto itself")
    if target.is_dir():
        raise StorageError(f"cannot back up to {target}: it is a directory")
    if not target.parent.is_dir():
        raise StorageError(f"cannot back up to {target}: no directory {target.parent}")
    if not os.access(target.parent, os.W_OK | os.X_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        raise StorageError(f"cannot back up to {target}: not writable")


def _same_file(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return a.resolve() == b.resolve()
