"""/match through the real CommandTree: book, status, start, log, advance, cancel."""

from __future__ import annotations

import asyncio

from bot.live.matches import live_of
from engine.models import MatchStatus
from tests.fakes.discord.payloads_interactions import option
from tests.integration.discord_commands_core.core_support import (
    content,
    embed,
    field,
    is_ephemeral,
)
from tests.integration.discord_commands_match.match_support import League, MatchHarness


async def _book(h: MatchHarness, league: League, *extra: object) -> int:
    body = await h.run(
        h.player,
        "match",
        "book",
        option("federation", str(league.federation.id)),
        option("a", str(league.atlas.id)),
        option("b", str(league.ruby.id)),
        *extra,
    )  # type: ignore[arg-type]
    assert body["type"] == 4 and not is_ephemeral(body), body
    return max(m.id for m in await h.app.repos.matches.list(league.federation.id))


async def test_book_puts_a_title_match_on_the_show(h: MatchHarness, league: League) -> None:
    match_id = await _book(
        h,
        league,
        option("stipulation", "no_dq"),
        option("winner", str(league.ruby.id)),
        option("title", str(league.title.id)),
        option("show", str(league.show.id)),
    )

    match = await h.app.repos.matches.get(match_id)
    assert match.championship_id == league.title.id and match.booked_winner_id == league.ruby.id
    assert [s.match_id for s in (await h.app.repos.shows.get(league.show.id)).card] == [match_id]
    status = await h.run(h.player, "match", "status", option("match", str(match_id)))
    card = embed(status)
    assert card["title"] == f"Match #{match_id}: Atlas Grimm vs Ruby Vex"
    assert field(card, "Stipulation") == "no dq" and field(card, "Championship") == "World Title"


async def test_book_refuses_a_non_promoter_and_a_self_match(
    h: MatchHarness, league: League
) -> None:
    refused = await h.run(
        h.stranger(),
        "match",
        "book",
        option("federation", str(league.federation.id)),
        option("a", str(league.atlas.id)),
        option("b", str(league.ruby.id)),
    )
    same = await h.run(
        h.player,
        "match",
        "book",
        option("federation", str(league.federation.id)),
        option("a", str(league.atlas.id)),
        option("b", str(league.atlas.id)),
    )

    assert is_ephemeral(refused) and "Only the owner of Alpha Wrestling" in content(refused)
    assert is_ephemeral(same) and "cannot face themselves" in content(same)
    assert await h.app.repos.matches.list(league.federation.id) == []


async def test_other_servers_cannot_see_the_match(h: MatchHarness, league: League) -> None:
    match_id = await _book(h, league)

    body = await h.run(h.other_guild(), "match", "status", option("match", str(match_id)))

    assert is_ephemeral(body) and "no longer exists" in content(body)


async def test_advance_plays_ticks_and_log_pages_them(h: MatchHarness, league: League) -> None:
    match_id = await _book(h, league)
    payload = h.slash(
        h.player, "match", "advance", option("match", str(match_id)), option("ticks", 12)
    )

    call = await h.send(payload)
    followup = await h.followup(payload)

    assert call.json["type"] == 5  # deferred first
    assert "`  1`" in followup.json["embeds"][0]["description"]
    assert await h.app.repos.matches.tick_count(match_id) == 12
    page2 = await h.run(h.player, "match", "log", option("match", str(match_id)), option("page", 2))
    assert embed(page2)["title"].endswith("log page 2/2")
    assert embed(page2)["description"].startswith("` 11`")
    too_far = await h.run(
        h.player, "match", "log", option("match", str(match_id)), option("page", 3)
    )
    assert is_ephemeral(too_far) and "pick 1-2" in content(too_far)


async def test_advance_refuses_a_non_promoter(h: MatchHarness, league: League) -> None:
    match_id = await _book(h, league)

    body = await h.run(h.stranger(), "match", "advance", option("match", str(match_id)))

    assert is_ephemeral(body) and "Only the owner" in content(body)
    assert await h.app.repos.matches.tick_count(match_id) == 0


async def test_start_plays_to_the_bell_and_posts_the_result(
    h: MatchHarness, league: League
) -> None:
    match_id = await _book(h, league)

    body = await h.run(h.player, "match", "start", option("match", str(match_id)))

    assert "The bell rings" in content(body)
    live = live_of(h.bot)
    assert live is not None, "the live cog runs matches in threads"
    # The match goes live (thread, runner) after the reply, so there is no event to await yet.
    async with asyncio.timeout(60):
        while (await h.app.repos.matches.get(match_id)).status is not MatchStatus.FINISHED:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    assert await live.wait_finished(match_id, timeout=30)
    match = await h.app.repos.matches.get(match_id)
    assert match.result is not None and match.thread_id is not None
    posted = h.fake.channel_messages(match.thread_id)
    result = posted[-1]["embeds"][0]
    assert result["title"].startswith("Result")
    assert "Atlas Grimm" in str(result) and "Ruby Vex" in str(result)
    again = await h.run(h.player, "match", "start", option("match", str(match_id)))
    assert is_ephemeral(again) and "finished, not booked" in content(again)


async def test_cancel_asks_the_caller_to_confirm(h: MatchHarness, league: League) -> None:
    match_id = await _book(h, league)
    payload = h.slash(h.player, "match", "cancel", option("match", str(match_id)))
    prompt = await h.send(payload)
    message_id = h.fake.interaction(payload["id"]).original_message_id or ""
    message = h.fake.message(message_id)
    confirm_id = message["components"][0]["components"][0]["custom_id"]

    other = await h.send(h.stranger().button(confirm_id, message))
    assert is_ephemeral(other.json)
    assert (await h.app.repos.matches.get(match_id)).status is MatchStatus.BOOKED
    pressed = await h.send(h.player.button(confirm_id, message))

    assert "Cancel match" in content(prompt.json)
    assert pressed.json["type"] == 7 and "is cancelled" in pressed.json["data"]["content"]
    assert (await h.app.repos.matches.get(match_id)).status is MatchStatus.CANCELLED
    refused = await h.run(h.player, "match", "cancel", option("match", str(match_id)))
    assert is_ephemeral(refused) and "already cancelled" in content(refused)


async def test_match_autocomplete_lists_this_servers_matches(
    h: MatchHarness, league: League
) -> None:
    match_id = await _book(h, league)

    call = await h.send(
        h.autocomplete(h.player, "match", "status", option("match", "ruby", focused=True))
    )

    assert call.json["data"]["choices"] == [
        {"name": f"#{match_id} Atlas Grimm vs Ruby Vex (booked)", "value": str(match_id)}
    ]
