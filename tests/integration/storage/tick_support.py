"""Playing ticks as the match runner does, for the storage tests that record them."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from engine.controllers.offline import choose
from engine.models import (
    ControllerKind,
    DomainEvent,
    Federation,
    Match,
    MatchSetup,
    MatchState,
    RequestStatus,
    TickResult,
    Wrestler,
)
from engine.models.tick import EngineRequest
from engine.rules.context import build_context
from engine.rules.step import RULEBOOK, initial_state, step, tick_rng

NOW = datetime(2025, 3, 1, 20, 0, tzinfo=UTC)
Roster = tuple[Federation, Wrestler, Wrestler]
Played = tuple[TickResult, MatchState, list[EngineRequest], list[DomainEvent]]


def play(match: Match, state: MatchState, ticks: int) -> list[Played]:
    """What the match runner does per tick, with the offline policy deciding."""
    out: list[Played] = []
    for _ in range(ticks):
        if state.finished:
            break
        actor = state.next_actor_id
        context = build_context(state, actor, RULEBOOK, match.mode)
        response = choose(context, random.Random(context.decision_seed))
        request = EngineRequest(
            request_id=context.request_id,
            match_id=match.id,
            agent_id=actor,
            due_tick=state.time_index + 1,
            deadline_s=8.0,
            controller=ControllerKind.OFFLINE,
            status=RequestStatus.ANSWERED,
            response=response,
            context=context,
        )
        state, tick = step(state, {actor: response}, tick_rng(state.setup.seed, state.time_index))
        tick = tick.model_copy(update={"narration": f"Tick {tick.time_index}: {response.intent}"})
        event = DomainEvent(
            kind="match.tick",
            federation_id=match.federation_id,
            match_id=match.id,
            tick=tick.time_index,
            payload={"action": tick.applied_actions[0].action_id.value},
            at=NOW,
        )
        out.append((tick, state, [request], [event]))
    return out


async def start_match(repos, roster: Roster, seed: int = 11) -> tuple[Match, MatchState]:
    fed, ace, bo = roster
    match = await repos.matches.create(fed.id, (ace.id, bo.id), seed=seed, now=NOW, max_ticks=40)
    setup = MatchSetup(match_id=match.id, seed=seed, max_ticks=40, sheets=(ace, bo))
    match = await repos.matches.start(match.id, setup)
    return match, initial_state(setup)
