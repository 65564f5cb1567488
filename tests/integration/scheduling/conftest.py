"""Fixtures for the scheduler tests: a migrated database with a federation, and an
AsyncIOScheduler started (paused) in the test's event loop."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

# `tests` is not a package; the repository root on sys.path lets `tests.*` import.
REPO_ROOT = str(Path(__file__).resolve().parents[3])
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from storage.database import Database  # noqa: E402
from storage.federations import FederationRepo  # noqa: E402
from tests.integration.scheduling.scheduling_support import LONG_AGO  # noqa: E402


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "shows.db")
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
async def federation_id(db: Database) -> int:
    return (await FederationRepo(db).create(42, "Cron Wrestling", 1, LONG_AGO)).id


@pytest.fixture
async def scheduler() -> AsyncIterator[AsyncIOScheduler]:
    """Paused: jobs get their next run times but nothing fires on the wall clock."""
    sched = AsyncIOScheduler(timezone="UTC")
    sched.start(paused=True)
    yield sched
    sched.shutdown(wait=False)
