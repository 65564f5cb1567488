"""Weekly shows on Discord: the ShowScheduler's callbacks (run the card live, remind, announce,
create the guild scheduled event, advance live matches).

Each match of a running show gets its card posted in the show's channel and a thread under
it and plays there: through bot/live's LiveMatches when the live cog runs (ticks narrated in
the thread, results embed and chart, thread archived), else to the bell with the result card
posted in the thread, which is then archived. Then the show's results and rating go to the
channel.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import discord

from bot.app import App
from bot.discord.desks import desks_of
from bot.discord.embeds_match import match_card, show_card
from bot.live.matches import live_of
from engine.errors import GameError, InvalidState, PermissionDenied
from engine.models import Match, MatchStatus, Show, ShowStatus
from engine.runner.show_runner import run_show

log = logging.getLogger(__name__)

EVENT_LENGTH = timedelta(hours=2)
THREAD_ARCHIVE_MINUTES = 1440


class DiscordShowCallbacks:
    """bot.scheduling.shows.ShowCallbacks over discord.py."""

    def __init__(self, client: discord.Client, app: App) -> None:
        self.client = client
        self.app = app

    # --- where to post ---------------------------------------------------------------------

    async def _channel_id(self, show: Show) -> int | None:
        if show.channel_id is not None:
            return show.channel_id
        federation = await self.app.repos.federations.get(show.federation_id)
        return federation.announce_channel_id

    async def _text_channel(self, show: Show) -> discord.abc.Messageable | None:
        channel_id = await self._channel_id(show)
        if channel_id is None:
            return None
        channel: Any = self.client.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self.client.fetch_channel(channel_id)
            except discord.HTTPException:
                log.warning("show %s: channel %s is gone or hidden", show.id, channel_id)
                return None
        return channel if isinstance(channel, discord.abc.Messageable) else None

    # --- the callbacks ---------------------------------------------------------------------

    async def run_show(self, show: Show, due_at: datetime) -> None:
        channel = await self._text_channel(show)
        if not show.card:
            await self.announce(show, f"{show.name} had an empty card, so nothing aired.")
            return
        show = await self.app.repos.shows.update(
            show.model_copy(update={"status": ShowStatus.LIVE})
        )
        if channel is not None:
            await _send(channel, f"**{discord.utils.escape_markdown(show.name)}** is on the air!")
        outcome = await run_show(show.card, _ThreadedCard(self, channel))
        federation = await self.app.repos.federations.get(show.federation_id)
        results = await desks_of(self.client).shows.card(federation.guild_id, show.id)
        await self.app.shows.conclude(show, outcome.rating, due_at=str(due_at))
        if channel is not None:
            await _send(channel, f"{show.name} is over. Results:", embed=show_card(results))

    async def remind(self, show: Show, starts_at: datetime) -> None:
        channel = await self._text_channel(show)
        if channel is None:
            return
        federation = await self.app.repos.federations.get(show.federation_id)
        card = await desks_of(self.client).shows.card(federation.guild_id, show.id)
        await _send(
            channel,
            f"Reminder: {discord.utils.escape_markdown(show.name)} starts "
            f"<t:{int(starts_at.timestamp())}:R>.",
            embed=show_card(card),
        )

    async def announce(self, show: Show, text: str) -> None:
        channel = await self._text_channel(show)
        if channel is not None:
            await _send(channel, text)

    async def create_scheduled_event(self, show: Show, starts_at: datetime) -> None:
        federation = await self.app.repos.federations.get(show.federation_id)
        guild = self.client.get_guild(federation.guild_id)
        if guild is None:
            raise InvalidState(f"the bot is not in server {federation.guild_id}")
        if not guild.me.guild_permissions.manage_events:
            raise PermissionDenied("the bot lacks Manage Events")
        channel_id = await self._channel_id(show)
        where = f"<#{channel_id}>" if channel_id else federation.name
        try:
            await guild.create_scheduled_event(
                name=show.name,
                start_time=starts_at,
                end_time=starts_at + EVENT_LENGTH,
                entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only,
                location=where,
                description=f"A weekly {federation.name} show on LLMFed.",
            )
        except discord.Forbidden as exc:
            raise PermissionDenied("Discord refused the scheduled event") from exc
        except discord.HTTPException as exc:
            raise InvalidState(f"Discord did not create the event: {exc.text}") from exc

    async def advance_due_matches(self) -> None:
        live = live_of(self.client)
        if live is not None:
            await live.advance_due_matches()

    # --- one match of the card -------------------------------------------------------------

    async def play_in_thread(self, match_id: int, channel: discord.abc.Messageable | None) -> Match:
        live = live_of(self.client)
        channel_id = getattr(channel, "id", None)
        if live is not None and channel_id is not None:
            return await self._play_live(match_id, channel_id)
        return await self._play_here(match_id, channel)

    async def _play_live(self, match_id: int, channel_id: int) -> Match:
        """The live path (bot/live): ticks narrated in the thread, results embed and chart."""
        live = live_of(self.client)
        assert live is not None
        match = await self.app.repos.matches.get(match_id)
        if match.status is MatchStatus.BOOKED:
            federation = await self.app.repos.federations.get(match.federation_id)
            view = await desks_of(self.client).matches.status(federation.guild_id, match.id)
            await live.start_in_channel(match_id, channel_id, match_card(view))
        elif live.get(match_id) is None:
            await live.resume()
        await live.wait_finished(match_id)
        return await self.app.repos.matches.get(match_id)

    async def _play_here(self, match_id: int, channel: discord.abc.Messageable | None) -> Match:
        """Without the live path: the match plays to the bell, result card in its thread."""
        match = await self.app.repos.matches.get(match_id)
        if match.status is MatchStatus.BOOKED:
            match, _ = await self.app.matches.start(match_id)
        federation = await self.app.repos.federations.get(match.federation_id)
        desks = desks_of(self.client)
        thread = None
        if channel is not None and match.thread_id is None:
            view = await desks.matches.status(federation.guild_id, match.id)
            thread = await _open_thread(channel, view, match)
            if thread is not None:
                match = await self.app.repos.matches.update(
                    match.model_copy(
                        update={
                            "channel_id": getattr(channel, "id", None),
                            "thread_id": thread.id,
                            # a thread opened from a message shares the message's id
                            "message_id": thread.id,
                        }
                    )
                )
        match = await self.app.matches.play(
            match.id, tick_delay_s=self.app.settings.engine.tick_interval_s
        )
        if thread is not None:
            view = await desks.matches.status(federation.guild_id, match.id)
            await _send(thread, "Full time!", embed=match_card(view))
            try:
                await thread.edit(archived=True)
            except discord.HTTPException as exc:
                log.warning("could not archive the thread of match %s: %s", match.id, exc)
        return match


class _ThreadedCard:
    """engine.runner.show_runner.SegmentPlayer: matches in threads, promos as they are."""

    def __init__(self, callbacks: DiscordShowCallbacks, channel: discord.abc.Messageable | None):
        self._callbacks = callbacks
        self._channel = channel

    async def play_match(self, match_id: int) -> float | None:
        app = self._callbacks.app
        match = await app.repos.matches.get(match_id)
        if match.status is MatchStatus.CANCELLED:
            return None
        if match.status is not MatchStatus.FINISHED:
            try:
                match = await self._callbacks.play_in_thread(match_id, self._channel)
            except GameError as exc:
                log.warning("match %s of the show did not finish: %s", match_id, exc.message)
                return None
        return match.rating

    async def play_promo(self, promo_id: int) -> float | None:
        promos = self._callbacks.app.promos
        promo = await promos.get(promo_id)
        if promo.status is MatchStatus.CANCELLED:
            return None
        if promo.status is not MatchStatus.FINISHED:
            promo = await promos.play(promo_id)
        return promo.rating


async def _open_thread(
    channel: discord.abc.Messageable, view: Any, match: Match
) -> discord.Thread | None:
    try:
        message = await channel.send(
            f"Match #{match.id} is live: follow it in the thread.", embed=match_card(view)
        )
        a, b = (view.name(i) for i in match.participant_ids)
        return await message.create_thread(
            name=f"#{match.id} {a} vs {b}"[:100], auto_archive_duration=THREAD_ARCHIVE_MINUTES
        )
    except (discord.HTTPException, ValueError) as exc:
        log.warning("could not open a thread for match %s: %s", match.id, exc)
        return None


async def _send(channel: discord.abc.Messageable, content: str, **kwargs: Any) -> None:
    try:
        await channel.send(content, allowed_mentions=discord.AllowedMentions.none(), **kwargs)
    except discord.HTTPException as exc:
        log.warning("could not post to %s: %s", getattr(channel, "id", "?"), exc)


async def refresh_schedule(client: discord.Client) -> None:
    """After /show create or /show cancel: the scheduler's jobs follow the database."""
    scheduler = getattr(client, "llmfed_scheduler", None)
    if scheduler is None:
        return
    try:
        await scheduler.refresh()
    except Exception:  # the show is saved; the next start-up rebuilds the jobs anyway
        log.exception("could not refresh the show schedule")
