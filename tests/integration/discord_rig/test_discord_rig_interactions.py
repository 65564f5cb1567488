"""Application commands through the fake: sync, slash commands, autocomplete, components."""

from __future__ import annotations

import discord

from tests.fakes.discord.clients import feed_interaction, logged_in_client
from tests.fakes.discord.payloads_interactions import (
    option,
    subcommand,
    subcommand_group,
    user_option,
)
from tests.fakes.discord.rig import FakeDiscord
from tests.fakes.discord.wire import RecordedRequest
from tests.integration.discord_rig.discord_rig_support import RigBot, make_rig_bot


async def _sync(fake: FakeDiscord, bot: RigBot) -> list[discord.app_commands.AppCommand]:
    return await bot.tree.sync(guild=bot.dev_guild)


async def _callback(fake: FakeDiscord, payload: dict) -> RecordedRequest:
    await fake.dispatch("INTERACTION_CREATE", payload)
    return await fake.wait_for_request("POST", rf"/interactions/{payload['id']}/[^/]+/callback")


async def test_sync_puts_the_group_cog_to_the_dev_guild(fake: FakeDiscord, bot: RigBot) -> None:
    synced = await _sync(fake, bot)

    put = fake.requests_matching("PUT", rf"/applications/{fake.application_id}/guilds/\d+/commands")
    assert put[0].path.endswith(f"/guilds/{fake.guild.guild_id}/commands")
    (ping,) = put[0].json
    assert ping["name"] == "ping"
    options = {o["name"]: o for o in ping["options"]}
    assert options["pong"]["type"] == 1
    assert options["pong"]["options"][0] == options["pong"]["options"][0] | {
        "name": "text",
        "type": 3,
        "required": True,
        "autocomplete": True,
    }
    assert options["admin"]["type"] == 2
    assert [o["name"] for o in options["admin"]["options"]] == ["reset"]
    assert [c.id for c in synced] == [fake.command_id("ping", fake.guild.guild_id)]
    assert fake.commands() == []


async def test_resync_keeps_command_ids(fake: FakeDiscord, bot: RigBot) -> None:
    first = await _sync(fake, bot)
    second = await _sync(fake, bot)

    assert [c.id for c in first] == [c.id for c in second]


async def test_slash_subcommand_replies_with_a_channel_message(
    fake: FakeDiscord, bot: RigBot
) -> None:
    payload = fake.interactions.slash(
        "ping",
        subcommand("pong", option("text", "hello")),
        command_guild_id=fake.guild.guild_id,
        command_id=fake.ids.next(),
    )

    call = await _callback(fake, payload)

    assert call.json["type"] == 4
    assert call.json["data"]["content"] == "pong: hello"
    assert call.json["data"]["components"][0]["components"][0]["custom_id"] == "ping:again"
    assert call.query["with_response"] in ("1", "true")
    original = fake.message(fake.interaction(payload["id"]).original_message_id or "")
    assert original["content"] == "pong: hello"
    history = fake.channel_messages(fake.guild.channel_ids["general"])
    assert [m["content"] for m in history] == ["pong: hello"]


async def test_command_error_is_an_ephemeral_reply(fake: FakeDiscord, bot: RigBot) -> None:
    payload = fake.interactions.slash(
        "ping", subcommand("pong", option("text", "fail")), command_guild_id=fake.guild.guild_id
    )

    call = await _callback(fake, payload)

    assert call.json["type"] == 4
    assert call.json["data"]["flags"] & 64
    assert "the rig was told to fail" in call.json["data"]["content"]
    assert fake.channel_messages(fake.guild.channel_ids["general"]) == []
    general = fake.channel_messages(fake.guild.channel_ids["general"], include_ephemeral=True)
    assert len(general) == 1


async def test_autocomplete_answers_with_choices(fake: FakeDiscord, bot: RigBot) -> None:
    payload = fake.interactions.autocomplete(
        "ping",
        subcommand("pong", option("text", "ce", focused=True)),
        command_guild_id=fake.guild.guild_id,
    )

    call = await _callback(fake, payload)

    assert call.json == {
        "type": 8,
        "data": {"choices": [{"name": "ce1", "value": "ce1"}, {"name": "ce2", "value": "ce2"}]},
    }


async def test_button_click_updates_the_message(fake: FakeDiscord, bot: RigBot) -> None:
    command = fake.interactions.slash(
        "ping", subcommand("pong", option("text", "hi")), command_guild_id=fake.guild.guild_id
    )
    await _callback(fake, command)
    message_id = fake.interaction(command["id"]).original_message_id or ""
    click = fake.interactions.as_user(fake.guild.owner).button(
        "ping:again", fake.message(message_id)
    )

    call = await _callback(fake, click)

    assert call.json["type"] == 7
    assert fake.message(message_id)["content"] == "again by owner"
    assert fake.message(message_id)["components"] == []


async def test_subcommand_group_with_resolved_member(fake: FakeDiscord, bot: RigBot) -> None:
    player = fake.guild.player
    payload = fake.interactions.as_user(fake.guild.owner).slash(
        "ping",
        subcommand_group(
            "admin",
            subcommand(
                "reset", user_option("member", player, member_data=fake.guild.member(player["id"]))
            ),
        ),
        command_guild_id=fake.guild.guild_id,
    )

    call = await _callback(fake, payload)

    assert call.json["data"]["content"] == "reset player in LLMFed Dev (manage_guild=True)"
    assert call.json["data"]["flags"] == 64


