"""/title create, info."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.client import LLMFedBot
from bot.discord.embeds_league import title_card
from bot.discord.permissions import guild_id_of, require_promoter
from bot.discord.transformers import FederationOption, TitleOption
from bot.services.text import escape_markdown

NameText = app_commands.Range[str, 1, 100]


@app_commands.guild_only()
class TitleCog(commands.GroupCog, group_name="title", group_description="Championships"):
    def __init__(self, bot: LLMFedBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="create", description="Create a championship (promoters)")
    @app_commands.describe(
        federation="The federation it belongs to", name="3-40 characters, unique in the federation"
    )
    async def create(
        self, interaction: discord.Interaction, federation: FederationOption, name: NameText
    ) -> None:
        guild_id_of(interaction)
        require_promoter(interaction, federation)
        title = await self.bot.app.league.create_title(federation.id, name)
        info = await self.bot.admin.title_info(title)
        await interaction.response.send_message(
            f"The **{escape_markdown(title.name)}** is up for grabs.", embed=title_card(info)
        )

    @app_commands.command(name="info", description="A championship: champion and lineage")
    @app_commands.describe(title="Which title")
    async def info(self, interaction: discord.Interaction, title: TitleOption) -> None:
        info = await self.bot.admin.title_info(title)
        await interaction.response.send_message(embed=title_card(info))


async def setup(bot: LLMFedBot) -> None:
    await bot.add_cog(TitleCog(bot))
