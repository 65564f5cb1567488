"""full_rewrite: dry-running scripts through the rules, one retry, then tick mode."""

from __future__ import annotations

import pytest
from llmops_support import FakeProvider, brick, lila, setup_for

from engine.llm.errors import LLMBudgetExceeded
from engine.llm.operations.write_match_script import (
    MAX_BEATS,
    MatchScript,
    ScriptBeat,
    ScriptFinish,
    ScriptInput,
    offline_script,
)
from engine.llm.script import (
    LLMScriptWriter,
    OfflineScriptWriter,
    dry_run,
    run_full_rewrite,
)
from engine.models import (
    AgentActionResponse,
    Alignment,
    FinishMethod,
    NarrativeMode,
    Stipulation,
)
from engine.rules.step import initial_state, step, tick_rng


def _beat(actor: int, action: str, outcome: str = "hit") -> ScriptBeat:
    return ScriptBeat(actor_id=actor, action_id=action, move=f"{action} spot", outcome=outcome)


def _with(script: MatchScript, index: int, beat: ScriptBeat) -> MatchScript:
    beats = list(script.beats)
    beats[index] = beat
    return script.model_copy(update={"beats": tuple(beats)})


@pytest.mark.parametrize("stipulation", list(Stipulation))
@pytest.mark.parametrize("booked", [None, 1])
def test_a_legal_script_is_accepted_and_its_ticks_are_the_match(stipulation, booked) -> None:
    setup = setup_for(stipulation=stipulation, booked=booked, seed=13)
    script = offline_script(setup)
    verdict = dry_run(script, setup)
    assert verdict.accepted, verdict.violations
    assert len(verdict.ticks) == len(script.beats)
    result = verdict.final_state.result
    assert result is not None
    assert (result.winner_ids[:1] or (None,))[0] == script.finish.winner_id
    if booked:
        assert script.finish.winner_id == booked
    # the accepted ticks are the engine's own: replaying the beats gives the same states
    state = initial_state(setup)
    for beat, tick in zip(script.beats, verdict.ticks, strict=True):
        assert state.next_actor_id == beat.actor_id
        state, replayed = step(
            state, {beat.actor_id: _decision(beat)}, tick_rng(setup.seed, state.time_index)
        )
        assert replayed.applied_actions == tick.applied_actions


def _decision(beat: ScriptBeat) -> AgentActionResponse:
    return AgentActionResponse(action_id=beat.action_id, intent=beat.move)


def test_an_action_the_stipulation_forbids_is_a_numbered_violation() -> None:
    setup = setup_for(seed=13)
    script = offline_script(setup)
    first_actor = script.beats[0].actor_id
    verdict = dry_run(_with(script, 0, _beat(first_actor, "weapon")), setup)
    assert not verdict.accepted
    name = setup.sheet(first_actor).name
    assert verdict.violations[0] == (
        f"beat 1: {name} cannot use 'weapon': weapon is only allowed in: no_dq"
    )


def test_the_momentum_gate_is_enforced() -> None:
    setup = setup_for(seed=13)
    script = offline_script(setup)
    actor = script.beats[1].actor_id
    verdict = dry_run(_with(script, 1, _beat(actor, "finisher")), setup)
    assert any(
        v.startswith("beat 2: ") and "finisher needs momentum 80" in v for v in verdict.violations
    )


def test_cheating_faces_and_unknown_actions_are_rejected() -> None:
    setup = setup_for(brick(alignment=Alignment.FACE), seed=13)
    script = offline_script(setup)
    verdict = dry_run(
        _with(
            _with(script, 0, _beat(script.beats[0].actor_id, "cheat")),
            2,
            _beat(script.beats[2].actor_id, "hurricanrana"),
        ),
        setup,
    )
    assert any(v.startswith("beat 1: ") and "only for heels" in v for v in verdict.violations)
    assert any(v.startswith("beat 3: ") and "unknown action" in v for v in verdict.violations)


