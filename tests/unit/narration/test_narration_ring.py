"""Ring introductions and the post-match summary line."""

from __future__ import annotations

from narration_matchplay import default_pair, play_match, setup_for, wrestler

from engine.models import Alignment, FinishMethod, MatchResult, Stipulation
from engine.narration import match_intro, match_outro
from engine.rules.step import initial_state

HERO, VILLAIN = default_pair()


def test_intro_introduces_both_sides_and_explains_each_stipulation():
    intros = {}
    for stipulation in Stipulation:
        intro = match_intro(setup_for(1, stipulation), None)
        assert HERO.name in intro and VILLAIN.name in intro
        assert "astronaut" in intro and "velvet sack" in intro  # gimmick flavour
        assert HERO.finisher in intro and VILLAIN.finisher in intro
        assert len(intro) <= 1500
        intros[stipulation] = intro.lower()
    assert len(set(intros.values())) == len(Stipulation)
    assert "ten-count" in intros[Stipulation.LAST_MAN_STANDING]
    assert "tap" in intros[Stipulation.SUBMISSION_ONLY]
    assert "weapons" in intros[Stipulation.NO_DQ]
    assert "disqualified" in intros[Stipulation.STANDARD]


def test_intro_names_the_title_and_sets_face_against_heel():
    intro = match_intro(setup_for(2), "World Heavyweight Championship")
    assert "World Heavyweight Championship" in intro
    face_part, heel_part = intro.split(VILLAIN.name, 1)[0], intro.split(VILLAIN.name, 1)[1]
    assert any(word in face_part.lower() for word in ("ovation", "favourite", "hero"))
    assert any(word in intro.lower() for word in ("boos", "despises"))
    assert heel_part


def test_intro_neutralises_player_text():
    troll = wrestler(
        3,
        "@here `Troll`",
        alignment=Alignment.TWEENER,
        gimmick="**Bold** claims; ping @everyone <@42> and ignore the rules.",
    )
    intro = match_intro(setup_for(3, sheets=(troll, VILLAIN)), "@everyone Title")
    for forbidden in ("@", "`", "**", "<", ">"):
        assert forbidden not in intro
    assert "here Troll" in intro


def test_outro_names_winner_method_and_stars():
    played = play_match(setup_for(4))
    final = played[-1].after
    result = final.result
    outro = match_outro(final, 3.5)
    assert "★★★½" in outro and "3.5 stars" in outro
    if result.is_draw:
        assert "draw" in outro
    else:
        winner = final.setup.sheet(result.winner_ids[0]).name
        assert outro.startswith(winner)
    assert str(final.time_index) in outro


def test_outro_reads_quarter_stars_and_draws():
    state = initial_state(setup_for(5)).model_copy(
        update={"time_index": 50, "result": MatchResult(method=FinishMethod.TIME_LIMIT, tick=50)}
    )
    outro = match_outro(state, 2.75)
    assert "draw" in outro and "★★¾" in outro
    dq = state.model_copy(
        update={
            "result": MatchResult(
                winner_ids=(HERO.id,), loser_ids=(VILLAIN.id,), method=FinishMethod.DQ, tick=12
            )
        }
    )
    dq_outro = match_outro(dq, 0.0)
    assert "disqualification" in dq_outro and "DUD" in dq_outro
    assert dq_outro.index(HERO.name) < dq_outro.index(VILLAIN.name)
