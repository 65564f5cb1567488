"""The fake's REST side driven by a real bot: messages, reactions, pins, threads, webhooks,
scheduled events, rate limits and a clean shutdown."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import io
import logging
import warnings

import discord
import pytest
from discord.http import Route

from tests.fakes.discord.clients import running_bot
from tests.fakes.discord.payloads_messages import reaction_add
from tests.fakes.discord.rig import FakeDiscord
from tests.integration.discord_rig.discord_rig_support import RigBot, make_rig_bot


def _general(fake: FakeDiscord, bot: RigBot) -> discord.TextChannel:
    channel = bot.get_channel(fake.guild.channel_ids["general"])
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_send_edit_delete_messages_are_stored(fake: FakeDiscord, bot: RigBot) -> None:
    channel = _general(fake, bot)

    first = await channel.send("card announced", embed=discord.Embed(title="Main event"))
    second = await channel.send("second")
    await first.edit(content="card updated")
    await second.delete()

    (stored,) = fake.channel_messages(channel.id)
    assert stored["id"] == str(first.id) and stored["content"] == "card updated"
    assert stored["embeds"][0]["title"] == "Main event"
    assert stored["edited_timestamp"] is not None
    assert int(second.id) > int(first.id)


async def test_file_upload_is_recorded_from_multipart(fake: FakeDiscord, bot: RigBot) -> None:
    channel = _general(fake, bot)

    sent = await channel.send("the card", file=discord.File(io.BytesIO(b"main event"), "card.txt"))

    (upload,) = fake.requests_matching("POST", rf"/channels/{channel.id}/messages")
    assert upload.json["content"] == "the card"
    assert upload.files[0].filename == "card.txt" and upload.files[0].data == b"main event"
    assert sent.attachments[0].filename == "card.txt"


async def test_reactions_both_ways(fake: FakeDiscord, bot: RigBot) -> None:
    channel = _general(fake, bot)
    vote = await channel.send("Which rewrite wins?")

    await vote.add_reaction("🔥")
    own = await asyncio.wait_for(bot.reactions.get(), 5)  # Discord echoes the bot's own too
    await fake.add_user_reaction(channel.id, vote.id, fake.guild.player["id"], "🔥")
    event = await asyncio.wait_for(bot.reactions.get(), 5)
    await fake.dispatch(
        "MESSAGE_REACTION_ADD",
        reaction_add(
            channel_id=channel.id,
            message_id=vote.id,
            user_id=int(fake.guild.owner["id"]),
            emoji="👍",
            guild=fake.guild,
        ),
    )
    dispatched = await asyncio.wait_for(bot.reactions.get(), 5)

    assert fake.requests_matching(
        "PUT", rf"/channels/{channel.id}/messages/{vote.id}/reactions/🔥/@me"
    )
    assert fake.reactions(vote.id) == {"🔥": [str(bot.user.id), fake.guild.player["id"]]}  # type: ignore[union-attr]
    assert (event.user_id, str(event.emoji), event.member.name) == (  # type: ignore[union-attr]
        int(fake.guild.player["id"]),
        "🔥",
        "player",
    )
    assert own.user_id == bot.user.id  # type: ignore[union-attr]
    assert (dispatched.user_id, str(dispatched.emoji)) == (int(fake.guild.owner["id"]), "👍")


async def test_pins_post_the_system_notice(fake: FakeDiscord, bot: RigBot) -> None:
    channel = _general(fake, bot)
    result = await channel.send("Results are in")

    await result.pin()
    pins = [m async for m in channel.pins()]

    assert [p.id for p in pins] == [result.id]
    notice = fake.channel_messages(channel.id)[-1]
    assert notice["type"] == 6 and notice["message_reference"]["message_id"] == str(result.id)


async def test_threads_with_and_without_a_message(fake: FakeDiscord, bot: RigBot) -> None:
    channel = _general(fake, bot)

    promo = await channel.create_thread(name="Promo", type=discord.ChannelType.public_thread)
    await promo.send("Cut a promo")
    await promo.edit(name="Promo 2", archived=True)
    await promo.send("Reopened by posting")

    stored = fake.channel(promo.id)
    assert stored["name"] == "Promo 2"
    assert stored["thread_metadata"]["archived"] is False  # posting unarchives, like Discord
    assert len(fake.channel_messages(promo.id)) == 2
    assert bot.get_channel(promo.id) is not None  # THREAD_CREATE reached the cache


async def test_channel_webhooks_create_list_execute(fake: FakeDiscord, bot: RigBot) -> None:
    channel = _general(fake, bot)

    hook = await channel.create_webhook(name="Narrator")
    listed = await channel.webhooks()
    sent = await hook.send("From the booth", username="Commentary", wait=True)

    assert [h.id for h in listed] == [hook.id]
    stored = fake.message(sent.id)
    assert stored["author"]["username"] == "Commentary"
    assert stored["webhook_id"] == str(hook.id)
    assert fake.channel_messages(channel.id)[-1]["content"] == "From the booth"


async def test_scheduled_event_created_and_cached(fake: FakeDiscord, bot: RigBot) -> None:
    guild = bot.get_guild(fake.guild.guild_id)
    assert guild is not None
    start = dt.datetime(2030, 1, 1, 20, tzinfo=dt.UTC)

    event = await guild.create_scheduled_event(
        name="Weekly Show",
        start_time=start,
        end_time=start + dt.timedelta(hours=2),
        entity_type=discord.EntityType.external,
        location="#matches",
        privacy_level=discord.PrivacyLevel.guild_only,
    )

    (stored,) = fake.scheduled_events(guild.id)
    assert stored["id"] == str(event.id) and stored["entity_metadata"]["location"] == "#matches"
    await asyncio.sleep(0.05)
    assert [e.name for e in guild.scheduled_events] == ["Weekly Show"]


async def test_direct_message_to_a_member(fake: FakeDiscord, bot: RigBot) -> None:
    player = await bot.fetch_user(int(fake.guild.player["id"]))

    sent = await player.send("Your match is next")

    assert fake.channel(sent.channel.id)["recipients"][0]["id"] == fake.guild.player["id"]
    assert [m["content"] for m in fake.channel_messages(sent.channel.id)] == ["Your match is next"]


async def test_unimplemented_endpoint_is_recorded_as_unrouted(
    fake: FakeDiscord, bot: RigBot
) -> None:
    with pytest.raises(discord.NotFound):
        await bot.http.request(Route("GET", "/guilds/{guild_id}/audit-logs", guild_id=1))

    assert [r.path for r in fake.unrouted_requests] == ["/guilds/1/audit-logs"]


async def test_rate_limit_429_is_retried_by_discord_py(fake: FakeDiscord, bot: RigBot) -> None:
    channel = _general(fake, bot)
    fake.enable_channel_rate_limit(limit=2, per_seconds=0.5, advertise_headers=False)

    for n in range(4):
        await channel.send(f"spot {n}")

    posts = fake.requests_matching("POST", rf"/channels/{channel.id}/messages")
    assert [m["content"] for m in fake.channel_messages(channel.id)] == [
        f"spot {n}" for n in range(4)
    ]
    assert fake.rate_limited_count == 1
    assert [r.status for r in posts] == [200, 200, 429, 200, 200]


async def test_advertised_limits_let_discord_py_stay_within_them(
    fake: FakeDiscord, bot: RigBot
) -> None:
    channel = _general(fake, bot)
    fake.enable_channel_rate_limit(limit=2, per_seconds=0.4)

    for n in range(5):
        await channel.send(f"spot {n}")

    posts = fake.requests_matching("POST", rf"/channels/{channel.id}/messages")
    assert fake.rate_limited_count == 0
    assert posts[2].at - posts[0].at >= 0.35  # discord.py waited for the bucket to reset
    assert len(fake.channel_messages(channel.id)) == 5


async def test_close_leaves_no_unclosed_session(
    fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_rig_bot(fake.guild.guild_id)
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.ERROR):
        warnings.simplefilter("always")
        async with running_bot(fake, client):
            await _general(fake, client).send("bye")
        gc.collect()
        await asyncio.sleep(0)

    assert client.is_closed()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]
    assert "Unclosed" not in caplog.text
    assert fake.ready_sessions == []


async def test_user_messages_lose_content_without_the_intent(
    fake: FakeDiscord, bot: RigBot
) -> None:
    seen: asyncio.Queue[discord.Message] = asyncio.Queue()

    async def on_message(message: discord.Message) -> None:
        seen.put_nowait(message)

    bot.add_listener(on_message)
    general = fake.guild.channel_ids["general"]

    await fake.post_user_message(general, fake.guild.player, "hidden from the bot")
    await fake.post_user_message(general, fake.guild.player, f"hey <@{fake.application_id}>")
    first = await asyncio.wait_for(seen.get(), 5)
    second = await asyncio.wait_for(seen.get(), 5)

    assert first.content == "" and first.author.name == "player"
    assert second.content == f"hey <@{fake.application_id}>"
    assert fake.channel_messages(general)[0]["content"] == "hidden from the bot"
