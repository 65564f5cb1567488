"""/wrestler and /title through the real CommandTree."""

from __future__ import annotations

from tests.fakes.discord.payloads_interactions import option
from tests.integration.discord_commands_core.core_support import (
    Harness,
    content,
    embed,
    field,
    is_ephemeral,
)


async def _federation(h: Harness, owner_id: int | None = None) -> int:
    owner = owner_id if owner_id is not None else int(h.fake.guild.player["id"])
    return (await h.app.league.create_federation(h.guild_id, "Card Fed", owner)).id


async def _create(h: Harness, federation_id: int, name: str = "Iron Mike") -> dict:
    return await h.run(
        h.player,
        "wrestler",
        "create",
        option("federation", str(federation_id)),
        option("name", name),
        option("gimmick", "A steelworker"),
        option("alignment", "heel"),
        option("style", "powerhouse"),
        option("finisher", "Girder Drop"),
    )


async def test_wrestler_create_shows_the_card_with_stat_bars(h: Harness) -> None:
    federation_id = await _federation(h, owner_id=1)

    body = await _create(h, federation_id)

    card = embed(body)
    assert card["title"] == "Iron Mike" and not is_ephemeral(body)
    assert "`POWE` ███████░░░ 70" in field(card, "Stats")
    assert field(card, "Record") == "0-0-0"
    assert field(card, "Finisher") == "Girder Drop"
    (wrestler,) = await h.app.repos.wrestlers.list(federation_id)
    assert wrestler.owner_user_id == int(h.fake.guild.player["id"])
    assert wrestler.alignment.value == "heel" and wrestler.stats.power == 70


async def test_wrestler_create_refuses_bad_names_and_duplicates(h: Harness) -> None:
    federation_id = await _federation(h)
    await _create(h, federation_id)

    duplicate = await _create(h, federation_id, "iron mike")
    too_long = await _create(h, federation_id, "x" * 41)

    assert is_ephemeral(duplicate) and "already exists" in content(duplicate)
    assert is_ephemeral(too_long) and "3-40" in content(too_long)
    assert len(await h.app.repos.wrestlers.list(federation_id)) == 1


async def test_wrestler_info_and_list(h: Harness) -> None:
    federation_id = await _federation(h)
    await _create(h, federation_id, "Iron Mike")
    await _create(h, federation_id, "Velvet Rope")
    velvet = await h.app.repos.wrestlers.by_name(federation_id, "Velvet Rope")
    assert velvet is not None

    info = await h.run(h.stranger(), "wrestler", "info", option("wrestler", str(velvet.id)))
    by_name = await h.run(h.stranger(), "wrestler", "info", option("wrestler", "velvet rope"))
    listed = await h.run(h.stranger(), "wrestler", "list")

    assert embed(info)["title"] == "Velvet Rope"
    assert embed(by_name)["title"] == "Velvet Rope"
    assert "Iron Mike" in embed(listed)["description"]
    assert "Velvet Rope" in embed(listed)["description"]


async def test_wrestler_of_another_server_is_not_found(h: Harness) -> None:
    other = await h.app.league.create_federation(h.fake.guilds[1].guild_id, "Far Away", 1)
    wrestler = await h.app.league.create_wrestler(other.id, "Distant Star", 1)

    body = await h.run(h.player, "wrestler", "info", option("wrestler", str(wrestler.id)))

    assert is_ephemeral(body) and "belongs to another server" in content(body)


async def test_wrestler_edit_by_owner_and_refusal_for_others(h: Harness) -> None:
    federation_id = await _federation(h, owner_id=1)
    await _create(h, federation_id)
    (wrestler,) = await h.app.repos.wrestlers.list(federation_id)

    refused = await h.run(
        h.stranger(),
        "wrestler",
        "edit",
        option("wrestler", str(wrestler.id)),
        option("alignment", "face"),
    )
    edited = await h.run(
        h.player,
        "wrestler",
        "edit",
        option("wrestler", str(wrestler.id)),
        option("alignment", "face"),
        option("controller", "player"),
    )
    bad_model = await h.run(
        h.player,
        "wrestler",
        "edit",
        option("wrestler", str(wrestler.id)),
        option("model", "gpt-17"),
    )

    assert is_ephemeral(refused) and "Only the player who created" in content(refused)
    assert not is_ephemeral(edited) and "offline policy" in content(edited)
    assert is_ephemeral(bad_model) and "Unknown model" in content(bad_model)
    stored = await h.app.repos.wrestlers.get(wrestler.id)
    assert stored.alignment.value == "face" and stored.controller.value == "player"
    assert stored.llm.model is None


async def test_wrestler_autocomplete_lists_this_servers_wrestlers(h: Harness) -> None:
    federation_id = await _federation(h)
    await _create(h, federation_id, "Iron Mike")
    other = await h.app.league.create_federation(h.fake.guilds[1].guild_id, "Far Away", 1)
    await h.app.league.create_wrestler(other.id, "Iron Distant", 1)

    call = await h.send(
        h.autocomplete(h.player, "wrestler", "info", option("wrestler", "iron", focused=True))
    )

    assert [c["name"] for c in call.json["data"]["choices"]] == ["Iron Mike"]


async def test_title_create_is_for_promoters_and_info_shows_the_champion(h: Harness) -> None:
    federation_id = await _federation(h, owner_id=1)

    refused = await h.run(
        h.player,
        "title",
        "create",
        option("federation", str(federation_id)),
        option("name", "World Title"),
    )
    created = await h.run(
        h.owner,
        "title",
        "create",
        option("federation", str(federation_id)),
        option("name", "World Title"),
    )
    (title,) = await h.app.repos.titles.list(federation_id)
    info = await h.run(h.player, "title", "info", option("title", str(title.id)))
    missing = await h.run(h.player, "title", "info", option("title", "No Such Belt"))

    assert is_ephemeral(refused) and "Manage Server" in content(refused)
    assert embed(created)["title"] == "World Title"
    assert field(embed(info), "Champion") == "vacant"
    assert is_ephemeral(missing) and "no longer exists" in content(missing)


async def test_help_lists_every_command_group(h: Harness) -> None:
    body = await h.run(h.player, "help", None)

    card = embed(body)
    names = {f["name"] for f in card["fields"]}
    assert is_ephemeral(body)
    assert {"/federation", "/wrestler", "/title", "/help"} <= names
    assert "/federation create name [description] [tier]" in field(card, "/federation")


async def test_admin_sync_is_for_the_application_owner_only(h: Harness) -> None:
    body = await h.run(h.player, "admin", "sync")

    assert is_ephemeral(body) and "owner of this bot" in content(body)
