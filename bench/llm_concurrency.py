"""LLM concurrency benchmark: 200 live matches at once, every decision an LLM call that takes
200 ms (an in-process fake provider), with and without SQLite persistence.

Run: .venv/bin/python bench/llm_concurrency.py [--matches 200] [--runs 3].

It measures steady load, as a busy server sees it: each of the ``--matches`` slots plays its
matches back to back (a finished match is followed at once by the next one booked for that
slot), the slots start spread over one decision's latency, and decisions are counted in a
fixed window after a warm-up. Ideal throughput is then exactly slots / 0.2 s decisions/s: with
an engine that took no time, every slot would finish one decision every 200 ms. (Counting a
single batch of matches from first to last tick instead would also count the tail in which the
longest matches play on alone, which caps even a zero-cost engine well under 100%.)
Target >= 90% of ideal. CPU per decision is given for the whole process (every thread) and for
the event loop's thread alone, the one that every match shares. Once booked, the process is
tuned as `llmfed bot` tunes itself after startup (bot/runtime.py: the GC and the GIL switch
interval), and put back after each run.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import App
from bot.clock import SystemClock
from bot.llm_wiring import wiring
from bot.publishers.terminal import SilentPublisher
from bot.runtime import tune_for_serving
from bot.settings import Settings
from engine.llm.agents import LLMController
from engine.llm.base import LLMRequest, LLMResponse, LLMUsage
from engine.llm.wrappers import ConcurrencyLimited
from engine.models import (
    ControllerKind,
    DomainEvent,
    EngineRequest,
    Match,
    MatchState,
    Wrestler,
)
from engine.models.tick import TickResult
from engine.narration.offline import OfflineNarrator
from engine.runner.match_runner import MatchRunner

LATENCY_S = 0.2
WARMUP_S = 3.0
WINDOW_S = 8.0
# Enough matches per slot to outlast warm-up + window even if every one is short (>= 15 ticks).
MATCHES_PER_SLOT = 5
CANNED_ACTIONS = ("strike", "grapple", "technical", "pin", "strike", "rest")


class SleepyProvider:
    """A fast, steady vendor: answers after LATENCY_S with a canned, varied decision (built
    once). It does no real work, so the CPU the bench measures is the engine's, not the
    fake's. It notes when each answer is handed back, to count decisions inside the window."""

    name = "bench"

    def __init__(self) -> None:
        self.calls = 0
        self.answered_at: list[float] = []
        self._replies = [_reply(action) for action in CANNED_ACTIONS]

    async def complete(self, request: LLMRequest) -> LLMResponse:
        await asyncio.sleep(LATENCY_S)
        self.calls += 1
        self.answered_at.append(time.perf_counter())
        return self._replies[(request.seed + self.calls) % len(self._replies)]

    async def list_models(self) -> list[str]:
        return ["bench"]

    async def aclose(self) -> None:
        return None


def _reply(action: str) -> LLMResponse:
    parsed = {"action_id": action, "target_id": None, "intent": "Keep the pressure on."}
    return LLMResponse(
        provider=SleepyProvider.name,
        model="bench",
        text=json.dumps(parsed),
        parsed=parsed,
        usage=LLMUsage(tokens_in=700, tokens_out=30),
    )


class NullStore:
    async def record_tick(
        self,
        match: Match,
        tick: TickResult,
        state: MatchState,
        requests: Sequence[EngineRequest],
        events: Sequence[DomainEvent],
    ) -> None:
        return None

    async def load_progress(self, match_id: int) -> None:
        return None


class Controllers:
    """One LLMController per wrestler, as the bot's wiring keeps them (bot/llm_wiring.py)."""

    def __init__(self, provider: ConcurrencyLimited) -> None:
        self._provider = provider
        self._by_wrestler: dict[int, LLMController] = {}

    def controller_for(self, wrestler: Wrestler) -> LLMController:
        controller = self._by_wrestler.get(wrestler.id)
        if controller is None:
            controller = LLMController(self._provider, "bench", deadline_s=10.0)
            self._by_wrestler[wrestler.id] = controller
        return controller


@dataclass(frozen=True)
class RunResult:
    decisions: int
    rate: float
    process_cpu_ms: float
    loop_cpu_ms: float


