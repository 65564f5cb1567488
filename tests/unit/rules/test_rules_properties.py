"""Hypothesis properties of whole matches: bounds every tick, one result, exact replay."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules_support import (
    A_ID,
    ALLOWED_ENDINGS,
    B_ID,
    RULEBOOK,
    Decide,
    offline_decision,
    play,
    replay,
)

from engine.models import (
    ActionId,
    AgentActionResponse,
    Alignment,
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
from engine.rules.rating import star_rating
from engine.rules.step import initial_state, step, tick_rng

PROPERTY_SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


stat = st.integers(min_value=1, max_value=100)
stats = st.builds(Stats, power=stat, technique=stat, agility=stat, charisma=stat, toughness=stat)


def wrestler(wrestler_id: int) -> st.SearchStrategy[Wrestler]:
    return st.builds(
        Wrestler,
        id=st.just(wrestler_id),
        federation_id=st.just(1),
        name=st.just(f"Wrestler {wrestler_id}"),
        alignment=st.sampled_from(Alignment),
        style=st.sampled_from(StylePreset),
        stats=stats,
        popularity=st.integers(0, 100),
        momentum=st.integers(0, 100),
        finisher=st.just(f"Finisher {wrestler_id}"),
        signatures=st.lists(st.sampled_from(["Lariat", "Cutter", "Spear"]), max_size=3).map(tuple),
    )


setups = st.builds(
    MatchSetup,
    match_id=st.integers(1, 10_000),
    seed=st.integers(0, 2**63 - 1),
    stipulation=st.sampled_from(Stipulation),
    max_ticks=st.integers(5, 80),
    booked_winner_id=st.sampled_from([None, A_ID, B_ID]),
    tier=st.sampled_from(Tier),
    title_match=st.booleans(),
    sheets=st.tuples(wrestler(A_ID), wrestler(B_ID)),
)

action_texts = st.one_of(
    st.sampled_from([a.value for a in ActionId]),
    st.sampled_from([f" {a.value.upper()} " for a in ActionId]),
    st.text(max_size=40),
)
decisions = st.one_of(
    st.none(),
    st.builds(
        AgentActionResponse,
        action_id=action_texts,
        target_id=st.one_of(st.none(), st.sampled_from([A_ID, B_ID]), st.integers()),
        intent=st.text(max_size=200),
    ),
)
decision_scripts = st.lists(decisions, min_size=1, max_size=25)


def scripted(script: Sequence[AgentActionResponse | None]) -> Decide:
    def decide(state: MatchState, _actor_id: int) -> AgentActionResponse | None:
        return script[state.time_index % len(script)]

    return decide


def is_legal_answer(state: MatchState, actor_id: int, decision: AgentActionResponse | None) -> bool:
    if decision is None:
        return False
    try:
        action = ActionId(decision.action_id.strip().lower())
    except ValueError:
        return False
    opponent = state.opponent_of(actor_id).wrestler_id
    return action in RULEBOOK.legal_actions(state, actor_id) and decision.target_id in (
        None,
        opponent,
    )


def check_tick(
    before: MatchState,
    after: MatchState,
    tick: TickResult,
    decision: AgentActionResponse | None,
) -> None:
    assert after.time_index == before.time_index + 1
    assert tick.time_index == after.time_index
    for gauges in after.wrestlers:
        assert 0 <= gauges.health <= 100
        assert 0 <= gauges.stamina <= 100
        assert 0 <= gauges.momentum <= 100
    assert 0.0 <= after.heat <= 100.0
    assert tick.heat == after.heat
    assert before.phase.can_move_to(after.phase)

    (applied,) = tick.applied_actions
    actor_id = before.next_actor_id
    target_id = before.opponent_of(actor_id).wrestler_id
    assert tick.actor_id == applied.actor_id == actor_id
    assert applied.target_id == target_id
    assert applied.action_id in RULEBOOK.legal_actions(before, actor_id)
    if is_legal_answer(before, actor_id, decision):
        assert applied.fallback_reason is None
        assert decision is not None
        assert applied.action_id.value == decision.action_id.strip().lower()
    else:
        assert applied.fallback_reason

    actor_before, actor_after = before.wrestler(actor_id), after.wrestler(actor_id)
    target_before, target_after = before.wrestler(target_id), after.wrestler(target_id)
    assert actor_after.stamina == max(0, min(100, actor_before.stamina + applied.stamina_delta))
    assert actor_after.health == max(0, actor_before.health - applied.self_damage)
    assert target_after.health == max(0, target_before.health - applied.damage)
    assert target_after.stamina == target_before.stamina
    assert actor_after.warnings >= actor_before.warnings
    assert after.tally.near_falls == before.tally.near_falls + applied.near_fall

    if applied.finish is not None:
        assert after.result is not None and after.result.method is applied.finish
    if applied.action_id is ActionId.FINISHER and applied.success:
        assert after.wrestler(actor_id).momentum <= before.wrestler(actor_id).momentum
    if after.result is None:
        assert after.time_index < after.setup.max_ticks


def check_match(
    setup: MatchSetup,
    final: MatchState,
    ticks: list[TickResult],
    made: list[AgentActionResponse | None],
) -> None:
    assert final.finished and final.result is not None
    assert len(ticks) == final.time_index <= setup.max_ticks
    assert len(made) == len(ticks)
    result = final.result
    assert result.tick == final.time_index
    participants = {A_ID, B_ID}
    if result.is_draw:
        assert result.method is FinishMethod.TIME_LIMIT
        assert result.loser_ids == ()
        assert final.time_index == setup.max_ticks
        assert setup.booked_winner_id is None
    else:
        assert len(result.winner_ids) == len(result.loser_ids) == 1
        assert set(result.winner_ids) | set(result.loser_ids) == participants
    if setup.booked_winner_id is not None:
        assert result.winner_ids == (setup.booked_winner_id,)
    assert result.method in ALLOWED_ENDINGS[setup.stipulation]
    last = ticks[-1].applied_actions[-1]
    if result.method is FinishMethod.DQ:
        assert last.finish is FinishMethod.DQ and last.dq_warning
        assert result.loser_ids == (last.actor_id,)
        assert not result.method.changes_titles
    if result.method is FinishMethod.KO and setup.stipulation is Stipulation.LAST_MAN_STANDING:
        assert setup.booked_winner_id is not None or last.count == 10
    stars = star_rating(final)
    assert 0.0 <= stars <= 5.0 and stars * 4 == int(stars * 4)
    with pytest.raises(ValueError):
        step(final, {final.next_actor_id: None}, tick_rng(setup.seed, final.time_index))


def walk(
    setup: MatchSetup, decide: Decide
) -> tuple[MatchState, list[TickResult], list[AgentActionResponse | None]]:
    """Play a match, checking every tick's invariants on the way."""
    state = initial_state(setup)
    ticks: list[TickResult] = []
    made: list[AgentActionResponse | None] = []
    while not state.finished:
        assert state.time_index < setup.max_ticks
        actor_id = state.next_actor_id
        decision = decide(state, actor_id)
        after, tick = step(state, {actor_id: decision}, tick_rng(setup.seed, state.time_index))
        check_tick(state, after, tick, decision)
        ticks.append(tick)
        made.append(decision)
        state = after
    return state, ticks, made


@PROPERTY_SETTINGS
@given(setup=setups)
def test_offline_matches_keep_every_invariant(setup: MatchSetup) -> None:
    final, ticks, made = walk(setup, offline_decision)
    check_match(setup, final, ticks, made)
    assert all(tick.applied_actions[0].fallback_reason is None for tick in ticks)


@PROPERTY_SETTINGS
@given(setup=setups, script=decision_scripts)
def test_garbage_decisions_keep_every_invariant(
    setup: MatchSetup, script: list[AgentActionResponse | None]
) -> None:
    final, ticks, made = walk(setup, scripted(script))
    check_match(setup, final, ticks, made)


@PROPERTY_SETTINGS
@given(setup=setups, script=decision_scripts)
def test_a_match_replays_exactly_from_its_seed_and_decisions(
    setup: MatchSetup, script: list[AgentActionResponse | None]
) -> None:
    final, ticks, made = play(setup, scripted(script))
    again_final, again_ticks = replay(setup, made)
    assert again_ticks == ticks
    assert again_final == final
    offline_final, offline_ticks, offline_made = play(setup)
    assert play(setup) == (offline_final, offline_ticks, offline_made)
