"""Weekly shows on a schedule: APScheduler 3 in the bot's loop, jobs rebuilt from the database."""

from __future__ import annotations

import logging
from datetime import UTC

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord.ext import commands

from bot.discord.client import LLMFedBot
from bot.discord.show_air import DiscordShowCallbacks
from bot.scheduling.shows import ShowScheduler

log = logging.getLogger(__name__)
SCHEDULER_ATTRIBUTE = "llmfed_scheduler"


class ScheduleCog(commands.Cog):
    """No commands: starts the scheduler when loaded (in setup_hook) and stops it when
    unloaded (on close). /show create and /show cancel call ``refresh``."""

    def __init__(self, bot: LLMFedBot) -> None:
        self.bot = bot
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.shows: ShowScheduler | None = None

    async def cog_load(self) -> None:
        app = self.bot.app
        callbacks = DiscordShowCallbacks(self.bot, app)
        self.shows = ShowScheduler(
            self.scheduler, app.db, callbacks, app.settings.scheduler, app.clock
        )
        self.scheduler.start()
        await self.shows.start()
        setattr(self.bot, SCHEDULER_ATTRIBUTE, self.shows)
        log.info("scheduler started with %d job(s)", len(self.scheduler.get_jobs()))

    async def cog_unload(self) -> None:
        if getattr(self.bot, SCHEDULER_ATTRIBUTE, None) is self.shows:
            setattr(self.bot, SCHEDULER_ATTRIBUTE, None)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, LLMFedBot)
    await bot.add_cog(ScheduleCog(bot))
