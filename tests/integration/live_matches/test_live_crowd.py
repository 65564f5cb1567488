"""The crowd: reactions on the live card add capped heat to the next tick, once per member per
minute; the bot's own reactions never count; every counted reaction is an event; replay holds."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.services.replay import replay_match
from tests.fakes.discord.rig import FakeDiscord
from tests.integration.live_matches.live_support import LiveHarness, running_live, until


@pytest.fixture
async def slow(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[LiveHarness]:
    """Ticks every 5 minutes, unless a test makes the match due; the cap is 1.0 heat."""
    async with running_live(
        fake,
        tmp_path / "llmfed.db",
        tick_interval_s=300,
        crowd_heat_per_reaction=0.5,
        crowd_heat_cap=1.0,
    ) as harness:
        yield harness


async def _live_after_one_tick(h: LiveHarness) -> tuple[int, int, int]:
    league = await h.seed()
    match_id = await h.book(league)
    await h.start(match_id)
    await until(
        lambda: (e := h.live.get(match_id)) is not None and e.state.time_index == 1 and not e.busy
    )
    match = await h.app.repos.matches.get(match_id)
    assert match.channel_id is not None and match.message_id is not None
    return match_id, match.channel_id, match.message_id


async def test_reactions_add_heat_once_per_member_per_minute(slow: LiveHarness) -> None:
    h = slow
    match_id, channel_id, card_id = await _live_after_one_tick(h)
    player, owner = h.fake.guild.player["id"], h.fake.guild.owner["id"]

    await h.fake.add_user_reaction(channel_id, card_id, player, "🔥")
    await h.fake.add_user_reaction(channel_id, card_id, player, "👏")  # same minute: no more
    await h.fake.add_user_reaction(channel_id, card_id, h.fake.bot_user["id"], "🔥")  # the bot
    await h.fake.add_user_reaction(channel_id, card_id, owner, "👏")
    await until(lambda: h.live.crowd.seen(match_id) == 3)  # the bot's reaction never arrives

    assert h.live.crowd.pending(match_id) == 1.0

    recorded = await h.app.repos.events.list(match_id=match_id, kind="crowd.reaction")
    assert sorted(e.actor_user_id for e in recorded) == sorted([int(player), int(owner)])
    assert all(e.payload["heat"] == 0.5 for e in recorded)


async def test_heat_is_capped_per_tick_and_fed_to_the_next_tick(slow: LiveHarness) -> None:
    h = slow
    match_id, channel_id, card_id = await _live_after_one_tick(h)
    for user in (h.fake.guild.player["id"], h.fake.guild.owner["id"], h.fake.ids.next()):
        await h.fake.add_user_reaction(channel_id, card_id, user, "🔥")
    await until(lambda: h.live.crowd.seen(match_id) == 3)
    assert h.live.crowd.pending(match_id) == 1.0  # the third reaction hit the cap

    h.live.get(match_id).next_due = 0  # type: ignore[union-attr]
    await until(lambda: h.live.get(match_id).state.time_index == 2)  # type: ignore[union-attr]

    ticks = await h.app.repos.events.list(match_id=match_id, kind="match.tick")
    assert [e.payload.get("crowd_heat") for e in ticks] == [None, 1.0]
    assert h.live.crowd.pending(match_id) == 0.0
    report = await replay_match(h.app.repos, match_id)
    assert report.ok, report.mismatches


async def test_reactions_on_other_messages_are_not_the_crowd(slow: LiveHarness) -> None:
    h = slow
    match_id, channel_id, _ = await _live_after_one_tick(h)
    other = await h.fake.post_user_message(channel_id, h.fake.guild.player, "hello")

    await h.fake.add_user_reaction(channel_id, other["id"], h.fake.guild.player["id"], "🔥")
    await h.fake.add_user_reaction(channel_id, other["id"], h.fake.guild.owner["id"], "🔥")

    await asyncio.sleep(0.2)
    assert h.live.crowd.seen(match_id) == 0 and h.live.crowd.pending(match_id) == 0.0
    assert await h.app.repos.events.list(match_id=match_id, kind="crowd.reaction") == []
