"""Fixtures shared by the integration folders that drive the real LLMFedBot through FakeDiscord.

``fake`` is a started two-server FakeDiscord that fails the test if one of its handlers raised.
``h`` is the bot harness over a real SQLite file in ``tmp_path``: a folder chooses which harness
by defining the ``start_harness`` fixture (and may rename the file with ``harness_db_name``).
``league`` seeds a league through a match harness. Folders with other needs override any of
these in their own conftest.py, which pytest prefers over this one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.discord.rig import FakeDiscord
from tests.integration.discord_commands_core.core_support import two_guild_fake
from tests.integration.discord_commands_match.match_support import League, MatchHarness
from tests.integration.discord_harness import HarnessStarter


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with two_guild_fake() as server:
        yield server
        assert server.handler_errors == []


@pytest.fixture
def harness_db_name() -> str:
    return "llmfed.db"


@pytest.fixture
async def h(
    fake: FakeDiscord, tmp_path: Path, start_harness: HarnessStarter, harness_db_name: str
) -> AsyncIterator[Any]:
    async with start_harness(fake, tmp_path / harness_db_name) as harness:
        yield harness


@pytest.fixture
async def league(h: MatchHarness) -> League:
    return await h.seed()
