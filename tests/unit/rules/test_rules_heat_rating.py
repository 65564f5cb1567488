"""Crowd heat and star ratings: bounds, directions and the clean-over-DQ ordering."""

from __future__ import annotations

import pytest
from rules_support import A_ID, B_ID, make_setup, make_wrestler, play

from engine.models import ActionId, AppliedAction, FinishMethod, MatchResult, MatchState, Tier
from engine.models.match import MatchTally
from engine.rules.actions import ACTIONS
from engine.rules.heat import (
    crowd_reaction_heat,
    feud_heat_gain,
    segment_heat,
    starting_heat,
    tick_heat,
)
from engine.rules.rating import show_rating, star_rating
from engine.rules.step import initial_state


def landed(
    action: ActionId, *, near_fall: bool = False, heat: float | None = None
) -> AppliedAction:
    return AppliedAction(
        actor_id=A_ID,
        target_id=B_ID,
        requested=action.value,
        action_id=action,
        move_name=action.value,
        success=True,
        near_fall=near_fall,
        heat_delta=ACTIONS[action].heat if heat is None else heat,
    )


# --- heat ------------------------------------------------------------------------------


@pytest.mark.parametrize("heat", [10.0, 40.0, 70.0])
def test_repetition_lowers_tick_heat_and_variety_raises_it(heat: float) -> None:
    strike = landed(ActionId.STRIKE)
    repeated = tick_heat(heat, strike, (ActionId.STRIKE, ActionId.STRIKE), False)
    varied = tick_heat(heat, strike, (ActionId.GRAPPLE, ActionId.TECHNICAL), False)
    assert repeated < varied


@pytest.mark.parametrize("heat", [10.0, 40.0, 70.0])
def test_near_falls_finishers_and_comebacks_raise_tick_heat(heat: float) -> None:
    before = (ActionId.GRAPPLE,)
    plain = tick_heat(heat, landed(ActionId.PIN), before, False)
    assert tick_heat(heat, landed(ActionId.PIN, near_fall=True), before, False) > plain
    assert tick_heat(heat, landed(ActionId.FINISHER), before, False) > tick_heat(
        heat, landed(ActionId.STRIKE), before, False
    )
    assert tick_heat(heat, landed(ActionId.FINISHER), before, False) > heat
    assert tick_heat(heat, landed(ActionId.STRIKE), before, True) > tick_heat(
        heat, landed(ActionId.STRIKE), before, False
    )


def test_resting_cools_the_crowd() -> None:
    rest = landed(ActionId.REST)
    assert tick_heat(50.0, rest, (ActionId.STRIKE,), False) < 50.0


def test_heat_decays_without_feeding_and_faster_when_the_crowd_is_hot() -> None:
    nothing = landed(ActionId.STRIKE, heat=0.0)
    repeat = (ActionId.STRIKE, ActionId.STRIKE)
    drops = {h: h - tick_heat(h, nothing, repeat, False) for h in (20.0, 50.0, 90.0)}
    assert all(drop > 0 for drop in drops.values())
    assert drops[90.0] > drops[50.0]


@pytest.mark.parametrize("heat", [0.0, 0.5, 50.0, 99.5, 100.0])
@pytest.mark.parametrize("delta", [-500.0, -3.0, 0.0, 3.0, 500.0])
def test_tick_heat_stays_within_0_and_100(heat: float, delta: float) -> None:
    for near_fall in (False, True):
        for comeback in (False, True):
            applied = landed(ActionId.TAUNT, near_fall=near_fall, heat=delta)
            assert 0.0 <= tick_heat(heat, applied, (ActionId.TAUNT,), comeback) <= 100.0
            assert 0.0 <= tick_heat(heat, applied, (), comeback) <= 100.0


def test_starting_heat_grows_with_tier_and_popularity() -> None:
    def heat(tier: Tier, popularity: int, title: bool = False) -> float:
        sheets = (
            make_wrestler(A_ID, popularity=popularity),
            make_wrestler(B_ID, popularity=popularity),
        )
        return starting_heat(tier, sheets, title)

    tiers = [Tier.INDIE, Tier.REGIONAL, Tier.NATIONAL, Tier.GLOBAL]
    by_tier = [heat(t, 30) for t in tiers]
    assert by_tier == sorted(by_tier) and len(set(by_tier)) == len(tiers)
    for tier in tiers:
        by_popularity = [heat(tier, p) for p in (0, 25, 50, 75, 100)]
        assert by_popularity == sorted(by_popularity)
        assert by_popularity[-1] > by_popularity[0]
        assert heat(tier, 50, title=True) >= heat(tier, 50)
        assert 0.0 <= heat(tier, 100, title=True) <= 100.0


