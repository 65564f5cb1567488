"""Match desk: booking, status, the paged tick log, advancing and cancelling, guild-scoped.

Every method takes the caller's server (or an Actor) first: a match of another server is
reported exactly like a missing one, and promoter-only operations check the Actor.
"""

from __future__ import annotations

from bot.services.actor import Actor
from bot.services.lookup import GuildLookup, gone
from bot.services.matches import MatchService
from bot.services.repos import Repos
from engine.errors import InvalidInput, InvalidState, NotFound
from engine.models import (
    Federation,
    Frozen,
    Match,
    MatchState,
    MatchStatus,
    NarrativeMode,
    ShowStatus,
    Stipulation,
)
from engine.ports import Clock

LOG_PAGE_SIZE = 10
MAX_ADVANCE_TICKS = 25


class MatchView(Frozen):
    """What the match card shows."""

    match: Match
    federation: Federation
    names: dict[int, str]
    title_name: str | None = None
    show_name: str | None = None
    ticks: int = 0
    state: MatchState | None = None
    last_lines: tuple[str, ...] = ()

    def name(self, wrestler_id: int | None) -> str:
        if wrestler_id is None:
            return "nobody"
        return self.names.get(wrestler_id, f"wrestler #{wrestler_id}")


class LogPage(Frozen):
    match_id: int
    page: int
    pages: int
    total: int
    lines: tuple[tuple[int, str], ...]  # (tick, narration)


class Advanced(Frozen):
    view: MatchView
    lines: tuple[tuple[int, str], ...]


