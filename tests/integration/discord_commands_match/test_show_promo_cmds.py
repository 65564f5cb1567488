"""/promo, /show and /promoter through the real CommandTree."""

from __future__ import annotations

from engine.models import HintScope, MatchStatus, ShowStatus
from tests.fakes.discord.payloads_interactions import option
from tests.integration.discord_commands_core.core_support import (
    content,
    embed,
    field,
    is_ephemeral,
)
from tests.integration.discord_commands_match.match_support import League, MatchHarness


def _fed(league: League) -> object:
    return option("federation", str(league.federation.id))


async def test_promo_book_on_a_show(h: MatchHarness, league: League) -> None:
    body = await h.run(
        h.player,
        "promo",
        "book",
        _fed(league),
        option("a", str(league.atlas.id)),
        option("b", str(league.kid.id)),
        option("rounds", 2),
        option("show", str(league.show.id)),
    )

    assert embed(body)["title"].endswith("Atlas Grimm & Kid Nova")
    (segment,) = (await h.app.repos.shows.get(league.show.id)).card
    promo = await h.app.repos.shows.get_promo(segment.promo_id or 0)
    assert promo.rounds == 2


async def test_promo_book_refusals(h: MatchHarness, league: League) -> None:
    stranger = await h.run(
        h.stranger(),
        "promo",
        "book",
        _fed(league),
        option("a", str(league.atlas.id)),
        option("b", str(league.kid.id)),
    )
    same = await h.run(
        h.player,
        "promo",
        "book",
        _fed(league),
        option("a", str(league.atlas.id)),
        option("b", str(league.atlas.id)),
    )

    assert is_ephemeral(stranger) and "Only the owner" in content(stranger)
    assert is_ephemeral(same) and "two different wrestlers" in content(same)


async def test_show_create_and_card(h: MatchHarness, league: League) -> None:
    body = await h.run(
        h.player,
        "show",
        "create",
        _fed(league),
        option("name", " Friday  Fury "),
        option("day", 4),
        option("time", "20:30"),
        option("timezone", "Europe/London"),
    )

    card = embed(body)
    assert card["title"] == "Friday Fury · Alpha Wrestling"
    assert field(card, "When") == "Fridays at 20:30 (Europe/London)"
    show = await h.app.repos.shows.by_name(league.federation.id, "friday fury")
    assert show is not None and show.channel_id == h.fake.guild.channel_ids["general"]


async def test_show_create_bad_input(h: MatchHarness, league: League) -> None:
    bad_time = await h.run(
        h.player,
        "show",
        "create",
        _fed(league),
        option("name", "Late Show"),
        option("day", 1),
        option("time", "25:00"),
    )
    bad_zone = await h.run(
        h.player,
        "show",
        "create",
        _fed(league),
        option("name", "Late Show"),
        option("day", 1),
        option("time", "22:00"),
        option("timezone", "Mars/Olympus"),
    )
    stranger = await h.run(
        h.stranger(),
        "show",
        "create",
        _fed(league),
        option("name", "Late Show"),
        option("day", 1),
        option("time", "22:00"),
    )

    assert is_ephemeral(bad_time) and "HH:MM" in content(bad_time)
    assert is_ephemeral(bad_zone) and "Unknown timezone" in content(bad_zone)
    assert is_ephemeral(stranger) and "Only the owner" in content(stranger)
    assert await h.app.repos.shows.by_name(league.federation.id, "Late Show") is None


async def test_timezone_autocomplete(h: MatchHarness, league: League) -> None:
    call = await h.send(
        h.autocomplete(h.player, "show", "create", option("timezone", "europe/lon", focused=True))
    )

    assert {"name": "Europe/London", "value": "Europe/London"} in call.json["data"]["choices"]


