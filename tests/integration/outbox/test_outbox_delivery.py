"""Outbox: rate limit under a burst, coalescing, per-channel independence, restart mid-burst."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import SystemClock
from bot.live.outbox import Outbox, PermanentSendError
from bot.live.pacing import MAX_CONTENT, coalesce, fit
from bot.settings import DiscordSettings
from storage.database import Database
from storage.outbox import OutboxEntry, OutboxRepo
from tests.integration.outbox.outbox_support import (
    FakeChannelApi,
    max_in_window,
    tick_text,
    wait_until,
)

CHANNEL_A, CHANNEL_B, CHANNEL_C = 501, 502, 503


async def _all_posted(db: Database) -> bool:
    left = await db.fetchvalue("SELECT count(*) FROM outbox WHERE message_id IS NULL")
    return bool(left == 0)


async def _burst(outbox: Outbox, channel_id: int, match_id: int, count: int, rate: float) -> None:
    for index in range(count):
        await outbox.enqueue(channel_id, match_id, index, tick_text(match_id, index))
        await asyncio.sleep(1 / rate)


@pytest.mark.slow
async def test_burst_stays_within_five_per_five_seconds_and_posts_every_tick_once(
    db: Database, match_ids: list[int]
) -> None:
    api = FakeChannelApi()
    settings = DiscordSettings(messages_per_window=5, window_s=5.0)
    outbox = Outbox(db, api.send, settings, SystemClock())
    await outbox.start()
    await _burst(outbox, CHANNEL_A, match_ids[0], count=60, rate=10)
    await wait_until(lambda: _all_posted(db))
    assert await outbox.stop(timeout=5)

    expected = [tick_text(match_ids[0], i) for i in range(60)]
    assert api.ticks(CHANNEL_A) == expected  # nothing lost, nothing twice, order kept
    assert max_in_window(api.attempts, 5.0) <= 5
    assert len(api.messages) < 60, "a backlog must be coalesced into fewer messages"
    assert all(len(m.content) <= MAX_CONTENT for m in api.messages)
    posted = await OutboxRepo(db).posted(match_ids[0])
    by_message = {m.message_id: m.content for m in api.messages}
    for entry in posted:
        assert entry.text in by_message[entry.message_id].split("\n")


async def test_channels_are_paced_independently(db: Database, match_ids: list[int]) -> None:
    api = FakeChannelApi()
    settings = DiscordSettings(messages_per_window=2, window_s=1.0)
    outbox = Outbox(db, api.send, settings, SystemClock())
    await outbox.start()
    started = time.monotonic()
    channels = (CHANNEL_A, CHANNEL_B, CHANNEL_C)
    await asyncio.gather(
        *(
            _burst(outbox, ch, mid, count=20, rate=20)
            for ch, mid in zip(channels, match_ids, strict=True)
        )
    )
    await wait_until(lambda: _all_posted(db))
    await outbox.stop(timeout=5)

    for channel, match_id in zip(channels, match_ids, strict=True):
        assert api.ticks(channel) == [tick_text(match_id, i) for i in range(20)]
        arrivals = api.arrivals(channel)
        assert max_in_window(arrivals, 1.0) <= 2
        # Each channel got its own first two posts at once: no channel waited for another.
        assert arrivals[1] - started < 0.5
    assert max_in_window(api.attempts, 1.0) > 2, "the limit is per channel, not global"


async def test_a_tick_is_never_queued_twice(db: Database, match_ids: list[int]) -> None:
    repo = OutboxRepo(db)
    first = await repo.enqueue(CHANNEL_A, match_ids[0], 3, "once", _now())
    again = await repo.enqueue(CHANNEL_A, match_ids[0], 3, "twice?", _now())
    assert first is not None and again is None
    assert [e.text for e in await repo.pending(CHANNEL_A)] == ["once"]


async def test_enqueue_joins_the_tick_transaction_and_a_rollback_posts_nothing(
    db: Database, match_ids: list[int]
) -> None:
    api = FakeChannelApi()
    outbox = Outbox(db, api.send, DiscordSettings(), SystemClock(), poll_s=0.05)
    await outbox.start()
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await outbox.repo.enqueue(CHANNEL_A, match_ids[0], 0, "rolled back", _now())
            outbox.notify(CHANNEL_A)
            await asyncio.sleep(0.2)  # the worker is awake; it must not see the open row
            raise RuntimeError("the tick failed")
    async with db.transaction():
        await outbox.repo.enqueue(CHANNEL_A, match_ids[0], 0, "committed", _now())
    outbox.notify(CHANNEL_A)
    await wait_until(lambda: _all_posted(db))
    await outbox.stop()
    assert api.ticks(CHANNEL_A) == ["committed"]


def test_coalescing_never_splits_a_tick_and_cuts_a_single_long_one() -> None:
    def entry(i: int, text: str) -> OutboxEntry:
        return OutboxEntry(id=i, channel_id=1, match_id=1, time_index=i, text=text)

    long_tick = "x" * 2500
    taken, content = coalesce([entry(1, long_tick), entry(2, "next")])
    assert [e.id for e in taken] == [1]
    assert len(content) == MAX_CONTENT and content.endswith("…")
    assert content == fit(long_tick)

    texts = ["a" * 900, "b" * 900, "c" * 300]
    taken, content = coalesce([entry(i, t) for i, t in enumerate(texts)])
    assert [e.text for e in taken] == texts[:2]  # the third would pass 2000: it waits
    assert content.split("\n") == texts[:2]


async def test_a_refused_channel_drops_its_ticks_and_others_carry_on(
    db: Database, match_ids: list[int]
) -> None:
    api = FakeChannelApi()

    async def send(channel_id: int, content: str, nonce: str) -> int:
        if channel_id == CHANNEL_B:
            raise PermanentSendError("Unknown Channel")
        return await api.send(channel_id, content, nonce)

    outbox = Outbox(db, send, DiscordSettings(), SystemClock())
    await outbox.start()
    await outbox.enqueue(CHANNEL_B, match_ids[1], 0, "into the void")
    await outbox.enqueue(CHANNEL_A, match_ids[0], 0, "seen")
    await wait_until(lambda: _all_posted_or_dropped(db))
    await outbox.stop()
    assert api.ticks(CHANNEL_A) == ["seen"]
    reason = await db.fetchvalue(
        "SELECT dropped_reason FROM outbox WHERE channel_id = ?", (CHANNEL_B,)
    )
    assert reason == "Unknown Channel"


async def test_transient_failures_retry_with_the_same_nonce(
    db: Database, match_ids: list[int]
) -> None:
    api = FakeChannelApi()
    nonces: list[str] = []

    async def flaky(channel_id: int, content: str, nonce: str) -> int:
        nonces.append(nonce)
        message_id = await api.send(channel_id, content, nonce)
        if len(nonces) == 1:
            raise ConnectionResetError("lost the response")  # posted, but we never heard
        return message_id

    outbox = Outbox(db, flaky, DiscordSettings(), SystemClock(), retry_s=(0.05, 0.05))
    await outbox.start()
    await outbox.enqueue(CHANNEL_A, match_ids[0], 0, "only once")
    await wait_until(lambda: _all_posted(db))
    await outbox.stop()
    assert len(nonces) == 2 and nonces[0] == nonces[1]
    assert api.ticks(CHANNEL_A) == ["only once"]


@pytest.mark.parametrize("with_lookup", [True, False], ids=["find-posted", "nonce-only"])
async def test_restart_mid_burst_loses_and_duplicates_nothing(
    db_path: Path, db: Database, match_ids: list[int], with_lookup: bool
) -> None:
    api = FakeChannelApi()
    settings = DiscordSettings(messages_per_window=3, window_s=0.5)
    stuck = asyncio.Event()

    async def dies_after_sending(channel_id: int, content: str, nonce: str) -> int:
        message_id = await api.send(channel_id, content, nonce)
        if len(api.messages) == 4:
            stuck.set()
            await asyncio.Event().wait()  # the crash lands here: sent, not yet marked
        return message_id

    find = api.find if with_lookup else None
    first = Outbox(db, dies_after_sending, settings, SystemClock(), find_posted=find)
    await first.start()
    producer = asyncio.create_task(_burst(first, CHANNEL_A, match_ids[0], count=40, rate=50))
    await asyncio.wait_for(stuck.wait(), 10)
    await first.abort()
    await producer
    claimed = await OutboxRepo(db).claimed(CHANNEL_A)
    assert claimed, "the crash should leave a claimed, unmarked batch"
    await db.close()

    reopened = await Database.open(db_path)
    try:
        second = Outbox(reopened, api.send, settings, SystemClock(), find_posted=find)
        await second.start()
        await wait_until(lambda: _all_posted(reopened))
        await second.stop()
    finally:
        await reopened.close()
    assert api.ticks(CHANNEL_A) == [tick_text(match_ids[0], i) for i in range(40)]
    # The restart honoured the posts made before the crash when pacing.
    assert max_in_window(api.attempts, 0.5) <= 3


async def _all_posted_or_dropped(db: Database) -> bool:
    left = await db.fetchvalue(
        "SELECT count(*) FROM outbox WHERE message_id IS NULL AND dropped_reason IS NULL"
    )
    return bool(left == 0)


def _now() -> datetime:
    return datetime.now(UTC)
