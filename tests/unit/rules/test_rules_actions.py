"""Every action: where it is offered and accepted, why it is refused, and how it resolves."""

from __future__ import annotations

import math
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

from engine.models import (
    ActionId,
    AgentActionResponse,
    Alignment,
    FinishMethod,
    MatchState,
    Stipulation,
)
from engine.rules.actions import ACTIONS, FINISHER_MOMENTUM_RESET
from engine.rules.chances import success_chance
from engine.rules.resolve import DQ_WARNINGS
from engine.rules.step import step

EVERYTHING_LEGAL = {"momentum": 100, "stamina": 100}


def heel_no_dq_state(**actor: int) -> MatchState:
    """A heel at full momentum in a no-DQ match: the one place every action is legal."""
    setup = make_setup(make_wrestler(A_ID, alignment=Alignment.HEEL), stipulation=Stipulation.NO_DQ)
    return make_state(setup, actor={**EVERYTHING_LEGAL, **actor})


def legal_state_for(action: ActionId) -> MatchState:
    """A state where ``action`` is legal for A (and the stipulation is the most ordinary one)."""
    spec = ACTIONS[action]
    stipulation = Stipulation.STANDARD
    if spec.only_in is not None:
        stipulation = sorted(spec.only_in)[0]
    elif stipulation in spec.forbidden_in:
        stipulation = next(s for s in Stipulation if s not in spec.forbidden_in)
    alignment = Alignment.FACE
    if spec.alignments is not None:
        alignment = sorted(spec.alignments)[0]
    setup = make_setup(make_wrestler(A_ID, alignment=alignment), stipulation=stipulation)
    return make_state(setup, actor={"momentum": max(spec.min_momentum, 20), "stamina": 100})


# --- offered and accepted ---------------------------------------------------------------


def test_the_table_covers_every_action_id() -> None:
    assert set(ACTIONS) == set(ActionId)
    for action_id, spec in ACTIONS.items():
        assert spec.id is action_id


def test_a_heel_at_full_momentum_in_no_dq_is_offered_every_action() -> None:
    state = heel_no_dq_state()
    assert set(RULEBOOK.legal_actions(state, A_ID)) == set(ActionId)
    offered = {p.action_id: p for p in RULEBOOK.possible_actions(state, A_ID)}
    assert set(offered) == set(ActionId)
    for action_id, possible in offered.items():
        assert possible.stamina_cost == ACTIONS[action_id].stamina
        assert 0.0 <= possible.success_chance <= 1.0
        assert possible.move_name
        expected_targets = () if action_id is ActionId.REST else (B_ID,)
        assert possible.target_ids == expected_targets


@pytest.mark.parametrize("action", list(ActionId))
def test_each_action_is_offered_and_accepted_where_legal(action: ActionId) -> None:
    state = legal_state_for(action)
    assert action in RULEBOOK.legal_actions(state, A_ID)
    assert action in {p.action_id for p in RULEBOOK.possible_actions(state, A_ID)}
    for target in (None, B_ID):
        chosen = RULEBOOK.validate(state, A_ID, answer(action, target))
        assert chosen.action_id is action
        assert chosen.fallback_reason is None
        assert chosen.target_id == B_ID


def test_answers_are_read_case_and_space_insensitively() -> None:
    chosen = RULEBOOK.validate(make_state(), A_ID, answer("  STRIKE "))
    assert chosen.action_id is ActionId.STRIKE
    assert chosen.fallback_reason is None


def test_the_intent_is_kept_on_an_accepted_answer() -> None:
    response = AgentActionResponse(action_id="grapple", intent="Slam him through the mat.")
    chosen = RULEBOOK.validate(make_state(), A_ID, response)
    assert chosen.intent == response.intent


# --- refused, with a reason and a legal fallback -----------------------------------------

