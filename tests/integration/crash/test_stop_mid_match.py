"""Stopping a match mid-run (shutdown, /match cancel) while commits are in flight."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot.app import App
from bot.clock import ManualClock
from bot.publishers.terminal import SilentPublisher
from bot.settings import Settings
from engine.controllers.offline import OfflineController
from engine.models import DomainEvent, EngineRequest, Match, MatchState, Stats
from engine.models.tick import TickResult
from engine.narration.offline import OfflineNarrator
from engine.runner.match_runner import COMMITS_IN_FLIGHT, MatchRunner
from storage import MatchRepo


class SlowStore:
    """The real repository, each commit held up a little so that several are in flight."""

    def __init__(self, repo: MatchRepo, delay_s: float) -> None:
        self.repo = repo
        self.delay_s = delay_s
        self.recorded: list[int] = []

    async def record_tick(
        self,
        match: Match,
        tick: TickResult,
        state: MatchState,
        requests: Sequence[EngineRequest],
        events: Sequence[DomainEvent],
    ) -> None:
        await asyncio.sleep(self.delay_s)
        await self.repo.record_tick(match, tick, state, requests, events)
        self.recorded.append(tick.time_index)

    async def load_progress(self, match_id: int) -> tuple[MatchState, list[str]] | None:
        return await self.repo.load_progress(match_id)


class CountingNarrator(OfflineNarrator):
    def __init__(self, stop_after: int) -> None:
        super().__init__()
        self.told = 0
        self.stop_after = stop_after
        self.enough = asyncio.Event()

    async def narrate(
        self, before: MatchState, tick: TickResult, after: MatchState, recent: Sequence[str]
    ) -> str:
        self.told += 1
        if self.told >= self.stop_after:
            self.enough.set()
        return await super().narrate(before, tick, after, recent)


async def test_stopping_a_match_finishes_the_commits_in_flight(tmp_path: Path) -> None:
    app = await App.open(
        Settings(),
        ManualClock(datetime(2026, 1, 1, tzinfo=UTC)),
        SilentPublisher(),
        db_path=tmp_path / "stop.db",
    )
    try:
        federation = await app.league.create_federation(1, "Stop Test Wrestling", 1)
        tough = Stats(toughness=95)
        a = await app.league.create_wrestler(federation.id, "Iron Ike", 1, stats=tough)
        b = await app.league.create_wrestler(federation.id, "Steel Sue", 1, stats=tough)
        booked = await app.matches.book(federation.id, a.id, b.id, seed=99)
        match, state = await app.matches.start(booked.id)
        store = SlowStore(app.repos.matches, delay_s=0.03)
        narrator = CountingNarrator(stop_after=8)
        runner = MatchRunner(
            store=store,
            narrator=narrator,
            publisher=SilentPublisher(),
            clock=app.clock,
            controller_for=lambda sheet: OfflineController(),
        )
        playing = asyncio.create_task(runner.run(match, state))
        await narrator.enough.wait()
        landed_before_stop = len(store.recorded)
        playing.cancel()
        await asyncio.wait([playing])
        assert playing.cancelled()

        stepped = narrator.told
        assert 0 < stepped - landed_before_stop <= COMMITS_IN_FLIGHT  # some were in flight...
        assert store.recorded == list(range(1, stepped + 1))  # ...and all of them landed
        _, resumed, recent = await app.matches.progress(match.id)
        assert resumed.time_index == stepped and recent

        final = await runner.run(match, resumed, recent)
        assert final.finished
        ticks = await app.repos.matches.tick_count(match.id)
        assert store.recorded == list(range(1, ticks + 1)) and ticks == final.time_index
    finally:
        await app.close()
