"""Stipulations decide what is legal and how a match ends; time limits and booked winners."""

from __future__ import annotations

from collections import Counter

import pytest
from rules_support import (
    A_ID,
    ALLOWED_ENDINGS,
    B_ID,
    RULEBOOK,
    always,
    make_setup,
    make_state,
    make_wrestler,
    play,
    resolve_many,
)

from engine.models import (
    ActionId,
    Alignment,
    AppliedAction,
    FinishMethod,
    MatchSetup,
    Stipulation,
    StylePreset,
    TickResult,
)
from engine.rules.actions import ACTIONS

SEEDS = range(40)


def heels_setup(stipulation: Stipulation, seed: int) -> MatchSetup:
    styles = list(StylePreset)
    return make_setup(
        make_wrestler(A_ID, alignment=Alignment.HEEL, style=styles[seed % len(styles)]),
        make_wrestler(B_ID, alignment=Alignment.TWEENER, style=styles[(seed + 2) % len(styles)]),
        stipulation=stipulation,
        seed=seed,
    )


def applied(ticks: list[TickResult]) -> list[AppliedAction]:
    return [a for tick in ticks for a in tick.applied_actions]


# --- how each stipulation ends -----------------------------------------------------------


@pytest.mark.parametrize("stipulation", list(Stipulation))
def test_offline_matches_end_only_in_the_ways_the_stipulation_allows(
    stipulation: Stipulation,
) -> None:
    methods: Counter[FinishMethod] = Counter()
    for seed in SEEDS:
        final, ticks, _ = play(heels_setup(stipulation, seed))
        assert final.result is not None
        methods[final.result.method] += 1
        if final.result.method is not FinishMethod.TIME_LIMIT:
            assert ticks[-1].applied_actions[-1].finish is final.result.method
    assert set(methods) <= ALLOWED_ENDINGS[stipulation], methods
    # the stipulation's own finish is the usual ending, not the time limit
    usual = {
        Stipulation.STANDARD: FinishMethod.PINFALL,
        Stipulation.NO_DQ: FinishMethod.PINFALL,
        Stipulation.SUBMISSION_ONLY: FinishMethod.SUBMISSION,
        Stipulation.LAST_MAN_STANDING: FinishMethod.KO,
    }[stipulation]
    assert methods[usual] > len(SEEDS) // 2, methods


def test_a_standard_match_can_end_by_pinfall_submission_or_ko() -> None:
    beaten = {"health": 2, "stamina": 10}
    state = make_state(make_setup(), actor={"momentum": 100}, defender=beaten)
    pins = resolve_many(state, A_ID, ActionId.PIN)
    holds = resolve_many(state, A_ID, ActionId.SUBMISSION)
    spots = resolve_many(state, A_ID, ActionId.FINISHER)
    assert any(a.finish is FinishMethod.PINFALL for a in pins)
    assert any(a.finish is FinishMethod.SUBMISSION for a in holds)
    assert any(a.finish is FinishMethod.KO for a in spots)


def test_no_dq_never_disqualifies_and_allows_weapons() -> None:
    setup = heels_setup(Stipulation.NO_DQ, 3)
    state = make_state(setup)
    assert ActionId.WEAPON in RULEBOOK.legal_actions(state, A_ID)
    for seed in SEEDS:
        final, ticks, _ = play(heels_setup(Stipulation.NO_DQ, seed), always(ActionId.CHEAT))
        assert final.result is not None
        assert final.result.method is not FinishMethod.DQ
        assert not any(a.dq_warning for a in applied(ticks))
        assert all(w.warnings == 0 for w in final.wrestlers)


def test_cheating_every_turn_gets_a_heel_disqualified_in_a_standard_match() -> None:
    dqs = 0
    for seed in SEEDS:
        final, ticks, _ = play(heels_setup(Stipulation.STANDARD, seed), always(ActionId.CHEAT))
        assert final.result is not None
        if final.result.method is FinishMethod.DQ:
            dqs += 1
            cheater = ticks[-1].actor_id
            assert final.result.loser_ids == (cheater,)
            assert final.wrestler(cheater).warnings > 0
    assert dqs > len(SEEDS) // 2


def test_submission_only_never_ends_by_pin_or_ko() -> None:
    setup = make_setup(stipulation=Stipulation.SUBMISSION_ONLY)
    state = make_state(setup, actor={"momentum": 100}, defender={"health": 1, "stamina": 5})
    assert ActionId.PIN not in RULEBOOK.legal_actions(state, A_ID)
    for action in (ActionId.FINISHER, ActionId.AERIAL, ActionId.SIGNATURE, ActionId.GRAPPLE):
        outcomes = resolve_many(state, A_ID, action, 150)
        assert any(a.success and a.damage > 0 for a in outcomes)
        assert all(a.finish is None for a in outcomes), action
    taps = resolve_many(state, A_ID, ActionId.SUBMISSION, 150)
    assert any(a.finish is FinishMethod.SUBMISSION for a in taps)


