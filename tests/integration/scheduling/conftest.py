"""Fixtures for the scheduler tests: a migrated database with a federation, and an
AsyncIOScheduler started (paused) in the test's event loop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from storage.database import Database
from storage.federations import FederationRepo
from tests.integration.scheduling.scheduling_support import LONG_AGO


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
