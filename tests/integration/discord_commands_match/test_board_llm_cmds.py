"""/leaderboard and /llm through the real CommandTree."""

from __future__ import annotations

from engine.models import Record
from tests.fakes.discord.payloads_interactions import option
from tests.integration.discord_commands_core.core_support import (
    content,
    embed,
    field,
    is_ephemeral,
)
from tests.integration.discord_commands_match.match_support import League, MatchHarness


async def test_wrestler_leaderboard_orders_by_record(h: MatchHarness, league: League) -> None:
    await h.app.repos.wrestlers.update(
        league.kid.model_copy(update={"record": Record(wins=3, losses=1), "popularity": 90})
    )
    await h.app.repos.wrestlers.update(
        league.ruby.model_copy(update={"record": Record(wins=1), "popularity": 10})
    )

    body = await h.run(
        h.player, "leaderboard", "wrestlers", option("federation", str(league.federation.id))
    )

    by_record = field(embed(body), "By record (W-L-D)").splitlines()
    assert by_record[0].startswith("1. Kid Nova — 3-1-0")
    assert by_record[1].startswith("2. Ruby Vex")
    assert field(embed(body), "By popularity").splitlines()[0] == "1. Kid Nova — 90"


async def test_wrestler_leaderboard_of_another_servers_federation(
    h: MatchHarness, league: League
) -> None:
    body = await h.run(
        h.other_guild(), "leaderboard", "wrestlers", option("federation", str(league.federation.id))
    )

    assert is_ephemeral(body) and "no longer exists" in content(body)


async def test_writer_leaderboard_starts_empty(h: MatchHarness, league: League) -> None:
    body = await h.run(h.player, "leaderboard", "writers")

    assert field(embed(body), "This server") == "No voted rewrites yet."


async def test_llm_status_is_offline_by_default(h: MatchHarness, league: League) -> None:
    body = await h.run(h.player, "llm", "status")

    assert is_ephemeral(body)
    assert field(embed(body), "Default") == "offline / offline"
    assert "**offline** (offline" in field(embed(body), "Providers")


async def test_llm_usage_needs_manage_server_for_the_whole_server(
    h: MatchHarness, league: League
) -> None:
    refused = await h.run(h.player, "llm", "usage")
    own = await h.run(h.player, "llm", "usage", option("federation", str(league.federation.id)))
    admin = await h.run(h.owner, "llm", "usage")

    assert is_ephemeral(refused) and "Manage Server" in content(refused)
    assert embed(own)["description"] == "No LLM calls yet."
    assert embed(admin)["title"].startswith("LLM usage of this server")


async def test_llm_models_defers_then_lists(h: MatchHarness, league: League) -> None:
    payload = h.slash(h.player, "llm", "models")

    call = await h.send(payload)
    followup = await h.followup(payload)

    assert call.json["type"] == 5
    names = [f["name"] for f in followup.json["embeds"][0]["fields"]]
    assert names[0] == "Aliases" and "offline" in names
