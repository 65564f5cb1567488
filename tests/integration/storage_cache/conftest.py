"""Fixtures for the read-cache tests: a seeded league over a real SQLite file in tmp_path."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

REPO_ROOT = str(Path(__file__).resolve().parents[3])
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from tests.integration.storage_cache.cache_support import (  # noqa: E402
    NO_POLLING,
    League,
    open_league,
)


@pytest.fixture
async def league(tmp_path: Path) -> AsyncIterator[League]:
    opened = await open_league(tmp_path / "cache.db", poll_seconds=NO_POLLING)
    yield opened
    await opened.db.close()
