"""Resolving one validated action into an AppliedAction: rolls, damage, pins, counts, DQ."""

from __future__ import annotations

import random

from engine.models.enums import ActionId, FinishMethod, Phase, Stipulation
from engine.models.match import MatchState
from engine.models.tick import AppliedAction
from engine.rules.actions import ACTIONS, FINISHER_MOMENTUM_RESET
from engine.rules.chances import (
    attack_stat,
    beat_count_chance,
    pin_chance,
    success_chance,
    tap_chance,
)
from engine.rules.moves import move_name
from engine.rules.rulebook import ValidatedAction

KO_THRESHOLD = 0  # health at which a referee stops a standard match
TEN_COUNT_HEALTH = 30  # last man standing: a big spot on a defender this low starts a count
INJURY_CHANCE = 0.015
DQ_WARNINGS = 2  # the third time the referee sees a cheat, it is a disqualification


def resolve(state: MatchState, chosen: ValidatedAction, rng: random.Random) -> AppliedAction:
    setup = state.setup
    actor = setup.sheet(_actor_id(state, chosen))
    defender = setup.sheet(chosen.target_id)
    actor_state = state.wrestler(actor.id)
    defender_state = state.wrestler(defender.id)
    spec = ACTIONS[chosen.action_id]
    base = {
        "actor_id": actor.id,
        "target_id": defender.id,
        "requested": chosen.requested,
        "action_id": spec.id,
        "move_name": move_name(spec.id, actor, rng),
        "fallback_reason": chosen.fallback_reason,
        "intent": chosen.intent,
        "stamina_delta": -min(spec.stamina, actor_state.stamina)
        if spec.stamina > 0
        else min(-spec.stamina, 100 - actor_state.stamina),
    }
    booked = setup.booked_winner_id
    protect_defender = booked is not None and booked == defender.id
    late = state.time_index >= setup.max_ticks * 0.6

    if spec.id is ActionId.REST:
        return AppliedAction(
            **base, success=True, momentum_delta=spec.momentum_win, heat_delta=spec.heat
        )

    if spec.id is ActionId.PIN:
        after_finisher = state.after_finisher_on == defender.id
        chance = pin_chance(defender_state, defender, after_finisher)
        if booked is not None and booked == actor.id and not late:
            chance *= 0.5  # the booked finish comes late: keep the story going
        roll = rng.random()
        if roll < chance and not protect_defender:
            return AppliedAction(
                **base,
                success=True,
                pin_attempt=True,
                count=3,
                momentum_delta=spec.momentum_win,
                heat_delta=6.0,
                finish=FinishMethod.PINFALL,
            )
        near = defender_state.damage >= 30 or after_finisher or roll < chance * 1.6
        return AppliedAction(
            **base,
            success=False,
            pin_attempt=True,
            near_fall=near,
            count=2 if near else 1,
            momentum_delta=spec.momentum_lose if not near else 0,
            target_momentum_delta=4 if near else 2,
            heat_delta=6.0 if near else spec.heat,
        )

    chance = success_chance(spec, state, actor, defender)
    if rng.random() >= chance:
        self_damage = rng.randint(4, 8) if spec.id is ActionId.AERIAL else 0
        injury = rng.randint(1, 3) if self_damage and rng.random() < INJURY_CHANCE else 0
        return AppliedAction(
            **base,
            success=False,
            self_damage=self_damage,
            injury_weeks=injury,
            momentum_delta=spec.momentum_lose,
            target_momentum_delta=3,
            heat_delta=spec.heat * 0.3 if spec.big_spot else -0.5,
        )

    low, high = spec.damage
    damage = 0
    if high:
        scale = 0.85 + (attack_stat(spec, actor) - defender.stats.toughness) / 300
        if state.phase is Phase.FINISH:
            scale += 0.2  # the closing stretch hits harder: matches do not drag on
        elif state.phase is Phase.OPENING:
            scale -= 0.2  # feeling each other out: no squash in the first minutes
        damage = max(1, round(rng.randint(low, high) * scale))
    momentum = spec.momentum_win
    if spec.id is ActionId.FINISHER:
        momentum = FINISHER_MOMENTUM_RESET - actor_state.momentum
    heat = spec.heat
    if spec.id is ActionId.TAUNT:
        heat += (actor.stats.charisma - 40) / 20
    injury = 0
    if spec.big_spot and rng.random() < INJURY_CHANCE:
        injury = rng.randint(1, 4)
    applied = {
        **base,
        "success": True,
        "damage": damage,
        "momentum_delta": momentum,
        "target_momentum_delta": -1 if damage else 0,
        "heat_delta": heat,
        "injury_weeks": injury,
    }

    if spec.id is ActionId.CHEAT and setup.stipulation is not Stipulation.NO_DQ:
        # The referee may see it. Booked winners get away with it: the promoter decides.
        seen = rng.random() < 0.2 + 0.1 * actor_state.warnings
        if seen and booked != actor.id and actor_state.warnings >= DQ_WARNINGS:
            return AppliedAction(
                **{**applied, "damage": 0, "heat_delta": 5.0},
                dq_warning=True,
                finish=FinishMethod.DQ,
            )
        if seen:
            return AppliedAction(
                **{**applied, "damage": 0, "momentum_delta": -4, "heat_delta": 1.5}, dq_warning=True
            )

    remaining = defender_state.health - damage
    if spec.id is ActionId.SUBMISSION:
        worn = defender_state.model_copy(update={"health": max(0, remaining)})
        chance = tap_chance(worn, defender, actor)
        if booked is not None and booked == actor.id and not late:
            chance *= 0.5
        roll = rng.random()
        if roll < chance and not protect_defender:
            return AppliedAction(**applied, finish=FinishMethod.SUBMISSION)
        if roll < chance * 1.8 or worn.damage >= 50:
            return AppliedAction(
                **{**applied, "heat_delta": heat + 3.0, "target_momentum_delta": 3}, near_fall=True
            )
        return AppliedAction(**applied)

    if setup.stipulation is Stipulation.LAST_MAN_STANDING:
        knocks_down = spec.big_spot or spec.id is ActionId.GRAPPLE
        if knocks_down and remaining <= TEN_COUNT_HEALTH:
            worn = defender_state.model_copy(update={"health": max(0, remaining)})
            beat = beat_count_chance(worn, defender)
            if protect_defender or rng.random() < beat:
                count = rng.randint(5, 9)
                return AppliedAction(
                    **{**applied, "heat_delta": heat + 4.0, "target_momentum_delta": 4},
                    near_fall=count >= 7,
                    count=count,
                )
            return AppliedAction(**applied, count=10, finish=FinishMethod.KO)
        return AppliedAction(**applied)

    if (
        remaining <= KO_THRESHOLD
        and spec.big_spot
        and setup.stipulation is not Stipulation.SUBMISSION_ONLY
        and not protect_defender
    ):
        return AppliedAction(**applied, finish=FinishMethod.KO)
    return AppliedAction(**applied)


def _actor_id(state: MatchState, chosen: ValidatedAction) -> int:
    return state.opponent_of(chosen.target_id).wrestler_id
