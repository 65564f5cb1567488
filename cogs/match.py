"""/match: book, start, status, log, advance and cancel matches."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.desks import Desks, actor_of, desks_of, here
from bot.discord.embeds_match import advanced_embed, log_page, match_card
from bot.discord.transformers import (
    FederationOption,
    MatchOption,
    ShowOption,
    TitleOption,
    WrestlerOption,
)
from bot.discord.views import confirm_then
from bot.discord.voting import votes_of
from bot.live.matches import LiveMatches, live_of
from bot.services.match_desk import MAX_ADVANCE_TICKS
from engine.errors import GameError, InvalidInput, InvalidState
from engine.models import NarrativeMode, Stipulation

log = logging.getLogger(__name__)


async def post_result(
    channel: discord.abc.Messageable | None, desks: Desks, guild_id: int, match_id: int
) -> None:
    """Plays a started match to the bell in the background, then posts the result card."""
    try:
        await desks.matches.play_out(match_id, desks.tick_delay_s)
        view = await desks.matches.status(guild_id, match_id)
    except GameError as exc:
        log.warning("match #%s stopped: %s", match_id, exc.message)
        return
    if channel is not None:
        try:
            await channel.send(embed=match_card(view))
        except discord.HTTPException:
            log.warning("could not post the result of match #%s", match_id)


async def start_live(
    interaction: discord.Interaction, desks: Desks, live: LiveMatches, match_id: int
) -> None:
    """Live mode: the card is posted, a thread opens under it and the ticks follow there."""
    if live.get(match_id) is not None:
        raise InvalidState(f"Match #{match_id} is being played right now.")
    view = await desks.matches.check_startable(actor_of(interaction), match_id)
    await interaction.response.send_message(
        f"The bell rings for match #{match_id}! Follow it live in the thread. "
        "React to this message to fire up the crowd.",
        embed=match_card(view),
    )
    message = await interaction.original_response()
    names = " vs ".join(view.name(i) for i in view.match.participant_ids)
    thread = await message.create_thread(name=f"#{match_id} {names}"[:100])
    assert interaction.channel_id is not None
    await live.begin(match_id, interaction.channel_id, message.id, thread.id)


class MatchCog(commands.GroupCog, group_name="match", group_description="Book and run matches"):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="book", description="Book a match (promoters)")
    @app_commands.describe(
        federation="The federation",
        a="First wrestler",
        b="Second wrestler",
        stipulation="Match rules",
        mode="How the match is narrated",
        winner="Book a winner (optional: the finish is steered, not fixed spot by spot)",
        title="Put a championship on the line",
        show="Add it to a show's card",
        writer="full_rewrite only: a member who may write the script (promoters always may)",
    )
    async def book(
        self,
        interaction: discord.Interaction,
        federation: FederationOption,
        a: WrestlerOption,
        b: WrestlerOption,
        stipulation: Stipulation = Stipulation.STANDARD,
        mode: NarrativeMode = NarrativeMode.TICK,
        winner: WrestlerOption | None = None,
        title: TitleOption | None = None,
        show: ShowOption | None = None,
        writer: discord.Member | None = None,
    ) -> None:
        if writer is not None and mode is not NarrativeMode.FULL_REWRITE:
            raise InvalidInput("a writer can only be named for a full rewrite match")
        desks = desks_of(self.bot)
        view = await desks.matches.book(
            actor_of(interaction),
            federation.id,
            a.id,
            b.id,
            stipulation=stipulation,
            mode=mode,
            winner_id=winner.id if winner else None,
            title_id=title.id if title else None,
            show_id=show.id if show else None,
        )
        live = live_of(self.bot)
        if writer is not None and live is not None:
            await live.scripts.name_writer(view.match.id, writer.id)
        await interaction.response.send_message(
            f"Booked match #{view.match.id}.", embed=match_card(view)
        )

    @app_commands.command(name="start", description="Ring the bell (promoters)")
    @app_commands.describe(match="The booked match")
    async def start(self, interaction: discord.Interaction, match: MatchOption) -> None:
        desks = desks_of(self.bot)
        desks.runs.refuse_if_running(match.id, match.show_id)
        live = live_of(self.bot)
        if live is not None:
            await start_live(interaction, desks, live, match.id)
            return
        view = await desks.matches.start(actor_of(interaction), match.id)
        assert interaction.guild_id is not None
        desks.runs.start(
            self.bot,
            "match",
            match.id,
            post_result(here(self.bot, interaction), desks, interaction.guild_id, match.id),
        )
        await interaction.response.send_message(
            f"The bell rings for match #{match.id}! The result will be posted here.",
            embed=match_card(view),
        )

    @app_commands.command(name="status", description="A match's card and live state")
    @app_commands.describe(match="The match")
    async def status(self, interaction: discord.Interaction, match: MatchOption) -> None:
        assert interaction.guild_id is not None
        view = await desks_of(self.bot).matches.status(interaction.guild_id, match.id)
        await interaction.response.send_message(embed=match_card(view))

    @app_commands.command(name="log", description="The play-by-play, a page at a time")
    @app_commands.describe(match="The match", page="Page number (10 ticks a page)")
    async def log(
        self,
        interaction: discord.Interaction,
        match: MatchOption,
        page: app_commands.Range[int, 1, 1000] = 1,
    ) -> None:
        assert interaction.guild_id is not None
        found = await desks_of(self.bot).matches.log(interaction.guild_id, match.id, page)
        await interaction.response.send_message(embed=log_page(found, f"Match #{match.id}"))

    @app_commands.command(name="advance", description="Play some ticks now (promoters)")
    @app_commands.describe(match="The match", ticks=f"How many ticks (1-{MAX_ADVANCE_TICKS})")
    async def advance(
        self,
        interaction: discord.Interaction,
        match: MatchOption,
        ticks: app_commands.Range[int, 1, MAX_ADVANCE_TICKS] = 1,
    ) -> None:
        desks = desks_of(self.bot)
        actor = actor_of(interaction)
        desks.runs.refuse_if_running(match.id, match.show_id)
        live = live_of(self.bot)
        if live is not None and live.get(match.id) is not None:
            raise InvalidState(f"Match #{match.id} is live in its thread: it advances by itself.")
        await desks.matches.check_advanceable(actor, match.id, ticks)
        await interaction.response.defer(thinking=True)
        advanced = await desks.matches.advance(actor, match.id, ticks)
        await interaction.followup.send(embed=advanced_embed(advanced))

    @app_commands.command(name="cancel", description="Cancel a match (promoters)")
    @app_commands.describe(match="The match")
    async def cancel(self, interaction: discord.Interaction, match: MatchOption) -> None:
        desks = desks_of(self.bot)
        actor = actor_of(interaction)
        await desks.matches.check_cancellable(actor, match.id)
        if desks.runs.running("show", match.show_id):
            raise InvalidState(f"Match #{match.id} is part of a running show: cancel the show.")

        async def cancel_it() -> str:
            await desks.runs.stop("match", match.id)
            live = live_of(self.bot)
            if live is not None:
                await live.drop(match.id)
            view = await desks.matches.cancel(actor, match.id)
            return f"Match #{view.match.id} is cancelled."

        await confirm_then(
            interaction, f"Cancel match #{match.id}? This cannot be undone.", cancel_it
        )

    # --- rolling-rewrite votes (L2): close early / override -------------------------------

    @app_commands.command(name="vote-close", description="Close a rewrite vote now (promoters)")
    @app_commands.describe(match="The match whose open rewrite vote to close")
    async def vote_close(self, interaction: discord.Interaction, match: MatchOption) -> None:
        vote, decision = await votes_of(self.bot).promoter_close(actor_of(interaction), match.id)
        await interaction.response.send_message(
            f"Vote on segment {vote.segment} closed: #{decision.winner} is canon "
            f"({decision.decided_by}).",
            ephemeral=True,
        )

    @app_commands.command(name="vote-override", description="Pick a rewrite's canon (promoters)")
    @app_commands.describe(match="The match", candidate="The candidate number to make canon")
    async def vote_override(
        self,
        interaction: discord.Interaction,
        match: MatchOption,
        candidate: app_commands.Range[int, 1, 10],
    ) -> None:
        vote, decision = await votes_of(self.bot).promoter_close(
            actor_of(interaction), match.id, override=candidate
        )
        await interaction.response.send_message(
            f"Segment {vote.segment}: #{decision.winner} is canon by your pick.", ephemeral=True
        )


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(MatchCog(bot))
