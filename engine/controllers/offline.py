"""The offline controller: a deterministic, character-aware policy that needs no network."""

from __future__ import annotations

import random

from engine.models.enums import ActionId, Alignment, ControllerKind, Stipulation, StylePreset
from engine.models.tick import AgentActionResponse, EventContext

_STYLE_BIAS: dict[StylePreset, dict[ActionId, float]] = {
    StylePreset.POWERHOUSE: {ActionId.GRAPPLE: 2.0, ActionId.STRIKE: 1.3, ActionId.AERIAL: 0.4},
    StylePreset.TECHNICIAN: {ActionId.TECHNICAL: 2.0, ActionId.SUBMISSION: 1.8},
    StylePreset.HIGH_FLYER: {ActionId.AERIAL: 2.6, ActionId.STRIKE: 1.1, ActionId.GRAPPLE: 0.6},
    StylePreset.BRAWLER: {ActionId.STRIKE: 2.0, ActionId.WEAPON: 1.5, ActionId.TECHNICAL: 0.6},
    StylePreset.SHOWMAN: {ActionId.TAUNT: 2.2, ActionId.AERIAL: 1.2},
    StylePreset.ALL_ROUNDER: {},
}


def action_weights(context: EventContext) -> dict[ActionId, float]:
    """How much this character wants each legal action right now."""
    me, them = context.actor_state, context.opponent_state
    sheet = context.actor
    bias = _STYLE_BIAS.get(sheet.style, {})
    worn = them.damage / 100
    weights: dict[ActionId, float] = {}
    for possible in context.possible_actions:
        action = possible.action_id
        weight = {
            ActionId.STRIKE: 2.0,
            ActionId.GRAPPLE: 1.8,
            ActionId.TECHNICAL: 1.8,
            ActionId.AERIAL: 0.7 + sheet.stats.agility / 100,
            ActionId.SUBMISSION: 0.5 + worn * 2.0,
            ActionId.PIN: 0.1 + worn**1.2 * 10.0,
            ActionId.SIGNATURE: 3.0,
            ActionId.FINISHER: 6.0 + worn * 10.0,
            ActionId.TAUNT: 0.3 + sheet.stats.charisma / 120,
            ActionId.REST: 0.05,
            ActionId.CHEAT: 1.6 if sheet.alignment is Alignment.HEEL else 0.5,
            ActionId.WEAPON: 2.2,
        }[action]
        weight *= bias.get(action, 1.0)
        if action is ActionId.PIN and context.opponent_state.wrestler_id == _finisher_victim(
            context
        ):
            weight += 12.0
        elif action is ActionId.PIN and me.last_actions[-1:] == (ActionId.SIGNATURE,):
            weight += 4.0
        if action is ActionId.SUBMISSION and context.stipulation is Stipulation.SUBMISSION_ONLY:
            weight *= 2.5
        if action is ActionId.REST:
            weight += 6.0 if me.stamina < 20 else 1.5 if me.stamina < 35 else 0.0
        if (
            action is ActionId.CHEAT
            and me.warnings >= 2
            and context.stipulation is not (Stipulation.NO_DQ)
        ):
            weight *= 0.05  # one more and it is a DQ: even heels know that
        if action is ActionId.TAUNT and 68 <= me.momentum < 80:
            weight *= 1.8  # one more pop and the finisher is there
        if action in me.last_actions[-2:]:
            weight *= 0.45
        weights[action] = max(weight, 0.01)
    return weights


def _finisher_victim(context: EventContext) -> int | None:
    """The opponent lies flat after our finisher: the recent list says so."""
    last = context.actor_state.last_actions[-1:] if context.actor_state.last_actions else ()
    return context.opponent_state.wrestler_id if last == (ActionId.FINISHER,) else None


def choose(context: EventContext, rng: random.Random) -> AgentActionResponse:
    weights = action_weights(context)
    actions = sorted(weights, key=lambda a: a.value)
    action = rng.choices(actions, weights=[weights[a] for a in actions])[0]
    possible = context.action(action)
    move = possible.move_name if possible else action.value
    intent = _intent(action, move, context)
    target = context.opponent.id if action is not ActionId.REST else None
    return AgentActionResponse(action_id=action.value, target_id=target, intent=intent[:200])


def _intent(action: ActionId, move: str, context: EventContext) -> str:
    opponent = context.opponent.name
    if action is ActionId.FINISHER:
        return f"Put {opponent} away with the {move}."
    if action is ActionId.PIN:
        return f"Hook the leg and get the three on {opponent}."
    if action is ActionId.REST:
        return "Catch my breath before the next exchange."
    if action is ActionId.TAUNT:
        return "Get the crowd behind me."
    if action is ActionId.CHEAT:
        return "Bend the rules while the referee isn't looking."
    return f"Wear {opponent} down with a {move}."


class OfflineController:
    """Deterministic: the same context (and seed) always gives the same answer."""

    kind = ControllerKind.OFFLINE

    async def decide(self, context: EventContext) -> AgentActionResponse:
        return choose(context, random.Random(context.decision_seed))
