"""/wrestler create, info, list, edit, release."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.client import LLMFedBot
from bot.discord.embeds_league import wrestler_card, wrestler_list
from bot.discord.permissions import guild_id_of, require_wrestler_control
from bot.discord.transformers import (
    AlignmentOption,
    ControllerOption,
    FederationOption,
    StyleOption,
    WrestlerOption,
)
from bot.discord.views import confirm_then
from bot.services.admin import starting_stats
from bot.services.text import escape_markdown
from engine.models import ControllerKind, StylePreset

NameText = app_commands.Range[str, 1, 100]
GimmickText = app_commands.Range[str, 1, 300]
FinisherText = app_commands.Range[str, 1, 60]
ModelText = app_commands.Range[str, 1, 60]

PLAYER_NOTE = (
    "Player control arrives with live matches; until then the offline policy wrestles for you."
)


@app_commands.guild_only()
class WrestlerCog(
    commands.GroupCog, group_name="wrestler", group_description="Create and manage your wrestlers"
):
    def __init__(self, bot: LLMFedBot) -> None:
        self.bot = bot
        super().__init__()

    def known_models(self) -> list[str]:
        return sorted({"offline", *self.bot.settings.llm.models})

    @app_commands.command(name="create", description="Create a wrestler you own")
    @app_commands.describe(
        federation="The federation to sign with",
        name="3-40 characters, unique in the federation",
        gimmick="Who they are (up to 300 characters)",
        alignment="Face, heel or tweener",
        style="How they wrestle",
        finisher="The name of their finishing move",
    )
    async def create(
        self,
        interaction: discord.Interaction,
        federation: FederationOption,
        name: NameText,
        gimmick: GimmickText,
        alignment: AlignmentOption,
        style: StyleOption = StylePreset.ALL_ROUNDER,
        finisher: FinisherText = "Finisher",
    ) -> None:
        guild_id_of(interaction)
        wrestler = await self.bot.app.league.create_wrestler(
            federation.id,
            name,
            interaction.user.id,
            gimmick=gimmick,
            alignment=alignment,
            style=style,
            stats=starting_stats(style),
            finisher=finisher,
        )
        info = await self.bot.admin.wrestler_info(wrestler)
        await interaction.response.send_message(
            f"**{escape_markdown(wrestler.name)}** signs with "
            f"**{escape_markdown(federation.name)}**.",
            embed=wrestler_card(info),
        )

    @app_commands.command(name="info", description="A wrestler's card")
    @app_commands.describe(wrestler="Which wrestler")
    async def info(self, interaction: discord.Interaction, wrestler: WrestlerOption) -> None:
        info = await self.bot.admin.wrestler_info(wrestler)
        await interaction.response.send_message(embed=wrestler_card(info))

    @app_commands.command(name="list", description="The roster of a federation or the server")
    @app_commands.describe(federation="Only this federation (default: every one here)")
    async def list_(
        self, interaction: discord.Interaction, federation: FederationOption | None = None
    ) -> None:
        wrestlers = await self.bot.admin.wrestlers(guild_id_of(interaction), federation)
        heading = f"Roster: {federation.name}" if federation else "Every wrestler here"
        await interaction.response.send_message(embed=wrestler_list(wrestlers, heading))

    @app_commands.command(name="edit", description="Change your wrestler")
    @app_commands.describe(
        wrestler="Your wrestler",
        gimmick="A new gimmick",
        alignment="Turn face, heel or tweener",
        finisher="A new finisher",
        controller="Who wrestles: an LLM agent, you, or the offline policy",
        model="Which configured model an LLM agent uses",
    )
    async def edit(
        self,
        interaction: discord.Interaction,
        wrestler: WrestlerOption,
        gimmick: GimmickText | None = None,
        alignment: AlignmentOption | None = None,
        finisher: FinisherText | None = None,
        controller: ControllerOption | None = None,
        model: ModelText | None = None,
    ) -> None:
        federation = await self.bot.admin.federation_of(wrestler)
        require_wrestler_control(interaction, wrestler, federation)
        updated = await self.bot.admin.edit_wrestler(
            wrestler,
            interaction.user.id,
            gimmick=gimmick,
            alignment=alignment,
            finisher=finisher,
            controller=controller,
            model=model,
            known_models=self.known_models(),
        )
        info = await self.bot.admin.wrestler_info(updated)
        note = f"\n{PLAYER_NOTE}" if controller is ControllerKind.PLAYER else ""
        await interaction.response.send_message(
            f"Updated **{escape_markdown(updated.name)}**.{note}", embed=wrestler_card(info)
        )

    @edit.autocomplete("model")
    async def model_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        wanted = current.casefold()
        return [
            app_commands.Choice(name=m, value=m)
            for m in self.known_models()
            if wanted in m.casefold()
        ][:25]

    @app_commands.command(name="release", description="Release a wrestler (asks to confirm)")
    @app_commands.describe(wrestler="The wrestler to release")
    async def release(self, interaction: discord.Interaction, wrestler: WrestlerOption) -> None:
        federation = await self.bot.admin.federation_of(wrestler)
        require_wrestler_control(interaction, wrestler, federation)
        name = escape_markdown(wrestler.name)

        async def release_it() -> str:
            await self.bot.admin.release_wrestler(wrestler, interaction.user.id)
            return f"**{name}** has been released from **{escape_markdown(federation.name)}**."

        await confirm_then(
            interaction, f"Release **{name}**? Their record goes with them.", release_it
        )


async def setup(bot: LLMFedBot) -> None:
    await bot.add_cog(WrestlerCog(bot))
