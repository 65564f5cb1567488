"""Referee calls the narrator must make: DQ warnings, disqualification, time-limit draws."""

from __future__ import annotations

from narration_matchplay import default_pair, setup_for

from engine.models import (
    ActionId,
    AppliedAction,
    FinishMethod,
    MatchResult,
    MatchState,
    TickResult,
)
from engine.narration import OfflineNarrator, split_sentences
from engine.rules.step import initial_state

HERO, VILLAIN = default_pair()


def tell(before: MatchState, applied: AppliedAction, after: MatchState) -> str:
    tick = TickResult(
        match_id=before.setup.match_id,
        tick_id=f"{before.setup.match_id}:{after.time_index}",
        time_index=after.time_index,
        actor_id=applied.actor_id,
        applied_actions=(applied,),
        phase=after.phase,
        heat=after.heat,
        state_snapshot=after,
    )
    return OfflineNarrator().narrate_sync(before, tick, after, [])


def cheat(**changes: object) -> AppliedAction:
    values: dict[str, object] = {
        "actor_id": VILLAIN.id,
        "target_id": HERO.id,
        "requested": "cheat",
        "action_id": ActionId.CHEAT,
        "move_name": "low blow",
        "success": True,
        "dq_warning": True,
    }
    values.update(changes)
    return AppliedAction(**values)


def advanced(state: MatchState, warnings: int = 0, **changes: object) -> MatchState:
    villain = state.wrestler(VILLAIN.id).model_copy(update={"warnings": warnings})
    wrestlers = tuple(villain if w.wrestler_id == VILLAIN.id else w for w in state.wrestlers)
    return state.model_copy(
        update={"time_index": state.time_index + 1, "wrestlers": wrestlers, **changes}
    )


def test_a_dq_warning_is_called_against_the_cheat():
    before = initial_state(setup_for(1))
    text = tell(before, cheat(), advanced(before, warnings=1))
    assert VILLAIN.name in text
    assert "warning" in text.lower() or "referee" in text.lower()
    last = tell(before, cheat(), advanced(before, warnings=2))
    assert "disqualif" in last.lower() or "one more" in last.lower()


def test_a_disqualification_names_the_winner_and_the_method():
    before = initial_state(setup_for(2))
    result = MatchResult(
        winner_ids=(HERO.id,), loser_ids=(VILLAIN.id,), method=FinishMethod.DQ, tick=1
    )
    text = tell(before, cheat(finish=FinishMethod.DQ), advanced(before, 3, result=result))
    assert HERO.name in text and VILLAIN.name in text
    assert "disqualification" in text.lower()
    assert len(split_sentences(text)) <= 3


def test_a_time_limit_draw_is_called_a_draw():
    setup = setup_for(3, max_ticks=5)
    before = initial_state(setup).model_copy(update={"time_index": 4})
    strike = AppliedAction(
        actor_id=HERO.id,
        target_id=VILLAIN.id,
        requested="strike",
        action_id=ActionId.STRIKE,
        move_name="forearm smash",
        success=True,
        damage=5,
    )
    result = MatchResult(method=FinishMethod.TIME_LIMIT, tick=5)
    text = tell(before, strike, advanced(before, result=result))
    assert "draw" in text.lower()
    assert HERO.name in text


def test_a_missed_aerial_hurts_the_flyer_and_a_reversal_is_a_reversal():
    before = initial_state(setup_for(4))
    crash = AppliedAction(
        actor_id=HERO.id,
        target_id=VILLAIN.id,
        requested="aerial",
        action_id=ActionId.AERIAL,
        move_name="moonsault",
        success=False,
        self_damage=6,
    )
    told = {
        tell(before, crash, advanced(before.model_copy(update={"time_index": i}))) for i in range(6)
    }
    pain = ("crash", "canvas", "heap", "hurt", "crumples")
    assert all(any(word in text for word in pain) for text in told), told
    hold = AppliedAction(
        actor_id=VILLAIN.id,
        target_id=HERO.id,
        requested="technical",
        action_id=ActionId.TECHNICAL,
        move_name="arm drag",
        success=False,
    )
    turned = {
        tell(before, hold, advanced(before.model_copy(update={"time_index": i}))) for i in range(6)
    }
    assert all(any(w in t for w in ("revers", "counter", "turns it", "switches")) for t in turned)
