"""Fixtures: FakeDiscord and the real LLMFedBot playing a full_rewrite match live."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

REPO_ROOT = str(Path(__file__).resolve().parents[3])
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from tests.fakes.fake_discord import FakeDiscord  # noqa: E402
from tests.integration.discord_commands_core.core_support import two_guild_fake  # noqa: E402
from tests.integration.live_matches.live_support import LiveHarness, running_live  # noqa: E402


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with two_guild_fake() as server:
        yield server
        assert server.handler_errors == []


@pytest.fixture
async def h(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[LiveHarness]:
    async with running_live(fake, tmp_path / "llmfed.db") as harness:
        yield harness
