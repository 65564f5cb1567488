"""full_rewrite: a writer's whole-match script, dry-run through the rules, retried once, or
abandoned for tick mode."""

from __future__ import annotations

from collections import deque
from typing import Literal, Protocol

from engine.llm.base import LLMProvider
from engine.llm.errors import LLMError, LLMInvalidOutput
from engine.llm.operations import write_match_script as op
from engine.llm.operations.calling import call_parsed
from engine.llm.operations.write_match_script import MatchScript, ScriptBeat, ScriptInput
from engine.models.base import Frozen
from engine.models.enums import FinishMethod, NarrativeMode, Stipulation
from engine.models.match import MatchResult, MatchSetup, MatchState
from engine.models.tick import AgentActionResponse, AppliedAction, TickResult
from engine.rules.step import initial_state, step, tick_rng

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
    """Play the script through the real step with the match's dice (tick_rng(seed, t), as the
    runner uses them) and the engine's own turn order, exactly as a live match plays it: each
    wrestler's beats are used in order whenever the scheduler gives them the turn (a wrestler on
    a roll may act twice in a row). The RuleBook decides what is legal."""
    violations = _check_finish(script, setup)
    notes: list[str] = []
    ticks: list[TickResult] = []
    queues: dict[int, deque[tuple[int, ScriptBeat]]] = {s.id: deque() for s in setup.sheets}
    for number, beat in enumerate(script.beats, start=1):
        if beat.actor_id not in queues:
            violations.append(f"beat {number}: wrestler {beat.actor_id} is not in this match")
        else:
            queues[beat.actor_id].append((number, beat))
    state = initial_state(setup)
    last_played = 0
    while state.result is None and any(queues.values()):
        actor = state.next_actor_id
        name = setup.sheet(actor).name
        if not queues[actor]:
            violations.append(
                f"tick {state.time_index + 1}: it is {name}'s turn (turns follow the engine's "
                f"order: wrestlers alternate, one on a roll may act twice) but the script has "
                f"no beat left for {name}"
            )
            break
        number, beat = queues[actor].popleft()
        last_played = number
        decision = AgentActionResponse(action_id=beat.action_id, intent=beat.move[:200])
        state, tick = step(state, {actor: decision}, tick_rng(setup.seed, state.time_index))
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
    unused = sorted(number for queue in queues.values() for number, _ in queue)
    if state.result is not None and unused:
        violations.append(
            f"beat {unused[0]}: the match already ended at beat {last_played} "
            f"({_result_words(state.result, setup)}); beats {_ranges(unused)} never happen"
        )
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


def _ranges(numbers: list[int]) -> str:
    """[3, 4, 5, 9] -> "3-5, 9-9": beat numbers as inclusive ranges."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(f"{low}-{high}" for low, high in spans)


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
