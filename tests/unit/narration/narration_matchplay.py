"""Test helper: play whole matches with the real engine and the offline policy."""

from __future__ import annotations

import random
from dataclasses import dataclass

from engine.controllers.offline import choose
from engine.models import (
    AgentActionResponse,
    Alignment,
    MatchSetup,
    MatchState,
    Stats,
    Stipulation,
    StylePreset,
    TickResult,
    Tier,
    Wrestler,
)
from engine.rules.context import build_context
from engine.rules.step import RULEBOOK, initial_state, step, tick_rng


@dataclass(frozen=True)
class PlayedTick:
    before: MatchState
    tick: TickResult
    after: MatchState


def wrestler(
    wrestler_id: int,
    name: str,
    *,
    alignment: Alignment = Alignment.FACE,
    style: StylePreset = StylePreset.ALL_ROUNDER,
    finisher: str = "Finisher",
    signatures: tuple[str, ...] = (),
    gimmick: str = "",
    charisma: int = 50,
    power: int = 50,
) -> Wrestler:
    return Wrestler(
        id=wrestler_id,
        federation_id=1,
        name=name,
        alignment=alignment,
        style=style,
        finisher=finisher,
        signatures=signatures,
        gimmick=gimmick,
        stats=Stats(charisma=charisma, power=power),
    )


def default_pair() -> tuple[Wrestler, Wrestler]:
    hero = wrestler(
        1,
        "Rex Valiant",
        style=StylePreset.HIGH_FLYER,
        finisher="Starfall Splash",
        signatures=("Rocket Rana", "Comet Kick"),
        gimmick="a daredevil astronaut from Ohio",
        charisma=75,
    )
    villain = wrestler(
        2,
        "Baron Grimm",
        alignment=Alignment.HEEL,
        style=StylePreset.BRAWLER,
        finisher="Coffin Drop",
        signatures=("Grave Digger",),
        gimmick="an undertaker who collects souls in a velvet sack",
        charisma=60,
        power=70,
    )
    return hero, villain


def setup_for(
    seed: int,
    stipulation: Stipulation = Stipulation.STANDARD,
    sheets: tuple[Wrestler, Wrestler] | None = None,
    booked_winner_id: int | None = None,
    max_ticks: int = 50,
) -> MatchSetup:
    return MatchSetup(
        match_id=seed + 1,
        seed=seed,
        stipulation=stipulation,
        max_ticks=max_ticks,
        booked_winner_id=booked_winner_id,
        tier=Tier.NATIONAL,
        sheets=sheets or default_pair(),
    )


def play_match(setup: MatchSetup, bogus_decision_at: int | None = None) -> list[PlayedTick]:
    """Every tick of one match; optionally one tick gets an illegal answer (a fallback)."""
    state = initial_state(setup)
    played: list[PlayedTick] = []
    while not state.finished:
        actor = state.next_actor_id
        context = build_context(state, actor, RULEBOOK)
        decision = choose(context, random.Random(context.decision_seed))
        if bogus_decision_at == state.time_index:
            decision = AgentActionResponse(action_id="summon the @everyone ghost")
        after, tick = step(state, {actor: decision}, tick_rng(setup.seed, state.time_index))
        played.append(PlayedTick(state, tick, after))
        state = after
    return played
