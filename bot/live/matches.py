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
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.app import App, offline_controllers
from bot.discord.script_modal import script_view
from bot.live.crowd import CrowdMeter
from bot.live.outbox import Outbox
from bot.live.player import PlayerTurns
from bot.live.player_requests import PendingRequests
from bot.live.publisher import ThreadPublisher, tick_text
from bot.live.results import send_results
from bot.live.script_desk import ScriptDesks
from bot.live.sender import ThreadSender
from bot.services.matches import MatchService
from engine.errors import GameError
from engine.models import (
    ControllerKind,
    DomainEvent,
    Match,
    MatchState,
    MatchStatus,
    NarrativeMode,
    TickResult,
    Wrestler,
)
from engine.ports import Clock, Controller
from engine.runner.rewrites import RewriteTools, SegmentOutcome, rewrite_segment_of
from storage.live_results import RESULTS_POSTED, unposted_results
from storage.votes import VoteRepo

log = logging.getLogger(__name__)

RETRY_S = 5.0
DRAIN_TIMEOUT_S = 120.0
PLAYER_DEADLINE_MARGIN_S = 5.0
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
            self._post_prompt,
            self.post_text,
            settings.discord.player_turn_s,
        )
        self.scripts = ScriptDesks(
            app, self._post_script_button, settings.discord.script_deadline_s
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
        channel = await self._messageable(channel_id)
        message = await channel.send(embed=card)
        thread = await message.create_thread(name=await self._thread_name(match_id))
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

    def _tools(self, match: Match) -> RewriteTools:
        """A live full_rewrite match takes its script from a player in the thread."""
        tools = self.tools_for(match)
        if match.mode is NarrativeMode.FULL_REWRITE:
            return dataclasses.replace(tools, script_source=self.scripts.source)
        return tools

    def _service(self, match: Match, thread_id: int) -> tuple[MatchService, ThreadPublisher]:
        app, settings = self.app, self.app.settings
        publisher = ThreadPublisher(thread_id, self.outbox, self.sender, self.post_text, {})
        base = app.llm.controller_for if app.llm is not None else offline_controllers
        turns = self.turns

        def controller_for(wrestler: Wrestler) -> Controller:
            if wrestler.controller is ControllerKind.PLAYER:
                entry = self._live.get(match.id)
                if entry is not None:
                    return turns.controller(thread_id, entry.state.setup)
            return base(wrestler)

        deadline = max(
            settings.engine.decision_deadline_s,
            settings.discord.player_turn_s + PLAYER_DEADLINE_MARGIN_S,
        )
        service = MatchService(
            app.repos,
            app.clock,
            publisher,
            controller_for,
            narrator=app.llm.narrator() if app.llm is not None else None,
            max_ticks=settings.engine.max_ticks,
            decision_deadline_s=deadline,
            narration_deadline_s=settings.engine.narration_deadline_s,
            prepare_match=app.llm.prepare_match if app.llm is not None else None,
            rewrites=self._tools(match),
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
        if not entry.state.finished and tick.time_index % tools.segment_ticks:
            return
        outcome = await rewrite_segment_of(entry.match, entry.state, entry.segment, tools)
        if tools.save_segment is not None:
            await tools.save_segment(outcome)
        entry.segment = []
        await self.on_segment(entry, outcome)

    async def _post_canon(self, entry: LiveMatch, outcome: SegmentOutcome) -> None:
        """The canon, unless a Discord vote decided it (the vote desk posts and pins it)."""
        for vote in await self._votes.for_match(entry.match.id):
            if vote.segment == outcome.segment and not vote.is_open:
                return
        canon = outcome.canon
        await self.post_text(
            entry.thread_id,
            f"📜 Segment {outcome.segment}, as told by {canon.writer}:\n{canon.text}",
        )

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
        deadline = self._clock.monotonic() + timeout
        while True:
            ticks = await self.app.repos.matches.tick_count(match_id)
            done = await self.app.db.fetchvalue(
                "SELECT count(*) FROM outbox WHERE match_id = ? "
                "AND (message_id IS NOT NULL OR dropped_reason IS NOT NULL)",
                (match_id,),
            )
            if int(done) >= ticks:
                return True
            if self._clock.monotonic() >= deadline:
                log.warning("match #%s: results posted before every tick went out", match_id)
                return False
            await asyncio.sleep(0.05)

    async def _post_results(self, entry: LiveMatch, rating: float) -> None:
        ticks = await self.app.repos.matches.ticks(entry.match.id)
        await self._send_results(
            entry.match, entry.state, entry.thread_id, rating, ticks, entry.publisher.summary
        )

    async def _send_results(
        self,
        match: Match,
        state: MatchState,
        thread_id: int,
        rating: float,
        ticks: list[TickResult],
        summary: list[str],
    ) -> None:
        try:
            thread = await self._messageable(thread_id)
            await send_results(thread, match, state, rating, ticks, summary)
        except (discord.HTTPException, GameError) as exc:
            log.warning("match #%s: could not post the results: %s", match.id, exc)
        await self.app.repos.events.append(
            DomainEvent(
                kind=RESULTS_POSTED,
                federation_id=match.federation_id,
                match_id=match.id,
                tick=state.time_index,
                at=self.app.clock.now(),
            )
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
        await self._send_results(match, state, match.thread_id, match.rating or 0.0, ticks, [])

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
            await self.app.repos.events.append(
                DomainEvent(
                    kind="crowd.reaction",
                    federation_id=entry.match.federation_id,
                    match_id=match_id,
                    tick=entry.state.time_index,
                    actor_user_id=user_id,
                    at=self.app.clock.now(),
                    payload={"emoji": emoji[:64], "heat": added},
                )
            )
        return added

    # --- posting -------------------------------------------------------------------------

    async def _messageable(self, channel_id: int) -> discord.abc.Messageable:
        channel = self._client.get_channel(channel_id)
        if channel is None:
            channel = await self._client.fetch_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            raise GameError(f"channel {channel_id} cannot take messages")
        return channel

    async def post_text(self, thread_id: int, text: str) -> None:
        channel = await self._messageable(thread_id)
        await channel.send(text[:2000], allowed_mentions=discord.AllowedMentions.none())

    async def _post_script_button(self, thread_id: int, content: str, match_id: int) -> int:
        channel = await self._messageable(thread_id)
        view = script_view(match_id)
        message = await channel.send(
            content[:2000], view=view, allowed_mentions=discord.AllowedMentions.none()
        )
        view.stop()  # the persistent dynamic item answers presses, also after a restart
        return message.id

    async def _post_prompt(
        self, thread_id: int, content: str, view: discord.ui.View, owner_id: int
    ) -> int:
        channel = await self._messageable(thread_id)
        mentions = discord.AllowedMentions(
            everyone=False, roles=False, users=[discord.Object(owner_id)], replied_user=False
        )
        message = await channel.send(content[:2000], view=view, allowed_mentions=mentions)
        view.stop()  # the persistent dynamic item answers presses, also after a restart
        return message.id

    async def _thread_name(self, match_id: int) -> str:
        match = await self.app.repos.matches.get(match_id)
        names = [(await self.app.repos.wrestlers.get(i)).name for i in match.participant_ids]
        return f"#{match_id} {' vs '.join(names)}"[:100]


LIVE_ATTRIBUTE = "llmfed_live"


def live_of(client: discord.Client) -> LiveMatches | None:
    """The bot's LiveMatches once the live cog has started them (None before, or without it)."""
    live = getattr(client, LIVE_ATTRIBUTE, None)
    return live if isinstance(live, LiveMatches) else None
