"""Star ratings: 0-5 in quarter stars from heat, near falls, workrate, finish and length."""

from __future__ import annotations

from engine.models.enums import FinishMethod
from engine.models.match import MatchState

CLEAN_FINISHES = (FinishMethod.PINFALL, FinishMethod.SUBMISSION, FinishMethod.KO)


def star_rating(state: MatchState) -> float:
    tally = state.tally
    ticks = max(1, state.time_index)
    mean_heat = tally.heat_sum / ticks
    stars = -1.3 + mean_heat / 100 * 6.5 + tally.heat_peak / 100 * 1.5
    stars += min(tally.near_falls, 5) * 0.16
    stars += min(tally.comebacks, 3) * 0.1
    distinct = sum(1 for count in tally.action_counts.values() if count)
    stars += min(distinct, 9) * 0.05  # workrate: a varied offence
    stars += 0.15 * min(tally.finishers, 2) + 0.05 * min(tally.signatures, 4)
    stars -= tally.repeats / ticks * 1.0
    method = state.result.method if state.result else None
    if method in CLEAN_FINISHES:
        stars += 0.15
    elif method is FinishMethod.DQ:
        stars -= 0.5
    elif method is FinishMethod.TIME_LIMIT:
        stars -= 0.25
    if ticks < 12:
        stars -= (12 - ticks) * 0.12
    elif 20 <= ticks <= 40:
        stars += 0.15
    stars = min(5.0, max(0.0, stars))
    return round(stars * 4) / 4


def show_rating(segment_ratings: list[float], main_event_index: int | None) -> float:
    """Mean of segment ratings with the main event counted double, in quarter stars."""
    if not segment_ratings:
        return 0.0
    weights = [2.0 if i == main_event_index else 1.0 for i in range(len(segment_ratings))]
    total = sum(r * w for r, w in zip(segment_ratings, weights, strict=True))
    return round(total / sum(weights) * 4) / 4
