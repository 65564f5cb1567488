"""Probabilities of the ring: directions and bounds, never the tuned numbers themselves."""

from __future__ import annotations

import random

import pytest
from rules_support import (
    A_ID,
    B_ID,
    RULEBOOK,
    answer,
    make_setup,
    make_state,
    make_wrestler,
    resolve_many,
)

from engine.models import ActionId, FinishMethod, MatchState, WrestlerState
from engine.rules.actions import ACTIONS
from engine.rules.chances import (
    MAX_CHANCE,
    MIN_CHANCE,
    beat_count_chance,
    pin_chance,
    success_chance,
    tap_chance,
)
from engine.rules.step import step

CONTESTED = [a for a, spec in ACTIONS.items() if spec.main_stat is not None]


def chance_for(
    action: ActionId,
    *,
    attack: int = 50,
    defence: int = 50,
    momentum: int = 50,
    stamina: int = 100,
    counter: bool = False,
) -> float:
    spec = ACTIONS[action]
    stats = {}
    if spec.main_stat is not None:
        names = ("power", "technique", "agility") if spec.main_stat == "best" else (spec.main_stat,)
        stats = {name: attack for name in names}
    defender_stats = {spec.defence_stat: defence} if spec.defence_stat else {}
    setup = make_setup(
        make_wrestler(A_ID, stat_values=stats), make_wrestler(B_ID, stat_values=defender_stats)
    )
    state = make_state(
        setup,
        actor={"momentum": momentum, "stamina": stamina},
        counter_open_for=A_ID if counter else None,
    )
    return success_chance(spec, state, setup.sheet(A_ID), setup.sheet(B_ID))


@pytest.mark.parametrize("action", CONTESTED)
def test_a_stronger_stat_raises_the_success_chance(action: ActionId) -> None:
    assert chance_for(action, attack=70) > chance_for(action, attack=50)
    assert chance_for(action, attack=50) > chance_for(action, attack=30)


@pytest.mark.parametrize("action", [a for a in CONTESTED if ACTIONS[a].defence_stat is not None])
def test_a_stronger_defence_lowers_the_success_chance(action: ActionId) -> None:
    assert chance_for(action, defence=70) < chance_for(action, defence=30)


@pytest.mark.parametrize("action", CONTESTED)
def test_momentum_raises_and_fatigue_lowers_the_success_chance(action: ActionId) -> None:
    assert chance_for(action, momentum=90) > chance_for(action, momentum=20)
    assert chance_for(action, stamina=20) < chance_for(action, stamina=100)


@pytest.mark.parametrize("action", CONTESTED)
def test_an_open_counter_raises_the_success_chance(action: ActionId) -> None:
    assert chance_for(action, counter=True) > chance_for(action)


@pytest.mark.parametrize("action", CONTESTED)
def test_the_success_chance_is_clamped(action: ActionId) -> None:
    best = chance_for(action, attack=100, defence=1, momentum=100, counter=True)
    worst = chance_for(action, attack=1, defence=100, momentum=0, stamina=0)
    assert best == MAX_CHANCE
    assert worst == MIN_CHANCE
    assert pytest.approx((0.05, 0.95)) == (MIN_CHANCE, MAX_CHANCE)


@pytest.mark.parametrize("action", [a for a in ActionId if ACTIONS[a].damage != (0, 0)])
def test_every_damaging_action_has_a_chance_within_the_clamp(action: ActionId) -> None:
    for momentum in (0, 100):
        for stamina in (0, 100):
            for counter in (False, True):
                chance = chance_for(
                    action,
                    attack=100,
                    defence=1,
                    momentum=momentum,
                    stamina=stamina,
                    counter=counter,
                )
                assert MIN_CHANCE <= chance <= MAX_CHANCE
                chance = chance_for(
                    action,
                    attack=1,
                    defence=100,
                    momentum=momentum,
                    stamina=stamina,
                    counter=counter,
                )
                assert MIN_CHANCE <= chance <= MAX_CHANCE


def test_offered_chances_match_the_chance_model_and_are_in_bounds() -> None:
    state = make_state(actor={"momentum": 100})
    for possible in RULEBOOK.possible_actions(state, A_ID):
        spec = ACTIONS[possible.action_id]
        expected = success_chance(spec, state, state.setup.sheet(A_ID), state.setup.sheet(B_ID))
        assert possible.success_chance == pytest.approx(expected, abs=0.01)
        assert 0.0 <= possible.success_chance <= 1.0


# --- pins, tap-outs and ten-counts ------------------------------------------------------


def defender(health: int = 100, stamina: int = 100, kicked_out: int = 0) -> WrestlerState:
    return WrestlerState(wrestler_id=B_ID, health=health, stamina=stamina, kicked_out=kicked_out)


SHEET = make_wrestler(B_ID)


def test_pin_and_tap_chances_grow_with_damage() -> None:
    healths = list(range(100, -1, -5))
    pins = [pin_chance(defender(h), SHEET, False) for h in healths]
    taps = [tap_chance(defender(h), SHEET, make_wrestler(A_ID)) for h in healths]
    assert pins == sorted(pins)
    assert taps == sorted(taps)
    assert pins[-1] > pins[0]
    assert taps[-1] > taps[0]


