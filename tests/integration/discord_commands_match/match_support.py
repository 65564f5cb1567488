"""Helpers for the match/promo/show/promoter/llm/leaderboard command tests: a harness whose
matches tick without delay, a seeded league (a federation owned by the player, wrestlers,
a title, a show) and waiting for background runs."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

from bot.app import App
from bot.clock import ManualClock
from bot.discord.client import LLMFedBot
from bot.discord.desks import desks_of
from bot.publishers.terminal import SilentPublisher
from bot.settings import DiscordSettings, EngineSettings, Settings
from engine.models import Alignment, Championship, Federation, Show, WeeklySchedule, Wrestler
from tests.fakes.discord.clients import running_bot
from tests.fakes.discord.rig import FakeDiscord
from tests.integration.discord_commands_core.core_support import START, Harness


@dataclasses.dataclass
class League:
    federation: Federation
    atlas: Wrestler
    ruby: Wrestler
    kid: Wrestler
    title: Championship
    show: Show


@dataclasses.dataclass
class MatchHarness(Harness):
    async def seed(self) -> League:
        """A federation owned by the guild's player (a promoter without Manage Server)."""
        player = int(self.fake.guild.player["id"])
        league = self.app.league
        federation = await league.create_federation(self.guild_id, "Alpha Wrestling", player)
        atlas = await league.create_wrestler(federation.id, "Atlas Grimm", player)
        ruby = await league.create_wrestler(
            federation.id, "Ruby Vex", player, alignment=Alignment.HEEL
        )
        kid = await league.create_wrestler(federation.id, "Kid Nova", player)
        title = await league.create_title(federation.id, "World Title")
        show = await self.app.shows.create(
            federation.id, "Monday Mayhem", WeeklySchedule(day=0, at=START.time())
        )
        return League(federation, atlas, ruby, kid, title, show)

    async def idle(self) -> None:
        await desks_of(self.bot).runs.wait_idle()


def match_settings(dev_guild_id: int, db_path: Path) -> Settings:
    return Settings(
        discord=DiscordSettings(dev_guild_id=dev_guild_id),
        engine=EngineSettings(tick_interval_s=0),
        storage={"path": str(db_path)},  # type: ignore[arg-type]
    )


@contextlib.asynccontextmanager
async def running_match_harness(fake: FakeDiscord, db_path: Path) -> AsyncIterator[MatchHarness]:
    settings = match_settings(fake.guild.guild_id, db_path)
    app = await App.open(settings, ManualClock(START), SilentPublisher(), db_path=db_path)
    bot = LLMFedBot(settings, app, guild_ready_timeout=0.05)
    try:
        async with running_bot(fake, bot):
            yield MatchHarness(fake, bot, app)
            await desks_of(bot).runs.wait_idle()
    finally:
        await app.close()
