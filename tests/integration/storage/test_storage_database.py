"""Database: opening checks, migrations, pragmas, transactions and backup on real files."""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from engine.errors import Conflict, StorageError
from storage import Database, FederationRepo
from storage.migrate import Migration, load_migrations

NOW = datetime(2025, 3, 1, 20, 0, tzinfo=UTC)


def _versions(path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT version, name FROM schema_migrations ORDER BY version"
        ).fetchall()


async def test_new_database_records_every_shipped_migration_once(db_path: Path) -> None:
    shipped = load_migrations()
    assert shipped[0].name == "0001_initial.sql"
    db = await Database.open(db_path)
    await db.close()
    first = _versions(db_path)
    assert first == [(m.version, m.name) for m in shipped]
    db = await Database.open(db_path)  # reopening applies nothing twice
    assert await db.schema_version() == shipped[-1].version
    await db.close()
    assert _versions(db_path) == first


async def test_runner_applies_every_numbered_file_in_order_and_only_new_ones(
    tmp_path: Path, db_path: Path
) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0002_second.sql").write_text("INSERT INTO log VALUES ('second');")
    (migrations / "0001_first.sql").write_text("CREATE TABLE log (step TEXT);")
    (migrations / "README.txt").write_text("not a migration")
    db = await Database.open(db_path, migrations=load_migrations(migrations))
    await db.close()
    (migrations / "0010_tenth.sql").write_text("INSERT INTO log VALUES ('tenth');")
    db = await Database.open(db_path, migrations=load_migrations(migrations))
    steps = [row[0] for row in await db.fetchall("SELECT step FROM log ORDER BY rowid")]
    await db.close()
    assert steps == ["second", "tenth"]
    assert [v for v, _ in _versions(db_path)] == [1, 2, 10]


