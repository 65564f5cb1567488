"""Fixtures for the fake Discord rig's own tests: a started FakeDiscord and a test bot."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.discord.clients import running_bot
from tests.fakes.discord.rig import FakeDiscord
from tests.integration.discord_rig.discord_rig_support import RigBot, make_rig_bot


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
