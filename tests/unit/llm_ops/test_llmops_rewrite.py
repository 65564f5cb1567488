"""rolling_rewrite: fact checks on candidates, concurrent writers, the house telling, votes."""

from __future__ import annotations

import pytest
from llmops_support import FakeProvider, play_match, setup_for

from engine.llm.errors import LLMUnavailable
from engine.llm.operations.rewrite_segment import segment_facts
from engine.llm.rewrite import (
    Candidate,
    Writer,
    check_facts,
    pick_by_stand_in_vote,
    rewrite_candidates,
    rewrite_round,
    stand_in_votes,
)
from engine.models import FinishMethod, Stipulation


def _finished_segment(seed: int = 3, **fields):
    setup = setup_for(seed=seed, **fields)
    played = play_match(setup, narrate=True)
    return setup, [p.tick for p in played[-4:]]


def _finish_names(setup, ticks):
    result = ticks[-1].state_snapshot.result
    assert result is not None and result.winner_ids
    return setup.sheet(result.winner_ids[0]).name, setup.sheet(result.loser_ids[0]).name, result


def _honest(winner: str, loser: str, method: FinishMethod) -> str:
    how = {
        FinishMethod.PINFALL: "pins",
        FinishMethod.SUBMISSION: "makes",
        FinishMethod.KO: "knocks out",
        FinishMethod.DQ: "is handed a disqualification win over",
    }[method]
    tail = " tap out" if method is FinishMethod.SUBMISSION else ""
    return (
        f"{loser} fights back bravely, but {winner} {how} {loser}{tail} and {winner} wins "
        f"it! One-two-three count, ten count, whatever it takes."
    )


def test_an_honest_retelling_passes() -> None:
    setup, ticks = _finished_segment()
    winner, loser, result = _finish_names(setup, ticks)
    facts = segment_facts(ticks, setup)
    assert check_facts(_honest(winner, loser, result.method), facts) == []


def test_wrong_winner_is_dropped_with_the_reason() -> None:
    setup, ticks = _finished_segment()
    winner, loser, _ = _finish_names(setup, ticks)
    facts = segment_facts(ticks, setup)
    problems = check_facts(f"What a war! In the end {loser} wins by pinfall over {winner}!", facts)
    assert f"names {loser} as the winner, but {winner} won" in problems


def test_finish_missing_from_the_final_segment_is_flagged() -> None:
    setup, ticks = _finished_segment()
    winner, loser, _ = _finish_names(setup, ticks)
    facts = segment_facts(ticks, setup)
    problems = check_facts(f"{winner} and {loser} trade blows in the middle of the ring.", facts)
    assert any(p.startswith("the finish is missing") for p in problems)


def test_claiming_a_win_in_a_segment_without_the_finish_is_flagged() -> None:
    setup = setup_for(seed=3)
    ticks = [p.tick for p in play_match(setup, narrate=True)[:4]]
    facts = segment_facts(ticks, setup)
    assert facts.finish is None
    problems = check_facts("Lila Storm picks up the win with a roll-up!", facts)
    assert problems == ["claims Lila Storm won, but the match does not end in this segment"]
    assert check_facts("Lila Storm wants to win this one badly.", facts) == []


def test_outsiders_and_over_length_are_flagged() -> None:
    setup, ticks = _finished_segment()
    winner, loser, result = _finish_names(setup, ticks)
    facts = segment_facts(ticks, setup, outsiders=("Hulk Hogan", "Brick Mason"))
    assert facts.outsiders == ("Hulk Hogan",)  # a wrestler in the match is never an outsider
    text = _honest(winner, loser, result.method) + " Hulk Hogan runs in to celebrate!"
    assert "names Hulk Hogan, who is not in this match" in check_facts(text, facts)
    long = _honest(winner, loser, result.method) + " More!" * 400
    assert any(p.startswith("over length") for p in check_facts(long, facts))


def test_draw_finish_requires_the_draw() -> None:
    setup = setup_for(seed=5, max_ticks=8)
    ticks = [p.tick for p in play_match(setup, narrate=True)[-3:]]
    facts = segment_facts(ticks, setup)
    assert facts.finish is not None and facts.finish.winners == ()
    assert check_facts("Time runs out: a draw!", facts) == []
    assert "claims Brick Mason won, but the match ended in a draw" in check_facts(
        "Brick Mason wins it at the bell! A draw? No!", facts
    )


async def test_rewrite_round_keeps_honest_writers_drops_liars_and_always_has_the_house() -> None:
    setup, ticks = _finished_segment()
    winner, loser, result = _finish_names(setup, ticks)
    honest = FakeProvider([{"text": _honest(winner, loser, result.method)}])
    liar = FakeProvider([{"text": f"{loser} wins by pinfall! Unbelievable!"}])
    broken = FakeProvider([LLMUnavailable("HTTP 503")])
    writers = [
        Writer("poet", honest, "m1", persona="a poet"),
        Writer("liar", liar, "m2"),
        Writer("broken", broken, "m3"),
    ]
    done = await rewrite_round(ticks, setup, writers, seed=1)
    assert [c.writer for c in done.candidates] == ["poet", "house"]
    assert done.candidates[-1].house
    assert done.candidates[-1].text == " ".join(t.narration for t in ticks)
    dropped = {d.writer: d.reasons for d in done.dropped}
    assert dropped["liar"][0] == f"names {loser} as the winner, but {winner} won"
    assert dropped["broken"] == ("writer failed: HTTP 503",)
    request = honest.seen[0]
    assert request.operation == "rewrite_segment" and "a poet" in request.system
    assert winner in request.messages[0].content


async def test_rewrite_candidates_without_writers_is_just_the_house() -> None:
    setup, ticks = _finished_segment()
    unnarrated = [t.model_copy(update={"narration": ""}) for t in ticks]
    candidates = await rewrite_candidates(unnarrated, setup, [], seed=2)
    assert len(candidates) == 1 and candidates[0].house
    assert check_facts(candidates[0].text, segment_facts(ticks, setup)) == []


async def test_segment_must_belong_to_the_match() -> None:
    setup, ticks = _finished_segment()
    other = setup.model_copy(update={"match_id": 99})
    with pytest.raises(ValueError):
        await rewrite_round(ticks, other, [])


def test_stand_in_vote_is_deterministic_and_picks_a_candidate() -> None:
    candidates = [
        Candidate(writer=f"w{i}", model="m", text=f"text number {i} " * (i + 1)) for i in range(3)
    ]
    first = pick_by_stand_in_vote(candidates, seed=42)
    assert first in candidates
    assert all(pick_by_stand_in_vote(candidates, seed=42) == first for _ in range(3))
    assert sum(stand_in_votes(candidates, 42)) == 7
    winners = {pick_by_stand_in_vote(candidates, seed).writer for seed in range(30)}
    assert len(winners) > 1  # the crowd is not rigged towards one slot
    with pytest.raises(ValueError):
        pick_by_stand_in_vote([], seed=1)


def test_segment_facts_carry_beats_in_order() -> None:
    setup = setup_for(stipulation=Stipulation.NO_DQ)
    ticks = [p.tick for p in play_match(setup)[:6]]
    facts = segment_facts(ticks, setup)
    assert [b.tick for b in facts.beats] == [t.time_index for t in ticks]
    assert {b.actor for b in facts.beats} <= set(facts.names)
    assert (facts.first_tick, facts.last_tick) == (ticks[0].time_index, ticks[-1].time_index)
