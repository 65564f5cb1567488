"""/promoter: guidance for the agents (hints on a federation, show, match or wrestler)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.desks import actor_of, desks_of
from bot.discord.embeds_match import hint_embed
from bot.discord.transformers import lookup_of
from bot.services.hint_desk import MAX_HINT, MAX_HINT_DAYS
from bot.services.lookup import GuildLookup
from engine.errors import GameError, InvalidInput
from engine.models import HintScope

MAX_TARGET = 100


def target_id(text: str, scope: HintScope) -> int:
    """Autocomplete sends the id; a typed '#12' or '12' works too."""
    cleaned = text.strip().lstrip("#")
    if not cleaned.isdigit() or len(cleaned) > 18:
        raise InvalidInput(f"Pick the {scope.value} from the list.")
    return int(cleaned)


class PromoterCog(commands.GroupCog, group_name="promoter", group_description="Promoter tools"):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="hint", description="Guide the agents (promoters)")
    @app_commands.describe(
        scope="What the hint is about",
        target="Which one (pick from the list)",
        text=f"The guidance (up to {MAX_HINT} characters)",
        days=f"Expire after this many days (1-{MAX_HINT_DAYS}; default never)",
    )
    async def hint(
        self,
        interaction: discord.Interaction,
        scope: HintScope,
        target: app_commands.Range[str, 1, MAX_TARGET],
        text: app_commands.Range[str, 1, MAX_HINT],
        days: app_commands.Range[int, 1, MAX_HINT_DAYS] | None = None,
    ) -> None:
        view = await desks_of(self.bot).hints.add(
            actor_of(interaction), scope, target_id(target, scope), text, days
        )
        await interaction.response.send_message(embed=hint_embed(view), ephemeral=True)

    @hint.autocomplete("target")
    async def target_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        raw = getattr(interaction.namespace, "scope", None)
        try:
            scope = HintScope(str(raw)) if raw is not None else HintScope.WRESTLER
        except ValueError:
            return []
        lookup = lookup_of_safe(interaction)
        if lookup is None:
            return []
        search = {
            HintScope.FEDERATION: lookup.suggest_federations,
            HintScope.WRESTLER: lookup.suggest_wrestlers,
            HintScope.SHOW: lookup.suggest_shows,
            HintScope.MATCH: lookup.suggest_matches,
        }[scope]
        try:
            found = await search(interaction.guild_id, current[:MAX_TARGET])
        except GameError:
            return []
        return [app_commands.Choice(name=s.label, value=s.value) for s in found[:25]]


def lookup_of_safe(interaction: discord.Interaction) -> GuildLookup | None:
    try:
        return lookup_of(interaction)
    except GameError:
        return None


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(PromoterCog(bot))
