"""LLM concurrency benchmark: 200 live matches at once, every decision an LLM call that takes
200 ms (an in-process fake provider), with and without SQLite persistence.

Run: .venv/bin/python bench/llm_concurrency.py [--matches 200] [--runs 3]. Ideal throughput is
matches / 0.2 s decisions/s (each match waits for one decision per tick); target >= 90%.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import App
from bot.clock import SystemClock
from bot.llm_wiring import wiring
from bot.publishers.terminal import SilentPublisher
from bot.settings import Settings
from engine.llm.agents import LLMController
from engine.llm.base import LLMRequest, LLMResponse, LLMUsage
from engine.llm.wrappers import ConcurrencyLimited
from engine.models import ControllerKind, DomainEvent, EngineRequest, Match, MatchState
from engine.models.tick import TickResult
from engine.narration.offline import OfflineNarrator
from engine.runner.match_runner import MatchRunner

LATENCY_S = 0.2
CANNED_ACTIONS = ("strike", "grapple", "technical", "pin", "strike", "rest")


class SleepyProvider:
    """A fast, steady vendor: answers after LATENCY_S with a canned, varied decision. It does
    no real work, so the CPU the bench measures is the engine's, not the fake's."""

    name = "bench"

    def __init__(self) -> None:
        self.calls = 0

    async def complete(self, request: LLMRequest) -> LLMResponse:
        await asyncio.sleep(LATENCY_S)
        self.calls += 1
        action = CANNED_ACTIONS[(request.seed + self.calls) % len(CANNED_ACTIONS)]
        parsed = {"action_id": action, "target_id": None, "intent": "Keep the pressure on."}
        return LLMResponse(
            provider=self.name,
            model=request.model,
            text=json.dumps(parsed),
            parsed=parsed,
            usage=LLMUsage(tokens_in=700, tokens_out=30),
        )

    async def list_models(self) -> list[str]:
        return ["bench"]

    async def aclose(self) -> None:
        return None


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


async def book(app: App, matches: int) -> list[int]:
    federation = await app.league.create_federation(1, "Bench Fed", 1)
    ids = []
    for index in range(matches * 2):
        wrestler = await app.league.create_wrestler(
            federation.id,
            f"Bench Wrestler {index}",
            1,
            gimmick="steady",
            alignment="face",
            controller=ControllerKind.LLM,
        )
        ids.append(wrestler.id)
    return [
        (await app.matches.book(federation.id, ids[2 * i], ids[2 * i + 1], seed=i)).id
        for i in range(matches)
    ]


async def one_run(matches: int, storage: bool) -> tuple[float, int, float]:
    provider = SleepyProvider()
    limited = ConcurrencyLimited(provider, 256)
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
            match_ids = await book(app, matches)
            # Both variants play the same way (LLM decisions, offline narration); only the
            # store differs, so the gap between them is what persistence costs.
            runner = MatchRunner(
                store=app.repos.matches if storage else NullStore(),
                narrator=OfflineNarrator(),
                publisher=SilentPublisher(),
                clock=clock,
                controller_for=lambda w: LLMController(limited, "bench", deadline_s=10.0),
                decision_deadline_s=12.0,
            )
            started = [await app.matches.start(i) for i in match_ids]
            work = [runner.run(m, s) for m, s in started]
            cpu0, wall0 = time.process_time(), time.perf_counter()
            await asyncio.gather(*work)
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        finally:
            await app.close()
    return provider.calls / wall, provider.calls, cpu * 1000 / max(1, provider.calls)


async def main_async(matches: int, runs: int) -> None:
    ideal = matches / LATENCY_S
    print(
        f"{matches} concurrent matches, {LATENCY_S * 1000:.0f} ms per decision; "
        f"ideal {ideal:.0f} decisions/s"
    )
    for storage in (False, True):
        results = [await one_run(matches, storage) for _ in range(runs)]
        rate = statistics.median(r[0] for r in results)
        cpu_ms = statistics.median(r[2] for r in results)
        calls = statistics.median(r[1] for r in results)
        label = "with SQLite" if storage else "no storage "
        print(
            f"{label}: {rate:7.0f} decisions/s = {rate / ideal:6.1%} of ideal; "
            f"engine CPU {cpu_ms:.2f} ms/decision; {calls:.0f} decisions/run "
            f"(median of {runs})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--matches", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main_async(args.matches, args.runs))


if __name__ == "__main__":
    main()
