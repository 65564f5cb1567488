"""The read cache stays coherent: rollbacks, readers during another task's transaction, other
processes writing the same file, a bounded size, and searches that answer like the SQL did."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storage import Database, FederationRepo, WrestlerRepo
from storage.codec import name_key
from tests.integration.storage_cache.cache_support import (
    GUILD,
    NO_POLLING,
    NOW,
    League,
    open_league,
    warm,
)


async def test_a_rolled_back_update_leaves_the_committed_value(league: League) -> None:
    await warm(league)

    with pytest.raises(RuntimeError):
        async with league.db.transaction():
            await league.wrestlers.update(league.ace.model_copy(update={"gimmick": "Ghost"}))
            assert (await league.wrestlers.get(league.ace.id)).gimmick == "Ghost"
            raise RuntimeError("boom")

    assert (await league.wrestlers.get(league.ace.id)).gimmick == league.ace.gimmick
    assert [w.gimmick for w in await league.wrestlers.list_in_guild(GUILD)] == ["", ""]


async def test_a_reader_during_anothers_transaction_never_caches_uncommitted_rows(
    league: League,
) -> None:
    await warm(league)
    written, read = asyncio.Event(), asyncio.Event()
    seen: list[str] = []

    async def writer() -> None:
        async with league.db.transaction():
            await league.wrestlers.update(league.ace.model_copy(update={"gimmick": "Ghost"}))
            written.set()
            await read.wait()
            raise RuntimeError("rolled back")

    async def reader() -> None:
        await written.wait()
        seen.append((await league.wrestlers.get(league.ace.id)).gimmick)
        seen.append((await league.wrestlers.list(league.federation.id))[0].gimmick)
        read.set()

    results = await asyncio.gather(writer(), reader(), return_exceptions=True)

    assert isinstance(results[0], RuntimeError) and results[1] is None
    assert seen  # the shared connection may show the open transaction's rows meanwhile
    assert (await league.wrestlers.get(league.ace.id)).gimmick == ""
    assert (await league.wrestlers.list(league.federation.id))[0].gimmick == ""


async def test_reads_inside_a_transaction_see_the_file_not_the_cache(league: League) -> None:
    await warm(league)

    async with league.db.transaction():
        await league.wrestlers.get(league.ace.id)
        await league.federations.get(league.federation.id)

    assert league.reads.take() == 2


def _write_elsewhere(path: Path, sql: str) -> None:
    """Commit ``sql`` from a separate Python process, as a CLI on the same file would."""
    script = (
        "import sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1])\n"
        "conn.execute(sys.argv[2])\n"
        "conn.commit()\n"
        "conn.close()\n"
    )
    subprocess.run([sys.executable, "-c", script, str(path), sql], check=True, timeout=30)


async def test_another_process_commit_clears_the_cache_on_refresh(league: League) -> None:
    await warm(league)
    assert not await league.db.refresh_cache()  # our own commits do not count

    await asyncio.to_thread(
        _write_elsewhere,
        league.db.path,
        f"UPDATE wrestlers SET gimmick = 'From the CLI' WHERE id = {league.ace.id}",
    )

    assert await league.db.refresh_cache()
    assert (await league.wrestlers.get(league.ace.id)).gimmick == "From the CLI"
    assert not await league.db.refresh_cache()


async def test_the_watcher_picks_up_another_process_commit_by_itself(tmp_path: Path) -> None:
    league = await open_league(tmp_path / "watched.db", poll_seconds=0.05)
    try:
        await warm(league)
        await asyncio.to_thread(
            _write_elsewhere,
            league.db.path,
            f"UPDATE federations SET name = 'Renamed Elsewhere' WHERE id = {league.federation.id}",
        )
        for _ in range(200):
            if (await league.federations.get(league.federation.id)).name != "Apex Wrestling":
                break
            await asyncio.sleep(0.02)

        assert (await league.federations.get(league.federation.id)).name == "Renamed Elsewhere"
        assert [f.name for f in await league.federations.list(GUILD)] == ["Renamed Elsewhere"]
    finally:
        await league.db.close()


async def test_the_cache_holds_at_most_its_capacity_least_recently_used_out(
    tmp_path: Path,
) -> None:
    league = await open_league(tmp_path / "small.db", poll_seconds=NO_POLLING, cache_capacity=3)
    try:
        made = [
            await league.wrestlers.create(league.federation.id, f"Extra {n:02d}", NOW)
            for n in range(10)
        ]
        for wrestler in made:
            await league.wrestlers.get(wrestler.id)
            await league.wrestlers.get(made[0].id)  # kept warm: most recently used
        assert len(league.db.cache) == 3
        league.reads.take()

        await league.wrestlers.get(made[0].id)
        await league.wrestlers.get(made[-1].id)
        assert league.reads.take() == 0
        await league.wrestlers.get(made[1].id)
        assert league.reads.take() == 1
        assert len(league.db.cache) == 3
    finally:
        await league.db.close()


NAMES = ["Ace Alpha", "ace beta", "Straße King", "Zed Ace", "Ángel", "macE", "Bo Bravo", "_ace"]


async def test_cached_search_answers_exactly_like_the_sql_did(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "search.db", poll_seconds=NO_POLLING)
    try:
        wrestlers = await _seed_search_roster(db)
        for text in ["", "a", "ace", "ACE", "strasse", "STRASSE KING", "e", "ángel", "x", " b "]:
            for limit in (25, 2):
                expected = await _sql_search(db, text, limit)
                found = await wrestlers.search(GUILD, text, limit)
                assert [w.name for w in found] == expected, (text, limit)
    finally:
        await db.close()


async def _seed_search_roster(db: Database) -> WrestlerRepo:
    federations, wrestlers = FederationRepo(db), WrestlerRepo(db)
    first = await federations.create(GUILD, "First Fed", 1, NOW)
    second = await federations.create(GUILD, "Second Fed", 1, NOW)
    for n, name in enumerate(NAMES):
        await wrestlers.create((first if n % 2 else second).id, name, NOW)
    await wrestlers.create(first.id, "Ace Alpha", NOW)  # same name, other federation
    return wrestlers


async def _sql_search(db: Database, text: str, limit: int) -> list[str]:
    """The query WrestlerRepo.search ran before the cache."""
    key = name_key(text)
    rows: list[sqlite3.Row] = await db.fetchall(
        "SELECT w.name FROM wrestlers w JOIN federations f ON f.id = w.federation_id "
        "WHERE f.guild_id = ? AND instr(w.name_key, ?) > 0 "
        "ORDER BY instr(w.name_key, ?) != 1, w.name, w.id LIMIT ?",
        (GUILD, key, key, limit),
    )
    return [row[0] for row in rows]
