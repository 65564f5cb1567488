"""full_rewrite: a writer's whole-match script, dry-run through the rules, retried once, or
abandoned for tick mode."""

from __future__ import annotations

from typing import Literal, Protocol

from engine.llm.base import LLMProvider
from engine.llm.errors import LLMError, LLMInvalidOutput
from engine.llm.operations import write_match_script as op
from engine.llm.operations.calling import call_parsed
from engine.llm.operations.write_match_script import MatchScript, ScriptInput
from engine.models.base import Frozen
from engine.models.enums import FinishMethod, NarrativeMode, Stipulation
from engine.models.match import MatchResult, MatchSetup, MatchState
from engine.models.tick import AgentActionResponse, AppliedAction, TickResult
from engine.rules.scheduler import MAX_STOLEN
from engine.rules.step import initial_state, step, tick_rng

MAX_IN_A_ROW = MAX_STOLEN + 1
FEEDBACK_SHOWN = 3

_METHODS: dict[Stipulation, frozenset[FinishMethod]] = {
    Stipulation.STANDARD: frozenset(
        {FinishMethod.PINFALL, FinishMethod.SUBMISSION, FinishMethod.KO, FinishMethod.DQ}
    ),
    Stipulation.NO_DQ: frozenset({FinishMethod.PINFALL, FinishMethod.SUBMISSION, FinishMethod.KO}),
    Stipulation.SUBMISSION_ONLY: frozenset({FinishMethod.SUBMISSION, FinishMethod.DQ}),
    Stipulation.LAST_MAN_STANDING: frozenset({FinishMethod.KO, FinishMethod.DQ}),
}


class ScriptVerdict(Frozen):
    """The dry run's judgement. ``violations`` are binding (numbered by beat); ``notes`` are
    hoped-for outcomes the dice did not grant (harmless). ``ticks`` are the dry-run ticks: an
    accepted script's match is exactly these."""

    violations: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    ticks: tuple[TickResult, ...] = ()
    final_state: MatchState

    @property
    def accepted(self) -> bool:
        return not self.violations


def _result_words(result: MatchResult, setup: MatchSetup) -> str:
    if result.is_draw:
        return f"a {result.method.value.replace('_', ' ')} draw"
    return f"{setup.sheet(result.winner_ids[0]).name} by {result.method.value}"


def _finish_words(winner_id: int | None, method: FinishMethod, setup: MatchSetup) -> str:
    if winner_id is None:
        return f"a {method.value.replace('_', ' ')} draw"
    return f"{_name(setup, winner_id)} by {method.value}"


def _name(setup: MatchSetup, wrestler_id: int) -> str:
    try:
        return setup.sheet(wrestler_id).name
    except KeyError:
        return f"wrestler {wrestler_id}"


def _check_finish(script: MatchScript, setup: MatchSetup) -> list[str]:
    finish, ids = script.finish, {sheet.id for sheet in setup.sheets}
    problems = []
    booked = setup.booked_winner_id
    if finish.winner_id is not None and finish.winner_id not in ids:
        problems.append(f"finish: wrestler {finish.winner_id} is not in this match")
    if booked is not None and finish.winner_id != booked:
        problems.append(
            f"finish: {_name(setup, booked)} is booked to win, the script has "
            f"{_finish_words(finish.winner_id, finish.method, setup)}"
        )
    if finish.winner_id is None and finish.method is not FinishMethod.TIME_LIMIT:
        problems.append("finish: a match without a winner can only end on the time limit")
    if finish.winner_id is not None and finish.method is FinishMethod.TIME_LIMIT:
        problems.append("finish: the time limit ends a match in a draw, with no winner")
    elif finish.winner_id is not None and finish.method not in _METHODS[setup.stipulation]:
        problems.append(
            f"finish: {finish.method.value} cannot end a {setup.stipulation.value} match"
        )
    return problems


def _what_happened(applied: AppliedAction) -> str:
    if applied.near_fall and applied.pin_attempt:
        return "the opponent kicked out at two"
    if applied.near_fall:
        return "the opponent survived it"
    if applied.count:
        return f"the opponent beat the count at {applied.count}"
    return "the move landed but did not end it" if applied.success else "the move missed"


