"""choose_action: an LLM picks one offered action for a wrestler (prompt, schema, offline twin)."""

from __future__ import annotations

import random
from typing import Any

from pydantic import Field
from typing_extensions import Unpack

from engine.controllers.offline import choose
from engine.llm.base import LLMRequest, LLMResponse
from engine.llm.operations.common import (
    RULES_SUMMARY,
    STIPULATION_RULES,
    OperationSpec,
    RequestOptions,
    condition_data,
    condition_from_data,
    sheet_data,
    wrestler_from_sheet,
)
from engine.llm.prompting import (
    DATA_POLICY,
    MATCH_DATA,
    clean_text,
    fence,
    parse_reply,
    request_fences,
    schema_reminder,
)
from engine.memo import IdentityMemo
from engine.models.base import Frozen
from engine.models.enums import ActionId, NarrativeMode, Phase, Stipulation
from engine.models.league import Wrestler
from engine.models.tick import AgentActionResponse, EventContext, PossibleAction
from engine.rules.actions import ACTIONS
from engine.rules.context import request_id

OPERATION = "choose_action"
MAX_TOKENS = 150
RECENT_LINES = 2
RECENT_CAP = 120
MAX_HINTS = 3
HINT_CAP = 120
OPPONENT_GIMMICK_CAP = 80
SECTIONS = (
    "## Character sheet",
    "## Your condition",
    "## Available actions",
    "## Match context",
    "## Scheduler guidance",
    "## Promoter notes",
    "## Reply format",
)


class ActionChoice(Frozen):
    """The reply. ``action_id`` stays free text: the RuleBook turns an unknown id into a legal
    fallback and records why, so the match always follows the rules."""

    action_id: str = Field(max_length=40)
    target_id: int | None
    intent: str = Field(max_length=200)

    def to_response(self) -> AgentActionResponse:
        return AgentActionResponse(
            action_id=self.action_id, target_id=self.target_id, intent=self.intent
        )


SPEC = OperationSpec(
    name=OPERATION, reply=ActionChoice, max_tokens=MAX_TOKENS, temperature=0.7, deadline_s=8.0
)


def validate_input(context: EventContext) -> EventContext:
    if not context.possible_actions:
        raise ValueError("choose_action needs at least one possible action")
    if context.actor.id == context.opponent.id:
        raise ValueError("choose_action needs an opponent other than the actor")
    return context


def system_prompt(context: EventContext) -> str:
    """The stable prefix: identical on every tick of a match for this wrestler."""
    by_stipulation = _SYSTEM_PROMPTS(context.actor)
    prompt = by_stipulation.get(context.stipulation)
    if prompt is None:
        prompt = by_stipulation[context.stipulation] = _system_prompt(
            context.actor, context.stipulation
        )
    return prompt


def _system_prompt(actor: Wrestler, stipulation: Stipulation) -> str:
    return "\n".join(
        (
            "You are a pro wrestler in LLMFed. Each turn pick ONE offered action, in character; "
            "vary your offence, build to your big moves.",
            RULES_SUMMARY,
            f"Stipulation {stipulation.value}: {STIPULATION_RULES[stipulation]}",
            DATA_POLICY,
            SECTIONS[0] + " (you)",
            fence("you", sheet_data(actor, season=False)),
        )
    )


def _guidance(context: EventContext) -> str:
    lines = [context.guidance or "Wrestle your match."]
    if context.mode is not NarrativeMode.TICK:
        lines.append(f"Mode {context.mode.value}: your choices are retold later; facts stand.")
    if context.booked_to_win is True:
        lines.append("Booking: you are booked to win; the finish comes late, so build to it.")
    elif context.booked_to_win is False:
        lines.append("Booking: you are booked to lose; make your opponent look strong.")
    return " ".join(lines)


def _opponent_block(opponent: Wrestler) -> str:
    sheet = sheet_data(opponent, season=False)
    sheet["gimmick"] = clean_text(sheet["gimmick"], OPPONENT_GIMMICK_CAP)
    # The success chances already weigh the opponent's stats; the sheet stays short.
    del sheet["signatures"], sheet["popularity"], sheet["stats"]
    return fence("opponent", sheet)