ILLEGAL_CASES = [
    # (case id, action text, stipulation, alignment, actor gauges, target, words in the reason)
    (
        "weapon outside no_dq",
        "weapon",
        Stipulation.STANDARD,
        Alignment.HEEL,
        {},
        None,
        ("weapon", "no_dq"),
    ),
    (
        "weapon in submission_only",
        "weapon",
        Stipulation.SUBMISSION_ONLY,
        Alignment.HEEL,
        {},
        None,
        ("weapon", "no_dq"),
    ),
    (
        "cheat for a face",
        "cheat",
        Stipulation.STANDARD,
        Alignment.FACE,
        {},
        None,
        ("cheat", "heel"),
    ),
    (
        "cheat for a face in no_dq",
        "cheat",
        Stipulation.NO_DQ,
        Alignment.FACE,
        {},
        None,
        ("cheat", "heel"),
    ),
    (
        "submission in last man standing",
        "submission",
        Stipulation.LAST_MAN_STANDING,
        Alignment.FACE,
        {},
        None,
        ("submission", "last_man_standing"),
    ),
    (
        "pin in submission_only",
        "pin",
        Stipulation.SUBMISSION_ONLY,
        Alignment.FACE,
        {},
        None,
        ("pin", "submission_only"),
    ),
    (
        "pin in last man standing",
        "pin",
        Stipulation.LAST_MAN_STANDING,
        Alignment.FACE,
        {},
        None,
        ("pin", "last_man_standing"),
    ),
    (
        "signature below its momentum",
        "signature",
        Stipulation.STANDARD,
        Alignment.FACE,
        {"momentum": ACTIONS[ActionId.SIGNATURE].min_momentum - 1},
        None,
        ("signature", "momentum"),
    ),
    (
        "finisher below its momentum",
        "finisher",
        Stipulation.STANDARD,
        Alignment.FACE,
        {"momentum": ACTIONS[ActionId.FINISHER].min_momentum - 1},
        None,
        ("finisher", "momentum"),
    ),
    (
        "aerial without the stamina",
        "aerial",
        Stipulation.STANDARD,
        Alignment.FACE,
        {"stamina": ACTIONS[ActionId.AERIAL].stamina - 1},
        None,
        ("aerial", "stamina"),
    ),
    (
        "finisher without the stamina",
        "finisher",
        Stipulation.STANDARD,
        Alignment.FACE,
        {"momentum": 100, "stamina": ACTIONS[ActionId.FINISHER].stamina - 1},
        None,
        ("finisher", "stamina"),
    ),
    (
        "unknown action",
        "moonwalk",
        Stipulation.STANDARD,
        Alignment.FACE,
        {},
        None,
        ("unknown", "moonwalk"),
    ),
    ("empty action", "", Stipulation.STANDARD, Alignment.FACE, {}, None, ("unknown",)),
    (
        "target is the actor",
        "strike",
        Stipulation.STANDARD,
        Alignment.FACE,
        {},
        A_ID,
        ("target", str(A_ID)),
    ),
    (
        "target is nobody here",
        "strike",
        Stipulation.STANDARD,
        Alignment.FACE,
        {},
        12345,
        ("target", "12345"),
    ),
]


@pytest.mark.parametrize(
    ("action", "stipulation", "alignment", "gauges", "target", "words"),
    [pytest.param(*case[1:], id=case[0]) for case in ILLEGAL_CASES],
)
def test_illegal_answers_fall_back_with_a_specific_reason(
    action: str,
    stipulation: Stipulation,
    alignment: Alignment,
    gauges: dict[str, int],
    target: int | None,
    words: tuple[str, ...],
) -> None:
    setup = make_setup(make_wrestler(A_ID, alignment=alignment), stipulation=stipulation)
    state = make_state(setup, actor=gauges)
    if action in set(ActionId) and target is None:
        assert ActionId(action) not in RULEBOOK.legal_actions(state, A_ID)
        assert ActionId(action) not in {p.action_id for p in RULEBOOK.possible_actions(state, A_ID)}
    chosen = RULEBOOK.validate(state, A_ID, answer(action, target))
    assert chosen.fallback_reason is not None
    for word in words:
        assert word in chosen.fallback_reason
    assert chosen.action_id in RULEBOOK.legal_actions(state, A_ID)
    assert chosen.target_id == B_ID
    assert chosen.requested == action.strip().lower()


def test_no_decision_falls_back_with_a_reason() -> None:
    state = make_state()
    chosen = RULEBOOK.validate(state, A_ID, None)
    assert chosen.fallback_reason
    assert "decision" in chosen.fallback_reason
    assert chosen.action_id in RULEBOOK.legal_actions(state, A_ID)


@pytest.mark.parametrize("stipulation", list(Stipulation))
@pytest.mark.parametrize("stamina", [0, 1, 5, 19, 20, 50, 100])
def test_the_fallback_is_always_legal(stipulation: Stipulation, stamina: int) -> None:
    state = make_state(make_setup(stipulation=stipulation), actor={"stamina": stamina})
    assert RULEBOOK.fallback(state, A_ID) in RULEBOOK.legal_actions(state, A_ID)


def test_a_gassed_wrestler_falls_back_to_rest() -> None:
    state = make_state(actor={"stamina": 5})
    assert RULEBOOK.validate(state, A_ID, answer("moonwalk")).action_id is ActionId.REST


def test_a_fallback_is_what_the_step_applies_and_the_reason_is_recorded() -> None:
    state = make_state()
    _, tick = step(state, {A_ID: answer("weapon")}, random.Random(3))
    (applied,) = tick.applied_actions
    assert applied.requested == "weapon"
    assert applied.action_id is not ActionId.WEAPON
    assert applied.fallback_reason and "weapon" in applied.fallback_reason


