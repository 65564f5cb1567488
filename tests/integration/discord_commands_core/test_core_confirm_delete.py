"""Destructive commands: /federation delete and /wrestler release behind a ConfirmView."""

from __future__ import annotations

from tests.fakes.discord.payloads_interactions import InteractionBuilder, option
from tests.integration.discord_commands_core.core_support import Harness, content, is_ephemeral


async def _federation(h: Harness, *, with_wrestler: bool = False) -> int:
    player_id = int(h.fake.guild.player["id"])
    federation = await h.app.league.create_federation(h.guild_id, "Doomed Fed", player_id)
    if with_wrestler:
        await h.app.league.create_wrestler(federation.id, "Last Man", player_id)
    return federation.id


async def _prompt(h: Harness, builder: InteractionBuilder, *options: object) -> tuple[dict, dict]:
    payload = h.slash(builder, "federation", "delete", *options)  # type: ignore[arg-type]
    call = await h.send(payload)
    record = h.fake.interaction(payload["id"])
    return call.json, h.fake.message(record.original_message_id or "")


def _button(prompt: dict, label: str) -> str:
    buttons = [c for row in prompt["data"]["components"] for c in row["components"]]
    return next(b["custom_id"] for b in buttons if b["label"] == label)


async def _press(h: Harness, builder: InteractionBuilder, custom_id: str, message: dict) -> dict:
    return (await h.send(builder.button(custom_id, message))).json


async def test_confirmed_delete_removes_the_federation(h: Harness) -> None:
    federation_id = await _federation(h)
    prompt, message = await _prompt(h, h.player, option("federation", str(federation_id)))

    pressed = await _press(h, h.player, _button(prompt, "Confirm"), message)

    assert "Delete **Doomed Fed**" in content(prompt)
    assert pressed["type"] == 7 and "Deleted" in content(pressed)
    assert pressed["data"]["components"] == []
    assert await h.app.repos.federations.list(h.guild_id) == []


async def test_only_the_caller_can_press_the_buttons(h: Harness) -> None:
    federation_id = await _federation(h)
    prompt, message = await _prompt(h, h.player, option("federation", str(federation_id)))

    refused = await _press(h, h.owner, _button(prompt, "Confirm"), message)
    cancelled = await _press(h, h.player, _button(prompt, "Cancel"), message)

    assert is_ephemeral(refused) and "Only the person who ran the command" in content(refused)
    assert "Cancelled" in content(cancelled)
    assert len(await h.app.repos.federations.list(h.guild_id)) == 1


async def test_delete_refuses_while_wrestlers_remain_unless_forced(h: Harness) -> None:
    federation_id = await _federation(h, with_wrestler=True)
    prompt, message = await _prompt(h, h.player, option("federation", str(federation_id)))
    refused = await _press(h, h.player, _button(prompt, "Confirm"), message)

    assert "Nothing was changed" in content(refused) and "still has 1 wrestler" in content(refused)
    assert len(await h.app.repos.federations.list(h.guild_id)) == 1

    prompt, message = await _prompt(
        h, h.player, option("federation", str(federation_id)), option("force", True)
    )
    await _press(h, h.player, _button(prompt, "Confirm"), message)

    assert await h.app.repos.federations.list(h.guild_id) == []
    assert await h.app.repos.wrestlers.list_in_guild(h.guild_id) == []


async def test_stranger_cannot_even_ask_to_delete(h: Harness) -> None:
    federation_id = await _federation(h)

    body, _ = await _prompt(h, h.stranger(), option("federation", str(federation_id)))

    assert is_ephemeral(body) and "Manage Server" in content(body)
    assert "components" not in body["data"] or not body["data"]["components"]


async def test_release_a_wrestler_after_confirming(h: Harness) -> None:
    player_id = int(h.fake.guild.player["id"])
    federation = await h.app.league.create_federation(h.guild_id, "Home Fed", 999)
    wrestler = await h.app.league.create_wrestler(federation.id, "Short Stay", player_id)

    stranger = await h.run(
        h.stranger(), "wrestler", "release", option("wrestler", str(wrestler.id))
    )
    payload = h.slash(h.player, "wrestler", "release", option("wrestler", str(wrestler.id)))
    prompt = (await h.send(payload)).json
    message = h.fake.message(h.fake.interaction(payload["id"]).original_message_id or "")
    pressed = await _press(h, h.player, _button(prompt, "Confirm"), message)

    assert is_ephemeral(stranger) and "Only the player who created" in content(stranger)
    assert "released" in content(pressed)
    assert await h.app.repos.wrestlers.list(federation.id) == []
