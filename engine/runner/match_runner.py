"""The async match runner: decisions with deadlines, the pure step, narration, commit, publish."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable, Sequence

from engine.controllers.offline import OfflineController
from engine.models.enums import ControllerKind, RequestStatus
from engine.models.events import DomainEvent
from engine.models.league import Wrestler
from engine.models.match import Match, MatchState
from engine.models.tick import AgentActionResponse, EngineRequest, EventContext, TickResult
from engine.narration.offline import OfflineNarrator
from engine.ports import Clock, Controller, MatchStore, Narrator, Publisher
from engine.rules.context import build_context
from engine.rules.rulebook import RuleBook
from engine.rules.step import step, tick_rng

log = logging.getLogger(__name__)

RECENT_KEPT = 5
# Enough to ride out a slow commit (a WAL checkpoint, a large group commit) at LLM speed
# without pausing the match; never published before it lands, so a crash loses only ticks
# nobody saw, and a restart replays them from the last committed one.
COMMITS_IN_FLIGHT = 8


def failure_reason(exc: BaseException) -> str:
    """A short, loggable reason for a failed decision (LLM errors carry their own)."""
    reason = getattr(exc, "reason", None)
    if isinstance(reason, str) and reason:
        return reason
    return f"{type(exc).__name__}: {str(exc)[:160]}"


class MatchRunner:
    """Plays ticks of live matches. One instance serves many matches concurrently."""

    def __init__(
        self,
        *,
        store: MatchStore,
        narrator: Narrator,
        publisher: Publisher,
        clock: Clock,
        controller_for: Callable[[Wrestler], Controller],
        fallback_narrator: Narrator | None = None,
        decision_deadline_s: float = 8.0,
        narration_deadline_s: float = 8.0,
        hints_for: Callable[[Match, int], Sequence[str]] | None = None,
        rulebook: RuleBook | None = None,
    ) -> None:
        self._store = store
        self._narrator = narrator
        # The plain offline narrator is synchronous: no await a deadline could interrupt, so
        # none is set up (a subclass that overrides narrate goes the usual way).
        self._narrate_now = (
            narrator.narrate_sync
            if isinstance(narrator, OfflineNarrator)
            and type(narrator).narrate is OfflineNarrator.narrate
            else None
        )
        self._fallback_narrator = fallback_narrator or narrator
        self._publisher = publisher
        self._clock = clock
        self._controller_for = controller_for
        self._fallback = OfflineController()
        self._decision_deadline_s = decision_deadline_s
        self._narration_deadline_s = narration_deadline_s
        self._hints_for = hints_for
        self._rulebook = rulebook or RuleBook()

    async def decide(
        self, match: Match, state: MatchState, actor_id: int, recent: Sequence[str]
    ) -> tuple[AgentActionResponse, EngineRequest]:
        """Ask the actor's controller; on timeout or error use the offline policy, say why."""
        hints = self._hints_for(match, actor_id) if self._hints_for else ()
        context = build_context(state, actor_id, self._rulebook, match.mode, recent, hints)
        sheet = state.setup.sheet(actor_id)
        controller = self._controller_for(sheet)
        reason: str | None = None
        try:
            async with asyncio.timeout(self._decision_deadline_s):
                response = await controller.decide(context)
        except TimeoutError:
            reason = (
                f"{controller.kind} controller missed the {self._decision_deadline_s:g}s deadline"
            )
        except Exception as exc:  # a failing agent must never stall the match
            reason = failure_reason(exc)
            log.warning("decision for %s in match %s failed: %s", actor_id, match.id, reason)
        if reason is not None:
            response = await self._fallback_decision(context)
        # Built once the outcome is known: one model per decision on the hot path, not two.
        return response, EngineRequest(
            request_id=context.request_id,
            match_id=match.id,
            agent_id=actor_id,
            due_tick=state.time_index + 1,
            deadline_s=self._decision_deadline_s,
            controller=controller.kind,
            status=RequestStatus.ANSWERED if reason is None else RequestStatus.FALLBACK,
            response=response,
            fallback_reason=reason,
            context=context,
        )

    async def _fallback_decision(self, context: EventContext) -> AgentActionResponse:
        return await self._fallback.decide(context)

    async def narrate(
        self, before: MatchState, tick: TickResult, after: MatchState, recent: Sequence[str]
    ) -> str:
        try:
            if self._narrate_now is not None:
                return self._narrate_now(before, tick, after, recent)
            async with asyncio.timeout(self._narration_deadline_s):
                return await self._narrator.narrate(before, tick, after, recent)
        except Exception as exc:  # narration is colour: never let it stop the match
            log.warning("narration failed for match %s: %s", tick.match_id, failure_reason(exc))
            return await self._fallback_narrator.narrate(before, tick, after, recent)

    async def play_tick(
        self, match: Match, state: MatchState, recent: list[str], crowd_heat: float = 0.0
    ) -> tuple[MatchState, TickResult]:
        """One tick: decide (outside the step), step (pure), narrate, persist, publish.
        ``crowd_heat``: what the live crowd added since the last tick (recorded for replay)."""
        decided = await self.decide(match, state, state.next_actor_id, recent)
        after, tick, request = await self._resolve(match, state, decided, recent, crowd_heat)
        await self._commit(match, tick, after, request)
        return after, tick

    async def _resolve(
        self,
        match: Match,
        state: MatchState,
        decided: tuple[AgentActionResponse, EngineRequest],
        recent: list[str],
        crowd_heat: float = 0.0,
    ) -> tuple[MatchState, TickResult, EngineRequest]:
        """The pure step on a gathered decision, then its narration."""
        response, request = decided
        after, tick = step(
            state,
            {state.next_actor_id: response},
            tick_rng(state.setup.seed, state.time_index),
            crowd_heat,
        )
        narration = await self.narrate(state, tick, after, recent)
        recent.append(narration)
        del recent[:-RECENT_KEPT]
        return after, tick.model_copy(update={"narration": narration}), request

    async def _commit(
        self, match: Match, tick: TickResult, after: MatchState, request: EngineRequest
    ) -> None:
        """Persist the tick in one transaction, then publish it: never the other way round."""
        await self._store.record_tick(
            match, tick, after, [request], _tick_events(match, tick, request)
        )
        await self._publisher.tick(match, tick, after)

    def _pipelines(self, state: MatchState) -> bool:
        """May the next decision be asked for while the last tick is still being committed?
        Not for a player's turn: their prompt must follow the previous tick in the thread."""
        if state.finished:
            return False
        sheet = state.setup.sheet(state.next_actor_id)
        return self._controller_for(sheet).kind is not ControllerKind.PLAYER

    async def _commit_in_order(
        self,
        previous: asyncio.Future[None] | None,
        match: Match,
        tick: TickResult,
        after: MatchState,
        request: EngineRequest,
    ) -> None:
        """Commit, then publish once every earlier tick is published: ticks reach the writer
        in order (its queue is FIFO and the store refuses a tick that skips ahead), and reach
        the audience in order and only once durable."""
        await self._store.record_tick(
            match, tick, after, [request], _tick_events(match, tick, request)
        )
        if previous is not None:
            await previous
        await self._publisher.tick(match, tick, after)

    async def run(
        self,
        match: Match,
        state: MatchState,
        recent: list[str] | None = None,
        tick_delay_s: float = 0.0,
        max_ticks: int | None = None,
    ) -> MatchState:
        """Play until the match finishes (or ``max_ticks`` more ticks, for /match advance).

        Back to back (no tick delay), up to COMMITS_IN_FLIGHT ticks may be on their way to the
        database while the next ones are decided and stepped: an LLM's latency, the engine's
        work and the database's overlap instead of adding up, and queued commits share a
        transaction. Every tick is still published only after its own commit, in order, so a
        crash can only lose ticks nobody has seen; a restart replays from the last committed
        one."""
        recent = recent if recent is not None else []
        played = 0
        in_flight: deque[asyncio.Future[None]] = deque()
        try:
            while not state.finished and (max_ticks is None or played < max_ticks):
                # A player's turn prompt must follow the narration before it: flush first.
                await _drain(in_flight, COMMITS_IN_FLIGHT - 1 if self._pipelines(state) else 0)
                decided = await self.decide(match, state, state.next_actor_id, recent)
                state, tick, request = await self._resolve(match, state, decided, recent)
                previous = in_flight[-1] if in_flight else None
                in_flight.append(
                    asyncio.ensure_future(
                        self._commit_in_order(previous, match, tick, state, request)
                    )
                )
                played += 1
                if tick_delay_s:
                    await _drain(in_flight, keep=0)
                    if not state.finished:
                        await asyncio.sleep(tick_delay_s)
            await _drain(in_flight, keep=0)
        finally:
            # Stopping (shutdown, cancellation, an error): finish the commits in flight rather
            # than drop them; the first error, if any, is already propagating.
            if in_flight:
                await asyncio.wait(in_flight)
                for pending in in_flight:
                    with contextlib.suppress(Exception, asyncio.CancelledError):
                        pending.result()  # retrieved: the first error is already on its way
        return state


