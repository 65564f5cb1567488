"""/help: every command this bot has, with its options, and how permissions work."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.client import LLMFedBot
from bot.discord.embeds import add_field, lines_block, new_embed
from bot.discord.help_text import NOTES, command_lines


class HelpCog(commands.Cog):
    def __init__(self, bot: LLMFedBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="Every LLMFed command and who may use it")
    @app_commands.guild_only()
    async def help(self, interaction: discord.Interaction) -> None:
        sections = command_lines(self.bot.tree.get_commands())
        embed = new_embed("LLMFed commands", "\n".join(NOTES))
        for name, lines in sections.items():
            add_field(embed, f"/{name}", lines_block(lines), inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: LLMFedBot) -> None:
    await bot.add_cog(HelpCog(bot))
