"""/federation through the real CommandTree: happy paths, refusals, bad input, guild scope."""

from __future__ import annotations

from tests.fakes.discord.payloads_interactions import channel_option, option
from tests.integration.discord_commands_core.core_support import (
    Harness,
    content,
    embed,
    field,
    is_ephemeral,
)


async def _create(h: Harness, name: str = "Alpha Wrestling", **extra: object) -> int:
    options = [option("name", name)] + [option(k, v) for k, v in extra.items()]
    body = await h.run(h.player, "federation", "create", *options)
    assert body["type"] == 4, body
    federation = await h.app.repos.federations.by_name(h.guild_id, name)
    assert federation is not None
    return federation.id


async def test_create_makes_the_caller_owner_and_shows_the_card(h: Harness) -> None:
    body = await h.run(
        h.player,
        "federation",
        "create",
        option("name", "  Alpha   Wrestling "),
        option("description", "Hard hitting"),
        option("tier", "regional"),
    )

    assert body["type"] == 4 and not is_ephemeral(body)
    card = embed(body)
    assert card["title"] == "Alpha Wrestling"
    assert field(card, "Tier") == "Regional"
    assert field(card, "Owner") == f"<@{h.fake.guild.player['id']}>"
    assert body["data"]["allowed_mentions"] == {"parse": []}
    (federation,) = await h.app.repos.federations.list(h.guild_id)
    assert federation.owner_user_id == int(h.fake.guild.player["id"])
    assert federation.announce_channel_id == h.fake.guild.channel_ids["general"]


async def test_create_refuses_a_duplicate_name_ephemerally(h: Harness) -> None:
    await _create(h)

    body = await h.run(h.owner, "federation", "create", option("name", "alpha wrestling"))

    assert is_ephemeral(body)
    assert "already exists" in content(body)
    assert len(await h.app.repos.federations.list(h.guild_id)) == 1


async def test_create_refuses_short_names_and_mentions(h: Harness) -> None:
    short = await h.run(h.player, "federation", "create", option("name", " ab "))
    mention = await h.run(h.player, "federation", "create", option("name", "@everyone rules"))

    assert is_ephemeral(short) and "3-40 characters" in content(short)
    assert is_ephemeral(mention) and "mentions" in content(mention)
    assert await h.app.repos.federations.list(h.guild_id) == []


async def test_markdown_in_names_is_escaped_when_echoed(h: Harness) -> None:
    body = await h.run(h.player, "federation", "create", option("name", "**Bold** _Fed_"))

    assert "\\*\\*Bold\\*\\* \\_Fed\\_" in content(body)


async def test_info_defaults_to_the_only_federation(h: Harness) -> None:
    await _create(h)

    body = await h.run(h.stranger(), "federation", "info")

    assert embed(body)["title"] == "Alpha Wrestling"


async def test_info_without_any_federation_says_how_to_start(h: Harness) -> None:
    body = await h.run(h.player, "federation", "info")

    assert is_ephemeral(body) and "/federation create" in content(body)


async def test_info_of_a_federation_of_another_server_is_not_found(h: Harness) -> None:
    federation_id = await _create(h)

    other = h.other_guild()
    payload = other.slash("federation", *[_sub("info", option("federation", str(federation_id)))])
    body = (await h.send(payload)).json

    assert is_ephemeral(body)
    assert "no longer exists (or belongs to another server)" in content(body)


async def test_list_shows_every_federation_of_this_server_only(h: Harness) -> None:
    await _create(h, "Alpha Wrestling")
    await _create(h, "Beta Wrestling")

    body = await h.run(h.player, "federation", "list")

    description = embed(body)["description"]
    assert "Alpha Wrestling" in description and "Beta Wrestling" in description


async def test_owner_edits_and_channel_is_stored(h: Harness) -> None:
    federation_id = await _create(h)
    announcements = h.fake.guild.channel("announcements")

    body = await h.run(
        h.player,
        "federation",
        "edit",
        option("federation", str(federation_id)),
        option("name", "Alpha Pro"),
        channel_option("channel", announcements),
    )

    assert not is_ephemeral(body)
    updated = await h.app.repos.federations.get(federation_id)
    assert updated.name == "Alpha Pro"
    assert updated.announce_channel_id == int(announcements["id"])


async def test_manage_server_member_may_edit_a_federation_they_do_not_own(h: Harness) -> None:
    federation_id = await _create(h)

    body = await h.run(
        h.owner,
        "federation",
        "edit",
        option("federation", str(federation_id)),
        option("tier", "global"),
    )

    assert not is_ephemeral(body)
    assert (await h.app.repos.federations.get(federation_id)).tier.value == "global"


async def test_stranger_may_not_edit(h: Harness) -> None:
    federation_id = await _create(h)

    body = await h.run(
        h.stranger(),
        "federation",
        "edit",
        option("federation", str(federation_id)),
        option("name", "Stolen"),
    )

    assert is_ephemeral(body) and "Manage Server" in content(body)
    assert (await h.app.repos.federations.get(federation_id)).name == "Alpha Wrestling"


async def test_edit_with_nothing_to_change_is_refused(h: Harness) -> None:
    federation_id = await _create(h)

    body = await h.run(h.player, "federation", "edit", option("federation", str(federation_id)))

    assert is_ephemeral(body) and "Nothing to change" in content(body)


async def test_unknown_tier_value_is_a_clear_error(h: Harness) -> None:
    body = await h.run(
        h.player, "federation", "create", option("name", "Tiered"), option("tier", "galactic")
    )

    assert is_ephemeral(body) and "Unknown tier" in content(body)


async def test_autocomplete_is_guild_scoped_and_fuzzy(h: Harness) -> None:
    await _create(h, "Alpha Wrestling")
    await _create(h, "Beta Wrestling")
    await h.app.league.create_federation(h.fake.guilds[1].guild_id, "Alpha Elsewhere", 1)

    prefix = await h.send(
        h.autocomplete(h.player, "federation", "info", option("federation", "alp", focused=True))
    )
    typo = await h.send(
        h.autocomplete(
            h.player, "federation", "info", option("federation", "Btea Wrestling", focused=True)
        )
    )

    assert prefix.json["type"] == 8
    assert [c["name"] for c in prefix.json["data"]["choices"]] == ["Alpha Wrestling"]
    typo_names = [c["name"] for c in typo.json["data"]["choices"]]
    assert typo_names[0] == "Beta Wrestling"
    assert "Alpha Elsewhere" not in typo_names


def _sub(name: str, *options: object) -> object:
    from tests.fakes.discord.payloads_interactions import subcommand

    return subcommand(name, *options)  # type: ignore[arg-type]
