"""Show desk: weekly shows (create, card, run, cancel) and promo bookings, guild-scoped."""

from __future__ import annotations

import re
from datetime import time

from pydantic import ValidationError

from bot.services.actor import Actor
from bot.services.lookup import GuildLookup, gone
from bot.services.promos import PromoService
from bot.services.repos import Repos
from bot.services.shows import ShowService
from bot.services.text import clean_name
from engine.errors import InvalidInput, InvalidState, NotFound
from engine.models import (
    DomainEvent,
    Federation,
    Frozen,
    MatchStatus,
    Promo,
    SegmentKind,
    Show,
    ShowStatus,
    WeeklySchedule,
)
from engine.ports import Clock

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_CLOCK_TIME = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*$")
MAX_PROMO_ROUNDS = 6


class CardLine(Frozen):
    position: int
    kind: SegmentKind
    ref_id: int
    label: str
    status: MatchStatus
    rating: float | None = None
    main_event: bool = False


class ShowCard(Frozen):
    show: Show
    federation: Federation
    lines: tuple[CardLine, ...]


class PromoView(Frozen):
    promo: Promo
    federation: Federation
    names: tuple[str, ...]
    show_name: str | None = None


def parse_clock_time(text: str) -> time:
    """'20:00', '8:05' or '20h00' -> time; anything else is a clear InvalidInput."""
    found = _CLOCK_TIME.match(text)
    if found is None or int(found.group(1)) > 23 or int(found.group(2)) > 59:
        raise InvalidInput("The time must be HH:MM on a 24-hour clock, e.g. 20:00.")
    return time(int(found.group(1)), int(found.group(2)))


