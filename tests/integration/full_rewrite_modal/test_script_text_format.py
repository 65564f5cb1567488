"""The hand-written script format: it reads back what format_script writes, takes first
names, draws and outcomes, and numbers every problem by line."""

from __future__ import annotations

import pytest

from bot.live.script_text import ScriptTextError, format_script, parse_script
from engine.models import FinishMethod, MatchSetup, Tier, Wrestler

ATLAS, RUBY = 11, 12


def _setup() -> MatchSetup:
    sheets = tuple(
        Wrestler(id=i, federation_id=1, owner_user_id=5, name=name, gimmick="x")
        for i, name in ((ATLAS, "Atlas Grimm"), (RUBY, "Ruby Vex"))
    )
    return MatchSetup(match_id=1, seed=3, tier=Tier.INDIE, sheets=sheets)


def test_a_hand_written_script_parses_into_beats_and_a_finish() -> None:
    text = (
        "# opening\n"
        "Atlas Grimm: grapple - powerbomb\n"
        "  ruby: Strike - forearm smash (MISS)\n"
        "\n"
        "Atlas: pin - lateral press (near fall)\n"
        "Ruby Vex: technical\n"
        "finish: Atlas Grimm by pinfall\n"
    )

    script = parse_script(text, _setup())

    assert [(b.actor_id, b.action_id, b.move, b.outcome) for b in script.beats] == [
        (ATLAS, "grapple", "powerbomb", "hit"),
        (RUBY, "strike", "forearm smash", "miss"),
        (ATLAS, "pin", "lateral press", "near_fall"),
        (RUBY, "technical", "technical", "hit"),
    ]
    assert (script.finish.winner_id, script.finish.method) == (ATLAS, FinishMethod.PINFALL)
    assert parse_script(format_script(script, _setup()), _setup()) == script


def test_a_draw_finish_has_no_winner() -> None:
    script = parse_script("Ruby Vex: rest\nfinish: draw by time limit", _setup())
    assert (script.finish.winner_id, script.finish.method) == (None, FinishMethod.TIME_LIMIT)


def test_every_problem_is_reported_with_its_line() -> None:
    text = (
        "Atlas Grimm: grapple\n"
        "Nobody: strike\n"
        "Ruby Vex: moonwalk - dance\n"
        "no colon here\n"
        "finish: Ruby Vex by countout\n"
    )

    with pytest.raises(ScriptTextError) as raised:
        parse_script(text, _setup())

    problems = raised.value.problems
    assert [p.split(":")[0] for p in problems[:4]] == ["line 2", "line 3", "line 4", "line 5"]
    assert "'Nobody' is not in this match" in problems[0]
    assert "unknown action 'moonwalk'" in problems[1]
    assert "unknown finish 'countout'" in problems[3]
    assert problems[-1].startswith("the last line must be the finish")
