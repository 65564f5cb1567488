"""/show: create weekly shows, read the card, run a show, cancel it."""

from __future__ import annotations

import logging
from zoneinfo import available_timezones

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.desks import Desks, actor_of, desks_of, here
from bot.discord.embeds_match import show_card
from bot.discord.show_air import refresh_schedule
from bot.discord.transformers import FederationOption, ShowOption
from bot.discord.views import confirm_then
from bot.services.show_desk import DAYS
from engine.errors import GameError, InvalidState

log = logging.getLogger(__name__)
DAY_CHOICES = [app_commands.Choice(name=name, value=index) for index, name in enumerate(DAYS)]
TIMEZONE_CHOICES = 25


def timezone_choices(current: str, zones: list[str]) -> list[app_commands.Choice[str]]:
    """Prefix matches first, then substrings; at most 25."""
    wanted = current.strip().casefold().replace(" ", "_")
    prefix = [z for z in zones if z.casefold().startswith(wanted)]
    inside = [z for z in zones if wanted in z.casefold() and z not in prefix]
    return [app_commands.Choice(name=z, value=z) for z in (prefix + inside)[:TIMEZONE_CHOICES]]


async def run_and_post(
    channel: discord.abc.Messageable | None, desks: Desks, guild_id: int, show_id: int
) -> None:
    try:
        await desks.shows.run(show_id)
        card = await desks.shows.card(guild_id, show_id)
    except GameError as exc:
        log.warning("show #%s stopped: %s", show_id, exc.message)
        return
    if channel is not None:
        try:
            await channel.send("The show is over.", embed=show_card(card))
        except discord.HTTPException:
            log.warning("could not post the results of show #%s", show_id)


class ShowCog(commands.GroupCog, group_name="show", group_description="Weekly shows"):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self.zones = sorted(available_timezones())
        super().__init__()

    @app_commands.command(name="create", description="Create a weekly show (promoters)")
    @app_commands.describe(
        federation="The federation",
        name="Show name (3-40 characters)",
        day="Day of the week",
        time="Start time, HH:MM (24-hour)",
        timezone="IANA timezone (default UTC)",
        channel="Where the show airs (default: here)",
    )
    @app_commands.choices(day=DAY_CHOICES)
    async def create(
        self,
        interaction: discord.Interaction,
        federation: FederationOption,
        name: app_commands.Range[str, 1, 100],
        day: app_commands.Choice[int],
        time: app_commands.Range[str, 1, 20],
        timezone: app_commands.Range[str, 1, 64] = "UTC",
        channel: discord.TextChannel | None = None,
    ) -> None:
        channel_id = channel.id if channel is not None else interaction.channel_id
        show = await desks_of(self.bot).shows.create(
            actor_of(interaction), federation.id, name, day.value, time, timezone, channel_id
        )
        assert interaction.guild_id is not None
        card = await desks_of(self.bot).shows.card(interaction.guild_id, show.id)
        await interaction.response.send_message(f"Created show #{show.id}.", embed=show_card(card))
        await refresh_schedule(self.bot)

    @create.autocomplete("timezone")
    async def timezone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return timezone_choices(current[:64], self.zones)

    @app_commands.command(name="card", description="A show's card")
    @app_commands.describe(show="The show")
    async def card(self, interaction: discord.Interaction, show: ShowOption) -> None:
        assert interaction.guild_id is not None
        found = await desks_of(self.bot).shows.card(interaction.guild_id, show.id)
        await interaction.response.send_message(embed=show_card(found))

    @app_commands.command(name="run", description="Run a show now (promoters)")
    @app_commands.describe(show="The show")
    async def run(self, interaction: discord.Interaction, show: ShowOption) -> None:
        desks = desks_of(self.bot)
        checked = await desks.shows.check_runnable(actor_of(interaction), show.id)
        if desks.runs.running("show", show.id):
            raise InvalidState(f"{checked.name} is already running.")
        for segment in checked.card:
            if segment.match_id is not None and desks.runs.running("match", segment.match_id):
                raise InvalidState(f"Match #{segment.match_id} of this card is being played now.")
        assert interaction.guild_id is not None
        desks.runs.start(
            self.bot,
            "show",
            show.id,
            run_and_post(here(self.bot, interaction), desks, interaction.guild_id, show.id),
        )
        await interaction.response.send_message(
            f"{discord.utils.escape_markdown(checked.name)} is on the air! "
            "Results will be posted here."
        )

    @app_commands.command(name="cancel", description="Cancel a show and its unplayed segments")
    @app_commands.describe(show="The show")
    async def cancel(self, interaction: discord.Interaction, show: ShowOption) -> None:
        desks = desks_of(self.bot)
        actor = actor_of(interaction)
        checked, _ = await desks.shows.check_cancellable(actor, show.id)

        async def cancel_it() -> str:
            await desks.runs.stop("show", show.id)
            card = await desks.shows.cancel(actor, show.id)
            await refresh_schedule(self.bot)
            return f"{discord.utils.escape_markdown(card.show.name)} is cancelled."

        await confirm_then(
            interaction,
            f"Cancel {discord.utils.escape_markdown(checked.name)} and its unplayed segments?",
            cancel_it,
        )


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(ShowCog(bot))