async def _drain(in_flight: deque[asyncio.Future[None]], keep: int) -> None:
    """Wait for the oldest commits until at most ``keep`` are in flight. Shielded: were the
    match stopped meanwhile, the commit must not be cancelled with it (the ones queued after
    it would then skip a tick); ``run`` finishes every commit in flight as it stops."""
    while len(in_flight) > keep:
        await asyncio.shield(in_flight[0])
        in_flight.popleft()


def _tick_events(match: Match, tick: TickResult, request: EngineRequest) -> list[DomainEvent]:
    applied = tick.applied_actions[0]
    events = [
        DomainEvent(
            kind="match.tick",
            federation_id=match.federation_id,
            match_id=match.id,
            tick=tick.time_index,
            payload={
                "actor_id": applied.actor_id,
                "action": applied.action_id.value,
                "success": applied.success,
                "near_fall": applied.near_fall,
                "finish": applied.finish.value if applied.finish else None,
                **({"crowd_heat": tick.crowd_heat} if tick.crowd_heat else {}),
            },
        )
    ]
    if request.fallback_reason or applied.fallback_reason:
        events.append(
            DomainEvent(
                kind="match.fallback",
                federation_id=match.federation_id,
                match_id=match.id,
                tick=tick.time_index,
                payload={
                    "agent_id": request.agent_id,
                    "decision": request.fallback_reason,
                    "rulebook": applied.fallback_reason,
                },
            )
        )
    return events
