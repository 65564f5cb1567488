"""Merged tick writes: the same rows as one-by-one writes, and a safe fallback when refused."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import storage.database
import storage.tick_writes
from engine.errors import Conflict, InvalidState
from storage import Database
from storage.batch import run_batch
from storage.tick_writes import CHUNK_SIZES, TicksRefused, TickWrite, write_ticks
from tests.integration.storage.conftest import Repos, repos_for
from tests.integration.storage.tick_support import NOW, Played, play, start_match

TABLES = {
    "match_ticks": "match_id, time_index",
    "engine_requests": "request_id",
    "events": "match_id, tick, kind",
    "matches": "id",
}


async def _league(repos: Repos, matches: int) -> list[tuple[Any, list[Played]]]:
    fed = await repos.federations.create(1, "Merge Wrestling", 100, NOW)
    ace = await repos.wrestlers.create(fed.id, "Ace Alpha", NOW)
    bo = await repos.wrestlers.create(fed.id, "Bo Bravo", NOW)
    runs = [await start_match(repos, (fed, ace, bo), seed=seed) for seed in range(matches)]
    return [(match, play(match, state, 12)) for match, state in runs]


def _dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as conn:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
            for table, order in TABLES.items()
        }


def _without_event_ids(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [row[1:] for row in rows]  # ids follow insertion order, which batching may change


async def _record_all(db_path: Path, *, together: bool) -> dict[str, list[tuple[Any, ...]]]:
    db = await Database.open(db_path)
    try:
        repos = repos_for(db)
        league = await _league(repos, matches=5)
        for index in range(12):
            writes = [
                repos.matches.record_tick(match, *played[index])
                for match, played in league
                if index < len(played)
            ]
            if together:
                await asyncio.gather(*writes)  # one batch per round: merged
            else:
                for write in writes:
                    await write  # one at a time: nothing to merge
    finally:
        await db.close()
    dump = _dump(db_path)
    dump["events"] = _without_event_ids(dump["events"])
    return dump


@dataclass
class Merges:
    """What write_ticks was asked: the sizes of the batches it wrote, and why it refused."""

    merged: list[int] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)


@pytest.fixture
def merges(monkeypatch: pytest.MonkeyPatch) -> Merges:
    seen = Merges()
    real = storage.tick_writes.write_ticks

    def spying(conn: sqlite3.Connection, writes: Any) -> list[None]:
        try:
            result = real(conn, writes)
        except TicksRefused as exc:
            seen.refusals.append(str(exc))
            raise
        seen.merged.append(len(writes))
        return result

    monkeypatch.setattr(storage.tick_writes, "write_ticks", spying)
    return seen


async def test_merged_ticks_store_exactly_the_rows_written_one_by_one(
    tmp_path: Path, merges: Merges
) -> None:
    merged = merges.merged
    apart = await _record_all(tmp_path / "apart.db", together=False)
    assert merged == []
    together = await _record_all(tmp_path / "together.db", together=True)

    assert merged and max(merged) > 1
    assert together == apart
    assert len(together["match_ticks"]) == len(together["engine_requests"]) > 5


async def test_a_refused_batch_falls_back_and_each_tick_gets_its_own_verdict(
    repos: Repos, merges: Merges
) -> None:
    refusals = merges.refusals
    league = await _league(repos, matches=3)
    (m1, p1), (m2, p2), (m3, p3) = league
    results = await asyncio.gather(
        repos.matches.record_tick(m1, *p1[0]),
        repos.matches.record_tick(m2, *p2[1]),  # skips tick 1
        repos.matches.record_tick(m3, *p3[0]),
        repos.matches.record_tick(m1, *p1[1]),  # m1's tick 2 right after its tick 1: fine
        repos.matches.record_tick(m3, *p3[0]),  # duplicate
        return_exceptions=True,
    )

    assert refusals  # the merged attempt was refused, then every tick was tried alone
    assert results[0] is None and results[2] is None and results[3] is None
    assert isinstance(results[1], InvalidState) and "skips ahead" in str(results[1])
    assert isinstance(results[4], Conflict) and "already has tick 1" in str(results[4])
    assert [await repos.matches.tick_count(m.id) for m in (m1, m2, m3)] == [2, 0, 1]
    assert len(await repos.events.list(kind="match.tick")) == 3


def _tick_write(match_id: int, time_index: int) -> TickWrite:
    return TickWrite(match_id, time_index, (), (), ())


def test_ticks_of_one_match_out_of_order_are_refused_before_any_write() -> None:
    conn = sqlite3.connect(":memory:")
    writes = [_tick_write(1, 1), _tick_write(2, 5), _tick_write(1, 3)]

    with pytest.raises(TicksRefused, match="match #1: ticks out of order"):
        write_ticks(conn, writes)
    assert conn.total_changes == 0


def test_rows_are_split_into_the_few_statement_shapes() -> None:
    rows = [(index,) for index in range(150)]

    chunks = list(storage.tick_writes._chunks(rows))

    assert [len(chunk) for chunk in chunks] == [64, 64, 16, 4, 2]
    assert {len(chunk) for chunk in chunks} <= set(CHUNK_SIZES)
    assert [row for chunk in chunks for row in chunk] == rows


async def test_a_whole_live_batch_is_one_transaction_of_a_few_statements(
    repos: Repos, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements: list[str] = []
    league = await _league(repos, matches=20)

    def tracing_run_batch(works, path, conn):  # type: ignore[no-untyped-def]
        conn.set_trace_callback(statements.append)
        try:
            return run_batch(works, path, conn)
        finally:
            conn.set_trace_callback(None)

    monkeypatch.setattr(storage.database, "run_batch", tracing_run_batch)
    await asyncio.gather(*(repos.matches.record_tick(m, *played[0]) for m, played in league))

    assert len(statements) <= 12  # begin, savepoint, pointers, ticks, requests, events, ...
    assert sum(s.startswith("INSERT INTO match_ticks") for s in statements) <= 2