def test_last_man_standing_ends_only_by_a_ten_count() -> None:
    for seed in SEEDS:
        final, ticks, _ = play(heels_setup(Stipulation.LAST_MAN_STANDING, seed))
        assert final.result is not None
        actions = applied(ticks)
        assert not any(a.pin_attempt for a in actions)
        assert not any(a.action_id is ActionId.SUBMISSION for a in actions)
        if final.result.method is FinishMethod.KO:
            assert actions[-1].count == 10
        for action in actions[:-1]:
            assert action.count < 10


def test_last_man_standing_records_the_counts_that_are_beaten() -> None:
    setup = make_setup(stipulation=Stipulation.LAST_MAN_STANDING)
    state = make_state(setup, actor={"momentum": 100}, defender={"health": 25})
    outcomes = [a for a in resolve_many(state, A_ID, ActionId.SIGNATURE) if a.success]
    beaten = [a for a in outcomes if a.finish is None]
    kos = [a for a in outcomes if a.finish is not None]
    assert beaten and kos
    assert all(0 < a.count < 10 for a in beaten)
    assert all(a.finish is FinishMethod.KO and a.count == 10 for a in kos)
    assert ACTIONS[ActionId.SIGNATURE].big_spot


def test_a_fresh_wrestler_is_never_counted_out() -> None:
    setup = make_setup(stipulation=Stipulation.LAST_MAN_STANDING)
    state = make_state(setup, actor={"momentum": 100})
    outcomes = resolve_many(state, A_ID, ActionId.SIGNATURE)
    assert all(a.finish is None and a.count == 0 for a in outcomes)


# --- time limit and booked winners -------------------------------------------------------


@pytest.mark.parametrize("stipulation", list(Stipulation))
def test_max_ticks_ends_in_a_draw(stipulation: Stipulation) -> None:
    setup = make_setup(stipulation=stipulation, max_ticks=12)
    final, ticks, _ = play(setup, always(ActionId.REST))
    assert final.result is not None
    assert final.result.method is FinishMethod.TIME_LIMIT
    assert final.result.is_draw
    assert final.result.winner_ids == () and final.result.loser_ids == ()
    assert final.result.tick == final.time_index == setup.max_ticks
    assert len(ticks) == setup.max_ticks


@pytest.mark.parametrize("stipulation", list(Stipulation))
@pytest.mark.parametrize("booked", [A_ID, B_ID])
def test_at_max_ticks_the_booked_winner_wins_by_the_stipulations_method(
    stipulation: Stipulation, booked: int
) -> None:
    setup = make_setup(stipulation=stipulation, max_ticks=12, booked_winner_id=booked)
    final, _, _ = play(setup, always(ActionId.REST))
    assert final.result is not None
    assert final.result.winner_ids == (booked,)
    assert final.result.loser_ids == (B_ID if booked == A_ID else A_ID,)
    assert final.result.tick == setup.max_ticks
    assert final.result.method.changes_titles
    assert final.result.method in ALLOWED_ENDINGS[stipulation]
    if stipulation is Stipulation.SUBMISSION_ONLY:
        assert final.result.method is FinishMethod.SUBMISSION
    if stipulation is Stipulation.LAST_MAN_STANDING:
        assert final.result.method is FinishMethod.KO


@pytest.mark.parametrize("stipulation", list(Stipulation))
def test_the_booked_side_never_loses_but_the_other_side_still_lands_moves(
    stipulation: Stipulation,
) -> None:
    landed: Counter[int] = Counter()
    for seed in SEEDS:
        # The booked wrestler is the weaker one: the booking, not the stats, decides.
        setup = make_setup(
            make_wrestler(A_ID, power=80, technique=80, agility=80, toughness=80),
            make_wrestler(B_ID, alignment=Alignment.HEEL),
            stipulation=stipulation,
            seed=seed,
            booked_winner_id=B_ID,
        )
        final, ticks, _ = play(setup)
        assert final.result is not None
        assert B_ID not in final.result.loser_ids
        assert final.result.winner_ids == (B_ID,)
        for action in applied(ticks):
            if action.success and action.damage > 0:
                landed[action.actor_id] += 1
    share = landed[A_ID] / (landed[A_ID] + landed[B_ID])
    assert share >= 0.3, landed


def test_a_booked_wrestler_cannot_be_pinned_submitted_or_knocked_out() -> None:
    setup = make_setup(booked_winner_id=B_ID)
    state = make_state(setup, actor={"momentum": 100}, defender={"health": 0, "stamina": 0})
    for action in (ActionId.PIN, ActionId.SUBMISSION, ActionId.FINISHER, ActionId.AERIAL):
        outcomes = resolve_many(state, A_ID, action, 150)
        assert all(a.finish is None for a in outcomes), action
    pins = resolve_many(state, A_ID, ActionId.PIN, 150)
    assert all(a.near_fall for a in pins)
