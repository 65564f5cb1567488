"""Probabilities of the ring: move success, pinfalls, tap-outs and ten-counts."""

from __future__ import annotations

from engine.models.league import Wrestler
from engine.models.match import MatchState, WrestlerState
from engine.rules.actions import BEST_STAT, TAUNT_COUNTER_BONUS, ActionSpec

MIN_CHANCE = 0.05
MAX_CHANCE = 0.95


def clamp(value: float, low: float = MIN_CHANCE, high: float = MAX_CHANCE) -> float:
    return low if value < low else high if value > high else value


def attack_stat(spec: ActionSpec, actor: Wrestler) -> int:
    if spec.main_stat is None:
        return 50
    if spec.main_stat == BEST_STAT:
        return actor.stats.get(actor.stats.best_offence)
    return actor.stats.get(spec.main_stat)


def success_chance(
    spec: ActionSpec, state: MatchState, actor: Wrestler, defender: Wrestler
) -> float:
    """Grows with the attacker's stat over the defender's and momentum; shrinks with fatigue."""
    return chance_now(
        base_chance(spec, actor, defender),
        state.wrestler(actor.id),
        countered=state.counter_open_for == actor.id,
    )


def base_chance(spec: ActionSpec, actor: Wrestler, defender: Wrestler) -> float | None:
    """The part of ``success_chance`` fixed for a whole match: the move and both wrestlers'
    stats. None for what always happens (rest; a pin's outcome is ``pin_chance``)."""
    if spec.main_stat is None and spec.damage == (0, 0):
        return None
    chance = 0.58 + spec.accuracy
    if spec.main_stat is not None:
        defence = defender.stats.get(spec.defence_stat) if spec.defence_stat else 50
        chance += (attack_stat(spec, actor) - defence) / 125
    return chance


def chance_now(base: float | None, actor_state: WrestlerState, *, countered: bool) -> float:
    """``base_chance`` with the actor's momentum and fatigue now (same arithmetic, same order,
    so the result is the very float ``success_chance`` always gave)."""
    if base is None:
        return 1.0
    chance = base + (actor_state.momentum - 50) / 400
    chance -= (100 - actor_state.stamina) / 500
    if countered:
        chance += TAUNT_COUNTER_BONUS
    return clamp(chance)


def _wear(defender_state: WrestlerState, threshold: float = 0.3) -> float:
    """0 for a fresh wrestler, rising to 1 when fully spent: nobody loses while fresh."""
    worn = defender_state.damage / 100
    return max(0.0, (worn - threshold) / (1 - threshold)) ** 1.6


def pin_chance(defender_state: WrestlerState, defender: Wrestler, after_finisher: bool) -> float:
    """A pin wins more often on a battered, tired defender and right after a finisher."""
    wear = _wear(defender_state)
    if wear == 0.0 and not after_finisher:
        return 0.0
    chance = wear * 0.85
    chance -= (defender.stats.toughness - 50) / 500
    chance += (100 - defender_state.stamina) / 600
    chance -= min(defender_state.kicked_out, 3) * 0.03
    if after_finisher:
        chance += 0.2
    return clamp(chance, 0.0, 0.95)


def tap_chance(defender_state: WrestlerState, defender: Wrestler, attacker: Wrestler) -> float:
    wear = _wear(defender_state, 0.35)
    if wear == 0.0:
        return 0.0
    chance = wear * 0.75
    chance += (attacker.stats.technique - defender.stats.toughness) / 400
    chance += (100 - defender_state.stamina) / 600
    chance -= min(defender_state.kicked_out, 3) * 0.03
    return clamp(chance, 0.0, 0.9)


def beat_count_chance(defender_state: WrestlerState, defender: Wrestler) -> float:
    """Last man standing: the chance to answer the referee's ten-count."""
    chance = 0.25 + defender_state.health / 45 + (defender.stats.toughness - 50) / 250
    chance -= min(defender_state.kicked_out, 3) * 0.05
    return clamp(chance, 0.05, 0.97)
