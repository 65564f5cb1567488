"""RuleBook: which actions are legal for whom, and turning an agent's answer into a legal one."""

from __future__ import annotations

from dataclasses import dataclass

from engine.memo import IdentityMemo
from engine.models.enums import ActionId, Stipulation
from engine.models.league import Wrestler
from engine.models.match import MatchSetup, MatchState, WrestlerState
from engine.models.tick import AgentActionResponse, PossibleAction
from engine.rules.actions import ACTIONS, ActionSpec
from engine.rules.chances import base_chance, chance_now
from engine.rules.moves import default_move_name


class ValidatedAction:
    """The RuleBook's verdict on an answer: the legal action to apply and why it changed."""

    __slots__ = ("action_id", "fallback_reason", "intent", "requested", "target_id")

    def __init__(
        self,
        action_id: ActionId,
        target_id: int,
        requested: str,
        intent: str,
        fallback_reason: str | None,
    ) -> None:
        self.action_id = action_id
        self.target_id = target_id
        self.requested = requested
        self.intent = intent
        self.fallback_reason = fallback_reason


def illegal_reason(
    spec: ActionSpec, actor: Wrestler, state: WrestlerState, stipulation: Stipulation
) -> str | None:
    """Why ``spec`` is not legal for this actor now, or None when it is."""
    if stipulation in spec.forbidden_in:
        return f"{spec.id} is not allowed in a {stipulation} match"
    if spec.only_in is not None and stipulation not in spec.only_in:
        allowed = ", ".join(sorted(spec.only_in))
        return f"{spec.id} is only allowed in: {allowed}"
    if spec.alignments is not None and actor.alignment not in spec.alignments:
        return f"{spec.id} is only for heels and tweeners"
    if state.momentum < spec.min_momentum:
        return f"{spec.id} needs momentum {spec.min_momentum} (has {state.momentum})"
    if spec.stamina > 0 and state.stamina < spec.stamina:
        return f"{spec.id} needs stamina {spec.stamina} (has {state.stamina})"
    return None


@dataclass(frozen=True)
class _Offer:
    """What offering an action to one wrestler in one match always looks like."""

    spec: ActionSpec
    move_name: str
    target_ids: tuple[int, ...]
    base_chance: float | None


def _offers(setup: MatchSetup) -> dict[int, tuple[_Offer, ...]]:
    """Every action as offered to each wrestler of a match, by wrestler id."""
    offers = {}
    for actor in setup.sheets:
        opponent = next(sheet for sheet in setup.sheets if sheet.id != actor.id)
        offers[actor.id] = tuple(
            _Offer(
                spec,
                default_move_name(action_id, actor),
                (opponent.id,) if action_id is not ActionId.REST else (),
                base_chance(spec, actor, opponent),
            )
            for action_id, spec in ACTIONS.items()
        )
    return offers


class RuleBook:
    """One instance can serve every match. Its only memory is a memo of each live match's
    fixed offers (move names, stat-based chances): it never changes an answer."""

    def __init__(self) -> None:
        self._offers = IdentityMemo(_offers, size=2048)

    def legal_actions(self, state: MatchState, actor_id: int) -> list[ActionId]:
        actor = state.setup.sheet(actor_id)
        actor_state = state.wrestler(actor_id)
        stipulation = state.setup.stipulation
        return [
            action_id
            for action_id, spec in ACTIONS.items()
            if illegal_reason(spec, actor, actor_state, stipulation) is None
        ]

    def possible_actions(self, state: MatchState, actor_id: int) -> tuple[PossibleAction, ...]:
        actor = state.setup.sheet(actor_id)
        actor_state = state.wrestler(actor_id)
        stipulation = state.setup.stipulation
        countered = state.counter_open_for == actor_id
        return tuple(
            PossibleAction(
                action_id=offer.spec.id,
                description=offer.spec.description,
                move_name=offer.move_name,
                target_ids=offer.target_ids,
                stamina_cost=offer.spec.stamina,
                success_chance=round(
                    chance_now(offer.base_chance, actor_state, countered=countered), 2
                ),
            )
            for offer in self._offers(state.setup)[actor_id]
            if illegal_reason(offer.spec, actor, actor_state, stipulation) is None
        )

    def validate(
        self, state: MatchState, actor_id: int, response: AgentActionResponse | None
    ) -> ValidatedAction:
        """Accept a legal answer as-is; otherwise pick a legal fallback and say why."""
        opponent_id = state.opponent_of(actor_id).wrestler_id
        if response is None:
            return ValidatedAction(
                self.fallback(state, actor_id), opponent_id, "", "", "no decision was made"
            )
        requested = response.action_id.strip().lower()
        reason: str | None = None
        try:
            action_id = ActionId(requested)
        except ValueError:
            reason = f"unknown action {response.action_id[:40]!r}"
        else:
            spec = ACTIONS[action_id]
            actor = state.setup.sheet(actor_id)
            reason = illegal_reason(spec, actor, state.wrestler(actor_id), state.setup.stipulation)
            if reason is None and response.target_id not in (None, opponent_id):
                reason = f"target {response.target_id} is not an opponent in this match"
            if reason is None:
                return ValidatedAction(action_id, opponent_id, requested, response.intent, None)
        return ValidatedAction(
            self.fallback(state, actor_id), opponent_id, requested, response.intent, reason
        )

    def fallback(self, state: MatchState, actor_id: int) -> ActionId:
        """A safe, always-legal choice: rest when gassed, otherwise the basic strike."""
        stamina = state.wrestler(actor_id).stamina
        legal = self.legal_actions(state, actor_id)
        if stamina < 20 or ActionId.STRIKE not in legal:
            return ActionId.REST
        return ActionId.STRIKE