def test_the_wrong_winner_of_a_booked_match_is_rejected() -> None:
    setup = setup_for(booked=1, seed=13)
    script = offline_script(setup)
    flipped = script.model_copy(
        update={"finish": ScriptFinish(winner_id=2, method=script.finish.method)}
    )
    verdict = dry_run(flipped, setup)
    assert verdict.violations[0].startswith("finish: Brick Mason is booked to win")
    assert any("the engine's result is Brick Mason" in v for v in verdict.violations)


def test_a_claimed_win_the_engine_did_not_produce_is_a_violation() -> None:
    setup = setup_for(seed=13)
    first = initial_state(setup).next_actor_id
    other = 2 if first == 1 else 1
    beats = (_beat(first, "strike"), _beat(other, "strike"), _beat(first, "pin", "win"))
    script = MatchScript(
        beats=beats, finish=ScriptFinish(winner_id=first, method=FinishMethod.PINFALL)
    )
    verdict = dry_run(script, setup)
    name = setup.sheet(first).name
    claims = [v for v in verdict.violations if v.startswith("beat 3: the script claims")]
    if claims:  # the engine gave the third turn to the opener, as the script hoped
        assert claims[0].startswith(f"beat 3: the script claims {name} wins here")
        assert verdict.violations[-1].startswith("finish: after the last beat the match is still")
    else:  # the second wrestler kept the initiative: the script ran out of beats for them
        assert any(v.startswith("tick 3: ") for v in verdict.violations)


def test_beats_after_the_engine_ends_the_match_are_violations() -> None:
    setup = setup_for(seed=13)
    script = offline_script(setup)
    extra = script.model_copy(update={"beats": (*script.beats, _beat(1, "strike"))})
    verdict = dry_run(extra, setup)
    n = len(script.beats) + 1
    assert len(verdict.violations) == 1
    (violation,) = verdict.violations
    assert violation.startswith(f"beat {n}: the match already ended at beat {n - 1} (")
    assert violation.endswith(f"beats {n}-{n} never happen")
    winner = verdict.final_state.result.winner_ids
    assert not winner or setup.sheet(winner[0]).name in violation


def test_turns_follow_the_engine_and_a_stranger_cannot_act() -> None:
    setup = setup_for(seed=13)
    beats = (_beat(1, "strike"), _beat(1, "strike"), _beat(1, "strike"), _beat(7, "strike"))
    script = MatchScript(beats=beats, finish=ScriptFinish(winner_id=1, method=FinishMethod.PINFALL))
    verdict = dry_run(script, setup)
    assert "beat 4: wrestler 7 is not in this match" in verdict.violations
    # Only Brick Mason has beats, so the first turn the scheduler gives Lila stops the run.
    (stuck,) = [v for v in verdict.violations if v.startswith("tick ")]
    assert "it is Lila" in stuck and "no beat left for Lila" in stuck
    assert len(verdict.ticks) <= 2  # Brick may open, and may keep a roll going once
    assert all(t.actor_id == 1 for t in verdict.ticks)


def test_the_dry_run_plays_like_the_live_runner_does() -> None:
    """Per-wrestler beats in the scheduler's order: what the ScriptedControllers feed live."""
    setup = setup_for(seed=21)
    script = offline_script(setup)
    verdict = dry_run(script, setup)
    assert verdict.accepted, verdict.violations
    queues: dict[int, list[ScriptBeat]] = {}
    for beat in script.beats:
        queues.setdefault(beat.actor_id, []).append(beat)
    state = initial_state(setup)
    for tick in verdict.ticks:
        beat = queues[state.next_actor_id].pop(0)
        decision = AgentActionResponse(action_id=beat.action_id, intent=beat.move[:200])
        state, replayed = step(
            state, {state.next_actor_id: decision}, tick_rng(setup.seed, state.time_index)
        )
        assert replayed == tick
    assert not any(queues.values())


