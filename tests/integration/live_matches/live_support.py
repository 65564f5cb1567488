"""Helpers for the live-match tests: the real bot with fast ticks over FakeDiscord, a seeded
league, starting a match with /match start and reading its thread back."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from bot.app import App
from bot.clock import ManualClock
from bot.discord.client import LLMFedBot
from bot.live.matches import LiveMatches, live_of
from bot.publishers.terminal import SilentPublisher
from bot.settings import DiscordSettings, EngineSettings, SchedulerSettings, Settings
from engine.models import ControllerKind, Federation, Wrestler
from tests.fakes.discord.clients import running_bot
from tests.fakes.discord.payloads_interactions import option
from tests.fakes.discord.rig import FakeDiscord
from tests.integration.discord_commands_core.core_support import START, Harness


@dataclasses.dataclass
class LiveLeague:
    federation: Federation
    atlas: Wrestler
    ruby: Wrestler


@dataclasses.dataclass
class LiveHarness(Harness):
    @property
    def live(self) -> LiveMatches:
        live = live_of(self.bot)
        assert live is not None, "the live cog has not started"
        return live

    async def seed(self, *, player_atlas: bool = False) -> LiveLeague:
        player = int(self.fake.guild.player["id"])
        league = self.app.league
        federation = await league.create_federation(self.guild_id, "Alpha Wrestling", player)
        atlas = await league.create_wrestler(federation.id, "Atlas Grimm", player)
        ruby = await league.create_wrestler(federation.id, "Ruby Vex", player)
        if player_atlas:
            atlas = await self.app.repos.wrestlers.update(
                atlas.model_copy(update={"controller": ControllerKind.PLAYER})
            )
        return LiveLeague(federation, atlas, ruby)

    async def book(self, league: LiveLeague, seed: int = 7) -> int:
        match = await self.app.matches.book(
            league.federation.id, league.atlas.id, league.ruby.id, seed=seed
        )
        return match.id

    async def start(self, match_id: int) -> dict[str, Any]:
        """/match start as the promoter; the callback body."""
        return await self.run(self.player, "match", "start", option("match", str(match_id)))

    async def thread_of(self, match_id: int) -> int:
        await until(lambda: self.live.thread_of(match_id) is not None or None)
        thread = self.live.thread_of(match_id)
        assert thread is not None
        return thread

    def thread_messages(self, thread_id: int) -> list[dict]:
        return self.fake.channel_messages(thread_id)


async def until(
    check: Callable[[], object],
    timeout: float = 20.0,  # noqa: ASYNC109 - a polling helper
    every: float = 0.02,
) -> Any:
    """Polls ``check`` until it returns something truthy; fails after ``timeout``."""
    async with asyncio.timeout(timeout):
        while not (found := check()):  # noqa: ASYNC110 - polling a fake
            await asyncio.sleep(every)
    return found


def live_settings(
    dev_guild_id: int, db_path: Path, tick_interval_s: float = 0, **discord: Any
) -> Settings:
    return Settings(
        discord=DiscordSettings(
            dev_guild_id=dev_guild_id, **({"window_s": 1.0, "player_turn_s": 5.0} | discord)
        ),
        engine=EngineSettings(tick_interval_s=tick_interval_s, max_ticks=30),
        scheduler=SchedulerSettings(live_tick_check_s=0.01),
        storage={"path": str(db_path)},  # type: ignore[arg-type]
    )


@contextlib.asynccontextmanager
async def running_live(
    fake: FakeDiscord, db_path: Path, tick_interval_s: float = 0, **discord: Any
) -> AsyncIterator[LiveHarness]:
    settings = live_settings(fake.guild.guild_id, db_path, tick_interval_s, **discord)
    app = await App.open(settings, ManualClock(START), SilentPublisher(), db_path=db_path)
    bot = LLMFedBot(settings, app, guild_ready_timeout=0.05)
    try:
        async with running_bot(fake, bot):
            harness = LiveHarness(fake, bot, app)
            await until(lambda: live_of(bot))
            yield harness
            await harness.live.stop()
    finally:
        await app.close()
