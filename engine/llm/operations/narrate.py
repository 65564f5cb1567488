"""narrate: an LLM calls one tick as play-by-play (prompt, schema, offline twin)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import Field
from typing_extensions import Unpack

from engine.llm.base import LLMRequest, LLMResponse
from engine.llm.operations.common import (
    STIPULATION_RULES,
    OperationSpec,
    RequestOptions,
    setup_facts,
    setup_from_facts,
    sheet_data,
)
from engine.llm.prompting import (
    DATA_POLICY,
    MATCH_DATA,
    fence,
    parse_reply,
    request_fences,
    schema_reminder,
)
from engine.models.base import Frozen
from engine.models.match import MatchResult, MatchSetup, MatchState, WrestlerState
from engine.models.tick import AppliedAction, TickResult
from engine.narration.offline import OfflineNarrator

OPERATION = "narrate"
MAX_CHARS = 400
MAX_TOKENS = 200
RECENT_LINES = 3


class NarrationReply(Frozen):
    text: str = Field(min_length=1, max_length=MAX_CHARS)


SPEC = OperationSpec(
    name=OPERATION, reply=NarrationReply, max_tokens=MAX_TOKENS, temperature=0.9, deadline_s=8.0
)


class NarrateInput(Frozen):
    before: MatchState
    tick: TickResult
    after: MatchState
    recent: tuple[str, ...] = ()


def validate_input(data: NarrateInput) -> NarrateInput:
    if data.tick.match_id != data.before.setup.match_id:
        raise ValueError("the tick belongs to another match")
    if not data.before.time_index < data.tick.time_index == data.after.time_index:
        raise ValueError("the tick does not sit between the two states")
    if not data.tick.applied_actions:
        raise ValueError("the tick has no action to narrate")
    return data


def system_prompt(setup: MatchSetup) -> str:
    """Stable for the whole match: role, style rules, the cast."""
    return "\n".join(
        (
            "You are the play-by-play voice of LLMFed, a simulated wrestling federation, with a "
            "colour commentator beside you. Call ONE tick in 1-3 vivid sentences "
            f"(at most {MAX_CHARS} characters).",
            "Use only the facts given: never change who did what, whether it landed, a count, or "
            "who won and how. Never mention booking, ids, numbers of health or the engine. No @ "
            "mentions, no markdown.",
            f"Stipulation {setup.stipulation.value}: {STIPULATION_RULES[setup.stipulation]}",
            DATA_POLICY,
            "## The cast",
            fence("wrestlers", [sheet_data(sheet) for sheet in setup.sheets]),
            fence("setup", setup_facts(setup), kind=MATCH_DATA),
        )
    )


def _state_facts(state: MatchState) -> dict[str, Any]:
    return {
        "time_index": state.time_index,
        "phase": state.phase.value,
        "heat": round(state.heat, 1),
        "wrestlers": [
            w.model_dump(
                mode="json", include={"wrestler_id", "health", "stamina", "momentum", "warnings"}
            )
            for w in state.wrestlers
        ],
        "result": None if state.result is None else state.result.model_dump(mode="json"),
    }


def _action_facts(applied: AppliedAction) -> dict[str, Any]:
    # The raw request and the RuleBook's fallback reason are engine internals: never narrated.
    clean = applied.model_copy(
        update={"requested": applied.action_id.value, "fallback_reason": None}
    )
    return clean.model_dump(mode="json", exclude_defaults=True)


def user_prompt(data: NarrateInput) -> str:
    tick = data.tick
    facts = {
        "tick": tick.time_index,
        "actor_id": tick.actor_id,
        "actions": [_action_facts(applied) for applied in tick.applied_actions],
    }
    return "\n".join(
        (
            f"Tick {tick.time_index}.",
            "Recent play-by-play (do not repeat it):",
            fence("recent", list(data.recent[-RECENT_LINES:])),
            "This tick:",
            fence("tick", facts, kind=MATCH_DATA),
            "Before and after:",
            fence("before", _state_facts(data.before), kind=MATCH_DATA),
            fence("after", _state_facts(data.after), kind=MATCH_DATA),
            schema_reminder(NarrationReply),
        )
    )


def build_request(data: NarrateInput, model: str, **options: Unpack[RequestOptions]) -> LLMRequest:
    data = validate_input(data)
    setup = data.before.setup
    return SPEC.request(
        model,
        options,
        system=system_prompt(setup),
        user=user_prompt(data),
        seed=setup.seed,
        match_id=setup.match_id,
        tick=data.tick.time_index,
    )


def parse(response: LLMResponse) -> NarrationReply:
    return parse_reply(NarrationReply, response)


def _state_from_facts(setup: MatchSetup, facts: dict[str, Any], next_actor: int) -> MatchState:
    result = facts["result"]
    return MatchState(
        setup=setup,
        time_index=facts["time_index"],
        wrestlers=tuple(WrestlerState(**w) for w in facts["wrestlers"]),
        heat=facts["heat"],
        phase=facts["phase"],
        next_actor_id=next_actor,
        result=None if result is None else MatchResult(**result),
    )


def input_from_request(request: LLMRequest) -> NarrateInput:
    """Read the tick and both states back out of a narrate prompt (what the offline twin sees)."""
    data = request_fences(request)
    setup = setup_from_facts(data["setup"], data["wrestlers"], request.seed)
    tick_facts = data["tick"]
    actor = tick_facts["actor_id"]
    before = _state_from_facts(setup, data["before"], actor)
    after = _state_from_facts(setup, data["after"], actor)
    tick = TickResult(
        match_id=setup.match_id,
        tick_id=f"{setup.match_id}:{tick_facts['tick']}",
        time_index=tick_facts["tick"],
        actor_id=actor,
        applied_actions=tuple(AppliedAction(**a) for a in tick_facts["actions"]),
        phase=after.phase,
        heat=after.heat,
        state_snapshot=after,
    )
    return NarrateInput(before=before, tick=tick, after=after, recent=tuple(data["recent"]))


def offline(request: LLMRequest) -> dict[str, Any]:
    """The OfflineNarrator's telling of the tick in the request."""
    data = input_from_request(request)
    text = OfflineNarrator(MAX_CHARS).narrate_sync(data.before, data.tick, data.after, data.recent)
    return NarrationReply(text=text).model_dump()


def narrate_input(
    before: MatchState, tick: TickResult, after: MatchState, recent: Sequence[str]
) -> NarrateInput:
    return NarrateInput(before=before, tick=tick, after=after, recent=tuple(recent))
