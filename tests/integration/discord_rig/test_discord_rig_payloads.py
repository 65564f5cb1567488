"""The payload builders produce data discord.py's own parsers accept and read correctly."""

from __future__ import annotations

import asyncio

import discord

from tests.fakes.discord.payloads_core import (
    MEMBER_PERMISSIONS,
    Permission,
    Snowflakes,
    has_permission,
    permission_string,
    snowflake_time,
)
from tests.fakes.discord.payloads_guild import dev_guild, user
from tests.fakes.discord.payloads_interactions import (
    channel_option,
    option,
    role_option,
    subcommand,
    user_option,
)
from tests.fakes.discord.rig import FakeDiscord
from tests.integration.discord_rig.discord_rig_support import RigBot


def test_snowflakes_increase_and_instances_are_independent() -> None:
    first, second = Snowflakes(), Snowflakes()

    ids = [first.next() for _ in range(3)]

    assert ids == sorted(set(ids))
    assert second.next() == ids[0]
    assert snowflake_time(ids[1]) > snowflake_time(ids[0])


def test_permission_helpers() -> None:
    assert permission_string(Permission.MANAGE_GUILD, Permission.ADMINISTRATOR) == str(
        (1 << 5) | (1 << 3)
    )
    assert has_permission(str(int(Permission.ADMINISTRATOR)), Permission.MANAGE_GUILD)
    assert not has_permission(int(MEMBER_PERMISSIONS), Permission.MANAGE_GUILD)


async def test_guild_interaction_parses_member_options_and_permissions(
    fake: FakeDiscord, bot: RigBot
) -> None:
    guild = fake.guild
    matches = guild.channel("matches")
    promoter = next(r for r in guild.payload["roles"] if r["name"] == "Promoter")
    payload = (
        fake.interactions.as_user(guild.owner)
        .in_channel("matches")
        .slash(
            "ping",
            subcommand(
                "pong",
                option("text", "x"),
                option("count", 3),
                option("ratio", 0.5),
                option("loud", True),
                user_option("who", guild.player, member_data=guild.member(guild.player["id"])),
                channel_option("where", matches),
                role_option("role", promoter),
            ),
        )
    )

    interaction = discord.Interaction(data=payload, state=bot._connection)  # type: ignore[arg-type]
    sent_types = [o["type"] for o in payload["data"]["options"][0]["options"]]

    assert isinstance(interaction.user, discord.Member)
    assert interaction.permissions.administrator  # the guild owner
    assert interaction.app_permissions.manage_threads
    assert interaction.channel is not None and interaction.channel.id == int(matches["id"])
    assert sent_types == [3, 4, 10, 5, 6, 7, 8]
    resolved = payload["data"]["resolved"]
    assert set(resolved) == {"users", "members", "channels", "roles"}
    assert interaction.locale is discord.Locale.american_english


async def test_dm_interaction_has_a_user_and_no_guild(fake: FakeDiscord, bot: RigBot) -> None:
    payload = fake.interactions.in_dm().as_user(fake.guild.player).slash("ping")

    interaction = discord.Interaction(data=payload, state=bot._connection)  # type: ignore[arg-type]

    assert "member" not in payload and payload["context"] == 1
    assert interaction.guild is None
    assert isinstance(interaction.user, discord.User)
    assert isinstance(interaction.channel, discord.DMChannel)


async def test_joining_a_new_guild_reaches_the_bot(fake: FakeDiscord, bot: RigBot) -> None:
    joined: asyncio.Queue[discord.Guild] = asyncio.Queue()

    async def on_guild_join(guild: discord.Guild) -> None:
        joined.put_nowait(guild)

    bot.add_listener(on_guild_join)
    second = dev_guild(fake.ids, bot_user=fake.bot_user, name="Second Fed")

    await fake.add_guild(second)
    guild = await asyncio.wait_for(joined.get(), 5)

    assert (guild.id, guild.name) == (second.guild_id, "Second Fed")
    assert guild.me is not None


def test_users_carry_bot_flag_only_for_bots() -> None:
    ids = Snowflakes()

    assert user(ids.next(), "LLMFed", bot=True)["bot"] is True
    assert "bot" not in user(ids.next(), "player")
