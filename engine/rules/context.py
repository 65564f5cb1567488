"""Building the EventContext an agent sees when it is its turn to act."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from engine.models.enums import NarrativeMode, Phase
from engine.models.match import MatchState
from engine.models.tick import EventContext
from engine.rules.rulebook import RuleBook

_PHASE_GUIDANCE: dict[Phase, str] = {
    Phase.OPENING: "Feeling-out process: establish your style, nothing too risky yet.",
    Phase.HEAT: "Build the story: work over your opponent or fight from underneath.",
    Phase.COMEBACK: "The momentum is swinging: big moves, near falls, make the crowd believe.",
    Phase.FINISH: "Closing stretch: signature moves, finishers and pinfall attempts.",
}


def request_id(match_id: int, time_index: int, agent_id: int) -> str:
    return f"m{match_id}-t{time_index}-w{agent_id}"


def decision_seed(match_seed: int, time_index: int, agent_id: int) -> int:
    return zlib.crc32(f"{match_seed}:{time_index}:{agent_id}".encode())


def build_context(
    state: MatchState,
    actor_id: int,
    rulebook: RuleBook,
    mode: NarrativeMode = NarrativeMode.TICK,
    recent: Sequence[str] = (),
    hints: Sequence[str] = (),
) -> EventContext:
    setup = state.setup
    opponent_state = state.opponent_of(actor_id)
    booked = setup.booked_winner_id
    guidance = _PHASE_GUIDANCE[state.phase]
    if mode is not NarrativeMode.TICK:
        guidance += " Your choices will be retold in a rewritten segment; the facts stand."
    return EventContext(
        request_id=request_id(setup.match_id, state.time_index, actor_id),
        match_id=setup.match_id,
        tick=state.time_index,
        actor=setup.sheet(actor_id),
        actor_state=state.wrestler(actor_id),
        opponent=setup.sheet(opponent_state.wrestler_id),
        opponent_state=opponent_state,
        stipulation=setup.stipulation,
        phase=state.phase,
        heat=round(state.heat, 1),
        mode=mode,
        possible_actions=rulebook.possible_actions(state, actor_id),
        recent=tuple(recent[-3:]),
        guidance=guidance,
        hints=tuple(hints),
        booked_to_win=None if booked is None else booked == actor_id,
        decision_seed=decision_seed(setup.seed, state.time_index, actor_id),
    )
