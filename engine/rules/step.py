"""The engine step: a pure function of (state, decisions, rng) -> (next state, TickResult)."""

from __future__ import annotations

import random
from collections.abc import Mapping

from engine.models.enums import ActionId, FinishMethod, Phase, Stipulation
from engine.models.match import MatchResult, MatchSetup, MatchState, MatchTally, WrestlerState
from engine.models.tick import AgentActionResponse, AppliedAction, TickResult
from engine.rules.heat import clamp_heat, starting_heat, tick_heat
from engine.rules.resolve import resolve
from engine.rules.rulebook import RuleBook
from engine.rules.scheduler import TickScheduler

RULEBOOK = RuleBook()
SCHEDULER = TickScheduler()
LAST_ACTIONS_KEPT = 4
_SEED_MIX = 0x9E3779B97F4A7C15


def tick_rng(seed: int, time_index: int) -> random.Random:
    """The RNG for one tick, derived from the match seed: replay and resume need no RNG state."""
    return random.Random((seed * _SEED_MIX + time_index) & 0xFFFF_FFFF_FFFF_FFFF)


def initial_state(setup: MatchSetup) -> MatchState:
    ids = tuple(sheet.id for sheet in setup.sheets)
    if len(ids) != 2 or ids[0] == ids[1]:
        raise ValueError("a match needs two different wrestlers")
    rng = tick_rng(setup.seed, 0)
    wrestlers = tuple(
        WrestlerState(wrestler_id=sheet.id, momentum=min(100, 15 + sheet.momentum // 5))
        for sheet in setup.sheets
    )
    heat = starting_heat(setup.tier, setup.sheets, setup.title_match)
    return MatchState(
        setup=setup,
        wrestlers=wrestlers,
        heat=heat,
        next_actor_id=SCHEDULER.first_actor(ids, rng),
    )


def step(
    state: MatchState,
    decisions: Mapping[int, AgentActionResponse | None],
    rng: random.Random,
    crowd_heat: float = 0.0,
) -> tuple[MatchState, TickResult]:
    """``crowd_heat`` is the live crowd's contribution this tick (reactions in Discord): an
    explicit input, recorded on the TickResult, so a replay feeds it back and stays exact."""
    if state.finished:
        raise ValueError("the match is already finished")
    if crowd_heat < 0:
        raise ValueError("crowd heat cannot be negative")
    actor_id = state.next_actor_id
    chosen = RULEBOOK.validate(state, actor_id, decisions.get(actor_id))
    applied = resolve(state, chosen, rng)
    after = _apply(state, applied, rng, crowd_heat)
    return after, TickResult(
        match_id=state.setup.match_id,
        tick_id=f"{state.setup.match_id}:{after.time_index}",
        time_index=after.time_index,
        actor_id=actor_id,
        applied_actions=(applied,),
        phase=after.phase,
        heat=after.heat,
        state_snapshot=after,
        crowd_heat=crowd_heat,
    )


def _apply(
    state: MatchState, applied: AppliedAction, rng: random.Random, crowd_heat: float = 0.0
) -> MatchState:
    actor = state.wrestler(applied.actor_id)
    target = state.wrestler(applied.target_id)
    actor_after = actor.model_copy(
        update={
            "health": _gauge(actor.health - applied.self_damage),
            "stamina": _gauge(actor.stamina + applied.stamina_delta),
            "momentum": _gauge(actor.momentum + applied.momentum_delta),
            "last_actions": (*actor.last_actions, applied.action_id)[-LAST_ACTIONS_KEPT:],
            "warnings": actor.warnings + (1 if applied.dq_warning else 0),
        }
    )
    target_after = target.model_copy(
        update={
            "health": _gauge(target.health - applied.damage),
            "momentum": _gauge(target.momentum + applied.target_momentum_delta),
            "kicked_out": target.kicked_out + (1 if applied.near_fall else 0),
        }
    )
    time_index = state.time_index + 1
    comeback = _is_comeback(actor, target, actor_after, target_after)
    heat = tick_heat(state.heat, applied, actor.last_actions, comeback)
    if crowd_heat:
        heat = clamp_heat(heat + crowd_heat)
    tally = _tally(state.tally, applied, actor.last_actions, comeback, heat)
    wrestlers = tuple(
        actor_after
        if w.wrestler_id == actor.wrestler_id
        else target_after
        if w.wrestler_id == target.wrestler_id
        else w
        for w in state.wrestlers
    )
    result = _result(state, applied, time_index)
    if applied.action_id is ActionId.FINISHER and applied.success:
        after_finisher_on: int | None = applied.target_id
    elif applied.actor_id == state.after_finisher_on:
        # The victim is still reeling on their own turn: the mark stays for the cover.
        after_finisher_on = state.after_finisher_on
    else:
        after_finisher_on = None
    counter_open_for = applied.target_id if applied.action_id is ActionId.TAUNT else None
    phase = _next_phase(state, wrestlers, tally, time_index)
    landed = applied.success and applied.action_id not in (ActionId.REST, ActionId.PIN)
    next_actor = SCHEDULER.next_actor(
        wrestlers, actor.wrestler_id, landed, state.initiative_streak, rng
    )
    streak = state.initiative_streak + 1 if next_actor == actor.wrestler_id else 0
    return state.model_copy(
        update={
            "time_index": time_index,
            "wrestlers": wrestlers,
            "heat": heat,
            "tally": tally,
            "result": result,
            "after_finisher_on": after_finisher_on,
            "counter_open_for": counter_open_for,
            "phase": phase,
            "next_actor_id": next_actor,
            "initiative_streak": streak,
        }
    )


def _gauge(value: int) -> int:
    return 0 if value < 0 else 100 if value > 100 else value


def _is_comeback(
    actor: WrestlerState,
    target: WrestlerState,
    actor_after: WrestlerState,
    target_after: WrestlerState,
) -> bool:
    """The wrestler who is behind on health takes the momentum lead back."""
    was_behind = actor.health < target.health and actor.momentum + 10 <= target.momentum
    return was_behind and actor_after.momentum > target_after.momentum + 5


def _tally(
    tally: MatchTally,
    applied: AppliedAction,
    previous: tuple[ActionId, ...],
    comeback: bool,
    heat: float,
) -> MatchTally:
    counts = dict(tally.action_counts)
    counts[applied.action_id.value] = counts.get(applied.action_id.value, 0) + 1
    injuries = tally.injuries
    if applied.injury_weeks:
        # A landed big spot hurts the target; a missed one (self damage) hurts the flyer.
        hurt = applied.target_id if applied.success else applied.actor_id
        injuries = {**injuries, hurt: max(injuries.get(hurt, 0), applied.injury_weeks)}
    landed = applied.success
    return MatchTally(
        near_falls=tally.near_falls + (1 if applied.near_fall else 0),
        signatures=tally.signatures
        + (1 if landed and applied.action_id is ActionId.SIGNATURE else 0),
        finishers=tally.finishers + (1 if landed and applied.action_id is ActionId.FINISHER else 0),
        comebacks=tally.comebacks + (1 if comeback else 0),
        taunts_landed=tally.taunts_landed
        + (1 if landed and applied.action_id is ActionId.TAUNT else 0),
        rests=tally.rests + (1 if applied.action_id is ActionId.REST else 0),
        repeats=tally.repeats + (1 if applied.action_id in previous[-2:] else 0),
        heat_sum=tally.heat_sum + heat,
        heat_peak=max(tally.heat_peak, heat),
        action_counts=counts,
        injuries=injuries,
    )


def _result(state: MatchState, applied: AppliedAction, time_index: int) -> MatchResult | None:
    finish_move = (
        state.setup.sheet(applied.actor_id).finisher
        if (state.after_finisher_on == applied.target_id)
        else None
    )
    if applied.finish is FinishMethod.DQ:
        return MatchResult(
            winner_ids=(applied.target_id,),
            loser_ids=(applied.actor_id,),
            method=FinishMethod.DQ,
            tick=time_index,
        )
    if applied.finish is not None:
        if applied.action_id is ActionId.FINISHER:
            finish_move = applied.move_name
        return MatchResult(
            winner_ids=(applied.actor_id,),
            loser_ids=(applied.target_id,),
            method=applied.finish,
            tick=time_index,
            finisher_move=finish_move,
        )
    if time_index >= state.setup.max_ticks:
        booked = state.setup.booked_winner_id
        if booked is not None:
            # The booked finish lands at the bell: the promoter's word is final.
            loser = state.opponent_of(booked).wrestler_id
            return MatchResult(
                winner_ids=(booked,),
                loser_ids=(loser,),
                method=_booked_method(state.setup.stipulation),
                tick=time_index,
                finisher_move=state.setup.sheet(booked).finisher,
            )
        return MatchResult(method=FinishMethod.TIME_LIMIT, tick=time_index)
    return None


def _booked_method(stipulation: Stipulation) -> FinishMethod:
    if stipulation is Stipulation.SUBMISSION_ONLY:
        return FinishMethod.SUBMISSION
    if stipulation is Stipulation.LAST_MAN_STANDING:
        return FinishMethod.KO
    return FinishMethod.PINFALL


def _next_phase(
    state: MatchState, wrestlers: tuple[WrestlerState, ...], tally: MatchTally, time_index: int
) -> Phase:
    healths = [w.health for w in wrestlers]
    momenta = [w.momentum for w in wrestlers]
    if min(healths) <= 35 or tally.finishers > 0 or time_index >= state.setup.max_ticks * 0.75:
        wanted = Phase.FINISH
    elif tally.comebacks > 0 and state.phase in (Phase.HEAT, Phase.COMEBACK):
        wanted = Phase.COMEBACK
    elif max(healths) - min(healths) >= 12 or max(momenta) >= 50 or time_index >= 8:
        wanted = Phase.HEAT
    else:
        wanted = Phase.OPENING
    return wanted if state.phase.can_move_to(wanted) else state.phase
