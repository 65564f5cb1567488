"""Discord command benchmark: 200 concurrent /wrestler info and /federation info interactions
through the real CommandTree, with FakeDiscord on 127.0.0.1 as the HTTP side.

Run: .venv/bin/python bench/discord_commands.py [--interactions 200] [--runs 3]
Prints p50/p99 of the handler latency from the moment discord.py parses INTERACTION_CREATE
until the bot issues its initial interaction response (target: p99 < 50 ms)."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
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
from tests.fakes.discord_payloads import option, subcommand
from tests.fakes.fake_discord import FakeDiscord, feed_interaction, logged_in_client

TARGET_P99_MS = 50.0
ROSTER = 24


class ResponseTimer:
    """Wraps the adapter call behind every initial interaction response to time it."""

    def __init__(self) -> None:
        self.started: dict[str, float] = {}
        self.answered: dict[str, float] = {}
        self._original = webhook_async.AsyncWebhookAdapter.create_interaction_response

    def __enter__(self) -> ResponseTimer:
        original, answered = self._original, self.answered

        def timed(adapter: Any, interaction_id: int, *args: Any, **kwargs: Any) -> Any:
            answered.setdefault(str(interaction_id), time.perf_counter())
            return original(adapter, interaction_id, *args, **kwargs)

        webhook_async.AsyncWebhookAdapter.create_interaction_response = timed  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        webhook_async.AsyncWebhookAdapter.create_interaction_response = self._original  # type: ignore[method-assign]

    def latencies_ms(self) -> list[float]:
        return sorted(
            (self.answered[i] - t) * 1000 for i, t in self.started.items() if i in self.answered
        )


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


async def one_run(count: int) -> list[float]:
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
                payloads = []
                for n in range(count):
                    if n % 2:
                        sub = subcommand("info", option("federation", str(federation_id)))
                        payloads.append(fake.interactions.slash("federation", sub))
                    else:
                        ref = str(wrestler_ids[n % len(wrestler_ids)])
                        sub = subcommand("info", option("wrestler", ref))
                        payloads.append(fake.interactions.slash("wrestler", sub))
                with ResponseTimer() as timer:
                    mark = len(fake.requests)
                    for payload in payloads:
                        timer.started[payload["id"]] = time.perf_counter()
                        feed_interaction(fake, bot, payload)
                    await _wait_for_callbacks(fake, mark, count)
                latencies = timer.latencies_ms()
                if len(latencies) != count:
                    raise SystemExit(f"only {len(latencies)} of {count} were answered")
                return latencies
        finally:
            await app.close()


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
    p50s, p99s = [], []
    for run in range(args.runs):
        latencies = asyncio.run(one_run(args.interactions))
        p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
        p50s.append(p50)
        p99s.append(p99)
        print(
            f"run {run + 1}: {args.interactions} interactions, p50 {p50:.1f} ms, "
            f"p99 {p99:.1f} ms, max {latencies[-1]:.1f} ms"
        )
    p99 = statistics.median(p99s)
    verdict = "OK" if p99 < TARGET_P99_MS else "OVER TARGET"
    print(
        f"median of runs: p50 {statistics.median(p50s):.1f} ms, p99 {p99:.1f} ms "
        f"(target p99 < {TARGET_P99_MS:.0f} ms): {verdict}"
    )
    return 0 if p99 < TARGET_P99_MS else 1


if __name__ == "__main__":
    sys.exit(main())