class MatchDesk:
    def __init__(self, repos: Repos, clock: Clock, matches: MatchService) -> None:
        self._repos = repos
        self._clock = clock
        self._matches = matches
        self._lookup = GuildLookup(repos)

    # --- lookups ------------------------------------------------------------------------

    async def federation(self, guild_id: int, federation_id: int) -> Federation:
        return await self._lookup.federation(guild_id, federation_id)

    async def match(self, guild_id: int, match_id: int) -> tuple[Match, Federation]:
        return await self._lookup.match(guild_id, match_id)

    async def _roster_id(self, federation: Federation, wrestler_id: int | None) -> int | None:
        if wrestler_id is None:
            return None
        try:
            wrestler = await self._repos.wrestlers.get(wrestler_id)
        except NotFound:
            raise gone("wrestler") from None
        if wrestler.federation_id != federation.id:
            raise InvalidInput(f"{wrestler.name} is not on the {federation.name} roster.")
        return wrestler.id

    async def view(self, match: Match, federation: Federation) -> MatchView:
        names = {w.id: w.name for w in await self._repos.wrestlers.list(federation.id)}
        title_name = show_name = None
        if match.championship_id is not None:
            title_name = (await self._repos.titles.get(match.championship_id)).name
        if match.show_id is not None:
            show_name = (await self._repos.shows.get(match.show_id)).name
        ticks = await self._repos.matches.tick_count(match.id)
        state = None
        last: tuple[str, ...] = ()
        if ticks:
            loaded = await self._repos.matches.load_progress(match.id)
            if loaded is not None:
                state, recent = loaded
                last = tuple(recent[-3:])
        for sheet in state.setup.sheets if state else ():
            names.setdefault(sheet.id, sheet.name)  # a released wrestler keeps its name here
        return MatchView(
            match=match,
            federation=federation,
            names=names,
            title_name=title_name,
            show_name=show_name,
            ticks=ticks,
            state=state,
            last_lines=last,
        )

    # --- use cases ----------------------------------------------------------------------

    async def book(
        self,
        actor: Actor,
        federation_id: int,
        a_id: int,
        b_id: int,
        *,
        stipulation: Stipulation = Stipulation.STANDARD,
        mode: NarrativeMode = NarrativeMode.TICK,
        winner_id: int | None = None,
        title_id: int | None = None,
        show_id: int | None = None,
    ) -> MatchView:
        federation = await self.federation(actor.guild_id, federation_id)
        actor.require_promoter(federation)
        a = await self._roster_id(federation, a_id)
        b = await self._roster_id(federation, b_id)
        assert a is not None and b is not None
        if a == b:
            raise InvalidInput("A wrestler cannot face themselves: pick two different wrestlers.")
        winner = await self._roster_id(federation, winner_id)
        if winner is not None and winner not in (a, b):
            raise InvalidInput("The booked winner must be one of the two wrestlers.")
        if title_id is not None:
            try:
                title = await self._repos.titles.get(title_id)
            except NotFound:
                raise gone("title") from None
            if title.federation_id != federation.id:
                raise InvalidInput(f"The {title.name} is not a {federation.name} title.")
        if show_id is not None:
            await self._open_show(federation, show_id)
        match = await self._matches.book(
            federation.id,
            a,
            b,
            stipulation=stipulation,
            mode=mode,
            winner_id=winner,
            championship_id=title_id,
            show_id=show_id,
            actor_user_id=actor.user_id,
        )
        return await self.view(match, federation)

    async def _open_show(self, federation: Federation, show_id: int) -> None:
        try:
            show = await self._repos.shows.get(show_id)
        except NotFound:
            raise gone("show") from None
        if show.federation_id != federation.id:
            raise InvalidInput(f"{show.name} is not a {federation.name} show.")
        if show.status is not ShowStatus.SCHEDULED:
            raise InvalidState(f"{show.name} is {show.status.value}: its card is closed.")

    async def status(self, guild_id: int, match_id: int) -> MatchView:
        return await self.view(*await self.match(guild_id, match_id))

    async def log(self, guild_id: int, match_id: int, page: int = 1) -> LogPage:
        match, _ = await self.match(guild_id, match_id)
        total = await self._repos.matches.tick_count(match.id)
        pages = max(1, -(-total // LOG_PAGE_SIZE))
        if not 1 <= page <= pages:
            raise InvalidInput(f"Match #{match.id} has {pages} page(s) of log; pick 1-{pages}.")
        ticks = await self._repos.matches.ticks(
            match.id, offset=(page - 1) * LOG_PAGE_SIZE, limit=LOG_PAGE_SIZE
        )
        return LogPage(
            match_id=match.id,
            page=page,
            pages=pages,
            total=total,
            lines=tuple((t.time_index, t.narration) for t in ticks),
        )

    async def check_startable(self, actor: Actor, match_id: int) -> MatchView:
        """Promoter only; a booked match whose wrestlers are fit. Does not change anything."""
        match, federation = await self.match(actor.guild_id, match_id)
        actor.require_promoter(federation)
        if match.status is not MatchStatus.BOOKED:
            raise InvalidState(f"Match #{match.id} is {match.status.value}, not booked.")
        now = self._clock.now()
        for wrestler_id in match.participant_ids:
            try:
                sheet = await self._repos.wrestlers.get(wrestler_id)
            except NotFound:
                raise InvalidState(
                    f"A wrestler of match #{match.id} was released: cancel it and rebook."
                ) from None
            if sheet.is_injured(now):
                raise InvalidState(f"{sheet.name} is injured and cannot wrestle yet.")
        return await self.view(match, federation)

    async def start(self, actor: Actor, match_id: int) -> MatchView:
        """Booked -> live (the cog then plays it out in the background)."""
        await self.check_startable(actor, match_id)
        match, state = await self._matches.start(match_id)
        federation = await self.federation(actor.guild_id, match.federation_id)
        view = await self.view(match, federation)
        return view.model_copy(update={"state": state})

    async def play_out(self, match_id: int, tick_delay_s: float = 0.0) -> Match:
        """Play a live (or booked) match to the bell. For background runs."""
        return await self._matches.play(match_id, tick_delay_s=tick_delay_s)

    async def check_advanceable(
        self, actor: Actor, match_id: int, ticks: int = 1
    ) -> tuple[Match, Federation]:
        """Promoter only; a booked or live match; 1-25 ticks. Does not change anything."""
        if not 1 <= ticks <= MAX_ADVANCE_TICKS:
            raise InvalidInput(f"Advance 1 to {MAX_ADVANCE_TICKS} ticks at a time.")
        match, federation = await self.match(actor.guild_id, match_id)
        actor.require_promoter(federation)
        if match.status is MatchStatus.BOOKED:
            await self.check_startable(actor, match_id)
        elif match.status is not MatchStatus.LIVE:
            raise InvalidState(f"Match #{match.id} is {match.status.value}.")
        return match, federation

    async def advance(self, actor: Actor, match_id: int, ticks: int = 1) -> Advanced:
        match, federation = await self.check_advanceable(actor, match_id, ticks)
        before = await self._repos.matches.tick_count(match.id)
        match = await self._matches.play(match.id, ticks=ticks)
        played = await self._repos.matches.ticks(match.id, offset=before)
        view = await self.view(match, federation)
        return Advanced(view=view, lines=tuple((t.time_index, t.narration) for t in played))

    async def check_cancellable(self, actor: Actor, match_id: int) -> tuple[Match, Federation]:
        """Promoter only; a match that has not ended. Does not change anything."""
        match, federation = await self.match(actor.guild_id, match_id)
        actor.require_promoter(federation)
        if match.status in (MatchStatus.FINISHED, MatchStatus.CANCELLED):
            raise InvalidState(f"Match #{match.id} is already {match.status.value}.")
        return match, federation

    async def cancel(self, actor: Actor, match_id: int) -> MatchView:
        match, federation = await self.check_cancellable(actor, match_id)
        cancelled = await self._matches.cancel(match.id, actor_user_id=actor.user_id)
        return await self.view(cancelled, federation)
