"""Match use cases: book, start, play (or resume) to the bell, settle the aftermath, replay."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Awaitable, Callable

from bot.services.repos import Repos
from engine.errors import Conflict, InvalidInput, InvalidState, NotFound
from engine.llm.operations.write_match_script import MatchScript
from engine.llm.script import OfflineScriptWriter, run_full_rewrite
from engine.models import (
    DomainEvent,
    Match,
    MatchSetup,
    MatchState,
    MatchStatus,
    NarrativeMode,
    SegmentKind,
    Stipulation,
    Wrestler,
)
from engine.narration.offline import OfflineNarrator
from engine.ports import Clock, Controller, Narrator, Publisher
from engine.rules.aftermath import aftermath
from engine.rules.rating import star_rating
from engine.rules.step import initial_state
from engine.runner.match_runner import MatchRunner
from engine.runner.rewrites import (
    RewriteTools,
    ScriptedControllers,
    describe_full_rewrite,
    play_rolling,
)

ControllerFactory = Callable[[Wrestler], Controller]
SCRIPT_EVENT = "match.script"


class MatchService:
    def __init__(
        self,
        repos: Repos,
        clock: Clock,
        publisher: Publisher,
        controller_for: ControllerFactory,
        *,
        narrator: Narrator | None = None,
        max_ticks: int = 50,
        decision_deadline_s: float = 8.0,
        narration_deadline_s: float = 8.0,
        prepare_match: Callable[[Match], Awaitable[None]] | None = None,
        rewrites: RewriteTools | None = None,
    ) -> None:
        self._repos = repos
        self._prepare_match = prepare_match
        self.rewrites = rewrites or RewriteTools()
        self.controllers = ScriptedControllers(controller_for)
        self._clock = clock
        self._publisher = publisher
        self._max_ticks = max_ticks
        offline_narrator = OfflineNarrator()
        self.runner = MatchRunner(
            store=repos.matches,
            narrator=narrator or offline_narrator,
            fallback_narrator=offline_narrator,
            publisher=publisher,
            clock=clock,
            controller_for=self.controllers,
            decision_deadline_s=decision_deadline_s,
            narration_deadline_s=narration_deadline_s,
        )

    async def book(
        self,
        federation_id: int,
        a_id: int,
        b_id: int,
        *,
        stipulation: Stipulation = Stipulation.STANDARD,
        mode: NarrativeMode = NarrativeMode.TICK,
        winner_id: int | None = None,
        championship_id: int | None = None,
        show_id: int | None = None,
        seed: int | None = None,
        actor_user_id: int | None = None,
        main_event: bool = False,
    ) -> Match:
        if a_id == b_id:
            raise InvalidInput("a wrestler cannot face themselves: pick two different wrestlers")
        now = self._clock.now()
        sheets = [await self._repos.wrestlers.get(i) for i in (a_id, b_id)]
        for sheet in sheets:
            if sheet.federation_id != federation_id:
                raise InvalidInput(f"{sheet.name} is not on this federation's roster")
            if sheet.is_injured(now):
                raise Conflict(f"{sheet.name} is injured until {sheet.injured_until:%Y-%m-%d}")
        if winner_id is not None and winner_id not in (a_id, b_id):
            raise InvalidInput("the booked winner must be one of the two wrestlers")
        if championship_id is not None:
            title = await self._repos.titles.get(championship_id)
            if title.federation_id != federation_id:
                raise InvalidInput(f"the {title.name} belongs to another federation")
        if seed is None:
            seed = secrets.randbits(63)
        async with self._repos.db.transaction():
            match = await self._repos.matches.create(
                federation_id,
                (a_id, b_id),
                seed,
                now,
                stipulation=stipulation,
                mode=mode,
                booked_winner_id=winner_id,
                championship_id=championship_id,
                show_id=show_id,
                max_ticks=self._max_ticks,
            )
            if show_id is not None:
                await self._repos.shows.add_segment(
                    show_id, SegmentKind.MATCH, match_id=match.id, main_event=main_event
                )
            await self._repos.events.append(
                DomainEvent(
                    kind="match.booked",
                    federation_id=federation_id,
                    match_id=match.id,
                    actor_user_id=actor_user_id,
                    at=now,
                    payload={"participants": [a_id, b_id], "stipulation": stipulation.value},
                )
            )
        return match

    async def start(self, match_id: int) -> tuple[Match, MatchState]:
        """Freeze the wrestlers' sheets into the match and go live."""
        match = await self._repos.matches.get(match_id)
        if match.status is not MatchStatus.BOOKED:
            raise InvalidState(f"match {match_id} is {match.status}, not booked")
        federation = await self._repos.federations.get(match.federation_id)
        sheets = tuple([await self._repos.wrestlers.get(i) for i in match.participant_ids])
        setup = MatchSetup(
            match_id=match.id,
            seed=match.seed,
            stipulation=match.stipulation,
            max_ticks=match.max_ticks,
            booked_winner_id=match.booked_winner_id,
            tier=federation.tier,
            title_match=match.championship_id is not None,
            sheets=sheets,
        )
        match = await self._repos.matches.start(match.id, setup)
        state = initial_state(setup)
        await self._publisher.match_started(match, state)
        return match, state

    async def progress(self, match_id: int) -> tuple[Match, MatchState, list[str]]:
        """The live state of a match: resumed from its last committed tick after a restart."""
        match = await self._repos.matches.get(match_id)
        if match.status is MatchStatus.BOOKED:
            match, state = await self.start(match_id)
            return match, state, []
        if match.status is not MatchStatus.LIVE:
            raise InvalidState(f"match {match_id} is {match.status}")
        loaded = await self._repos.matches.load_progress(match_id)
        if loaded is None:
            return match, initial_state(await self._repos.matches.setup(match_id)), []
        state, recent = loaded
        return match, state, list(recent)

    async def play(
        self, match_id: int, *, tick_delay_s: float = 0.0, ticks: int | None = None
    ) -> Match:
        """Play to the bell (or ``ticks`` more ticks) and settle the result when it comes."""
        match, state, recent = await self.progress(match_id)
        if self._prepare_match is not None:
            await self._prepare_match(match)
        if match.mode is NarrativeMode.FULL_REWRITE:
            await self._script_or_resume(match, state)
        try:
            if match.mode is NarrativeMode.ROLLING_REWRITE:
                state = await play_rolling(
                    self.runner,
                    match,
                    state,
                    recent,
                    self.rewrites,
                    self._publisher,
                    tick_delay_s=tick_delay_s,
                    max_ticks=ticks,
                )
            else:
                state = await self.runner.run(match, state, recent, tick_delay_s, ticks)
        finally:
            if state.finished:
                self.controllers.release(match.participant_ids)
        if state.finished:
            return await self.finish(match, state)
        return await self._repos.matches.get(match_id)

    async def _script_or_resume(self, match: Match, state: MatchState) -> None:
        """full_rewrite: the script recorded by the ``match.script`` event drives the rest of
        the match (also after a restart: the beats already played are skipped); with no event
        yet, a match that has not started is scripted now."""
        recorded = await self._repos.events.list(match_id=match.id, kind=SCRIPT_EVENT, limit=1)
        if recorded:
            script = recorded[-1].payload.get("script")
            if script is not None:
                await self._resume_script(match, MatchScript.model_validate(script))
            return
        if state.time_index == 0:
            await self._script_match(match, state)

    async def _resume_script(self, match: Match, script: MatchScript) -> None:
        played = Counter(t.actor_id for t in await self._repos.matches.ticks(match.id))
        self.controllers.assign_script(script, played)

    async def _script_match(self, match: Match, state: MatchState) -> None:
        """full_rewrite: a writer scripts the match before the bell; an accepted script
        drives the decisions (the engine still steps and records every tick), a script
        rejected twice leaves the match to tick mode. Either way the event log says why, and
        it keeps the accepted script so that a restart continues it."""
        tools = self.rewrites
        notice: str | None = None
        if tools.script_source is not None:
            sourced = await tools.script_source(match, state.setup)
            writer_name, outcome, notice = sourced.writer, sourced.outcome, sourced.notice
        else:
            writer = (
                OfflineScriptWriter()
                if tools.script_writer_for is None
                else tools.script_writer_for(match)
            )
            writer_name = writer.name
            outcome = await run_full_rewrite(writer, state.setup)
        if outcome.script is not None:
            self.controllers.assign(outcome)
        script = None if outcome.script is None else outcome.script.model_dump(mode="json")
        await self._repos.events.append(
            DomainEvent(
                kind=SCRIPT_EVENT,
                federation_id=match.federation_id,
                match_id=match.id,
                at=self._clock.now(),
                payload={
                    "writer": writer_name,
                    "mode": outcome.mode.value,
                    "attempts": outcome.attempts,
                    "reason": outcome.reason,
                    "script": script,
                },
            )
        )
        await self._publisher.text(notice or describe_full_rewrite(outcome, writer_name))

    async def finish(self, match: Match, state: MatchState) -> Match:
        rating = star_rating(state)
        now = self._clock.now()
        current = {i: await self._repos.wrestlers.get(i) for i in match.participant_ids}
        title = (
            await self._repos.titles.get(match.championship_id)
            if match.championship_id is not None
            else None
        )
        after = aftermath(state, rating, current, title, now, match.id)
        result = state.result
        assert result is not None
        events = [
            DomainEvent(
                kind="match.finished",
                federation_id=match.federation_id,
                match_id=match.id,
                tick=state.time_index,
                at=now,
                payload={
                    "winners": list(result.winner_ids),
                    "method": result.method.value,
                    "rating": rating,
                    "title_changed": after.title_changed,
                },
            )
        ]
        async with self._repos.db.transaction():
            for sheet in after.wrestlers:
                await self._repos.wrestlers.update(sheet)
            if after.championship is not None:
                await self._repos.titles.save(after.championship)
            a, b = match.participant_ids
            await self._repos.feuds.add_heat(a, b, after.feud_heat_delta)
            finished = await self._repos.matches.finish(match, state, rating, events)
        await self._publisher.match_finished(finished, state, rating)
        for line in after.summary:
            await self._publisher.text(line)
        return finished

    async def cancel(self, match_id: int, actor_user_id: int | None = None) -> Match:
        match = await self._repos.matches.get(match_id)
        if match.status in (MatchStatus.FINISHED, MatchStatus.CANCELLED):
            raise InvalidState(f"match {match_id} is already {match.status}")
        async with self._repos.db.transaction():
            cancelled = await self._repos.matches.update(
                match.model_copy(update={"status": MatchStatus.CANCELLED})
            )
            await self._repos.events.append(
                DomainEvent(
                    kind="match.cancelled",
                    federation_id=match.federation_id,
                    match_id=match.id,
                    actor_user_id=actor_user_id,
                    at=self._clock.now(),
                )
            )
        return cancelled

    async def get(self, match_id: int) -> Match:
        try:
            return await self._repos.matches.get(match_id)
        except NotFound:
            raise NotFound(f"there is no match #{match_id}") from None
