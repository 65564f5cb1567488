"""Live matches in threads (no commands): starts LiveMatches once connected, resumes live
matches, ticks them, feeds reactions to the crowd and answers player and script buttons."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
from discord.ext import commands

from bot.discord.script_modal import script_button_class
from bot.live.matches import LIVE_ATTRIBUTE, LiveMatches, live_of
from bot.live.player import PlayerTurns, action_button_class
from bot.live.script_desk import ScriptDesks

log = logging.getLogger(__name__)


def _turns_of(client: discord.Client) -> PlayerTurns | None:
    live = live_of(client)
    return live.turns if live is not None else None


def _scripts_of(client: discord.Client) -> ScriptDesks | None:
    live = live_of(client)
    return live.scripts if live is not None else None


class LiveCog(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self._button = action_button_class(_turns_of)
        self._script_button = script_button_class(_scripts_of)
        self._ticker: asyncio.Task[Any] | None = None
        self._starting: asyncio.Lock = asyncio.Lock()
        self._started = False

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(self._button, self._script_button)
        if self.bot.is_ready():
            await self._start()

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(self._button, self._script_button)
        if self._ticker is not None:
            self._ticker.cancel()
        live = live_of(self.bot)
        if live is not None:
            await live.stop()
            delattr(self.bot, LIVE_ATTRIBUTE)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        await self._start()

    async def _start(self) -> None:
        """Once the guild cache is filled (threads, permissions): resume and start ticking."""
        async with self._starting:
            if self._started:
                return
            self._started = True
            app = getattr(self.bot, "app", None)
            clock = getattr(self.bot, "clock", None) or app.clock  # type: ignore[union-attr]
            live = LiveMatches(app, self.bot, clock, spawn=self._spawner())  # type: ignore[arg-type]
            resumed = await live.start()
            setattr(self.bot, LIVE_ATTRIBUTE, live)  # visible once resumed
            if resumed:
                log.info("resumed %d live match(es): %s", len(resumed), resumed)
            log.info("live matches ready")
            self._ticker = self._spawn(self._tick_loop(live), "llmfed-live-ticker")

    def _spawner(self) -> Any:
        return self._spawn

    def _spawn(self, work: Any, name: str) -> asyncio.Task[Any]:
        spawn = getattr(self.bot, "spawn", None)
        if spawn is not None:
            task: asyncio.Task[Any] = spawn(work, name=name)
            return task
        return asyncio.get_running_loop().create_task(work, name=name)  # pragma: no cover

    async def _tick_loop(self, live: LiveMatches) -> None:
        every = self.bot.app.settings.scheduler.live_tick_check_s  # type: ignore[attr-defined]
        while not getattr(self.bot, "stopping", False):
            live.advance_due()
            await asyncio.sleep(every)

    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        live = live_of(self.bot)
        if live is None or payload.guild_id is None:
            return
        if payload.member is not None and payload.member.bot:
            return
        await live.react(payload.message_id, payload.user_id, str(payload.emoji))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(LiveCog(bot))