def dry_run(script: MatchScript, setup: MatchSetup) -> ScriptVerdict:
    """Replay the script through the real step with the match's dice (tick_rng(seed, t) as the
    runner uses it). The script decides who acts; the RuleBook decides what is legal."""
    violations = _check_finish(script, setup)
    notes: list[str] = []
    ticks: list[TickResult] = []
    ids = {sheet.id for sheet in setup.sheets}
    state = initial_state(setup)
    last_actor, in_a_row = None, 0
    total = len(script.beats)
    for number, beat in enumerate(script.beats, start=1):
        if state.result is not None:
            violations.append(
                f"beat {number}: the match already ended at beat {number - 1} "
                f"({_result_words(state.result, setup)}); beats {number}-{total} never happen"
            )
            break
        if beat.actor_id not in ids:
            violations.append(f"beat {number}: wrestler {beat.actor_id} is not in this match")
            continue
        in_a_row = in_a_row + 1 if beat.actor_id == last_actor else 1
        last_actor = beat.actor_id
        name = setup.sheet(beat.actor_id).name
        if in_a_row > MAX_IN_A_ROW:
            violations.append(
                f"beat {number}: {name} acts {in_a_row} beats in a row (at most {MAX_IN_A_ROW})"
            )
        if state.next_actor_id != beat.actor_id:
            state = state.model_copy(
                update={"next_actor_id": beat.actor_id, "initiative_streak": 0}
            )
        decision = AgentActionResponse(action_id=beat.action_id, intent=beat.move[:200])
        state, tick = step(state, {beat.actor_id: decision}, tick_rng(setup.seed, state.time_index))
        ticks.append(tick)
        applied = tick.applied_actions[0]
        if applied.fallback_reason:
            violations.append(
                f"beat {number}: {name} cannot use {beat.action_id!r}: {applied.fallback_reason}"
            )
        if beat.outcome == "win" and state.result is None:
            violations.append(
                f"beat {number}: the script claims {name} wins here, but the "
                f"engine did not end the match ({_what_happened(applied)})"
            )
        elif beat.outcome in ("hit", "miss", "near_fall") and state.result is None:
            landed = "hit" if applied.success else "miss"
            got = "near_fall" if applied.near_fall else landed
            if got != beat.outcome:
                notes.append(f"beat {number}: hoped for {beat.outcome}, the dice said {got}")
    result = state.result
    finish = script.finish
    wanted = _finish_words(finish.winner_id, finish.method, setup)
    if result is None:
        violations.append(
            f"finish: after the last beat the match is still going; {wanted} never happens"
        )
    else:
        winner = result.winner_ids[0] if result.winner_ids else None
        if (winner, result.method) != (finish.winner_id, finish.method):
            violations.append(
                f"finish: the engine's result is {_result_words(result, setup)}, "
                f"the script says {wanted}"
            )
    return ScriptVerdict(
        violations=tuple(violations), notes=tuple(notes), ticks=tuple(ticks), final_state=state
    )


class ScriptWriter(Protocol):
    """Who writes a script: an LLM, the offline booker, or a player through a modal."""

    name: str

    async def write(self, data: ScriptInput) -> MatchScript: ...


class LLMScriptWriter:
    def __init__(
        self,
        provider: LLMProvider,
        model: str,
        *,
        temperature: float = 0.8,
        deadline_s: float = 60.0,
        guild_id: int | None = None,
    ) -> None:
        self.name = f"{provider.name}:{model}"
        self.provider = provider
        self.model = model
        self.temperature = temperature
        self.deadline_s = deadline_s
        self.guild_id = guild_id

    async def write(self, data: ScriptInput) -> MatchScript:
        request = op.build_request(
            data,
            self.model,
            temperature=self.temperature,
            deadline_s=self.deadline_s,
            guild_id=self.guild_id,
        )
        return (await call_parsed(self.provider, request, op.parse)).value


class OfflineScriptWriter:
    """The house booker: the offline agents' match, written down (always passes the dry run)."""

    name = "house"

    async def write(self, data: ScriptInput) -> MatchScript:
        return op.offline_script(data.setup)


class FullRewriteOutcome(Frozen):
    """``mode`` full_rewrite: play ``verdict.ticks``; tick: play the match tick by tick."""

    mode: Literal[NarrativeMode.FULL_REWRITE, NarrativeMode.TICK]
    attempts: int
    script: MatchScript | None = None
    verdict: ScriptVerdict | None = None
    reason: str | None = None  # why it was retried or abandoned


def _summary(violations: tuple[str, ...]) -> str:
    shown = "; ".join(violations[:FEEDBACK_SHOWN])
    more = len(violations) - FEEDBACK_SHOWN
    return f"{shown} (+{more} more)" if more > 0 else shown


async def run_full_rewrite(
    writer: ScriptWriter,
    setup: MatchSetup,
    *,
    max_beats: int = op.DEFAULT_BEATS,
    persona: str = "",
) -> FullRewriteOutcome:
    """Submit, dry-run; on violations send them back for ONE retry; then fall back to tick mode.
    An unparseable script counts as a rejected attempt; any other LLM failure falls back at
    once (retrying an unavailable or over-budget provider would only waste the deadline)."""
    feedback: tuple[str, ...] = ()
    first_problem: str | None = None
    verdict: ScriptVerdict | None = None
    for attempt in (1, 2):
        data = ScriptInput(setup=setup, max_beats=max_beats, feedback=feedback, persona=persona)
        try:
            script = await writer.write(data)
        except LLMInvalidOutput as exc:
            feedback = (f"the script was not valid JSON for the schema: {exc.reason}",)
            first_problem = first_problem or exc.reason
            continue
        except LLMError as exc:
            return FullRewriteOutcome(
                mode=NarrativeMode.TICK,
                attempts=attempt,
                verdict=verdict,
                reason=f"writer failed: {exc.reason}",
            )
        verdict = dry_run(script, setup)
        if verdict.accepted:
            reason = None if attempt == 1 else f"accepted on retry after: {first_problem}"
            return FullRewriteOutcome(
                mode=NarrativeMode.FULL_REWRITE,
                attempts=attempt,
                script=script,
                verdict=verdict,
                reason=reason,
            )
        feedback = verdict.violations
        first_problem = first_problem or _summary(verdict.violations)
    return FullRewriteOutcome(
        mode=NarrativeMode.TICK,
        attempts=2,
        verdict=verdict,
        reason=f"script rejected twice: {_summary(feedback)}",
    )
