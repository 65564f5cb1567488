"""Recording ticks: one tick's rows on their own, or many queued ticks in a few statements.

With hundreds of live matches the group committer holds a hundred ticks or more per
transaction. Written one by one that is about seven statements per tick, and every statement
hands the GIL back and forth between the connection's thread and the event loop (sqlite3
releases it around each step), which stalls the loop far more than the SQLite work costs.
``write_ticks`` writes the same rows with a few multi-row statements per batch instead. It
is only an optimisation: the batch runner falls back to ``TickWrite`` one by one (each in
its own savepoint, with its own precise error) whenever ``write_ticks`` refuses a batch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from storage.events import EVENT_COLUMNS, EVENT_VALUES, INSERT_EVENT
from storage.match_rows import (
    REQUEST_COLUMNS,
    REQUEST_CONFLICT,
    TICK_COLUMNS,
    UPSERT_REQUEST,
    advance_pointer,
)

# UPDATE ... FROM arrived in SQLite 3.33; older libraries write ticks one by one.
MERGES_TICKS = sqlite3.sqlite_version_info >= (3, 33, 0)
# Statements are built for these row counts only (a batch is split into them), so that the
# connection's statement cache holds a handful of shapes instead of one per batch size. 64
# rows of ten columns stay under 999 variables, the limit of SQLite before 3.32.
CHUNK_SIZES = (64, 32, 16, 8, 4, 2, 1)

Row = tuple[Any, ...]


class TicksRefused(Exception):
    """A batch that ``write_ticks`` will not merge; the ticks are then written one by one."""


@dataclass(frozen=True)
class TickWrite:
    """The rows of one tick: its match_ticks row, engine requests and events, and the move
    of the match's state pointer that guards them. Called alone, it writes them."""

    match_id: int
    time_index: int
    tick_row: Row
    request_rows: tuple[Row, ...]
    event_rows: tuple[Row, ...]

    @staticmethod
    def merge(conn: sqlite3.Connection, writes: Sequence[Any]) -> list[None]:
        """Offered a run of queued tick writes by the batch runner (storage/batch.py)."""
        return write_ticks(conn, writes)

    def __call__(self, conn: sqlite3.Connection) -> None:
        advance_pointer(conn, self.match_id, self.time_index)
        conn.execute(
            f"INSERT INTO match_ticks ({TICK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.tick_row,
        )
        if self.request_rows:
            conn.executemany(UPSERT_REQUEST, self.request_rows)
        if self.event_rows:
            conn.executemany(INSERT_EVENT, self.event_rows)


def write_ticks(conn: sqlite3.Connection, writes: Sequence[TickWrite]) -> list[None]:
    """Write many ticks in a few statements, or raise TicksRefused having changed nothing
    that the caller's savepoint does not undo. Ticks of one match must follow each other in
    queue order (the runner commits them in order), and every match's pointer must be just
    before its first tick here: exactly the checks ``advance_pointer`` makes one by one."""
    if not MERGES_TICKS:
        raise TicksRefused("this SQLite is older than 3.33")
    spans: dict[int, list[int]] = {}
    for write in writes:
        span = spans.get(write.match_id)
        if span is None:
            spans[write.match_id] = [write.time_index, write.time_index]
        elif write.time_index == span[1] + 1:
            span[1] = write.time_index
        else:
            raise TicksRefused(f"match #{write.match_id}: ticks out of order")
    moved = 0
    for chunk in _chunks([(match_id, first, last) for match_id, (first, last) in spans.items()]):
        moved += conn.execute(_move_pointers_sql(len(chunk)), _flat(chunk)).rowcount
    if moved != len(spans):
        raise TicksRefused("a match is not live or not at the tick before these")
    _insert(conn, _TICKS, [write.tick_row for write in writes])
    _insert(conn, _REQUESTS, [row for write in writes for row in write.request_rows])
    _insert(conn, _EVENTS, [row for write in writes for row in write.event_rows])
    return [None] * len(writes)


@dataclass(frozen=True)
class _MultiRowInsert:
    head: str
    one_row: str
    tail: str = ""

    def sql(self, rows: int) -> str:
        return f"{self.head} VALUES {', '.join([self.one_row] * rows)} {self.tail}"


_TICKS = _MultiRowInsert(f"INSERT INTO match_ticks ({TICK_COLUMNS})", "(?, ?, ?, ?, ?, ?, ?, ?, ?)")
_REQUESTS = _MultiRowInsert(
    f"INSERT INTO engine_requests ({REQUEST_COLUMNS})",
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    REQUEST_CONFLICT,
)
_EVENTS = _MultiRowInsert(f"INSERT INTO events ({EVENT_COLUMNS})", EVENT_VALUES)


def _insert(conn: sqlite3.Connection, statement: _MultiRowInsert, rows: list[Row]) -> None:
    for chunk in _chunks(rows):
        conn.execute(statement.sql(len(chunk)), _flat(chunk))


def _move_pointers_sql(count: int) -> str:
    values = ", ".join(["(?, ?, ?)"] * count)
    return (
        "UPDATE matches SET last_tick = span.column3 "
        f"FROM (VALUES {values}) AS span "
        "WHERE matches.id = span.column1 AND matches.status = 'live' "
        "AND matches.last_tick = span.column2 - 1"
    )


def _chunks(rows: list[Row]) -> Iterator[list[Row]]:
    start = 0
    for size in CHUNK_SIZES:
        while len(rows) - start >= size:
            yield rows[start : start + size]
            start += size


def _flat(rows: list[Row]) -> list[Any]:
    return [value for row in rows for value in row]