def test_pin_and_tap_chances_grow_with_fatigue() -> None:
    worn = 30
    assert pin_chance(defender(worn, stamina=10), SHEET, False) > pin_chance(
        defender(worn, stamina=100), SHEET, False
    )
    attacker = make_wrestler(A_ID)
    assert tap_chance(defender(worn, stamina=10), SHEET, attacker) > tap_chance(
        defender(worn, stamina=100), SHEET, attacker
    )


def test_toughness_and_kick_outs_make_a_pin_harder() -> None:
    tough, soft = make_wrestler(B_ID, toughness=95), make_wrestler(B_ID, toughness=5)
    assert pin_chance(defender(30), tough, False) < pin_chance(defender(30), soft, False)
    assert pin_chance(defender(30, kicked_out=2), SHEET, False) < pin_chance(
        defender(30), SHEET, False
    )


@pytest.mark.parametrize("health", [100, 80, 50, 20])
def test_a_finisher_raises_the_pin_chance(health: int) -> None:
    assert pin_chance(defender(health), SHEET, True) > pin_chance(defender(health), SHEET, False)


def test_a_technician_taps_people_out_more_often() -> None:
    worn = defender(25)
    assert tap_chance(worn, SHEET, make_wrestler(A_ID, technique=95)) > tap_chance(
        worn, SHEET, make_wrestler(A_ID, technique=5)
    )


def test_chances_stay_probabilities_at_the_extremes() -> None:
    for health in (0, 100):
        for stamina in (0, 100):
            for kicked_out in (0, 10):
                state = defender(health, stamina, kicked_out)
                for toughness in (1, 100):
                    sheet = make_wrestler(B_ID, toughness=toughness)
                    for after in (False, True):
                        assert 0.0 <= pin_chance(state, sheet, after) <= MAX_CHANCE
                    for technique in (1, 100):
                        attacker = make_wrestler(A_ID, technique=technique)
                        assert 0.0 <= tap_chance(state, sheet, attacker) < 1.0
                    assert 0.0 < beat_count_chance(state, sheet) < 1.0


def test_a_healthy_wrestler_beats_the_count_more_often() -> None:
    counts = [beat_count_chance(defender(h), SHEET) for h in range(0, 101, 10)]
    assert counts == sorted(counts)
    assert counts[-1] > counts[0]


def pin_wins(state: MatchState, seeds: int = 400) -> float:
    outcomes = resolve_many(state, A_ID, ActionId.PIN, seeds)
    assert all(a.pin_attempt for a in outcomes)
    return sum(a.finish is FinishMethod.PINFALL for a in outcomes) / seeds


def test_a_pin_on_a_fresh_opponent_rarely_wins() -> None:
    assert pin_wins(make_state()) <= 0.05


def test_a_pin_on_a_beaten_opponent_often_wins() -> None:
    beaten = make_state(defender={"health": 5, "stamina": 10})
    assert pin_wins(beaten) > 0.3
    assert pin_wins(beaten) > pin_wins(make_state(defender={"health": 60}))


def test_a_pin_right_after_a_finisher_wins_more_often() -> None:
    state = make_state(defender={"health": 45})
    assert pin_wins(state.model_copy(update={"after_finisher_on": B_ID})) > pin_wins(state)


def test_a_failed_pin_on_a_worn_opponent_is_a_near_fall_with_a_two_count() -> None:
    state = make_state(defender={"health": 30, "stamina": 40})
    failed = [a for a in resolve_many(state, A_ID, ActionId.PIN) if a.finish is None]
    assert failed
    assert all(a.near_fall and a.count == 2 for a in failed)
    won = [a for a in resolve_many(state, A_ID, ActionId.PIN) if a.finish is not None]
    assert all(a.count == 3 for a in won)


def test_the_finisher_bonus_is_still_there_when_the_attacker_next_acts() -> None:
    """After a landed finisher, the attacker's next turn (the cover) must see the bonus.

    The victim is flat on the mat: whoever's turn comes in between, the attacker's next
    action is the one the after-finisher pin bonus (pin_chance(after_finisher=True)) is for.
    """
    start = make_state(actor={"momentum": 100}, defender={"health": 60})
    for seed in range(60):
        state, tick = step(start, {A_ID: answer(ActionId.FINISHER)}, random.Random(seed))
        if tick.applied_actions[0].success and not state.finished:
            break
    else:
        pytest.fail("the finisher never landed")
    assert state.after_finisher_on == B_ID
    guard = 0
    while state.next_actor_id != A_ID and not state.finished and guard < 5:
        state, _ = step(state, {B_ID: answer(ActionId.REST)}, random.Random(guard))
        guard += 1
    assert state.next_actor_id == A_ID
    assert state.after_finisher_on == B_ID, (
        "the victim's own turn cleared the after-finisher mark before the attacker could cover"
    )


def test_a_ten_count_is_beaten_more_often_by_a_tough_wrestler() -> None:
    worn = defender(10)
    assert beat_count_chance(worn, make_wrestler(B_ID, toughness=95)) > beat_count_chance(
        worn, make_wrestler(B_ID, toughness=5)
    )