def test_a_decision_for_the_wrong_wrestler_is_no_decision() -> None:
    state = make_state()
    _, tick = step(state, {B_ID: answer("strike")}, random.Random(3))
    (applied,) = tick.applied_actions
    assert applied.actor_id == A_ID
    assert applied.fallback_reason and "decision" in applied.fallback_reason


# --- resolution ------------------------------------------------------------------------

DAMAGING = [a for a, spec in ACTIONS.items() if spec.damage != (0, 0)]


@pytest.mark.parametrize("action", DAMAGING)
def test_damage_stays_within_the_tables_range_scaled(action: ActionId) -> None:
    low, high = ACTIONS[action].damage
    state = legal_state_for(action)
    landed = [a for a in resolve_many(state, A_ID, action, 200) if a.success]
    assert landed, "an even match should land the move sometimes"
    for applied in landed:
        if applied.dq_warning:
            continue  # the referee saw the cheat: the blow does not count
        # Even wrestlers: the scale stays near 1, whatever the tuning.
        assert math.floor(low * 0.5) <= applied.damage <= math.ceil(high * 1.5)
        assert applied.damage >= 1


@pytest.mark.parametrize("action", [ActionId.STRIKE, ActionId.GRAPPLE, ActionId.AERIAL])
def test_a_stronger_attacker_hits_harder(action: ActionId) -> None:
    def mean_damage(attack: int, toughness: int) -> float:
        stat = ACTIONS[action].main_stat
        assert stat is not None
        setup = make_setup(
            make_wrestler(A_ID, stat_values={stat: attack}),
            make_wrestler(B_ID, toughness=toughness),
        )
        landed = [a.damage for a in resolve_many(make_state(setup), A_ID, action) if a.success]
        return sum(landed) / len(landed)

    assert mean_damage(95, 10) > mean_damage(10, 95)


def test_bigger_moves_in_the_table_hit_harder() -> None:
    def mean_damage(action: ActionId) -> float:
        landed = [
            a.damage
            for a in resolve_many(legal_state_for(action), A_ID, action)
            if a.success and not a.dq_warning
        ]
        return sum(landed) / len(landed)

    for small in DAMAGING:
        for big in DAMAGING:
            if ACTIONS[small].damage[1] < ACTIONS[big].damage[0]:
                assert mean_damage(small) < mean_damage(big), (small, big)


@pytest.mark.parametrize("action", [a for a in ActionId if ACTIONS[a].stamina > 0])
def test_the_stamina_cost_is_applied(action: ActionId) -> None:
    state = legal_state_for(action)
    after, tick = step(state, {A_ID: answer(action)}, random.Random(11))
    (applied,) = tick.applied_actions
    assert applied.action_id is action
    assert applied.stamina_delta == -ACTIONS[action].stamina
    assert after.wrestler(A_ID).stamina == 100 - ACTIONS[action].stamina
    assert after.wrestler(B_ID).stamina == state.wrestler(B_ID).stamina


@pytest.mark.parametrize("stamina", [0, 10, 50, 90, 99, 100])
def test_rest_recovers_stamina_and_never_exceeds_100(stamina: int) -> None:
    state = make_state(actor={"stamina": stamina})
    after, tick = step(state, {A_ID: answer(ActionId.REST)}, random.Random(1))
    (applied,) = tick.applied_actions
    assert applied.action_id is ActionId.REST
    recovered = after.wrestler(A_ID).stamina
    assert recovered == min(100, stamina - ACTIONS[ActionId.REST].stamina)
    assert recovered <= 100
    assert recovered > stamina or stamina == 100
    assert applied.damage == 0
    assert after.wrestler(B_ID).health == state.wrestler(B_ID).health


def test_a_taunt_opens_a_counter_for_the_opponent() -> None:
    state = make_state()
    after, _ = step(state, {A_ID: answer(ActionId.TAUNT)}, random.Random(5))
    assert after.counter_open_for == B_ID
    spec = ACTIONS[ActionId.STRIKE]
    sheets = {s.id: s for s in state.setup.sheets}
    as_defender = after.model_copy(update={"next_actor_id": B_ID})
    closed = as_defender.model_copy(update={"counter_open_for": None})
    assert success_chance(spec, as_defender, sheets[B_ID], sheets[A_ID]) > success_chance(
        spec, closed, sheets[B_ID], sheets[A_ID]
    )


def test_the_counter_closes_after_the_next_action() -> None:
    state = make_state(counter_open_for=A_ID)
    after, _ = step(state, {A_ID: answer(ActionId.STRIKE)}, random.Random(5))
    assert after.counter_open_for is None


@pytest.mark.parametrize("momentum", [80, 90, 100])
def test_a_landed_finisher_resets_momentum(momentum: int) -> None:
    state = make_state(actor={"momentum": momentum})
    for seed in range(40):
        after, tick = step(state, {A_ID: answer(ActionId.FINISHER)}, random.Random(seed))
        (applied,) = tick.applied_actions
        if applied.success:
            assert after.wrestler(A_ID).momentum == FINISHER_MOMENTUM_RESET
            assert after.wrestler(B_ID).health < state.wrestler(B_ID).health
            break
    else:
        pytest.fail("the finisher never landed in 40 tries")


