"""Discord command benchmark: 200 concurrent /wrestler info and /federation info interactions
through the real CommandTree, with FakeDiscord on 127.0.0.1 as the HTTP side.

Run: .venv/bin/python bench/discord_commands.py [--interactions 200] [--runs 3]

Each run seeds a federation with 24 wrestlers and a title, logs the bot in, answers one
interaction per entity to warm the read cache (a running bot's steady state; not timed), then
times three figures per interaction, all ending when the bot issues its initial interaction
response (the call to Discord's callback endpoint, before the network):
- handler latency (the acceptance figure, target p99 < 50 ms): from the moment the CommandTree
  starts handling that interaction (``CommandTree._call``: interaction check, option
  transformers, command callback) to its initial response, for the burst below;
- burst end-to-end: all interactions are parsed at once, as if they arrived in one instant;
  from parsing INTERACTION_CREATE to the response, so it includes the queueing behind the other
  interactions on the bot's single event loop;
- paced end-to-end: the same interactions arriving evenly over 1 s.
Each figure is the median over --runs runs."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from discord.webhook import async_ as webhook_async

from bot.app import App
from bot.clock import ManualClock
from bot.discord.client import LLMFedBot
from bot.publishers.terminal import SilentPublisher
from bot.settings import Settings
from tests.fakes.discord.clients import feed_interaction, logged_in_client
from tests.fakes.discord.payloads_interactions import option, subcommand
from tests.fakes.discord.rig import FakeDiscord

TARGET_P99_MS = 50.0
ROSTER = 24


PACED_OVER_SECONDS = 1.0


class ResponseTimer:
    """Per interaction id: when it was fed, when the CommandTree began handling it and when
    the bot issued its initial response (the adapter call behind every one)."""

    def __init__(self, tree: Any) -> None:
        self.fed: dict[str, float] = {}
        self.handling: dict[str, float] = {}
        self.answered: dict[str, float] = {}
        self._tree = tree
        self._original = webhook_async.AsyncWebhookAdapter.create_interaction_response

    def __enter__(self) -> ResponseTimer:
        original, answered, handling = self._original, self.answered, self.handling
        tree_call = self._tree._call

        def timed(adapter: Any, interaction_id: int, *args: Any, **kwargs: Any) -> Any:
            answered.setdefault(str(interaction_id), time.perf_counter())
            return original(adapter, interaction_id, *args, **kwargs)

        async def timed_call(interaction: Any) -> None:
            handling.setdefault(str(interaction.id), time.perf_counter())
            await tree_call(interaction)

        webhook_async.AsyncWebhookAdapter.create_interaction_response = timed  # type: ignore[method-assign]
        self._tree._call = timed_call
        return self

    def __exit__(self, *exc: object) -> None:
        webhook_async.AsyncWebhookAdapter.create_interaction_response = self._original  # type: ignore[method-assign]
        del self._tree._call  # the instance attribute; the class method shows through again

    def handler_ms(self) -> list[float]:
        return self._between(self.handling)

    def end_to_end_ms(self) -> list[float]:
        return self._between(self.fed)

    def _between(self, starts: dict[str, float]) -> list[float]:
        missing = [i for i in self.fed if i not in starts or i not in self.answered]
        if missing:
            raise SystemExit(f"{len(missing)} of {len(self.fed)} interactions were not timed")
        return sorted((self.answered[i] - starts[i]) * 1000 for i in self.fed)


async def seed(app: App, guild_id: int) -> tuple[int, list[int]]:
    federation = await app.league.create_federation(guild_id, "Bench Federation", 1)
    ids = []
    for n in range(ROSTER):
        wrestler = await app.league.create_wrestler(federation.id, f"Bench Wrestler {n:02d}", 1)
        ids.append(wrestler.id)
    await app.league.create_title(federation.id, "Bench Title", (ids[0],))
    return federation.id, ids


class FakeInThread:
    """FakeDiscord on its own event loop in a thread: the HTTP side does not share the bot's
    loop (as with the real Discord), so only the bot's own work is timed."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.fake: FakeDiscord | None = None

    def __enter__(self) -> FakeDiscord:
        self.thread.start()
        self.fake = asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)
        return self.fake

    async def _start(self) -> FakeDiscord:
        return await FakeDiscord().start()

    def __exit__(self, *exc: object) -> None:
        assert self.fake is not None
        asyncio.run_coroutine_threadsafe(self.fake.close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@dataclass
class RunFigures:
    """Sorted latencies in ms of one run."""

    handler: list[float]
    burst: list[float]
    paced: list[float]
    paced_handler: list[float]


async def one_run(count: int) -> RunFigures:
    with tempfile.TemporaryDirectory(prefix="llmfed-bench-") as scratch, FakeInThread() as fake:
        db_path = Path(scratch) / "bench.db"
        settings = Settings()
        app = await App.open(
            settings,
            ManualClock(datetime(2026, 1, 1, tzinfo=UTC)),
            SilentPublisher(),
            db_path=db_path,
        )
        try:
            federation_id, wrestler_ids = await seed(app, fake.guild.guild_id)
            bot = LLMFedBot(settings, app, sync_commands=False)
            async with logged_in_client(fake, bot):

                def payloads(n_total: int) -> list[dict[str, Any]]:
                    made = []
                    for n in range(n_total):
                        if n % 2:
                            sub = subcommand("info", option("federation", str(federation_id)))
                            made.append(fake.interactions.slash("federation", sub))
                        else:
                            ref = str(wrestler_ids[(n // 2) % len(wrestler_ids)])
                            sub = subcommand("info", option("wrestler", ref))
                            made.append(fake.interactions.slash("wrestler", sub))
                    return made

                await _feed(fake, bot, payloads(2 * len(wrestler_ids)), 0.0)  # warm-up
                burst = await _feed(fake, bot, payloads(count), 0.0)
                paced = await _feed(fake, bot, payloads(count), PACED_OVER_SECONDS)
                return RunFigures(
                    burst.handler_ms(),
                    burst.end_to_end_ms(),
                    paced.end_to_end_ms(),
                    paced.handler_ms(),
                )
        finally:
            await app.close()


async def _feed(
    fake: FakeDiscord, bot: LLMFedBot, payloads: list[dict[str, Any]], over_seconds: float
) -> ResponseTimer:
    """Feed the payloads all at once (``over_seconds`` 0) or evenly spread over that time,
    and wait until every one has been answered."""
    loop = asyncio.get_running_loop()
    gap = over_seconds / len(payloads)
    with ResponseTimer(bot.tree) as timer:
        mark = len(fake.requests)
        begin = loop.time()
        for n, payload in enumerate(payloads):
            if gap:
                await asyncio.sleep(max(0.0, begin + n * gap - loop.time()))
            timer.fed[payload["id"]] = time.perf_counter()
            feed_interaction(fake, bot, payload)
        await _wait_for_callbacks(fake, mark, len(payloads))
    return timer


async def _wait_for_callbacks(fake: FakeDiscord, mark: int, count: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done = [r for r in fake.requests[mark:] if r.path.endswith("/callback")]
        if len(done) >= count:
            if any(r.status >= 300 for r in done):
                raise SystemExit("some interaction callbacks failed")
            return
        await asyncio.sleep(0.01)
    raise SystemExit("timed out waiting for the callbacks")


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    figures = {
        "handler": "handler latency (burst)",
        "burst": "burst end-to-end",
        "paced": f"paced over {PACED_OVER_SECONDS:.0f} s end-to-end",
        "paced_handler": "paced handler latency",
    }
    medians: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in figures}
    for run in range(args.runs):
        result = asyncio.run(one_run(args.interactions))
        parts = []
        for key, label in figures.items():
            values: list[float] = getattr(result, key)
            p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
            medians[key][0].append(p50)
            medians[key][1].append(p99)
            parts.append(f"{label} p50 {p50:.1f} / p99 {p99:.1f} ms")
        print(f"run {run + 1} ({args.interactions} interactions): " + "; ".join(parts))
    print(f"median of {args.runs} runs:")
    for key, label in figures.items():
        p50s, p99s = medians[key]
        print(
            f"  {label:<32} p50 {statistics.median(p50s):7.1f} ms   "
            f"p99 {statistics.median(p99s):7.1f} ms"
        )
    p99 = statistics.median(medians["handler"][1])
    verdict = "OK" if p99 < TARGET_P99_MS else "OVER TARGET"
    print(
        f"acceptance: handler latency p99 {p99:.1f} ms (target < {TARGET_P99_MS:.0f} ms): {verdict}"
    )
    return 0 if p99 < TARGET_P99_MS else 1


if __name__ == "__main__":
    sys.exit(main())
