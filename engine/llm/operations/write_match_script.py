"""write_match_script: a writer books a whole match as beats plus a finish (full_rewrite mode)."""

from __future__ import annotations

import random
from typing import Any, Literal

from pydantic import Field
from typing_extensions import Unpack

from engine.controllers.offline import choose
from engine.llm.base import LLMRequest, LLMResponse
from engine.llm.operations.common import (
    RULES_SUMMARY,
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
from engine.models.enums import FinishMethod
from engine.models.match import MatchSetup
from engine.rules.actions import ACTIONS
from engine.rules.context import build_context
from engine.rules.rulebook import RuleBook
from engine.rules.scheduler import MAX_STOLEN
from engine.rules.step import initial_state, step, tick_rng

OPERATION = "write_match_script"
MAX_BEATS = 500  # Match.max_ticks is at most 500
DEFAULT_BEATS = 30
MAX_TOKENS = 4000
FEEDBACK_LINES = 12
PERSONA_CAP = 300

Outcome = Literal["hit", "miss", "near_fall", "win"]


class ScriptBeat(Frozen):
    """One tick of the script. ``action_id`` stays free text: the dry run reports an unknown or
    illegal action as a numbered violation instead of failing the whole reply."""

    actor_id: int
    action_id: str = Field(max_length=40)
    move: str = Field(max_length=80)
    outcome: Outcome


class ScriptFinish(Frozen):
    winner_id: int | None  # None: a time-limit draw
    method: FinishMethod


class MatchScript(Frozen):
    beats: tuple[ScriptBeat, ...] = Field(min_length=1, max_length=MAX_BEATS)
    finish: ScriptFinish


SPEC = OperationSpec(
    name=OPERATION, reply=MatchScript, max_tokens=MAX_TOKENS, temperature=0.8, deadline_s=60.0
)


class ScriptInput(Frozen):
    setup: MatchSetup
    max_beats: int = Field(default=DEFAULT_BEATS, ge=1, le=MAX_BEATS)
    feedback: tuple[str, ...] = ()  # the violations of the previous attempt
    persona: str = ""


def _action_table() -> list[list[Any]]:
    return [
        [spec.id.value, spec.stamina, spec.momentum_win, spec.min_momentum]
        for spec in ACTIONS.values()
    ]


def _setup_facts(setup: MatchSetup) -> dict[str, Any]:
    start = initial_state(setup)
    facts = setup_facts(setup)
    facts["start"] = [
        w.model_dump(mode="json", include={"wrestler_id", "health", "stamina", "momentum"})
        for w in start.wrestlers
    ]
    return facts


def system_prompt(setup: MatchSetup, persona: str) -> str:
    """Stable for the match: rules, the script rules, the cast and the booking."""
    stipulation = setup.stipulation
    return "\n".join(
        (
            "You book and script whole matches for LLMFed, a simulated wrestling federation. The "
            "engine replays your script beat by beat with its own dice and rejects what the rules "
            "do not allow.",
            RULES_SUMMARY,
            f"Stipulation {stipulation.value}: {STIPULATION_RULES[stipulation]}",
            "Script rules: one beat per tick; actor_id is who acts (nobody acts more than "
            f"{MAX_STOLEN + 1} beats in a row); action_id comes from the action table and must be "
            "legal then (momentum gates, stamina, stipulation, cheat only for heels and "
            "tweeners); outcome is your hope for the beat, but only the last beat may be 'win' and "
            "it must produce the finish you name. If booked_winner_id is set, that wrestler wins. "
            "Build momentum before signatures and finishers; wear the opponent down before a "
            "pin, submission or count can win.",
            "Action table rows: [id, stamina cost, momentum gain when landed, momentum needed].",
            fence("actions", _action_table(), kind=MATCH_DATA),
            DATA_POLICY,
            "## The cast",
            fence("wrestlers", [sheet_data(sheet) for sheet in setup.sheets]),
            fence("setup", _setup_facts(setup), kind=MATCH_DATA),
            "## Your persona",
            fence("persona", persona or "a veteran booker", limit=PERSONA_CAP),
        )
    )


def user_prompt(data: ScriptInput) -> str:
    lines = [f"Write the script: at most {data.max_beats} beats, ending on the finish."]
    if data.feedback:
        lines += [
            "Your previous script was rejected. Fix these violations:",
            fence("violations", list(data.feedback[:FEEDBACK_LINES]), kind=MATCH_DATA),
        ]
    lines.append(schema_reminder(MatchScript))
    return "\n".join(lines)


def build_request(data: ScriptInput, model: str, **options: Unpack[RequestOptions]) -> LLMRequest:
    setup = data.setup
    return SPEC.request(
        model,
        options,
        system=system_prompt(setup, data.persona),
        user=user_prompt(data),
        seed=setup.seed,
        match_id=setup.match_id,
    )


def parse(response: LLMResponse) -> MatchScript:
    return parse_reply(MatchScript, response)


def _outcome(success: bool, near_fall: bool, finished: bool) -> Outcome:
    if finished:
        return "win"
    if near_fall:
        return "near_fall"
    return "hit" if success else "miss"


def offline_script(setup: MatchSetup) -> MatchScript:
    """The match the offline agents would wrestle, written down as a script: always legal,
    and it dry-runs to the same finish because it uses the same dice."""
    rulebook = RuleBook()
    state = initial_state(setup)
    beats = []
    while state.result is None:
        actor = state.next_actor_id
        context = build_context(state, actor, rulebook)
        answer = choose(context, random.Random(context.decision_seed))
        state, tick = step(state, {actor: answer}, tick_rng(setup.seed, state.time_index))
        applied = tick.applied_actions[0]
        beats.append(
            ScriptBeat(
                actor_id=actor,
                action_id=applied.action_id.value,
                move=applied.move_name[:80],
                outcome=_outcome(applied.success, applied.near_fall, state.result is not None),
            )
        )
    result = state.result
    winner = result.winner_ids[0] if result.winner_ids else None
    return MatchScript(
        beats=tuple(beats), finish=ScriptFinish(winner_id=winner, method=result.method)
    )


def setup_from_request(request: LLMRequest) -> MatchSetup:
    blocks = request_fences(request)
    return setup_from_facts(blocks["setup"], blocks["wrestlers"], request.seed)


def offline(request: LLMRequest) -> dict[str, Any]:
    return offline_script(setup_from_request(request)).model_dump(mode="json")