class ShowDesk:
    def __init__(
        self, repos: Repos, clock: Clock, shows: ShowService, promos: PromoService
    ) -> None:
        self._repos = repos
        self._clock = clock
        self._shows = shows
        self._promos = promos
        self._lookup = GuildLookup(repos)

    async def _federation(self, guild_id: int, federation_id: int) -> Federation:
        return await self._lookup.federation(guild_id, federation_id)

    async def show(self, guild_id: int, show_id: int) -> tuple[Show, Federation]:
        return await self._lookup.show(guild_id, show_id)

    async def create(
        self,
        actor: Actor,
        federation_id: int,
        name: str,
        day: int,
        at: str,
        timezone: str = "UTC",
        channel_id: int | None = None,
    ) -> Show:
        federation = await self._federation(actor.guild_id, federation_id)
        actor.require_promoter(federation)
        clean = clean_name(name, "show name")
        if not 0 <= day <= 6:
            raise InvalidInput("The day must be one of Monday to Sunday.")
        try:
            schedule = WeeklySchedule(day=day, at=parse_clock_time(at), timezone=timezone.strip())
        except ValidationError:
            raise InvalidInput(
                "Unknown timezone: use an IANA name such as Europe/London or America/New_York."
            ) from None
        if await self._repos.shows.by_name(federation.id, clean) is not None:
            raise InvalidInput(f"{federation.name} already has a show named {clean}.")
        return await self._shows.create(federation.id, clean, schedule, channel_id)

    async def card(self, guild_id: int, show_id: int) -> ShowCard:
        show, federation = await self.show(guild_id, show_id)
        names = {w.id: w.name for w in await self._repos.wrestlers.list(federation.id)}

        def who(ids: tuple[int, ...]) -> str:
            return " vs ".join(names.get(i, f"#{i}") for i in ids)

        lines: list[CardLine] = []
        for segment in show.card:
            if segment.match_id is not None:
                match = await self._repos.matches.get(segment.match_id)
                label = f"Match #{match.id}: {who(match.participant_ids)}"
                status, rating, ref = match.status, match.rating, match.id
            else:
                assert segment.promo_id is not None
                promo = await self._repos.shows.get_promo(segment.promo_id)
                label = f"Promo #{promo.id}: {who(promo.participant_ids).replace(' vs ', ' & ')}"
                status, rating, ref = promo.status, promo.rating, promo.id
            lines.append(
                CardLine(
                    position=segment.position,
                    kind=segment.kind,
                    ref_id=ref,
                    label=label,
                    status=status,
                    rating=rating,
                    main_event=segment.main_event,
                )
            )
        return ShowCard(show=show, federation=federation, lines=tuple(lines))

    async def check_runnable(self, actor: Actor, show_id: int) -> Show:
        show, federation = await self.show(actor.guild_id, show_id)
        actor.require_promoter(federation)
        if show.status is not ShowStatus.SCHEDULED:
            raise InvalidState(f"{show.name} is {show.status.value}; only a scheduled show runs.")
        if not show.card:
            raise InvalidState(f"{show.name} has an empty card: book matches or promos first.")
        return show

    async def run(self, show_id: int) -> Show:
        """Play the whole card (for background runs, after check_runnable)."""
        show, _ = await self._shows.run(show_id)
        return show

    async def check_cancellable(self, actor: Actor, show_id: int) -> tuple[Show, Federation]:
        show, federation = await self.show(actor.guild_id, show_id)
        actor.require_promoter(federation)
        if show.status not in (ShowStatus.SCHEDULED, ShowStatus.LIVE):
            raise InvalidState(f"{show.name} is already {show.status.value}.")
        return show, federation

    async def cancel(self, actor: Actor, show_id: int) -> ShowCard:
        """The show and its unplayed segments are cancelled; played ones keep their results."""
        show, federation = await self.check_cancellable(actor, show_id)
        now = self._clock.now()
        async with self._repos.db.transaction():
            for segment in show.card:
                if segment.match_id is not None:
                    match = await self._repos.matches.get(segment.match_id)
                    if match.status in (MatchStatus.BOOKED, MatchStatus.LIVE):
                        await self._repos.matches.cancel(match.id)
                elif segment.promo_id is not None:
                    promo = await self._repos.shows.get_promo(segment.promo_id)
                    if promo.status is MatchStatus.BOOKED:
                        await self._repos.shows.update_promo(
                            promo.model_copy(update={"status": MatchStatus.CANCELLED})
                        )
            await self._repos.shows.update(show.model_copy(update={"status": ShowStatus.CANCELLED}))
            await self._repos.events.append(
                DomainEvent(
                    kind="show.cancelled",
                    federation_id=federation.id,
                    actor_user_id=actor.user_id,
                    at=now,
                    payload={"show_id": show.id},
                )
            )
        return await self.card(actor.guild_id, show_id)

    async def book_promo(
        self,
        actor: Actor,
        federation_id: int,
        a_id: int,
        b_id: int,
        rounds: int = 3,
        show_id: int | None = None,
    ) -> PromoView:
        federation = await self._federation(actor.guild_id, federation_id)
        actor.require_promoter(federation)
        if not 1 <= rounds <= MAX_PROMO_ROUNDS:
            raise InvalidInput(f"A promo lasts 1 to {MAX_PROMO_ROUNDS} rounds.")
        names = []
        for wrestler_id in (a_id, b_id):
            try:
                wrestler = await self._repos.wrestlers.get(wrestler_id)
            except NotFound:
                raise gone("wrestler") from None
            if wrestler.federation_id != federation.id:
                raise InvalidInput(f"{wrestler.name} is not on the {federation.name} roster.")
            names.append(wrestler.name)
        if a_id == b_id:
            raise InvalidInput("A promo needs two different wrestlers.")
        show_name = None
        if show_id is not None:
            show, _ = await self.show(actor.guild_id, show_id)
            if show.federation_id != federation.id:
                raise InvalidInput(f"{show.name} is not a {federation.name} show.")
            if show.status is not ShowStatus.SCHEDULED:
                raise InvalidState(f"{show.name} is {show.status.value}: its card is closed.")
            show_name = show.name
        promo = await self._promos.book(federation.id, (a_id, b_id), rounds, show_id)
        return PromoView(
            promo=promo, federation=federation, names=tuple(names), show_name=show_name
        )
