"""/promo: book a promo segment (two wrestlers trade lines for a few rounds)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.desks import actor_of, desks_of
from bot.discord.embeds_match import promo_card
from bot.discord.transformers import FederationOption, ShowOption, WrestlerOption
from bot.services.show_desk import MAX_PROMO_ROUNDS


class PromoCog(commands.GroupCog, group_name="promo", group_description="Book promos"):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="book", description="Book a promo (promoters)")
    @app_commands.describe(
        federation="The federation",
        a="First wrestler",
        b="Second wrestler",
        rounds=f"Rounds of back-and-forth (1-{MAX_PROMO_ROUNDS})",
        show="Add it to a show's card",
    )
    async def book(
        self,
        interaction: discord.Interaction,
        federation: FederationOption,
        a: WrestlerOption,
        b: WrestlerOption,
        rounds: app_commands.Range[int, 1, MAX_PROMO_ROUNDS] = 3,
        show: ShowOption | None = None,
    ) -> None:
        view = await desks_of(self.bot).shows.book_promo(
            actor_of(interaction), federation.id, a.id, b.id, rounds, show.id if show else None
        )
        await interaction.response.send_message(
            f"Booked promo #{view.promo.id}.", embed=promo_card(view)
        )


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(PromoCog(bot))