def test_a_missed_aerial_hurts_the_flyer_and_a_landed_one_does_not() -> None:
    setup = make_setup(make_wrestler(A_ID, agility=30), make_wrestler(B_ID, agility=70))
    state = make_state(setup)
    outcomes = resolve_many(state, A_ID, ActionId.AERIAL, 200)
    missed = [a for a in outcomes if not a.success]
    landed = [a for a in outcomes if a.success]
    assert missed and landed
    assert all(a.self_damage > 0 and a.damage == 0 for a in missed)
    assert all(a.self_damage == 0 for a in landed)
    miss = missed[0]
    assert miss.momentum_delta < 0


def test_a_missed_move_costs_momentum_and_a_landed_one_builds_it() -> None:
    setup = make_setup(make_wrestler(A_ID, power=50), make_wrestler(B_ID, power=50))
    outcomes = resolve_many(make_state(setup), A_ID, ActionId.GRAPPLE, 100)
    assert {a.momentum_delta for a in outcomes if a.success} == {
        ACTIONS[ActionId.GRAPPLE].momentum_win
    }
    assert {a.momentum_delta for a in outcomes if not a.success} == {
        ACTIONS[ActionId.GRAPPLE].momentum_lose
    }


def cheat_state(stipulation: Stipulation, warnings: int, booked: int | None = None) -> MatchState:
    setup = make_setup(
        make_wrestler(A_ID, alignment=Alignment.HEEL),
        stipulation=stipulation,
        booked_winner_id=booked,
    )
    return make_state(setup, actor={"warnings": warnings})


@pytest.mark.parametrize("stipulation", [s for s in Stipulation if s is not Stipulation.NO_DQ])
def test_a_first_cheat_may_draw_a_warning_but_never_a_dq(stipulation: Stipulation) -> None:
    outcomes = resolve_many(cheat_state(stipulation, 0), A_ID, ActionId.CHEAT)
    assert any(a.dq_warning for a in outcomes)
    assert any(not a.dq_warning and a.damage > 0 for a in outcomes)
    assert all(a.finish is None for a in outcomes)


@pytest.mark.parametrize("stipulation", [s for s in Stipulation if s is not Stipulation.NO_DQ])
def test_repeated_warnings_end_in_a_dq_outside_no_dq(stipulation: Stipulation) -> None:
    outcomes = resolve_many(cheat_state(stipulation, DQ_WARNINGS), A_ID, ActionId.CHEAT)
    dqs = [a for a in outcomes if a.finish is FinishMethod.DQ]
    assert dqs
    assert all(a.dq_warning for a in dqs)
    state = cheat_state(stipulation, DQ_WARNINGS)
    seed = next(s for s in range(300) if outcomes[s].finish is FinishMethod.DQ)
    after, _ = step(state, {A_ID: answer(ActionId.CHEAT)}, random.Random(seed))
    assert after.result is not None
    assert after.result.method is FinishMethod.DQ
    assert after.result.winner_ids == (B_ID,)
    assert after.result.loser_ids == (A_ID,)
    assert not after.result.method.changes_titles


@pytest.mark.parametrize("warnings", [0, DQ_WARNINGS, DQ_WARNINGS + 3])
def test_cheating_in_no_dq_never_draws_a_warning_or_a_dq(warnings: int) -> None:
    outcomes = resolve_many(cheat_state(Stipulation.NO_DQ, warnings), A_ID, ActionId.CHEAT)
    assert not any(a.dq_warning for a in outcomes)
    assert all(a.finish is None or a.finish.changes_titles for a in outcomes)
    assert any(a.success and a.damage > 0 for a in outcomes)


def test_a_booked_winner_is_never_disqualified_for_cheating() -> None:
    state = cheat_state(Stipulation.STANDARD, DQ_WARNINGS + 2, booked=A_ID)
    outcomes = resolve_many(state, A_ID, ActionId.CHEAT)
    assert any(a.dq_warning for a in outcomes)
    assert not any(a.finish is FinishMethod.DQ for a in outcomes)


def test_a_warning_is_counted_on_the_cheater() -> None:
    state = cheat_state(Stipulation.STANDARD, 0)
    outcomes = resolve_many(state, A_ID, ActionId.CHEAT, 100)
    seed = next(s for s, a in enumerate(outcomes) if a.dq_warning)
    after, _ = step(state, {A_ID: answer(ActionId.CHEAT)}, random.Random(seed))
    assert after.wrestler(A_ID).warnings == 1
    assert after.wrestler(B_ID).warnings == 0
