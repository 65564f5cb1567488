"""A real discord.py client posting a burst through the Outbox to FakeDiscord gets no 429s."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import discord
import pytest

from bot.clock import SystemClock
from bot.live.discord_port import channel_sender, history_finder
from bot.live.outbox import Outbox
from bot.settings import DiscordSettings
from storage.database import Database
from tests.fakes.discord.clients import logged_in_client
from tests.fakes.discord.rig import FakeDiscord
from tests.integration.outbox.outbox_support import tick_text, wait_until


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        # No X-RateLimit headers: discord.py cannot wait pre-emptively, so any send over the
        # limit is a real 429 that the fake counts.
        server.enable_channel_rate_limit(5, 5.0, advertise_headers=False)
        yield server
        assert server.handler_errors == []


def _client() -> discord.Client:
    return discord.Client(intents=discord.Intents.default())


async def test_the_fake_counts_429s_for_a_sender_that_ignores_the_limit(
    fake: FakeDiscord,
) -> None:
    channel_id = fake.guild.channel_ids["general"]
    async with logged_in_client(fake, _client()) as client:
        send = channel_sender(client)
        for n in range(6):
            await send(channel_id, f"naive {n}", f"naive-{n}")
    assert fake.rate_limited_count >= 1  # the check below could fail


@pytest.mark.slow
async def test_burst_through_the_outbox_gets_zero_429s(
    fake: FakeDiscord, db: Database, match_ids: list[int]
) -> None:
    channel_id = fake.guild.channel_ids["matches"]
    settings = DiscordSettings(messages_per_window=5, window_s=5.0)
    async with logged_in_client(fake, _client()) as client:
        outbox = Outbox(
            db, channel_sender(client), settings, SystemClock(), find_posted=history_finder(client)
        )
        await outbox.start()
        for index in range(40):
            await outbox.enqueue(channel_id, match_ids[0], index, tick_text(match_ids[0], index))
            await asyncio.sleep(0.1)

        async def posted() -> bool:
            left = await db.fetchvalue("SELECT count(*) FROM outbox WHERE message_id IS NULL")
            return bool(left == 0)

        await wait_until(posted, timeout=30)
        await outbox.stop()

    assert fake.rate_limited_count == 0
    messages = fake.channel_messages(channel_id)
    lines = [line for m in messages for line in m["content"].split("\n")]
    assert lines == [tick_text(match_ids[0], i) for i in range(40)]
    creates = fake.requests_matching("POST", rf"/channels/{channel_id}/messages")
    assert all(r.json.get("enforce_nonce") is True and r.json.get("nonce") for r in creates)
    recorded = {row["message_id"] for row in await db.fetchall("SELECT message_id FROM outbox")}
    assert recorded == {int(m["id"]) for m in messages}


async def test_history_finder_finds_a_message_by_its_nonce(fake: FakeDiscord) -> None:
    channel_id = fake.guild.channel_ids["general"]
    fake.disable_channel_rate_limit()
    async with logged_in_client(fake, _client()) as client:
        message_id = await channel_sender(client)(channel_id, "hello ring", "nonce-1")
        find = history_finder(client)
        assert await find(channel_id, "nonce-1", "hello ring") == [message_id]
        assert await find(channel_id, "nonce-2", "something else") == []