def test_a_match_starts_at_its_starting_heat() -> None:
    setup = make_setup(tier=Tier.GLOBAL)
    final, ticks, _ = play(setup)
    assert ticks[0].heat != pytest.approx(0.0)
    assert initial_state(setup).heat == starting_heat(setup.tier, setup.sheets)
    assert final.tally.heat_peak == max(t.heat for t in ticks)


def test_segment_heat_is_between_the_lowest_and_highest_tick() -> None:
    heats = [12.0, 55.5, 80.0, 33.0]
    assert min(heats) <= segment_heat(heats) <= max(heats)
    assert segment_heat([42.0] * 5) == pytest.approx(42.0)
    assert segment_heat([]) == 0.0


def test_crowd_reactions_add_a_little_capped_heat() -> None:
    gains = [crowd_reaction_heat(n) for n in (0, 1, 3, 10, 1000)]
    assert gains == sorted(gains)
    assert gains[0] == 0.0 and gains[1] > 0.0
    assert crowd_reaction_heat(10**6) == crowd_reaction_heat(1000)
    assert crowd_reaction_heat(-5) == 0.0


def test_feud_heat_grows_with_the_rating_and_near_falls() -> None:
    assert feud_heat_gain(4.5, 2) > feud_heat_gain(1.0, 2)
    assert feud_heat_gain(3.0, 4) >= feud_heat_gain(3.0, 0)
    assert feud_heat_gain(5.0, 100) <= 100.0


# --- ratings ---------------------------------------------------------------------------


def is_quarter(stars: float) -> bool:
    return stars * 4 == int(stars * 4)


def finished_matches(count: int = 25) -> list[MatchState]:
    return [play(make_setup(seed=seed))[0] for seed in range(count)]


def test_star_ratings_are_quarter_stars_between_0_and_5() -> None:
    for final in finished_matches():
        stars = star_rating(final)
        assert 0.0 <= stars <= 5.0
        assert is_quarter(stars)


def test_extreme_tallies_stay_within_0_and_5() -> None:
    final = finished_matches(1)[0]
    ticks = final.time_index
    hot = MatchTally(
        near_falls=50,
        signatures=20,
        finishers=10,
        comebacks=10,
        heat_sum=100.0 * ticks,
        heat_peak=100.0,
        action_counts={a.value: 3 for a in ActionId},
    )
    cold = MatchTally(repeats=ticks * 5, heat_sum=0.0, heat_peak=0.0)
    for tally in (hot, cold):
        for method in FinishMethod:
            state = final.model_copy(
                update={"tally": tally, "result": MatchResult(method=method, tick=ticks)}
            )
            stars = star_rating(state)
            assert 0.0 <= stars <= 5.0 and is_quarter(stars)
    assert star_rating(final.model_copy(update={"tally": hot})) > star_rating(
        final.model_copy(update={"tally": cold})
    )


def test_a_dq_finish_rates_lower_than_the_same_match_finished_clean() -> None:
    compared = 0
    for final in finished_matches():
        assert final.result is not None
        tick = final.result.tick
        clean = final.model_copy(
            update={
                "result": MatchResult(
                    winner_ids=(A_ID,), loser_ids=(B_ID,), method=FinishMethod.PINFALL, tick=tick
                )
            }
        )
        dq = final.model_copy(
            update={
                "result": MatchResult(
                    winner_ids=(A_ID,), loser_ids=(B_ID,), method=FinishMethod.DQ, tick=tick
                )
            }
        )
        assert star_rating(dq) <= star_rating(clean)
        if 0.0 < star_rating(clean) < 5.0:
            assert star_rating(dq) < star_rating(clean)
            compared += 1
    assert compared > 0


def test_show_rating_counts_the_main_event_double() -> None:
    ratings = [1.0, 2.5, 4.5]
    main = show_rating(ratings, 2)
    assert main == show_rating([*ratings, ratings[2]], None)
    assert main > show_rating(ratings, None) > show_rating(ratings, 0)
    assert is_quarter(main) and 0.0 <= main <= 5.0
    assert show_rating([], None) == 0.0
    assert show_rating([3.0], 0) == 3.0
