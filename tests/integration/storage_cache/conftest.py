"""Fixtures for the read-cache tests: a seeded league over a real SQLite file in tmp_path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.integration.storage_cache.cache_support import (
    NO_POLLING,
    League,
    open_league,
)


@pytest.fixture
async def league(tmp_path: Path) -> AsyncIterator[League]:
    opened = await open_league(tmp_path / "cache.db", poll_seconds=NO_POLLING)
    yield opened
    await opened.db.close()