# A live match hands over the same frozen sheets every tick: the prompt's sheet blocks are
# built once per sheet object (see IdentityMemo), sized for a few hundred live matches.
_SYSTEM_PROMPTS: IdentityMemo[Wrestler, dict[Stipulation, str]] = IdentityMemo(
    lambda actor: {}, size=4096
)
_opponent_fence: IdentityMemo[Wrestler, str] = IdentityMemo(_opponent_block, size=4096)


def user_prompt(context: EventContext) -> str:
    actions = [
        [p.action_id.value, clean_text(p.move_name), round(p.success_chance * 100), p.stamina_cost]
        for p in context.possible_actions
    ]
    opponent = context.opponent_state
    opponent_now = {
        "health": opponent.health,
        "stamina": opponent.stamina,
        "momentum": opponent.momentum,
    }
    match = {
        "opponent_now": opponent_now,
        "stipulation": context.stipulation.value,
        "phase": context.phase.value,
        "heat": context.heat,
        "mode": context.mode.value,
    }
    hints = list(context.hints[:MAX_HINTS])
    return "\n".join(
        (
            f"Tick {context.tick}.",
            SECTIONS[1],
            fence("you_now", condition_data(context.actor_state), kind=MATCH_DATA),
            SECTIONS[2] + " [id, move, success %, stamina]",
            fence("actions", actions, kind=MATCH_DATA, precleaned=True),
            SECTIONS[3] + ": opponent sheet, then state",
            _opponent_fence(context.opponent),
            fence("match", match, kind=MATCH_DATA),
            "Current spot:",
            fence("recent", list(context.recent[-RECENT_LINES:]), limit=RECENT_CAP),
            SECTIONS[4],
            _guidance(context),
            SECTIONS[5] + " (advice only)",
            fence("hints", hints, limit=HINT_CAP) if hints else "none",
            SECTIONS[6],
            schema_reminder(ActionChoice),
            f"(target_id {context.opponent.id}, null to rest; intent: one in-character sentence)",
        )
    )


def build_request(
    context: EventContext, model: str, **options: Unpack[RequestOptions]
) -> LLMRequest:
    context = validate_input(context)
    return SPEC.request(
        model,
        options,
        system=system_prompt(context),
        user=user_prompt(context),
        seed=context.decision_seed,
        match_id=context.match_id,
        tick=context.tick,
    )


def parse(response: LLMResponse) -> ActionChoice:
    return parse_reply(ActionChoice, response)


def context_from_request(request: LLMRequest) -> EventContext:
    """Read the EventContext back out of a choose_action prompt (what the offline twin sees)."""
    data = request_fences(request)
    actor = wrestler_from_sheet(data["you"])
    opponent = wrestler_from_sheet(data["opponent"])
    match = data["match"]
    possible = tuple(
        PossibleAction(
            action_id=ActionId(action),
            description=ACTIONS[ActionId(action)].description,
            move_name=move,
            target_ids=() if action == ActionId.REST else (opponent.id,),
            stamina_cost=stamina,
            success_chance=percent / 100,
        )
        for action, move, percent, stamina in data["actions"]
    )
    tick = request.tick or 0
    match_id = request.match_id or 0
    return EventContext(
        request_id=request_id(match_id, tick, actor.id),
        match_id=match_id,
        tick=tick,
        actor=actor,
        actor_state=condition_from_data(actor.id, data["you_now"]),
        opponent=opponent,
        opponent_state=condition_from_data(opponent.id, match["opponent_now"]),
        stipulation=Stipulation(match["stipulation"]),
        phase=Phase(match["phase"]),
        heat=match["heat"],
        mode=NarrativeMode(match["mode"]),
        possible_actions=possible,
        recent=tuple(data["recent"]),
        hints=tuple(data.get("hints", ())),
        decision_seed=request.seed,
    )


def offline(request: LLMRequest) -> dict[str, Any]:
    """The offline policy's answer, exactly as OfflineController would give it."""
    context = context_from_request(request)
    answer = choose(context, random.Random(context.decision_seed))
    return ActionChoice(
        action_id=answer.action_id, target_id=answer.target_id, intent=answer.intent
    ).model_dump()
