"""Hypothesis over every synced command's options, through the real CommandTree.

Each example picks a command and an actor (promoter, admin, stranger, another server's owner)
and fills the options with values a Discord client can send (any text within max_length:
empty, huge, unicode, mentions, markdown; integers at the bounds; existing, foreign and
unknown ids). Every interaction must get exactly one proper callback (and a follow-up when it
deferred) and never the generic "something went wrong"; afterwards the database must pass
integrity, foreign-key and row-invariant checks.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.discord.desks import desks_of
from tests.fakes.discord.payloads_guild import user
from tests.fakes.discord.payloads_interactions import Option, option
from tests.integration.discord_commands_core.core_support import two_guild_fake
from tests.integration.discord_commands_match.match_support import (
    MatchHarness,
    running_match_harness,
)
from tests.integration.discord_fuzz.fuzz_support import (
    build_option,
    database_problems,
    leaves,
    option_value,
)

MESSAGE_CALLBACKS = {4, 5, 9}  # message, deferred, modal
GENERIC_FAILURE = "Something went wrong"


async def _seed(h: MatchHarness) -> list[int]:
    ids: list[int] = []
    for guild, owner in (
        (h.fake.guilds[0], h.fake.guilds[0].player),
        (h.fake.guilds[1], h.fake.guilds[1].owner),
    ):
        league = h.app.league
        federation = await league.create_federation(guild.guild_id, "Fuzz Fed", int(owner["id"]))
        a = await league.create_wrestler(federation.id, "Atlas Grimm", int(owner["id"]))
        b = await league.create_wrestler(federation.id, "Ruby Vex", int(owner["id"]))
        title = await league.create_title(federation.id, "Fuzz Title")
        match = await h.app.matches.book(federation.id, a.id, b.id)
        ids += [federation.id, a.id, b.id, title.id, match.id]
    return [*sorted(set(ids)), 0, 999999]


async def _exercise(h: MatchHarness, payload: dict[str, Any], autocomplete: bool) -> str | None:
    """None when the bot answered properly, else what was wrong."""
    mark = h.fake.mark()
    await h.fake.dispatch("INTERACTION_CREATE", payload)
    call = await h.fake.wait_for_request(
        "POST", rf"/interactions/{payload['id']}/[^/]+/callback", timeout=10, since=mark
    )
    if call.status >= 400:
        return f"callback refused: {call.status} {call.json}"
    kind = call.json["type"]
    if autocomplete:
        choices = call.json["data"]["choices"]
        return None if kind == 8 and len(choices) <= 25 else f"bad autocomplete {call.json}"
    if kind not in MESSAGE_CALLBACKS:
        return f"unexpected callback type {kind}"
    texts = [str(call.json.get("data", {}).get("content") or "")]
    if kind == 5:
        followup = await h.fake.wait_for_request(
            "POST",
            rf"/webhooks/{h.fake.application_id}/{re.escape(payload['token'])}",
            timeout=15,
            since=mark,
        )
        texts.append(str(followup.json.get("content") or ""))
    if any(GENERIC_FAILURE in text for text in texts):
        return f"unhandled error: {texts}"
    return None


async def test_no_command_input_breaks_the_bot_or_the_database(tmp_path: Path) -> None:
    async with two_guild_fake() as fake, running_match_harness(fake, tmp_path / "f.db") as h:
        ids = await _seed(h)
        guild = fake.guild
        targets = [
            (cmd["name"], path, options)
            for cmd in fake.commands(guild.guild_id)
            for path, options in leaves(cmd)
        ]
        actors = [
            fake.interactions,
            fake.interactions.as_user(guild.owner),
            fake.interactions.as_user(user(fake.ids.next(), "stranger")),
            dataclasses.replace(
                fake.interactions, guild=fake.guilds[1], actor=fake.guilds[1].owner
            ),
        ]
        loop = asyncio.get_running_loop()
        failures: list[str] = []
        exercised: set[str] = set()

        @st.composite
        def interactions(draw: st.DrawFn) -> tuple[dict[str, Any], bool, str]:
            name, path, definitions = draw(st.sampled_from(targets))
            builder = draw(st.sampled_from(actors))
            autocomplete = draw(st.booleans()) and any(d.get("autocomplete") for d in definitions)
            focused = (
                draw(st.sampled_from([d for d in definitions if d.get("autocomplete")]))
                if autocomplete
                else None
            )
            built: list[Option] = []
            for definition in definitions:
                if (
                    not definition.get("required")
                    and definition is not focused
                    and draw(st.booleans())
                ):
                    continue
                value = draw(option_value(definition, ids))
                if definition is focused:
                    built.append(option(definition["name"], str(value or ""), focused=True))
                    continue
                drawn = build_option(definition, value, builder.guild or guild)
                if drawn is not None:
                    built.append(drawn)
            nested: tuple[Option, ...] = tuple(built)
            for part in reversed(path):
                nested = (Option(name=part, type=1 if part == path[-1] else 2, options=nested),)
            command_id = fake.command_id(name, guild.guild_id)
            make = builder.autocomplete if autocomplete else builder.slash
            payload = make(name, *nested, command_id=command_id, command_guild_id=guild.guild_id)
            return payload, autocomplete, f"/{name} {' '.join(path)} {nested}"

        @settings(
            max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(interactions())
        def run(example: tuple[dict[str, Any], bool, str]) -> None:
            payload, autocomplete, label = example
            problem = asyncio.run_coroutine_threadsafe(
                _exercise(h, payload, autocomplete), loop
            ).result(timeout=60)
            if problem is not None:
                failures.append(f"{label}: {problem}")
            exercised.add(label.split(" (")[0].strip())

        await asyncio.to_thread(run)
        await desks_of(h.bot).runs.wait_idle()

        assert failures == []
        assert len(exercised) >= len(targets) // 2  # the draw reached most commands
        assert await database_problems(h.app) == []
        assert fake.handler_errors == []
