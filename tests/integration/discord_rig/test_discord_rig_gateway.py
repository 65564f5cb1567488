"""The fake Discord gateway: a real discord.py bot logs in, gets READY/GUILD_CREATE, resumes."""

from __future__ import annotations

import asyncio

import discord
from discord.gateway import DiscordWebSocket
from discord.http import Route

from tests.fakes.discord.clients import patched_discord_base, running_bot
from tests.fakes.discord.rig import FakeDiscord
from tests.integration.discord_rig.discord_rig_support import RigBot


async def test_bot_logs_in_and_sees_the_configured_guild(fake: FakeDiscord, bot: RigBot) -> None:
    guild = bot.get_guild(fake.guild.guild_id)

    assert guild is not None and not guild.unavailable
    assert {c.name for c in guild.text_channels} == {"general", "announcements", "matches"}
    assert guild.me.id == fake.application_id
    assert guild.me.guild_permissions.manage_threads
    assert not guild.me.guild_permissions.administrator
    assert {m.name for m in guild.members} == {"owner", "player", "LLMFed"}
    assert bot.application_id == fake.application_id
    assert fake.identify_payloads[0]["intents"] == bot.intents.value
    assert fake.requests_matching("GET", "/users/@me")[0].headers["Authorization"] == (
        f"Bot {fake.token}"
    )


async def test_gateway_uses_zlib_stream_when_the_client_asks(
    fake: FakeDiscord, bot: RigBot
) -> None:
    assert fake.gateway_queries[0]["compress"] == "zlib-stream"
    assert fake.gateway_queries[0]["encoding"] == "json"
    assert bot.is_ready()


async def test_member_query_goes_over_the_gateway(fake: FakeDiscord, bot: RigBot) -> None:
    guild = bot.get_guild(fake.guild.guild_id)
    assert guild is not None

    found = await guild.query_members(query="pla")

    requests = [m for m in fake.gateway_messages if m["op"] == 8]
    assert [m.name for m in found] == ["player"]
    assert requests[-1]["d"]["query"] == "pla"


async def test_reconnect_resumes_the_session_and_replays_nothing_twice(
    fake: FakeDiscord, bot: RigBot
) -> None:
    await fake.request_reconnect()
    await fake.wait_for_resume()
    reaction = await _react_and_wait(fake, bot)

    assert len(fake.identify_payloads) == 1
    assert [m["op"] for m in fake.gateway_messages].count(6) == 1
    assert reaction.emoji.name == "🔥"


async def test_wrong_token_is_refused_like_discord() -> None:
    async with FakeDiscord(token="right") as server:
        client = discord.Client(intents=discord.Intents.none())
        with patched_discord_base(server.api_base):
            try:
                await client.login("wrong")
            except discord.LoginFailure:
                refused = True
            else:
                refused = False
            finally:
                await client.close()

    assert refused


async def _react_and_wait(fake: FakeDiscord, bot: RigBot) -> discord.RawReactionActionEvent:
    channel_id = fake.guild.channel_ids["general"]
    posted = await fake.post_user_message(channel_id, fake.guild.owner, "vote here")
    await fake.add_user_reaction(channel_id, posted["id"], fake.guild.player["id"], "🔥")
    return await asyncio.wait_for(bot.reactions.get(), 5)


async def test_rest_lookups_and_gateway_url(fake: FakeDiscord, bot: RigBot) -> None:
    general = await bot.fetch_channel(fake.guild.channel_ids["general"])
    guild = await bot.fetch_guild(fake.guild.guild_id)
    member = await guild.fetch_member(int(fake.guild.player["id"]))
    _, url, _ = await bot.http.get_bot_gateway()

    assert general.name == "general"  # type: ignore[union-attr]
    assert guild.name == "LLMFed Dev"
    assert member.name == "player"
    assert url == fake.gateway_url


def test_patched_discord_base_restores_the_defaults() -> None:
    before = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)

    with patched_discord_base("http://127.0.0.1:9/api/v10"):
        inside = (Route.BASE, str(DiscordWebSocket.DEFAULT_GATEWAY))

    assert inside == ("http://127.0.0.1:9/api/v10", "ws://127.0.0.1:9/gateway")
    assert before == (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)


async def test_uncompressed_gateway_frames_are_accepted_too() -> None:
    async with FakeDiscord(gateway_compression=False) as server:
        client = RigBot(server.guild.guild_id)
        async with running_bot(server, client):
            ready = client.get_guild(server.guild.guild_id) is not None

    assert ready and server.gateway_queries[0]["compress"] == "zlib-stream"
