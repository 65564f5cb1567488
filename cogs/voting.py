"""Rolling-rewrite voting: number reactions on ballots, Discord votes as the rewrite picker."""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.discord.voting import votes_of

log = logging.getLogger(__name__)


class VotingCog(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        desk = votes_of(self.bot)
        matches = desk.app.matches
        matches.rewrites = desk.install(matches.rewrites)
        resumed = await desk.resume()
        if resumed:
            log.info("resumed %d open rewrite vote(s)", resumed)

    async def cog_unload(self) -> None:
        await votes_of(self.bot).stop()

    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        await votes_of(self.bot).on_reaction(payload)

    @commands.Cog.listener()
    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        await votes_of(self.bot).on_reaction(payload)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(VotingCog(bot))