async def test_modal_round_trip(fake: FakeDiscord, bot: RigBot) -> None:
    opened = await _callback(
        fake,
        fake.interactions.slash(
            "ping", subcommand("feedback"), command_guild_id=fake.guild.guild_id
        ),
    )
    assert opened.json["type"] == 9
    modal_id = opened.json["data"]["custom_id"]

    submitted = await _callback(
        fake, fake.interactions.modal_submit(modal_id, {"comment": "great"})
    )

    assert submitted.json["data"] == submitted.json["data"] | {
        "content": "thanks: great",
        "flags": 64,
    }


async def test_deferred_command_opens_a_thread_and_follows_up(
    fake: FakeDiscord, bot: RigBot
) -> None:
    general = fake.guild.channel_ids["general"]
    payload = fake.interactions.slash(
        "ping", subcommand("thread", option("title", "x")), command_guild_id=fake.guild.guild_id
    )

    call = await _callback(fake, payload)
    followup = await fake.wait_for_request("POST", rf"/webhooks/{fake.application_id}/[^/]+")

    assert call.json["type"] == 5
    (thread,) = fake.threads(general)
    deferred, starter = fake.channel_messages(general)
    assert starter["content"] == "Match: x" and thread["id"] == starter["id"]
    assert [m["content"] for m in fake.channel_messages(thread["id"])] == ["The bell rings!"]
    assert thread["thread_metadata"]["archived"] is True
    patch = fake.requests_matching("PATCH", rf"/channels/{thread['id']}")
    assert patch[0].json["archived"] is True
    # Discord turns the first followup after a defer into the deferred ("thinking") message.
    assert followup.json["content"] == f"thread {thread['id']} ready"
    assert deferred["content"] == followup.json["content"]
    assert deferred["flags"] & 128 == 0


async def test_unknown_interaction_callback_is_rejected(fake: FakeDiscord, bot: RigBot) -> None:
    payload = fake.interactions.slash("ping", subcommand("pong", option("text", "a")))
    del payload["data"]  # never dispatched: the fake has not seen this interaction
    channel = bot.get_channel(fake.guild.channel_ids["general"])
    assert isinstance(channel, discord.TextChannel)

    async with bot.http._HTTPClient__session.post(  # type: ignore[attr-defined]
        f"{fake.api_base}/interactions/{payload['id']}/{payload['token']}/callback",
        json={"type": 4, "data": {"content": "x"}},
    ) as response:
        body = await response.json()

    assert response.status == 404 and body["code"] == 10062


async def test_in_process_feed_without_the_websocket(fake: FakeDiscord) -> None:
    client = make_rig_bot(fake.guild.guild_id)
    async with logged_in_client(fake, client):
        payload = fake.interactions.slash(
            "ping",
            subcommand("pong", option("text", "direct")),
            command_guild_id=fake.guild.guild_id,
        )
        feed_interaction(fake, client, payload)
        call = await fake.wait_for_request("POST", rf"/interactions/{payload['id']}/.+/callback")

    assert call.json["data"]["content"] == "pong: direct"
    assert fake.gateway_queries == []


async def test_original_response_edit_followup_and_delete(fake: FakeDiscord, bot: RigBot) -> None:
    payload = fake.interactions.slash("anything")
    fake.register_interaction(payload)
    interaction = discord.Interaction(data=payload, state=bot._connection)  # type: ignore[arg-type]

    await interaction.response.send_message("first")
    await interaction.edit_original_response(content="edited")
    hidden = await interaction.followup.send("only you", ephemeral=True, wait=True)
    original = await interaction.original_response()
    await interaction.delete_original_response()

    assert original.content == "edited"
    assert fake.message(hidden.id)["flags"] & 64
    record = fake.interaction(payload["id"])
    assert record.followup_ids == [str(hidden.id)]
    assert fake.channel_messages(fake.guild.channel_ids["general"]) == []
    assert (
        fake.requests_matching(
            "DELETE", rf"/webhooks/{fake.application_id}/[^/]+/messages/@original"
        )[0].status
        == 204
    )


async def test_second_response_is_refused_like_discord(fake: FakeDiscord, bot: RigBot) -> None:
    payload = fake.interactions.slash("anything")
    fake.register_interaction(payload)
    first = discord.Interaction(data=payload, state=bot._connection)  # type: ignore[arg-type]
    second = discord.Interaction(data=payload, state=bot._connection)  # type: ignore[arg-type]
    await first.response.send_message("one")

    try:
        await second.response.send_message("two")
    except discord.HTTPException as exc:
        refused_code = exc.code
    else:
        refused_code = 0

    assert refused_code == 40060


async def test_invalid_command_definitions_are_rejected(fake: FakeDiscord, bot: RigBot) -> None:
    bad = [{"name": "Bad Name", "description": "", "type": 1}]

    try:
        await bot.http.bulk_upsert_guild_commands(fake.application_id, fake.guild.guild_id, bad)
    except discord.HTTPException as exc:
        code = exc.code
    else:
        code = 0

    assert code == 50035
    assert fake.commands(fake.guild.guild_id) == []
