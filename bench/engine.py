"""Engine benchmark: pure-step ticks/s, ticks/s with SQLite persistence, offline matches/s.

Run: .venv/bin/python bench/engine.py [--runs 5]. Prints the median of several runs (these
machines are noisy); targets: pure step >= 10,000 ticks/s, with persistence >= 2,000 ticks/s.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import App
from bot.clock import ManualClock
from bot.publishers.terminal import SilentPublisher
from bot.settings import Settings
from engine.balance import matchup, play_offline
from engine.controllers.offline import choose
from engine.models import (
    AgentActionResponse,
    ControllerKind,
    DomainEvent,
    EngineRequest,
    Match,
    MatchState,
    RequestStatus,
    Stats,
)
from engine.rules.context import build_context
from engine.rules.step import RULEBOOK, initial_state, step, tick_rng

MATCHES = 60


def recorded_matches(count: int) -> list[tuple[object, list[dict[int, AgentActionResponse]]]]:
    """Play matches once to record their decisions, so the timed loop is the step alone."""
    rng = random.Random(11)
    games = []
    for index in range(count):
        setup, _ = matchup(rng, index + 1)
        state = initial_state(setup)
        decisions = []
        while not state.finished:
            context = build_context(state, state.next_actor_id, RULEBOOK)
            decision = {state.next_actor_id: choose(context, random.Random(context.decision_seed))}
            decisions.append(decision)
            state, _ = step(state, decision, tick_rng(setup.seed, state.time_index))
        games.append((setup, decisions))
    return games


def pure_step_rate(games: list, rounds: int = 5) -> float:
    """Steps every recorded match ``rounds`` times: long enough (about a second) for a stable
    figure on a noisy machine."""
    gc.collect()
    ticks = 0
    start = time.perf_counter()
    for _ in range(rounds):
        for setup, decisions in games:
            state = initial_state(setup)
            for decision in decisions:
                state, _ = step(state, decision, tick_rng(setup.seed, state.time_index))
                ticks += 1
    return ticks / (time.perf_counter() - start)


def offline_match_rate() -> float:
    rng = random.Random(5)
    setups = [matchup(rng, i + 1)[0] for i in range(MATCHES)]
    start = time.perf_counter()
    for setup in setups:
        play_offline(setup)
    return MATCHES / (time.perf_counter() - start)


async def _bench_app(directory: Path, name: str) -> tuple[App, int, int, int]:
    app = await App.open(
        Settings(),
        ManualClock(datetime(2026, 1, 1, tzinfo=UTC)),
        SilentPublisher(),
        db_path=directory / f"{name}.db",
    )
    federation = await app.league.create_federation(1, "Bench Federation", 1)
    ids = []
    for index in range(2):
        wrestler = await app.league.create_wrestler(
            federation.id, f"Bench Wrestler {index}", 1, stats=Stats(power=50 + index * 10)
        )
        ids.append(wrestler.id)
    return app, federation.id, ids[0], ids[1]


async def step_and_persist_rate(
    directory: Path, run: int, games: list, concurrent: int = 1
) -> float:
    """The pure step plus one SQLite transaction per tick (the state, the applied actions, the
    engine request with its context, the events), each tick committed before the next step.
    Decisions and contexts are recorded beforehand, as in the pure-step figure. ``concurrent``
    matches play at once, as in a live bot, so their commits may share a transaction."""
    app, federation_id, a, b = await _bench_app(directory, f"persist-{run}-{concurrent}")
    try:
        prepared = []
        for seed, (_, decisions) in enumerate(games[:20]):
            booked = await app.matches.book(federation_id, a, b, seed=seed)
            match, state = await app.matches.start(booked.id)
            prepared.append((match, state, _requests(match, state, decisions)))

        async def play(match: Match, state: MatchState, requests: list[EngineRequest]) -> int:
            for request in requests:
                decisions = {request.agent_id: request.response}
                state, tick = step(state, decisions, tick_rng(match.seed, state.time_index))
                event = DomainEvent(kind="match.tick", match_id=match.id, tick=tick.time_index)
                await app.repos.matches.record_tick(match, tick, state, [request], [event])
            return len(requests)

        ticks = 0
        start = time.perf_counter()
        for first in range(0, len(prepared), concurrent):
            group = prepared[first : first + concurrent]
            ticks += sum(await asyncio.gather(*(play(*entry) for entry in group)))
        return ticks / (time.perf_counter() - start)
    finally:
        await app.close()


def _requests(
    match: Match, state: MatchState, decisions: list[dict[int, AgentActionResponse]]
) -> list[EngineRequest]:
    """The engine requests the runner would record for this match, contexts included."""
    requests = []
    for decision in decisions:
        if state.finished:
            break
        actor = state.next_actor_id
        context = build_context(state, actor, RULEBOOK)
        requests.append(
            EngineRequest(
                request_id=context.request_id,
                match_id=match.id,
                agent_id=actor,
                due_tick=state.time_index + 1,
                deadline_s=8.0,
                controller=ControllerKind.OFFLINE,
                status=RequestStatus.ANSWERED,
                response=decision.get(actor),
                context=context,
            )
        )
        state, _ = step(state, decision, tick_rng(match.seed, state.time_index))
    return requests


async def full_runner_rate(directory: Path, run: int) -> float:
    """Everything a live tick does offline: context, policy, step, narration, persistence."""
    app, federation_id, a, b = await _bench_app(directory, f"runner-{run}")
    try:
        match_ids = [
            (await app.matches.book(federation_id, a, b, seed=seed)).id for seed in range(20)
        ]
        ticks = 0
        start = time.perf_counter()
        for match_id in match_ids:
            match = await app.matches.play(match_id)
            ticks += match.result.tick if match.result else 0
        return ticks / (time.perf_counter() - start)
    finally:
        await app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    games = recorded_matches(MATCHES)
    pure = [pure_step_rate(games) for _ in range(args.runs)]
    matches = [offline_match_rate() for _ in range(args.runs)]
    with tempfile.TemporaryDirectory() as scratch:
        persisted = [
            asyncio.run(step_and_persist_rate(Path(scratch), run, games))
            for run in range(args.runs)
        ]
        persisted_10 = [
            asyncio.run(step_and_persist_rate(Path(scratch), run, games, concurrent=10))
            for run in range(args.runs)
        ]
        runner = [asyncio.run(full_runner_rate(Path(scratch), run)) for run in range(args.runs)]
    print(f"runs per figure: {args.runs} (median reported)")
    print(f"pure step:            {statistics.median(pure):>10,.0f} ticks/s  (target >= 10,000)")
    print(
        f"with persistence:     {statistics.median(persisted):>10,.0f} ticks/s  "
        "(one match at a time: step + one SQLite transaction per tick)"
    )
    print(
        f"  10 matches at once: {statistics.median(persisted_10):>10,.0f} ticks/s  "
        "(target >= 2,000; the same work, commits batched as in a live bot)"
    )
    print(
        f"full offline runner:  {statistics.median(runner):>10,.0f} ticks/s  "
        "(decision + step + narration + persistence, as a live match does)"
    )
    print(f"full offline matches: {statistics.median(matches):>10,.1f} matches/s")


if __name__ == "__main__":
    main()
