"""Warm /wrestler info, /federation info and their autocomplete answer from the read cache:
no SQLite round trip between the CommandTree taking the interaction and the response."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.fakes.discord.payloads_interactions import option
from tests.integration.discord_commands_core.core_support import Harness, embed, field

INVOKER_TASK = "CommandTree-invoker"  # the task discord.py runs each interaction in


@contextmanager
def command_hops(h: Harness) -> Iterator[list[str]]:
    """Every aiosqlite round trip made while the CommandTree handles an interaction (other
    tasks, such as the data_version watcher, are not counted)."""
    conn = h.app.repos.db.conn
    original = conn._execute
    hops: list[str] = []

    async def counted(fn: Any, *args: Any, **kwargs: Any) -> Any:
        task = asyncio.current_task()
        if task is not None and task.get_name() == INVOKER_TASK:
            hops.append(getattr(fn, "__qualname__", repr(fn)))
        return await original(fn, *args, **kwargs)

    conn._execute = counted  # type: ignore[method-assign]
    try:
        yield hops
    finally:
        del conn._execute


async def _league(h: Harness) -> tuple[int, int, int]:
    league = h.app.league
    federation = await league.create_federation(h.guild_id, "Perf Federation", 1)
    champ = await league.create_wrestler(federation.id, "Champ Charlie", 1, gimmick="Gold")
    rookie = await league.create_wrestler(federation.id, "Rookie Romeo", 1)
    await league.create_title(federation.id, "Perf Title", (champ.id,))
    return federation.id, champ.id, rookie.id


async def _wrestler_info(h: Harness, wrestler_id: int) -> dict[str, Any]:
    return embed(await h.run(h.player, "wrestler", "info", option("wrestler", str(wrestler_id))))


async def _federation_info(h: Harness, federation_id: int) -> dict[str, Any]:
    body = await h.run(h.player, "federation", "info", option("federation", str(federation_id)))
    return embed(body)


async def test_warm_info_commands_make_no_database_round_trip(h: Harness) -> None:
    federation_id, champ_id, _ = await _league(h)
    with command_hops(h) as cold:
        await _wrestler_info(h, champ_id)
        await _federation_info(h, federation_id)
    assert cold, "the first, cold commands should have read the database"

    with command_hops(h) as warm:
        wrestler_card = await _wrestler_info(h, champ_id)
        federation_card = await _federation_info(h, federation_id)

    assert warm == []
    assert field(wrestler_card, "Titles") == "Perf Title"
    assert field(federation_card, "Roster") == "2 wrestler(s)"
    assert "Champ Charlie" in field(federation_card, "Titles")


async def test_warm_autocomplete_makes_no_database_round_trip(h: Harness) -> None:
    await _league(h)
    typed = option("wrestler", "rook", focused=True)
    await h.send(h.autocomplete(h.player, "wrestler", "info", typed))

    with command_hops(h) as warm:
        answer = await h.send(h.autocomplete(h.player, "wrestler", "info", typed))

    assert warm == []
    assert [c["name"] for c in answer.json["data"]["choices"]] == ["Rookie Romeo"]


async def test_an_edit_through_the_bot_shows_in_the_next_warm_info(h: Harness) -> None:
    federation_id, _, rookie_id = await _league(h)
    await _wrestler_info(h, rookie_id)
    await _federation_info(h, federation_id)
    rookie = await h.app.repos.wrestlers.get(rookie_id)

    await h.bot.admin.edit_wrestler(rookie, 1, gimmick="Now a veteran")
    edited = await _wrestler_info(h, rookie_id)
    await h.bot.admin.release_wrestler(await h.app.repos.wrestlers.get(rookie_id), 1)
    gone = await h.run(h.player, "wrestler", "info", option("wrestler", str(rookie_id)))
    shrunk = await _federation_info(h, federation_id)
    # SQLite hands the released wrestler's id to the next one: the card must follow.
    signing = await h.app.league.create_wrestler(federation_id, "New Signing", 1, gimmick="New")
    signing_card = await _wrestler_info(h, signing.id)
    grown = await _federation_info(h, federation_id)

    assert edited["description"] == "Now a veteran"
    assert "no longer exists" in gone["data"]["content"]
    assert field(shrunk, "Roster") == "1 wrestler(s)"
    assert (signing_card["title"], signing_card["description"]) == ("New Signing", "New")
    assert field(grown, "Roster") == "2 wrestler(s)"
