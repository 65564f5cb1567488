"""Builders and a match player shared by the rules tests (plain functions, usable in hypothesis)."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

from engine.controllers.offline import choose
from engine.models import (
    ActionId,
    AgentActionResponse,
    Alignment,
    AppliedAction,
    FinishMethod,
    MatchSetup,
    MatchState,
    Stats,
    Stipulation,
    StylePreset,
    TickResult,
    Tier,
    Wrestler,
)
from engine.rules.context import build_context
from engine.rules.resolve import resolve
from engine.rules.rulebook import RuleBook
from engine.rules.step import initial_state, step, tick_rng

RULEBOOK = RuleBook()
A_ID = 1
B_ID = 2

ALLOWED_ENDINGS: dict[Stipulation, set[FinishMethod]] = {
    Stipulation.STANDARD: {
        FinishMethod.PINFALL,
        FinishMethod.SUBMISSION,
        FinishMethod.KO,
        FinishMethod.DQ,
        FinishMethod.TIME_LIMIT,
    },
    Stipulation.NO_DQ: {
        FinishMethod.PINFALL,
        FinishMethod.SUBMISSION,
        FinishMethod.KO,
        FinishMethod.TIME_LIMIT,
    },
    # DESIGN 3: cheating carries a DQ risk in every stipulation but no_dq.
    Stipulation.SUBMISSION_ONLY: {
        FinishMethod.SUBMISSION,
        FinishMethod.TIME_LIMIT,
        FinishMethod.DQ,
    },
    Stipulation.LAST_MAN_STANDING: {FinishMethod.KO, FinishMethod.TIME_LIMIT, FinishMethod.DQ},
}

Decide = Callable[[MatchState, int], AgentActionResponse | None]


def make_wrestler(
    wrestler_id: int,
    *,
    alignment: Alignment = Alignment.FACE,
    style: StylePreset = StylePreset.ALL_ROUNDER,
    popularity: int = 30,
    momentum: int = 50,
    stat_values: Mapping[str, int] | None = None,
    **stats: int,
) -> Wrestler:
    return Wrestler(
        id=wrestler_id,
        federation_id=1,
        name=f"Wrestler {wrestler_id}",
        alignment=alignment,
        style=style,
        stats=Stats(**{**(stat_values or {}), **stats}),
        finisher=f"Finisher {wrestler_id}",
        popularity=popularity,
        momentum=momentum,
    )


def make_setup(
    a: Wrestler | None = None,
    b: Wrestler | None = None,
    *,
    stipulation: Stipulation = Stipulation.STANDARD,
    seed: int = 7,
    max_ticks: int = 50,
    booked_winner_id: int | None = None,
    tier: Tier = Tier.INDIE,
    title_match: bool = False,
) -> MatchSetup:
    return MatchSetup(
        match_id=99,
        seed=seed,
        stipulation=stipulation,
        max_ticks=max_ticks,
        booked_winner_id=booked_winner_id,
        tier=tier,
        title_match=title_match,
        sheets=(a or make_wrestler(A_ID), b or make_wrestler(B_ID)),
    )


def with_gauges(state: MatchState, wrestler_id: int, **updates: Any) -> MatchState:
    """The state with one wrestler's gauges (health, stamina, momentum, warnings...) replaced."""
    wrestlers = tuple(
        w.model_copy(update=updates) if w.wrestler_id == wrestler_id else w for w in state.wrestlers
    )
    return state.model_copy(update={"wrestlers": wrestlers})


def make_state(
    setup: MatchSetup | None = None,
    *,
    actor_id: int = A_ID,
    actor: Mapping[str, Any] | None = None,
    defender: Mapping[str, Any] | None = None,
    **state_updates: Any,
) -> MatchState:
    """A fresh match state where ``actor_id`` is due to act, with optional gauge overrides."""
    setup = setup or make_setup()
    state = initial_state(setup)
    state = state.model_copy(update={"next_actor_id": actor_id, **state_updates})
    defender_id = state.opponent_of(actor_id).wrestler_id
    if actor:
        state = with_gauges(state, actor_id, **actor)
    if defender:
        state = with_gauges(state, defender_id, **defender)
    return state


def answer(action: ActionId | str, target_id: int | None = None) -> AgentActionResponse:
    text = action.value if isinstance(action, ActionId) else action
    return AgentActionResponse(action_id=text, target_id=target_id)


def resolve_action(
    state: MatchState, actor_id: int, action: ActionId | str, seed: int
) -> AppliedAction:
    """Validate and resolve one answer with a seeded RNG (no state change)."""
    chosen = RULEBOOK.validate(state, actor_id, answer(action))
    return resolve(state, chosen, random.Random(seed))


def resolve_many(
    state: MatchState, actor_id: int, action: ActionId | str, seeds: int = 300
) -> list[AppliedAction]:
    return [resolve_action(state, actor_id, action, seed) for seed in range(seeds)]


def offline_decision(state: MatchState, actor_id: int) -> AgentActionResponse:
    context = build_context(state, actor_id, RULEBOOK)
    return choose(context, random.Random(context.decision_seed))


def always(action: ActionId | str) -> Decide:
    def decide(_state: MatchState, _actor_id: int) -> AgentActionResponse:
        return answer(action)

    return decide


def play(
    setup: MatchSetup, decide: Decide = offline_decision
) -> tuple[MatchState, list[TickResult], list[AgentActionResponse | None]]:
    """Play a whole match; return the final state, every TickResult and the decisions made."""
    state = initial_state(setup)
    ticks: list[TickResult] = []
    decisions: list[AgentActionResponse | None] = []
    while not state.finished:
        actor_id = state.next_actor_id
        decision = decide(state, actor_id)
        decisions.append(decision)
        state, tick = step(state, {actor_id: decision}, tick_rng(setup.seed, state.time_index))
        ticks.append(tick)
    return state, ticks, decisions


def replay(
    setup: MatchSetup, decisions: list[AgentActionResponse | None]
) -> tuple[MatchState, list[TickResult]]:
    state = initial_state(setup)
    ticks: list[TickResult] = []
    for decision in decisions:
        actor_id = state.next_actor_id
        state, tick = step(state, {actor_id: decision}, tick_rng(setup.seed, state.time_index))
        ticks.append(tick)
    return state, ticks
