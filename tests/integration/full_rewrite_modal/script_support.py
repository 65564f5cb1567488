"""Helpers for the full-rewrite modal tests: book and start a full_rewrite match live, find
its "Submit script" message, and write scripts the dry run accepts (or not)."""

from __future__ import annotations

import random
from typing import Any

from bot.live.script_text import format_script
from engine.controllers.offline import choose
from engine.llm.operations.write_match_script import MatchScript, ScriptBeat, ScriptFinish
from engine.models import ActionId, AgentActionResponse, MatchSetup, NarrativeMode
from engine.rules.context import build_context
from engine.rules.rulebook import RuleBook
from engine.rules.step import initial_state, step, tick_rng
from tests.integration.live_matches.live_support import LiveHarness, until

SCRIPT_PREFIX = "llmfed:script:"
BRAWL = (ActionId.GRAPPLE, ActionId.STRIKE, ActionId.TECHNICAL)


async def start_full_rewrite(h: LiveHarness, seed: int = 7) -> tuple[int, int, dict[str, Any]]:
    """(match id, thread id, the message with the Submit script button)."""
    league = await h.seed()
    match = await h.app.matches.book(
        league.federation.id,
        league.atlas.id,
        league.ruby.id,
        seed=seed,
        mode=NarrativeMode.FULL_REWRITE,
    )
    await h.start(match.id)
    thread_id = await h.thread_of(match.id)
    message = await until(lambda: next(iter(script_messages(h, thread_id)), None))
    return match.id, thread_id, message


def script_messages(h: LiveHarness, thread_id: int) -> list[dict[str, Any]]:
    return [m for m in h.thread_messages(thread_id) if button_id(m).startswith(SCRIPT_PREFIX)]


def button_id(message: dict[str, Any]) -> str:
    for row in message.get("components") or []:
        for component in row["components"]:
            return str(component.get("custom_id", ""))
    return ""


def brawler_script(setup: MatchSetup) -> tuple[MatchScript, int]:
    """A legal script that is not the offline policy's match: whoever the scheduler lets act
    brawls (grapple, strike, technical in turn) and pins a worn-down opponent. Also how many
    beats differ from what the offline policy would have chosen."""
    rulebook = RuleBook()
    state = initial_state(setup)
    beats: list[ScriptBeat] = []
    differs = 0
    while state.result is None:
        actor = state.next_actor_id
        context = build_context(state, actor, rulebook)
        legal = {p.action_id for p in context.possible_actions}
        wanted = BRAWL[state.time_index % len(BRAWL)]
        if ActionId.PIN in legal and context.opponent_state.health <= 45:
            wanted = ActionId.PIN
        offline = choose(context, random.Random(context.decision_seed))
        differs += offline.action_id != wanted.value
        decision = AgentActionResponse(action_id=wanted.value, intent=wanted.value)
        state, tick = step(state, {actor: decision}, tick_rng(setup.seed, state.time_index))
        beats.append(
            ScriptBeat(actor_id=actor, action_id=wanted.value, move=wanted.value, outcome="hit")
        )
        assert tick.applied_actions[0].fallback_reason is None
    result = state.result
    winner = result.winner_ids[0] if result.winner_ids else None
    finish = ScriptFinish(winner_id=winner, method=result.method)
    return MatchScript(beats=tuple(beats), finish=finish), differs


async def brawler_text(h: LiveHarness, match_id: int) -> tuple[str, MatchScript]:
    setup = await h.app.repos.matches.setup(match_id)
    script, differs = brawler_script(setup)
    assert differs > 0  # otherwise the offline policy would play the same match
    return format_script(script, setup), script
