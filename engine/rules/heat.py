"""Crowd heat: starting heat, per-tick change, segment heat and feud heat (the seed's heat.py)."""

from __future__ import annotations

from collections.abc import Sequence

from engine.models.enums import ActionId, Tier
from engine.models.league import Wrestler
from engine.models.tick import AppliedAction

TIER_BASE_HEAT: dict[Tier, float] = {
    Tier.INDIE: 18.0,
    Tier.REGIONAL: 24.0,
    Tier.NATIONAL: 30.0,
    Tier.GLOBAL: 36.0,
}
DECAY_PER_TICK = 0.6
REPEAT_PENALTY = 2.0
VARIETY_BONUS = 0.6
NEAR_FALL_BONUS = 3.0
COMEBACK_BONUS = 5.0
CROWD_REACTION_CAP = 5.0


def clamp_heat(value: float) -> float:
    return 0.0 if value < 0.0 else 100.0 if value > 100.0 else value


def starting_heat(tier: Tier, sheets: Sequence[Wrestler], title_match: bool = False) -> float:
    popularity = sum(s.popularity for s in sheets) / max(1, len(sheets))
    return clamp_heat(TIER_BASE_HEAT[tier] + popularity * 0.15 + (4.0 if title_match else 0.0))


def tick_heat(
    heat: float,
    applied: AppliedAction,
    previous_actions: Sequence[ActionId],
    comeback: bool,
) -> float:
    """Heat after one action: variety, near falls, big spots and comebacks raise it."""
    delta = applied.heat_delta
    if applied.action_id in previous_actions[-2:]:
        delta -= REPEAT_PENALTY
    else:
        delta += VARIETY_BONUS
    if applied.near_fall:
        delta += NEAR_FALL_BONUS
    if comeback:
        delta += COMEBACK_BONUS
    # Decay pulls harder the hotter the crowd: a hot crowd needs feeding.
    delta -= DECAY_PER_TICK + max(0.0, heat - 50.0) * 0.03
    return clamp_heat(heat + delta)


def segment_heat(heats: Sequence[float]) -> float:
    """A segment's heat is the mean over its ticks."""
    return sum(heats) / len(heats) if heats else 0.0


def crowd_reaction_heat(reactions: int) -> float:
    """Live reactions add a little heat, capped so a busy channel cannot max a match out."""
    return min(CROWD_REACTION_CAP, 0.5 * max(0, reactions))


def feud_heat_gain(rating: float, near_falls: int) -> float:
    return round(min(25.0, 3.0 + rating * 3.0 + near_falls * 0.5), 2)
