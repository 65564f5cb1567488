"""LiveMatches: matches played live in Discord threads, one tick whenever the match is due.

``advance_due`` (called by the scheduler's interval job, or the live cog's own loop) starts one
tick for every live match whose next tick is due and that is not mid-tick; a slow tick (a
player's turn, a rewrite vote) only delays its own match. State is kept in memory between
ticks and rebuilt from the database at start-up (``resume``); the Outbox guarantees that
every committed tick is posted exactly once across restarts. At the bell: the results embed
with a momentum/heat chart (rendered in a thread), then the thread is archived.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.app import App
from bot.live.crowd import CrowdMeter, reaction_event
from bot.live.match_service import live_match_service
from bot.live.outbox import Outbox
from bot.live.player import PlayerTurns
from bot.live.player_requests import PendingRequests
from bot.live.posting import ThreadPoster, thread_name
from bot.live.publisher import ThreadPublisher, tick_text
from bot.live.results import post_results, wait_posted
from bot.live.script_desk import ScriptDesks
from bot.live.segments import canon_post, decided_by_vote, segment_closes, tell_segment
from bot.live.sender import ThreadSender
from bot.services.matches import MatchService
from engine.errors import GameError
from engine.models import Match, MatchState, MatchStatus, NarrativeMode, TickResult
from engine.ports import Clock, Controller
from engine.runner.rewrites import RewriteTools, SegmentOutcome
from storage.live_results import unposted_results
from storage.votes import VoteRepo

log = logging.getLogger(__name__)

RETRY_S = 5.0
DRAIN_TIMEOUT_S = 120.0
Spawn = Callable[[Coroutine[Any, Any, Any], str], "asyncio.Task[Any]"]
SegmentHook = Callable[["LiveMatch", SegmentOutcome], Awaitable[None]]


@dataclass
class LiveMatch:
    match: Match
    state: MatchState
    recent: list[str]
    service: MatchService
    publisher: ThreadPublisher
    thread_id: int
    next_due: float = 0.0
    prepared: bool = False
    segment: list[TickResult] = field(default_factory=list)
    task: asyncio.Task[Any] | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def busy(self) -> bool:
        return self.task is not None and not self.task.done()


class LiveMatches:
    def __init__(
        self,
        app: App,
        client: discord.Client,
        clock: Clock,
        *,
        spawn: Spawn | None = None,
        use_webhooks: bool = True,
    ) -> None:
        self.app = app
        self._client = client
        self._clock = clock
        self._spawn = spawn
        self._own_tasks: set[asyncio.Task[Any]] = set()
        settings = app.settings
        self.poster = ThreadPoster(client)
        self.post_text = self.poster.post_text
        self.sender = ThreadSender(client, use_webhooks=use_webhooks)
        self.outbox = Outbox(
            app.db, self.sender.send, settings.discord, clock, find_posted=self.sender.find
        )
        self.crowd = CrowdMeter(
            settings.discord.crowd_heat_per_reaction,
            settings.discord.crowd_heat_cap,
            clock.monotonic,
        )
        self.turns = PlayerTurns(
            PendingRequests(app.db),
            self.poster.post_prompt,
            self.post_text,
            settings.discord.player_turn_s,
        )
        self.scripts = ScriptDesks(
            app, self.poster.post_script_button, settings.discord.script_deadline_s
        )
        self._votes = VoteRepo(app.db)
        self.tick_interval_s = settings.engine.tick_interval_s
        self.tools_for: Callable[[Match], RewriteTools] = lambda _: app.matches.rewrites
        self.on_segment: SegmentHook = self._post_canon
        self._live: dict[int, LiveMatch] = {}
        self._by_message: dict[int, int] = {}

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> list[int]:
        """Start posting, resume live matches and post results a crash kept back; the ids
        resumed."""
        await self.outbox.start()
        resumed = await self.resume()
        await self.post_missing_results()
        return resumed

    async def stop(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109 - bounds the drain
        tasks = [e.task for e in self._live.values() if e.task is not None and not e.task.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=timeout)
        await self.outbox.stop(timeout)

    def live_ids(self) -> list[int]:
        return sorted(self._live)

    def get(self, match_id: int) -> LiveMatch | None:
        return self._live.get(match_id)

    def thread_of(self, match_id: int) -> int | None:
        entry = self._live.get(match_id)
        return entry.thread_id if entry else None

    def match_of_message(self, message_id: int) -> int | None:
        return self._by_message.get(message_id)

    # --- going live ----------------------------------------------------------------------

    async def begin(
        self, match_id: int, channel_id: int, message_id: int, thread_id: int
    ) -> LiveMatch:
        """A booked match goes live in ``thread_id`` (opened under the card ``message_id``)."""
        match = await self.app.repos.matches.get(match_id)
        match = await self.app.repos.matches.update(
            match.model_copy(
                update={"channel_id": channel_id, "message_id": message_id, "thread_id": thread_id}
            )
        )
        entry_service, publisher = self._service(match, thread_id)
        match, state = await entry_service.start(match_id)
        return self._register(match, state, [], entry_service, publisher, thread_id)

    async def start_in_channel(self, match_id: int, channel_id: int, card: discord.Embed) -> int:
        """For shows: post the card in ``channel_id``, open its thread, go live. The thread id."""
        channel = await self.poster.messageable(channel_id)
        message = await channel.send(embed=card)
        thread = await message.create_thread(name=await thread_name(self.app.repos, match_id))
        await self.begin(match_id, channel_id, message.id, thread.id)
        return thread.id

    async def resume(self) -> list[int]:
        """Every live match that has a thread picks up from its last committed tick."""
        resumed = []
        for match in await self.app.repos.matches.live():
            if match.thread_id is None or match.id in self._live:
                continue
            service, publisher = self._service(match, match.thread_id)
            try:
                match, state, recent = await service.progress(match.id)
            except GameError as exc:
                log.warning("cannot resume match #%s: %s", match.id, exc.message)
                continue
            await self._requeue_committed(match, match.thread_id)
            self._register(match, state, recent, service, publisher, match.thread_id)
            resumed.append(match.id)
        return resumed

    async def _requeue_committed(self, match: Match, thread_id: int) -> None:
        """A crash between a tick's commit and its enqueue would lose the post: re-enqueue
        committed ticks (the outbox keeps one row per tick, so nothing is posted twice)."""
        repo = self.outbox.repo
        for tick in await self.app.repos.matches.ticks(match.id):
            await repo.enqueue(
                thread_id, match.id, tick.time_index, tick_text(tick), self._clock.now()
            )
        self.outbox.notify(thread_id)

    def _register(
        self,
        match: Match,
        state: MatchState,
        recent: list[str],
        service: MatchService,
        publisher: ThreadPublisher,
        thread_id: int,
    ) -> LiveMatch:
        entry = LiveMatch(
            match, state, recent, service, publisher, thread_id, next_due=self._clock.monotonic()
        )
        self._live[match.id] = entry
        if match.message_id is not None:
            self._by_message[match.message_id] = match.id
        names = {sheet.id: sheet.name for sheet in state.setup.sheets}
        publisher.names.update(names)
        self.sender.register(thread_id, " vs ".join(names.values()))
        return entry

    def _service(self, match: Match, thread_id: int) -> tuple[MatchService, ThreadPublisher]:
        publisher = ThreadPublisher(thread_id, self.outbox, self.sender, self.post_text, {})

        def player_controller() -> Controller | None:
            entry = self._live.get(match.id)
            return None if entry is None else self.turns.controller(thread_id, entry.state.setup)

        tools = self.tools_for(match)
        service = live_match_service(
            self.app, match, publisher, player_controller, tools, self.scripts.source
        )
        return service, publisher

    # --- ticking -------------------------------------------------------------------------

    def advance_due(self) -> int:
        """Starts a tick for every live match that is due and idle; how many started."""
        now = self._clock.monotonic()
        started = 0
        for entry in list(self._live.values()):
            if entry.busy or entry.next_due > now:
                continue
            entry.task = self._start_task(self._advance(entry), f"live-match-{entry.match.id}")
            started += 1
        return started

    async def advance_due_matches(self) -> None:
        """The ShowCallbacks shape of ``advance_due``."""
        self.advance_due()

    def _start_task(self, work: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        if self._spawn is not None:
            return self._spawn(work, name)
        task = asyncio.get_running_loop().create_task(work, name=name)
        self._own_tasks.add(task)
        task.add_done_callback(self._own_tasks.discard)
        return task

    async def _advance(self, entry: LiveMatch) -> None:
        try:
            await self._play_one(entry)
        except asyncio.CancelledError:
            raise
        except Exception:  # a failing tick must not stop the ticker; the match retries
            log.exception("live match #%s failed a tick; retrying", entry.match.id)
            entry.next_due = self._clock.monotonic() + max(RETRY_S, self.tick_interval_s)
            return
        entry.next_due = self._clock.monotonic() + self.tick_interval_s

    async def _play_one(self, entry: LiveMatch) -> None:
        match = entry.match
        if not entry.prepared:
            # prepare_match and, in full_rewrite, the script before the bell (no ticks played)
            await entry.service.play(match.id, ticks=0)
            entry.prepared = True
        if not entry.state.finished:
            heat = self.crowd.take(match.id)
            try:
                entry.state, tick = await entry.service.runner.play_tick(
                    match, entry.state, entry.recent, heat
                )
            except BaseException:
                self.crowd.give_back(match.id, heat)
                raise
            if match.mode is NarrativeMode.ROLLING_REWRITE:
                await self._rolling(entry, tick)
        if entry.state.finished:
            await self._finish(entry)

    async def _rolling(self, entry: LiveMatch, tick: TickResult) -> None:
        entry.segment.append(tick)
        tools = entry.service.rewrites
        if not segment_closes(entry.state, tick, tools):
            return
        outcome = await tell_segment(entry.match, entry.state, entry.segment, tools)
        entry.segment = []
        await self.on_segment(entry, outcome)

    async def _post_canon(self, entry: LiveMatch, outcome: SegmentOutcome) -> None:
        """The canon, unless a Discord vote decided it (the vote desk posts and pins it)."""
        if not await decided_by_vote(self._votes, entry.match.id, outcome.segment):
            await self.post_text(entry.thread_id, canon_post(outcome))

    # --- the bell ------------------------------------------------------------------------

    async def _finish(self, entry: LiveMatch) -> None:
        match = entry.match
        current = await self.app.repos.matches.get(match.id)
        if current.status is MatchStatus.LIVE:
            entry.match = await entry.service.finish(match, entry.state)
        await self.wait_posted(match.id)
        rating = (
            entry.publisher.finished[1] if entry.publisher.finished else (current.rating or 0.0)
        )
        await self._post_results(entry, rating)
        self._forget(entry)

    async def wait_posted(self, match_id: int, timeout: float = DRAIN_TIMEOUT_S) -> bool:  # noqa: ASYNC109
        """Waits until every committed tick of the match is posted (or dropped)."""
        return await wait_posted(self.app, self._clock, match_id, timeout)

    async def _post_results(self, entry: LiveMatch, rating: float) -> None:
        ticks = await self.app.repos.matches.ticks(entry.match.id)
        await post_results(
            self.app,
            self.poster,
            entry.thread_id,
            entry.match,
            entry.state,
            rating,
            ticks,
            entry.publisher.summary,
        )

    async def post_missing_results(self) -> list[int]:
        """At start-up: a crash between the bell and the results embed left finished matches
        without results. Their ticks go out first (the outbox posts none twice), then the
        results (the aftermath lines were in memory only). The ids being posted."""
        missing = await unposted_results(self.app.db)
        for match_id in missing:
            self._start_task(self._repost_results(match_id), f"live-results-{match_id}")
        return missing

    async def _repost_results(self, match_id: int) -> None:
        match = await self.app.repos.matches.get(match_id)
        loaded = await self.app.repos.matches.load_progress(match_id)
        if match.thread_id is None or loaded is None:
            return
        await self._requeue_committed(match, match.thread_id)
        await self.wait_posted(match_id)
        ticks = await self.app.repos.matches.ticks(match_id)
        state = loaded[0]
        rating = match.rating or 0.0
        await post_results(self.app, self.poster, match.thread_id, match, state, rating, ticks)

    async def drop(self, match_id: int) -> None:
        """Stops playing a match here (it was cancelled): no more ticks, no results."""
        entry = self._live.get(match_id)
        if entry is None:
            return
        if entry.busy and entry.task is not None and entry.task is not asyncio.current_task():
            entry.task.cancel()
            await asyncio.wait({entry.task}, timeout=10)
        self._forget(entry)

    def _forget(self, entry: LiveMatch) -> None:
        self._live.pop(entry.match.id, None)
        if entry.match.message_id is not None:
            self._by_message.pop(entry.match.message_id, None)
        self.crowd.drop(entry.match.id)
        self.sender.forget(entry.thread_id)
        entry.done.set()

    async def wait_finished(self, match_id: int, timeout: float | None = None) -> bool:  # noqa: ASYNC109
        entry = self._live.get(match_id)
        if entry is None:
            return True
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await entry.done.wait()
        return entry.done.is_set()

    # --- the crowd -----------------------------------------------------------------------

    async def react(self, message_id: int, user_id: int, emoji: str) -> float:
        """A member reacted on a live match's card: heat for the next tick, recorded."""
        match_id = self._by_message.get(message_id)
        me = self._client.user
        if match_id is None or (me is not None and user_id == me.id):
            return 0.0
        entry = self._live[match_id]
        added = self.crowd.react(match_id, user_id)
        if added:
            tick, at = entry.state.time_index, self.app.clock.now()
            await self.app.repos.events.append(
                reaction_event(entry.match, tick, user_id, emoji, added, at)
            )
        return added


LIVE_ATTRIBUTE = "llmfed_live"


def live_of(client: discord.Client) -> LiveMatches | None:
    """The bot's LiveMatches once the live cog has started them (None before, or without it)."""
    live = getattr(client, LIVE_ATTRIBUTE, None)
    return live if isinstance(live, LiveMatches) else None