async def book_slots(app: App, slots: int) -> list[list[int]]:
    """Two wrestlers per slot and MATCHES_PER_SLOT matches booked between them."""
    federation = await app.league.create_federation(1, "Bench Fed", 1)
    booked = []
    for slot in range(slots):
        pair = [
            (
                await app.league.create_wrestler(
                    federation.id,
                    f"Bench Wrestler {2 * slot + corner}",
                    1,
                    gimmick="steady",
                    alignment="face",
                    controller=ControllerKind.LLM,
                )
            ).id
            for corner in (0, 1)
        ]
        booked.append(
            [
                (
                    await app.matches.book(
                        federation.id, *pair, seed=slot * MATCHES_PER_SLOT + number
                    )
                ).id
                for number in range(MATCHES_PER_SLOT)
            ]
        )
    return booked


async def play_slot(app: App, runner: MatchRunner, match_ids: list[int], delay_s: float) -> None:
    await asyncio.sleep(delay_s)
    for match_id in match_ids:
        match, state = await app.matches.start(match_id)
        await runner.run(match, state)


async def one_run(slots: int, storage: bool) -> RunResult:
    provider = SleepyProvider()
    limited = ConcurrencyLimited(provider, 256)
    thresholds, switch_interval = gc.get_threshold(), sys.getswitchinterval()
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings.model_validate(
            {"llm": {"deadline_s": 10.0}, "engine": {"decision_deadline_s": 12.0}}
        )
        clock = SystemClock()
        app = await App.open(
            settings,
            clock,
            SilentPublisher(),
            db_path=Path(scratch) / "b.db",
            llm=wiring(settings, clock, providers={"offline": limited}),
        )
        try:
            booked = await book_slots(app, slots)
            tune_for_serving()
            controllers = Controllers(limited)
            # Both variants play the same way (LLM decisions, offline narration); only the
            # store differs, so the gap between them is what persistence costs.
            runner = MatchRunner(
                store=app.repos.matches if storage else NullStore(),
                narrator=OfflineNarrator(),
                publisher=SilentPublisher(),
                clock=clock,
                controller_for=controllers.controller_for,
                decision_deadline_s=12.0,
            )
            tasks = [
                asyncio.ensure_future(play_slot(app, runner, ids, LATENCY_S * slot / slots))
                for slot, ids in enumerate(booked)
            ]
            await asyncio.sleep(WARMUP_S)
            start, cpu0, loop0 = time.perf_counter(), time.process_time(), time.thread_time()
            await asyncio.sleep(WINDOW_S)
            end, cpu1, loop1 = time.perf_counter(), time.process_time(), time.thread_time()
            unfinished = sum(not task.done() for task in tasks)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            await app.close()
            gc.unfreeze()
            gc.set_threshold(*thresholds)
            sys.setswitchinterval(switch_interval)
    if unfinished < slots:
        raise SystemExit(f"{slots - unfinished} slots ran out of matches: raise MATCHES_PER_SLOT")
    decisions = sum(start <= at < end for at in provider.answered_at)
    return RunResult(
        decisions=decisions,
        rate=decisions / (end - start),
        process_cpu_ms=(cpu1 - cpu0) * 1000 / max(1, decisions),
        loop_cpu_ms=(loop1 - loop0) * 1000 / max(1, decisions),
    )


async def main_async(slots: int, runs: int) -> None:
    ideal = slots / LATENCY_S
    print(
        f"{slots} concurrent matches, {LATENCY_S * 1000:.0f} ms per decision, "
        f"{WINDOW_S:g} s window after {WARMUP_S:g} s warm-up; ideal {ideal:.0f} decisions/s"
    )
    for storage in (False, True):
        results = [await one_run(slots, storage) for _ in range(runs)]
        rate = statistics.median(r.rate for r in results)
        label = "with SQLite" if storage else "no storage "
        print(
            f"{label}: {rate:7.0f} decisions/s = {rate / ideal:6.1%} of ideal "
            f"(runs: {', '.join(f'{r.rate / ideal:.1%}' for r in results)}); engine CPU "
            f"{statistics.median(r.process_cpu_ms for r in results):.2f} ms/decision "
            f"(event loop thread {statistics.median(r.loop_cpu_ms for r in results):.2f}); "
            f"median of {runs}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--matches", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main_async(args.matches, args.runs))


if __name__ == "__main__":
    main()
