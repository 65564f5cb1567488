"""TickScheduler: round robin, initiative stolen on momentum, never too often, deterministic."""

from __future__ import annotations

import itertools
import random

import pytest
from rules_support import A_ID, B_ID, make_setup, make_state, play

from engine.models import MatchState
from engine.rules.scheduler import MAX_STOLEN, TickScheduler

SCHEDULER = TickScheduler()


def state_with_momentum(actor: int, opponent: int) -> MatchState:
    return make_state(actor={"momentum": actor}, defender={"momentum": opponent})


def next_actors(state: MatchState, landed: bool, streak: int, tries: int = 300) -> set[int]:
    return {
        SCHEDULER.next_actor(state.wrestlers, A_ID, landed, streak, random.Random(seed))
        for seed in range(tries)
    }


@pytest.mark.parametrize("landed", [True, False])
def test_even_momentum_alternates(landed: bool) -> None:
    state = state_with_momentum(40, 40)
    assert next_actors(state, landed, 0) == {B_ID}
    assert {
        SCHEDULER.next_actor(state.wrestlers, B_ID, landed, 0, random.Random(seed))
        for seed in range(300)
    } == {A_ID}


def test_a_miss_never_steals_initiative() -> None:
    assert next_actors(state_with_momentum(100, 0), landed=False, streak=0) == {B_ID}


def test_a_big_momentum_lead_may_steal_initiative_but_not_always() -> None:
    assert next_actors(state_with_momentum(100, 0), landed=True, streak=0) == {A_ID, B_ID}


def test_the_lead_matters_not_the_level() -> None:
    assert next_actors(state_with_momentum(100, 95), landed=True, streak=0) == {B_ID}


@pytest.mark.parametrize("streak", [MAX_STOLEN, MAX_STOLEN + 1, MAX_STOLEN + 5])
def test_never_more_than_max_stolen_extra_turns(streak: int) -> None:
    assert next_actors(state_with_momentum(100, 0), landed=True, streak=streak) == {B_ID}


def test_the_scheduler_is_deterministic_for_a_given_rng() -> None:
    state = state_with_momentum(100, 0)
    first = [
        SCHEDULER.next_actor(state.wrestlers, A_ID, True, 0, random.Random(s)) for s in range(50)
    ]
    again = [
        SCHEDULER.next_actor(state.wrestlers, A_ID, True, 0, random.Random(s)) for s in range(50)
    ]
    assert first == again
    ids = (A_ID, B_ID)
    assert [SCHEDULER.first_actor(ids, random.Random(s)) for s in range(50)] == [
        SCHEDULER.first_actor(ids, random.Random(s)) for s in range(50)
    ]
    assert {SCHEDULER.first_actor(ids, random.Random(s)) for s in range(50)} == set(ids)


def test_in_whole_matches_nobody_acts_more_than_max_stolen_extra_turns_in_a_row() -> None:
    stolen = 0
    for seed in range(40):
        _, ticks, _ = play(make_setup(seed=seed))
        run = 1
        for before, after in itertools.pairwise(ticks):
            run = run + 1 if after.actor_id == before.actor_id else 1
            assert run <= MAX_STOLEN + 1
            stolen += run > 1
        assert {t.actor_id for t in ticks} == {A_ID, B_ID} or len(ticks) < 3
    assert stolen > 0, "momentum never stole initiative in 40 matches"


def test_the_state_names_the_next_actor_and_tracks_the_streak() -> None:
    for seed in range(20):
        _, ticks, _ = play(make_setup(seed=seed))
        for before, after in itertools.pairwise(ticks):
            snapshot = before.state_snapshot
            assert snapshot.next_actor_id == after.actor_id
            kept = after.actor_id == before.actor_id
            assert (snapshot.initiative_streak > 0) == kept
            assert snapshot.initiative_streak <= MAX_STOLEN
