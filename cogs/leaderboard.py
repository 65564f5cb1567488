"""/leaderboard: the best wrestlers (record, popularity) and rewrite writers (Elo)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.desks import actor_of, desks_of
from bot.discord.embeds_match import wrestler_board, writer_board
from bot.discord.transformers import FederationOption


class LeaderboardCog(
    commands.GroupCog, group_name="leaderboard", group_description="Who is on top"
):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="wrestlers", description="Top wrestlers by record and popularity")
    @app_commands.describe(federation="One federation (default: the whole server)")
    async def wrestlers(
        self, interaction: discord.Interaction, federation: FederationOption | None = None
    ) -> None:
        actor = actor_of(interaction)
        board = await desks_of(self.bot).leaderboards.wrestlers(
            actor.guild_id, federation.id if federation else None
        )
        await interaction.response.send_message(embed=wrestler_board(board))

    @app_commands.command(name="writers", description="Rewrite writers ranked by players' votes")
    async def writers(self, interaction: discord.Interaction) -> None:
        actor = actor_of(interaction)
        board = await desks_of(self.bot).leaderboards.writers(actor.guild_id)
        await interaction.response.send_message(embed=writer_board(board))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(LeaderboardCog(bot))