async def test_show_run_plays_the_card(h: MatchHarness, league: League) -> None:
    await h.app.matches.book(
        league.federation.id, league.atlas.id, league.ruby.id, show_id=league.show.id
    )
    await h.app.promos.book(
        league.federation.id, (league.kid.id, league.ruby.id), 1, league.show.id
    )

    body = await h.run(h.player, "show", "run", option("show", str(league.show.id)))
    await h.idle()

    assert "on the air" in content(body)
    show = await h.app.repos.shows.get(league.show.id)
    # A weekly show airs and is scheduled again, rated, with next week's card still to book.
    assert show.status is ShowStatus.SCHEDULED and show.rating is not None
    assert show.card == ()
    played = await h.app.repos.matches.list(league.federation.id)
    assert [m.status for m in played if m.show_id == league.show.id] == [MatchStatus.FINISHED]
    last = h.fake.channel_messages(h.fake.guild.channel_ids["general"])[-1]
    assert last["content"] == "The show is over."


async def test_show_run_refuses_an_empty_card(h: MatchHarness, league: League) -> None:
    body = await h.run(h.player, "show", "run", option("show", str(league.show.id)))

    assert is_ephemeral(body) and "empty card" in content(body)


async def test_show_cancel_cancels_unplayed_segments(h: MatchHarness, league: League) -> None:
    match = await h.app.matches.book(
        league.federation.id, league.atlas.id, league.ruby.id, show_id=league.show.id
    )
    payload = h.slash(h.player, "show", "cancel", option("show", str(league.show.id)))
    await h.send(payload)
    message = h.fake.message(h.fake.interaction(payload["id"]).original_message_id or "")
    confirm_id = message["components"][0]["components"][0]["custom_id"]

    pressed = await h.send(h.player.button(confirm_id, message))

    assert "is cancelled" in pressed.json["data"]["content"]
    assert (await h.app.repos.shows.get(league.show.id)).status is ShowStatus.CANCELLED
    assert (await h.app.repos.matches.get(match.id)).status is MatchStatus.CANCELLED


async def test_show_cancel_refuses_a_stranger(h: MatchHarness, league: League) -> None:
    body = await h.run(h.stranger(), "show", "cancel", option("show", str(league.show.id)))

    assert is_ephemeral(body) and "Only the owner" in content(body)


async def test_promoter_hint_on_a_wrestler(h: MatchHarness, league: League) -> None:
    body = await h.run(
        h.player,
        "promoter",
        "hint",
        option("scope", "wrestler"),
        option("target", str(league.ruby.id)),
        option("text", "Play dirty @everyone"),
        option("days", 7),
    )

    assert is_ephemeral(body) and embed(body)["title"] == "Hint for wrestler Ruby Vex"
    (hint,) = await h.app.repos.hints.list(league.federation.id)
    assert hint.scope is HintScope.WRESTLER and hint.target_id == league.ruby.id
    assert "@everyone" not in hint.text  # stored defused
    assert hint.expires_at is not None


async def test_promoter_hint_refusals(h: MatchHarness, league: League) -> None:
    stranger = await h.run(
        h.stranger(),
        "promoter",
        "hint",
        option("scope", "federation"),
        option("target", str(league.federation.id)),
        option("text", "x"),
    )
    foreign = await h.run(
        h.other_guild(),
        "promoter",
        "hint",
        option("scope", "wrestler"),
        option("target", str(league.ruby.id)),
        option("text", "x"),
    )
    blank = await h.run(
        h.player,
        "promoter",
        "hint",
        option("scope", "show"),
        option("target", str(league.show.id)),
        option("text", "   "),
    )
    not_id = await h.run(
        h.player,
        "promoter",
        "hint",
        option("scope", "match"),
        option("target", "Atlas"),
        option("text", "go long"),
    )

    assert is_ephemeral(stranger) and "Only the owner" in content(stranger)
    assert is_ephemeral(foreign) and "no longer exists" in content(foreign)
    assert is_ephemeral(blank) and "empty" in content(blank)
    assert is_ephemeral(not_id) and "from the list" in content(not_id)
    assert await h.app.repos.hints.list(league.federation.id) == []


async def test_hint_target_autocomplete_follows_the_scope(h: MatchHarness, league: League) -> None:
    call = await h.send(
        h.autocomplete(
            h.player,
            "promoter",
            "hint",
            option("scope", "show"),
            option("target", "mon", focused=True),
        )
    )

    assert [c["value"] for c in call.json["data"]["choices"]] == [str(league.show.id)]