def test_impossible_finishes_are_named() -> None:
    setup = setup_for(stipulation=Stipulation.SUBMISSION_ONLY, seed=13)
    script = offline_script(setup)
    pinned = script.model_copy(
        update={"finish": ScriptFinish(winner_id=1, method=FinishMethod.PINFALL)}
    )
    assert "finish: pinfall cannot end a submission_only match" in dry_run(pinned, setup).violations


class _QueuedWriter:
    name = "queued"

    def __init__(self, *scripts: MatchScript | Exception) -> None:
        self.scripts = list(scripts)
        self.inputs: list[ScriptInput] = []

    async def write(self, data: ScriptInput) -> MatchScript:
        self.inputs.append(data)
        script = self.scripts.pop(0)
        if isinstance(script, Exception):
            raise script
        return script


async def test_run_full_rewrite_accepts_a_good_script_first_time() -> None:
    setup = setup_for(seed=13, booked=2)
    outcome = await run_full_rewrite(OfflineScriptWriter(), setup)
    assert outcome.mode is NarrativeMode.FULL_REWRITE
    assert outcome.attempts == 1 and outcome.reason is None
    assert outcome.verdict is not None and outcome.verdict.final_state.result.winner_ids == (2,)


async def test_violations_go_back_for_one_retry() -> None:
    setup = setup_for(seed=13)
    good = offline_script(setup)
    bad = _with(good, 0, _beat(good.beats[0].actor_id, "weapon"))
    writer = _QueuedWriter(bad, good)
    outcome = await run_full_rewrite(writer, setup, max_beats=40)
    assert outcome.mode is NarrativeMode.FULL_REWRITE and outcome.attempts == 2
    assert outcome.reason is not None and outcome.reason.startswith("accepted on retry")
    assert writer.inputs[0].feedback == ()
    assert writer.inputs[1].feedback[0].startswith("beat 1: ")
    assert writer.inputs[1].max_beats == 40


async def test_two_rejections_fall_back_to_tick_mode_with_the_reason() -> None:
    setup = setup_for(seed=13)
    good = offline_script(setup)
    bad = _with(good, 0, _beat(good.beats[0].actor_id, "weapon"))
    outcome = await run_full_rewrite(_QueuedWriter(bad, bad), setup)
    assert outcome.mode is NarrativeMode.TICK and outcome.attempts == 2
    assert outcome.reason is not None and outcome.reason.startswith("script rejected twice: beat 1")


async def test_writer_failures_fall_back_at_once() -> None:
    setup = setup_for(seed=13)
    writer = _QueuedWriter(LLMBudgetExceeded("daily budget spent"))
    outcome = await run_full_rewrite(writer, setup)
    assert (outcome.mode, outcome.attempts) == (NarrativeMode.TICK, 1)
    assert outcome.reason == "writer failed: daily budget spent"


async def test_llm_script_writer_with_a_fake_model_and_a_repair() -> None:
    setup = setup_for(brick(), lila(), seed=13)
    good = offline_script(setup).model_dump(mode="json")
    provider = FakeProvider(["{ not json", good])
    outcome = await run_full_rewrite(LLMScriptWriter(provider, "m"), setup, persona="Heyman")
    assert outcome.mode is NarrativeMode.FULL_REWRITE and outcome.attempts == 1
    request = provider.seen[0]
    assert request.operation == "write_match_script" and "Heyman" in request.system
    assert request.response_schema["properties"]["beats"]["maxItems"] == MAX_BEATS
    assert provider.seen[1].messages[1].content == "{ not json"  # the repair shows the reply


async def test_unparseable_scripts_count_as_rejected_attempts() -> None:
    setup = setup_for(seed=13)
    provider = FakeProvider(default="no script today")
    outcome = await run_full_rewrite(LLMScriptWriter(provider, "m"), setup)
    assert outcome.mode is NarrativeMode.TICK and outcome.attempts == 2
    assert "not valid JSON" in (outcome.reason or "")
    assert len(provider.seen) == 4  # two attempts, each with one repair
    assert "not valid JSON" in provider.seen[2].messages[0].content
