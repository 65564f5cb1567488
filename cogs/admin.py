"""/admin sync: the bot owner re-syncs slash commands after an update."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.client import LLMFedBot
from engine.errors import PermissionDenied


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class AdminCog(commands.GroupCog, group_name="admin", group_description="Bot owner tools"):
    def __init__(self, bot: LLMFedBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="sync", description="Re-sync slash commands (bot owner only)")
    async def sync(self, interaction: discord.Interaction) -> None:
        if not await self.bot.is_owner(interaction.user):
            raise PermissionDenied("Only the owner of this bot application can sync commands.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        synced = await self.bot.sync_app_commands()
        where = (
            "this development server"
            if self.bot.settings.discord.dev_guild_id
            else "every server (Discord may take up to an hour)"
        )
        await interaction.followup.send(
            f"Synced {len(synced)} commands to {where}.", ephemeral=True
        )


async def setup(bot: LLMFedBot) -> None:
    await bot.add_cog(AdminCog(bot))