async def test_a_failing_migration_is_rolled_back_whole(db_path: Path) -> None:
    good = Migration(1, "0001_good.sql", "CREATE TABLE a (x INTEGER);")
    bad = Migration(
        2, "0002_bad.sql", "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);"
    )
    with pytest.raises(StorageError, match=re.escape("0002_bad.sql")):
        await Database.open(db_path, migrations=[good, bad])
    with sqlite3.connect(db_path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "a" in tables and "b" not in tables
    assert _versions(db_path) == [(1, "0001_good.sql")]


async def test_duplicate_migration_numbers_are_refused(tmp_path: Path) -> None:
    (tmp_path / "0001_a.sql").write_text("SELECT 1;")
    (tmp_path / "0001_b.sql").write_text("SELECT 1;")
    with pytest.raises(StorageError, match="0001"):
        load_migrations(tmp_path)


async def test_connection_runs_wal_with_foreign_keys_and_busy_timeout(db: Database) -> None:
    assert (await db.fetchvalue("PRAGMA journal_mode")).lower() == "wal"
    assert await db.fetchvalue("PRAGMA foreign_keys") == 1
    assert await db.fetchvalue("PRAGMA busy_timeout") >= 1000
    assert await db.fetchvalue("PRAGMA synchronous") == 1  # NORMAL
    with pytest.raises(StorageError, match="FOREIGN KEY"):
        await db.execute(
            "INSERT INTO wrestlers (federation_id, name, name_key, role, alignment, style, power, "
            "technique, agility, charisma, toughness, finisher, popularity, momentum, "
            "controller, created_at) VALUES (999, 'X', 'x', 'wrestler', 'face', 'brawler', "
            "50, 50, 50, 50, 50, 'F', 30, 50, 'offline', '2025-01-01')"
        )


async def test_a_failed_transaction_rolls_back_everything_in_it(db: Database) -> None:
    feds = FederationRepo(db)
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await feds.create(1, "First Federation", 1, NOW)
            async with db.transaction():  # nested: joins, no second BEGIN
                await feds.create(1, "Second Federation", 1, NOW)
            raise RuntimeError("boom")
    assert await feds.list(1) == []
    async with db.transaction():
        await feds.create(1, "Third Federation", 1, NOW)
    assert [f.name for f in await feds.list(1)] == ["Third Federation"]


async def test_a_game_error_inside_a_transaction_rolls_back_the_earlier_writes(
    db: Database,
) -> None:
    feds = FederationRepo(db)
    await feds.create(1, "Taken Name", 1, NOW)
    with pytest.raises(Conflict):
        async with db.transaction():
            await feds.create(1, "Fresh Name", 1, NOW)
            await feds.create(1, "taken name", 1, NOW)
    assert [f.name for f in await feds.list(1)] == ["Taken Name"]


async def test_other_tasks_never_join_an_open_transaction(db: Database) -> None:
    feds = FederationRepo(db)
    inside = asyncio.Event()
    release = asyncio.Event()

    async def failing_transaction() -> None:
        async with db.transaction():
            await feds.create(1, "Doomed Federation", 1, NOW)
            inside.set()
            await release.wait()
            raise RuntimeError("rolled back")

    task = asyncio.create_task(failing_transaction())
    await inside.wait()
    other = asyncio.create_task(feds.create(1, "Survivor Federation", 1, NOW))
    await asyncio.sleep(0.05)
    assert not other.done()  # waits for the open transaction instead of joining it
    release.set()
    with pytest.raises(RuntimeError):
        await task
    await other
    assert [f.name for f in await feds.list(1)] == ["Survivor Federation"]


def _insert_note(text: str):  # type: ignore[no-untyped-def]
    def work(conn: sqlite3.Connection) -> int:
        conn.execute("CREATE TABLE IF NOT EXISTS notes (text TEXT UNIQUE)")
        return conn.execute("INSERT INTO notes (text) VALUES (?)", (text,)).rowcount

    return work


async def _notes(db: Database) -> list[str]:
    return [row[0] for row in await db.fetchall("SELECT text FROM notes ORDER BY rowid")]


async def test_a_burst_of_writes_commits_in_order_in_few_transactions(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storage.database

    batches: list[int] = []
    real_run_batch = storage.database.run_batch

    def counting_run_batch(works, path, conn):  # type: ignore[no-untyped-def]
        batches.append(len(works))
        return real_run_batch(works, path, conn)

    monkeypatch.setattr(storage.database, "run_batch", counting_run_batch)
    texts = [f"note {i}" for i in range(50)]
    results = await asyncio.gather(*(db.write(_insert_note(t)) for t in texts))

    assert results == [1] * 50
    assert await _notes(db) == texts
    assert sum(batches) == 50 and len(batches) <= 3  # shared commits, not one each


async def test_a_failing_write_fails_alone_in_its_batch(db: Database) -> None:
    outcomes = await asyncio.gather(
        db.write(_insert_note("first")),
        db.write(_insert_note("first")),  # UNIQUE: refused
        db.write(_insert_note("third")),
        return_exceptions=True,
    )

    assert outcomes[0] == 1 and outcomes[2] == 1
    assert isinstance(outcomes[1], StorageError)
    assert await _notes(db) == ["first", "third"]


async def test_a_writer_cancelled_before_its_batch_starts_is_dropped(db: Database) -> None:
    release = asyncio.Event()

    async def hold_the_writer() -> None:
        async with db.transaction():
            await release.wait()

    holder = asyncio.create_task(hold_the_writer())
    await asyncio.sleep(0.01)
    kept = asyncio.create_task(db.write(_insert_note("kept")))
    dropped = asyncio.create_task(db.write(_insert_note("dropped")))
    await asyncio.sleep(0.01)
    dropped.cancel()
    release.set()
    await holder

    assert await kept == 1
    with pytest.raises(asyncio.CancelledError):
        await dropped
    assert await _notes(db) == ["kept"]


async def test_close_commits_the_writes_still_queued(db_path: Path) -> None:
    db = await Database.open(db_path)
    writes = [asyncio.ensure_future(db.write(_insert_note(f"queued {i}"))) for i in range(5)]
    await asyncio.sleep(0)
    await db.close()

    assert [w.result() for w in writes] == [1] * 5
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 5


async def test_a_transaction_gets_its_turn_during_an_endless_stream_of_writes(
    db: Database,
) -> None:
    queued: list[asyncio.Future[int]] = []
    stop = asyncio.Event()

    async def stream() -> None:
        while not stop.is_set():
            queued.append(asyncio.ensure_future(db.write(_insert_note(f"n{len(queued)}"))))
            await asyncio.sleep(0.001)

    streaming = asyncio.create_task(stream())
    await asyncio.sleep(0.05)
    feds = FederationRepo(db)
    async with db.transaction():
        await feds.create(1, "Patient Federation", 1, NOW)
    queued_before_our_turn = len(queued)
    await asyncio.sleep(0.3)
    stop.set()
    await streaming
    await asyncio.gather(*queued)

    assert queued_before_our_turn < len(queued)  # it did not wait for the stream to end
    assert [f.name for f in await feds.list(1)] == ["Patient Federation"]
    assert len(await _notes(db)) == len(queued)


async def test_backup_is_a_valid_standalone_copy(db: Database, tmp_path: Path) -> None:
    feds = FederationRepo(db)
    await feds.create(7, "Backed Up", 1, NOW)
    dest = tmp_path / "copies" / "backup.db"
    dest.parent.mkdir()
    await db.backup(dest)
    await feds.create(7, "After Backup", 1, NOW)
    with sqlite3.connect(dest) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = [r[0] for r in conn.execute("SELECT name FROM federations")]
    assert names == ["Backed Up"]
    copy = await Database.open(dest, create=False)
    assert [f.name for f in await FederationRepo(copy).list(7)] == ["Backed Up"]
    await copy.close()


async def test_backup_refuses_the_live_file_and_unusable_destinations(
    db: Database, tmp_path: Path
) -> None:
    before = db.path.read_bytes()
    with pytest.raises(StorageError, match="onto itself"):
        await db.backup(db.path)
    with pytest.raises(StorageError, match="onto itself"):
        await db.backup(db.path.parent / "." / db.path.name)
    with pytest.raises(StorageError, match="no directory"):
        await db.backup(tmp_path / "missing" / "copy.db")
    with pytest.raises(StorageError, match="directory"):
        await db.backup(tmp_path)
    assert db.path.read_bytes() == before


async def test_create_false_refuses_a_missing_file(db_path: Path) -> None:
    with pytest.raises(StorageError, match=re.escape(f"no database at {db_path}")):
        await Database.open(db_path, create=False)
    assert not exists(db_path)


async def test_missing_directory_and_directory_paths_are_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="no directory"):
        await Database.open(tmp_path / "nope" / "llmfed.db")
    with pytest.raises(StorageError, match="is a directory"):
        await Database.open(tmp_path)


def exists(path: Path) -> bool:
    return path.exists()


def content(path: Path) -> bytes:
    return path.read_bytes()


def make_read_only(path: Path) -> None:
    path.chmod(0o444)


async def _refused(path: Path, message: str) -> None:
    before = content(path)
    with pytest.raises(StorageError) as info:
        await Database.open(path)
    text = str(info.value)
    assert str(path) in text and message in text and "\n" not in text
    assert content(path) == before


async def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my wrestling notes, not a database\n" * 10)
    await _refused(path, "not an SQLite database")
    tiny = tmp_path / "tiny.db"
    tiny.write_bytes(b"SQLite")
    await _refused(tiny, "not an SQLite database")


async def _populated(path: Path) -> None:
    db = await Database.open(path)
    feds = FederationRepo(db)
    for n in range(40):
        await feds.create(n, f"Federation {n:03d} " + "x" * 20, 1, NOW)
    await db.close()


@pytest.mark.parametrize("where", ["schema page", "data pages"])
async def test_a_corrupt_database_is_refused_untouched(tmp_path: Path, where: str) -> None:
    path = tmp_path / "corrupt.db"
    await _populated(path)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    if where == "schema page":
        data[100:page] = b"\xa5" * (page - 100)
    else:
        for start in range(page, len(data), page):
            data[start : start + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    await _refused(path, "corrupt")


async def test_a_database_from_a_newer_version_is_refused_untouched(db_path: Path) -> None:
    db = await Database.open(db_path)
    await db.execute(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_x.sql', '')"
    )
    await db.close()
    await _refused(db_path, "schema version 9999")


async def test_another_programs_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    await _refused(path, "not an LLMFed one")


async def test_an_unwritable_database_file_is_refused_untouched(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = await Database.open(db_path)
    await db.close()
    make_read_only(db_path)
    if os.geteuid() == 0:  # root ignores file modes: make the access check see them anyway
        real_access = os.access
        monkeypatch.setattr(
            os,
            "access",
            lambda p, mode: (
                False if Path(p) == db_path and mode & os.W_OK else real_access(p, mode)
            ),
        )
    await _refused(db_path, "cannot write")
