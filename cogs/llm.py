"""/llm: provider status, usage and cost, and the models each provider offers."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.desks import actor_of, desks_of
from bot.discord.embeds_match import llm_models, llm_status, llm_usage
from bot.discord.transformers import FederationOption


class LLMCog(commands.GroupCog, group_name="llm", group_description="The AI behind the agents"):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="status", description="Providers, defaults and today's budget")
    async def status(self, interaction: discord.Interaction) -> None:
        actor = actor_of(interaction)
        found = await desks_of(self.bot).llm.status(actor.guild_id)
        await interaction.response.send_message(embed=llm_status(found), ephemeral=True)

    @app_commands.command(name="usage", description="Calls, tokens and cost (admins, promoters)")
    @app_commands.describe(federation="One federation (its promoter may ask)")
    async def usage(
        self, interaction: discord.Interaction, federation: FederationOption | None = None
    ) -> None:
        found = await desks_of(self.bot).llm.usage(
            actor_of(interaction), federation.id if federation else None
        )
        await interaction.response.send_message(embed=llm_usage(found), ephemeral=True)

    @app_commands.command(name="models", description="Model aliases and what providers offer")
    async def models(self, interaction: discord.Interaction) -> None:
        desks = desks_of(self.bot)
        actor_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await desks.llm.models()
        await interaction.followup.send(embed=llm_models(found), ephemeral=True)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(LLMCog(bot))
