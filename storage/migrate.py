"""Numbered schema migrations (storage/migrations/NNNN_name.sql), recorded in schema_migrations."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import aiosqlite

from engine.errors import StorageError

_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

SCHEMA_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(directory: Path | None = None) -> tuple[Migration, ...]:
    """Every NNNN_name.sql file, in version order. Version numbers must be unique."""
    source = directory if directory is not None else files("storage").joinpath("migrations")
    found: dict[int, Migration] = {}
    for entry in source.iterdir():
        match = _FILE_NAME.match(entry.name)
        if match is None:
            continue
        version = int(match.group(1))
        if version in found:
            raise StorageError(f"two migrations are numbered {version:04d}")
        found[version] = Migration(version, entry.name, entry.read_text(encoding="utf-8"))
    return tuple(found[version] for version in sorted(found))


async def applied_versions(conn: aiosqlite.Connection) -> set[int]:
    """The versions recorded in the file (empty for a new database). Reads only."""
    async with conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ) as cursor:
        if await cursor.fetchone() is None:
            return set()
    async with conn.execute("SELECT version FROM schema_migrations") as cursor:
        return {int(row[0]) for row in await cursor.fetchall()}


async def apply_pending(
    conn: aiosqlite.Connection, migrations: tuple[Migration, ...], path: Path
) -> list[int]:
    """Apply the migrations the file lacks, in order, each in its own transaction."""
    done = await applied_versions(conn)
    applied: list[int] = []
    for migration in migrations:
        if migration.version in done:
            continue
        # executescript commits any open transaction first, so BEGIN/COMMIT live in the script.
        script = (
            f"BEGIN IMMEDIATE;\n{SCHEMA_TABLE};\n{migration.sql}\n;\n"
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES "
            f"({migration.version}, '{migration.name}', "
            "strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now'));\nCOMMIT;"
        )
        try:
            await conn.executescript(script)
        except sqlite3.Error as exc:
            if conn.in_transaction:
                await conn.execute("ROLLBACK")
            raise StorageError(f"cannot apply migration {migration.name} to {path}: {exc}") from exc
        applied.append(migration.version)
    return applied
