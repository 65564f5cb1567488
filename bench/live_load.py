"""Live-load benchmark: 100 live matches across 20 channels in one process, each narrated in
its own thread, with the offline provider and FakeDiscord on 127.0.0.1.

Run: .venv/bin/python bench/live_load.py [--matches 100] [--channels 20] [--tick-interval 2]
Prints ticks/s, the most messages any channel (thread) got in any 5 s window, the posting
lag (tick committed -> message posted) p50/p99, and the peak traced memory per live match:
the bot's own allocations, sampled every few seconds in a second, traced run (tracing slows
Python down, so the first run is untraced); what the fake Discord in this same process
allocates is left out (targets: lag p99 < 10 s, < 200 KB per match; the limit is 5
messages / 5 s per channel).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import discord

from bot.app import App
from bot.clock import SystemClock
from bot.discord.client import LLMFedBot
from bot.live.matches import live_of
from bot.publishers.terminal import SilentPublisher
from bot.settings import DiscordSettings, EngineSettings, SchedulerSettings, Settings
from storage.codec import from_db_time
from tests.fakes.discord import payloads_guild as p
from tests.fakes.discord.clients import running_bot
from tests.fakes.discord.rig import FakeDiscord

TARGET_LAG_P99_S = 10.0
TARGET_BYTES_PER_MATCH = 200 * 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


TRACE_FRAMES = 4
SAMPLE_EVERY_S = 15.0
FAKE_FRAMES = (
    tracemalloc.Filter(False, "*/tests/fakes/*", all_frames=True),
    tracemalloc.Filter(False, tracemalloc.__file__),
)


def bot_memory() -> int:
    """Bytes allocated since tracing started and still alive, leaving out whatever the fake
    Discord in this same process holds (its request log, channel histories, its server)."""
    snapshot = tracemalloc.take_snapshot().filter_traces(FAKE_FRAMES)
    return sum(stat.size for stat in snapshot.statistics("filename"))


def max_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


async def run(
    matches: int, channels: int, tick_interval: float, max_ticks: int, trace_memory: bool
) -> bool:
    ids = p.Snowflakes()
    bot_user = p.user(ids.next(), "LLMFed", bot=True)
    names = [f"arena-{i}" for i in range(channels)]
    guild = p.dev_guild(ids, bot_user=bot_user, channel_names=names)
    settings_discord = DiscordSettings(dev_guild_id=guild.guild_id)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.db"
        settings = Settings(
            discord=settings_discord,
            engine=EngineSettings(tick_interval_s=tick_interval, max_ticks=max_ticks),
            scheduler=SchedulerSettings(live_tick_check_s=0.25),
            storage={"path": str(db_path)},  # type: ignore[arg-type]
        )
        async with FakeDiscord(ids=ids, bot_user=bot_user, guilds=[guild]) as fake:
            app = await App.open(settings, SystemClock(), SilentPublisher(), db_path=db_path)
            bot = LLMFedBot(settings, app, guild_ready_timeout=0.05)
            try:
                async with running_bot(fake, bot):
                    while live_of(bot) is None:  # noqa: ASYNC110 - polling a fake
                        await asyncio.sleep(0.01)
                    live = live_of(bot)
                    assert live is not None
                    owner = int(guild.owner["id"])
                    fed = await app.league.create_federation(guild.guild_id, "Bench Fed", owner)
                    roster = [
                        await app.league.create_wrestler(fed.id, f"Bench Wrestler {i}", owner)
                        for i in range(2 * matches)
                    ]
                    booked = [
                        (
                            await app.matches.book(
                                fed.id, roster[2 * i].id, roster[2 * i + 1].id, seed=1000 + i
                            )
                        ).id
                        for i in range(matches)
                    ]
                    gc.collect()
                    if trace_memory:
                        tracemalloc.start(TRACE_FRAMES)
                    started = time.perf_counter()
                    for i, match_id in enumerate(booked):
                        channel_id = guild.channel_ids[names[i % channels]]
                        card = discord.Embed(title=f"Match #{match_id}")
                        await live.start_in_channel(match_id, channel_id, card)
                    peak = 0
                    sampled = 0.0
                    while live.live_ids():
                        if trace_memory and time.perf_counter() - sampled >= SAMPLE_EVERY_S:
                            peak = max(peak, bot_memory())
                            sampled = time.perf_counter()
                        await asyncio.sleep(0.5)
                    elapsed = time.perf_counter() - started
                    if trace_memory:
                        tracemalloc.stop()
                    for match_id in booked:
                        await live.wait_posted(match_id, timeout=60)
                    rows = await app.db.fetchall(
                        "SELECT channel_id, nonce, enqueued_at, posted_at FROM outbox "
                        "WHERE posted_at IS NOT NULL"
                    )
                    ticks = await app.db.fetchvalue("SELECT count(*) FROM match_ticks")
                    duplicates = await app.db.fetchvalue(
                        "SELECT count(*) FROM (SELECT match_id, time_index FROM outbox "
                        "GROUP BY match_id, time_index HAVING count(*) > 1)"
                    )
            finally:
                await app.close()
    lags = [
        (from_db_time(r["posted_at"]) - from_db_time(r["enqueued_at"])).total_seconds()
        for r in rows
    ]
    sends: dict[int, dict[str, float]] = defaultdict(dict)
    for r in rows:
        at = (from_db_time(r["posted_at"]) or datetime.now(UTC)).timestamp()
        sends[r["channel_id"]][r["nonce"]] = at
    worst = max((max_in_window(list(s.values()), 5.0) for s in sends.values()), default=0)
    per_match = peak / matches
    if trace_memory:
        print(
            f"peak memory per live match: {per_match / 1024:.1f} KB "
            f"(target < {TARGET_BYTES_PER_MATCH // 1024} KB; traced, the fake Discord's memory "
            "left out)"
        )
        return per_match < TARGET_BYTES_PER_MATCH
    print(
        f"live matches: {matches} in {channels} channels (one thread each), "
        f"tick interval {tick_interval:g}s, max {max_ticks} ticks"
    )
    print(f"ticks: {ticks} in {elapsed:.1f}s = {ticks / elapsed:.1f} ticks/s")
    print(
        f"messages: {sum(len(s) for s in sends.values())} for {len(rows)} ticks posted; "
        f"max per channel per 5 s: {worst} (limit {settings_discord.messages_per_window}); "
        f"duplicated ticks: {duplicates}; 429s: {fake.rate_limited_count}"
    )
    print(
        f"posting lag: p50 {percentile(lags, 0.5):.2f}s  p99 {percentile(lags, 0.99):.2f}s  "
        f"max {max(lags, default=0):.2f}s (target p99 < {TARGET_LAG_P99_S:g}s)"
    )
    return (
        percentile(lags, 0.99) < TARGET_LAG_P99_S
        and worst <= settings_discord.messages_per_window
        and not duplicates
        and len(rows) == ticks
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--matches", type=int, default=100)
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--tick-interval", type=float, default=2.0)
    parser.add_argument("--max-ticks", type=int, default=50)
    args = parser.parse_args()
    shape = (args.matches, args.channels, args.tick_interval, args.max_ticks)
    # Two runs: tracing allocations slows Python down, so lag and throughput come from an
    # untraced run and the memory figure from a second, traced one.
    fast = asyncio.run(run(*shape, trace_memory=False))
    lean = asyncio.run(run(*shape, trace_memory=True))
    print("OK" if fast and lean else "TARGET MISSED")
    return 0 if fast and lean else 1


if __name__ == "__main__":
    raise SystemExit(main())
