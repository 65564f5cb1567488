"""Fixtures for the fake Discord rig's own tests: a started FakeDiscord and a test bot."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

# pytest's console script does not put the repository root on sys.path, and `tests` is not a
# package; adding the root lets `tests.fakes` import as the namespace package it is.
REPO_ROOT = str(Path(__file__).resolve().parents[3])
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from tests.fakes.fake_discord import FakeDiscord, running_bot  # noqa: E402
from tests.integration.discord_rig.discord_rig_support import RigBot, make_rig_bot  # noqa: E402


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server
        assert server.handler_errors == []


@pytest.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[RigBot]:
    """A real commands.Bot with the test cog, connected to ``fake`` over the gateway."""
    client = make_rig_bot(fake.guild.guild_id)
    async with running_bot(fake, client):
        yield client
    assert client.http._HTTPClient__session.closed  # type: ignore[attr-defined]
