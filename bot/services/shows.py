"""Show use cases: create a weekly show, read its card, run it segment by segment."""

from __future__ import annotations

from bot.services.matches import MatchService
from bot.services.promos import PromoService
from bot.services.repos import Repos
from engine.errors import InvalidState
from engine.models import DomainEvent, MatchStatus, Show, ShowStatus, WeeklySchedule
from engine.ports import Clock, Publisher
from engine.runner.show_runner import ShowOutcome, run_show


class _CardPlayer:
    """Adapts the match and promo services to the engine's SegmentPlayer port."""

    def __init__(self, matches: MatchService, promos: PromoService) -> None:
        self._matches = matches
        self._promos = promos

    async def play_match(self, match_id: int) -> float | None:
        match = await self._matches.get(match_id)
        if match.status is MatchStatus.CANCELLED:
            return None
        if match.status is not MatchStatus.FINISHED:
            match = await self._matches.play(match_id)
        return match.rating

    async def play_promo(self, promo_id: int) -> float | None:
        promo = await self._promos.get(promo_id)
        if promo.status is MatchStatus.CANCELLED:
            return None
        if promo.status is not MatchStatus.FINISHED:
            promo = await self._promos.play(promo_id)
        return promo.rating


class ShowService:
    def __init__(
        self,
        repos: Repos,
        clock: Clock,
        publisher: Publisher,
        matches: MatchService,
        promos: PromoService,
    ) -> None:
        self._repos = repos
        self._clock = clock
        self._publisher = publisher
        self._player = _CardPlayer(matches, promos)

    async def create(
        self,
        federation_id: int,
        name: str,
        schedule: WeeklySchedule | None = None,
        channel_id: int | None = None,
    ) -> Show:
        async with self._repos.db.transaction():
            show = await self._repos.shows.create(
                federation_id, name, self._clock.now(), schedule=schedule, channel_id=channel_id
            )
            await self._repos.events.append(
                DomainEvent(
                    kind="show.created",
                    federation_id=federation_id,
                    at=self._clock.now(),
                    payload={"show_id": show.id, "name": show.name},
                )
            )
        return show

    async def conclude(self, show: Show, rating: float, **payload: object) -> Show:
        """Close an airing. A weekly show is a series: it goes back to SCHEDULED with an empty
        card for next week (the played matches keep their show id, so history stays); a one-off
        show is FINISHED."""
        weekly = show.schedule is not None
        update: dict[str, object] = {"rating": rating}
        update.update(
            {"status": ShowStatus.SCHEDULED, "card": ()}
            if weekly
            else {"status": ShowStatus.FINISHED}
        )
        async with self._repos.db.transaction():
            show = await self._repos.shows.update(show.model_copy(update=update))
            await self._repos.events.append(
                DomainEvent(
                    kind="show.finished",
                    federation_id=show.federation_id,
                    at=self._clock.now(),
                    payload={"show_id": show.id, "rating": rating, "weekly": weekly, **payload},
                )
            )
        return show

    async def run(self, show_id: int) -> tuple[Show, ShowOutcome]:
        show = await self._repos.shows.get(show_id)
        if show.status not in (ShowStatus.SCHEDULED, ShowStatus.LIVE):
            raise InvalidState(f"show {show.name!r} is {show.status}")
        if not show.card:
            raise InvalidState(f"show {show.name!r} has an empty card: book matches first")
        show = await self._repos.shows.update(show.model_copy(update={"status": ShowStatus.LIVE}))
        outcome = await run_show(show.card, self._player)
        show = await self.conclude(show, outcome.rating)
        return show, outcome
