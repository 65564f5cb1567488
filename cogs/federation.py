"""/federation create, info, list, edit, delete."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.client import LLMFedBot
from bot.discord.embeds_league import federation_card, federation_list
from bot.discord.permissions import guild_id_of, require_promoter
from bot.discord.transformers import FederationOption, TierOption
from bot.discord.views import confirm_then
from bot.services.text import escape_markdown
from engine.errors import InvalidInput, NotFound
from engine.models import Federation, Tier

NameText = app_commands.Range[str, 1, 100]
DescriptionText = app_commands.Range[str, 0, 300]


@app_commands.guild_only()
class FederationCog(
    commands.GroupCog,
    group_name="federation",
    group_description="Create and run wrestling federations",
):
    def __init__(self, bot: LLMFedBot) -> None:
        self.bot = bot
        super().__init__()

    async def _only_federation(self, guild_id: int) -> Federation:
        federations = await self.bot.admin.federations(guild_id)
        if not federations:
            raise NotFound("This server has no federation yet: start one with /federation create.")
        if len(federations) > 1:
            raise InvalidInput("This server has several federations: pick one.")
        return federations[0]

    @app_commands.command(name="create", description="Start a federation; you become its owner")
    @app_commands.describe(
        name="3-40 characters, unique in this server",
        description="What the federation is about (up to 300 characters)",
        tier="How big it is (default indie)",
    )
    async def create(
        self,
        interaction: discord.Interaction,
        name: NameText,
        description: DescriptionText = "",
        tier: TierOption = Tier.INDIE,
    ) -> None:
        federation = await self.bot.app.league.create_federation(
            guild_id_of(interaction),
            name,
            interaction.user.id,
            description=description,
            tier=tier,
            announce_channel_id=interaction.channel_id,
        )
        info = await self.bot.admin.federation_info(federation)
        await interaction.response.send_message(
            f"**{escape_markdown(federation.name)}** is open for business.",
            embed=federation_card(info),
        )

    @app_commands.command(name="info", description="A federation's card")
    @app_commands.describe(federation="Which federation (default: this server's only one)")
    async def info(
        self, interaction: discord.Interaction, federation: FederationOption | None = None
    ) -> None:
        chosen = federation or await self._only_federation(guild_id_of(interaction))
        info = await self.bot.admin.federation_info(chosen)
        await interaction.response.send_message(embed=federation_card(info))

    @app_commands.command(name="list", description="Every federation in this server")
    async def list_(self, interaction: discord.Interaction) -> None:
        guild_id = guild_id_of(interaction)
        federations = await self.bot.admin.federations(guild_id)
        counts = await self.bot.admin.roster_counts(guild_id)
        await interaction.response.send_message(embed=federation_list(federations, counts))

    @app_commands.command(name="edit", description="Change a federation (owner or Manage Server)")
    @app_commands.describe(
        federation="The federation to change",
        name="A new name",
        description="A new description",
        tier="A new tier",
        channel="Where its shows and results are announced",
    )
    async def edit(
        self,
        interaction: discord.Interaction,
        federation: FederationOption,
        name: NameText | None = None,
        description: DescriptionText | None = None,
        tier: TierOption | None = None,
        channel: discord.TextChannel | None = None,
    ) -> None:
        require_promoter(interaction, federation)
        updated = await self.bot.admin.edit_federation(
            federation,
            interaction.user.id,
            name=name,
            description=description,
            tier=tier,
            announce_channel_id=channel.id if channel else None,
        )
        info = await self.bot.admin.federation_info(updated)
        await interaction.response.send_message(
            f"Updated **{escape_markdown(updated.name)}**.", embed=federation_card(info)
        )

    @app_commands.command(name="delete", description="Delete a federation (asks to confirm)")
    @app_commands.describe(
        federation="The federation to delete",
        force="Also delete its wrestlers, titles, matches and shows",
    )
    async def delete(
        self, interaction: discord.Interaction, federation: FederationOption, force: bool = False
    ) -> None:
        require_promoter(interaction, federation)
        name = escape_markdown(federation.name)
        extra = " and everything in it" if force else ""

        async def delete_it() -> str:
            await self.bot.admin.delete_federation(federation, interaction.user.id, force=force)
            return f"Deleted **{name}**{extra}."

        await confirm_then(
            interaction, f"Delete **{name}**{extra}? This cannot be undone.", delete_it
        )


async def setup(bot: LLMFedBot) -> None:
    await bot.add_cog(FederationCog(bot))
