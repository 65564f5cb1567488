"""What flows through one tick: offered actions, the agent's context and answer, results."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_serializer

from engine.models.base import Frozen
from engine.models.enums import (
    ActionId,
    ControllerKind,
    FinishMethod,
    NarrativeMode,
    Phase,
    RequestStatus,
    Stipulation,
)
from engine.models.league import Wrestler
from engine.models.match import MatchState, WrestlerState


class PossibleAction(Frozen):
    action_id: ActionId
    description: str
    move_name: str
    target_ids: tuple[int, ...] = ()
    stamina_cost: int
    success_chance: float = Field(ge=0.0, le=1.0)


class EventContext(Frozen):
    """Everything an agent is shown when it is asked to act. Player text stays data."""

    request_id: str
    match_id: int
    tick: int
    actor: Wrestler
    actor_state: WrestlerState
    opponent: Wrestler
    opponent_state: WrestlerState
    stipulation: Stipulation
    phase: Phase
    heat: float
    mode: NarrativeMode = NarrativeMode.TICK
    possible_actions: tuple[PossibleAction, ...]
    recent: tuple[str, ...] = ()
    guidance: str = ""
    hints: tuple[str, ...] = ()
    booked_to_win: bool | None = None
    decision_seed: int = 0  # for deterministic offline choices; never shown to an LLM

    def action(self, action_id: ActionId) -> PossibleAction | None:
        for possible in self.possible_actions:
            if possible.action_id == action_id:
                return possible
        return None


class AgentActionResponse(Frozen):
    """An agent's answer. ``action_id`` is raw text: the RuleBook decides what it means."""

    action_id: str = Field(max_length=40)
    target_id: int | None = None
    intent: str = Field(default="", max_length=200)


class AppliedAction(Frozen):
    actor_id: int
    target_id: int
    requested: str
    action_id: ActionId
    move_name: str
    fallback_reason: str | None = None
    success: bool
    damage: int = 0
    self_damage: int = 0
    stamina_delta: int = 0
    momentum_delta: int = 0
    target_momentum_delta: int = 0
    heat_delta: float = 0.0
    pin_attempt: bool = False
    near_fall: bool = False
    count: int = 0  # referee's count reached on a pin or ten-count (1-3 / 1-10)
    dq_warning: bool = False
    finish: FinishMethod | None = None
    injury_weeks: int = 0
    intent: str = ""


class TickResult(Frozen):
    match_id: int
    tick_id: str
    time_index: int
    actor_id: int
    applied_actions: tuple[AppliedAction, ...]
    phase: Phase
    heat: float
    state_snapshot: MatchState  # the state after this tick; serialised without its setup
    narration: str = ""
    crowd_heat: float = Field(default=0.0, ge=0.0)  # the live crowd's input to this tick

    @field_serializer("state_snapshot")
    def _snapshot_without_setup(self, state: MatchState) -> dict[str, Any]:
        return state.snapshot()


class EngineRequest(Frozen):
    request_id: str
    match_id: int
    agent_id: int
    due_tick: int
    deadline_s: float
    controller: ControllerKind
    status: RequestStatus = RequestStatus.PENDING
    response: AgentActionResponse | None = None
    fallback_reason: str | None = None
    context: EventContext | None = None
