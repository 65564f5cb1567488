"""Ports: the protocols the engine needs from the outside world (adapters live elsewhere)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from engine.models.enums import ControllerKind
from engine.models.events import DomainEvent
from engine.models.match import Match, MatchState
from engine.models.tick import AgentActionResponse, EngineRequest, EventContext, TickResult


class Clock(Protocol):
    def now(self) -> datetime:
        """Timezone-aware current time."""
        ...

    def monotonic(self) -> float: ...


class Controller(Protocol):
    """Decides one action for one wrestler. May be slow or fail: the runner guards it."""

    kind: ControllerKind

    async def decide(self, context: EventContext) -> AgentActionResponse: ...


class Narrator(Protocol):
    async def narrate(
        self, before: MatchState, tick: TickResult, after: MatchState, recent: Sequence[str]
    ) -> str: ...


class Publisher(Protocol):
    """Where narration goes: a terminal, a Discord thread, nowhere (benchmarks)."""

    async def match_started(self, match: Match, state: MatchState) -> None: ...

    async def tick(self, match: Match, tick: TickResult, state: MatchState) -> None: ...

    async def match_finished(self, match: Match, state: MatchState, rating: float) -> None: ...

    async def text(self, text: str) -> None: ...


class MatchStore(Protocol):
    """Durable record of live matches. ``record_tick`` is one transaction."""

    async def record_tick(
        self,
        match: Match,
        tick: TickResult,
        state: MatchState,
        requests: Sequence[EngineRequest],
        events: Sequence[DomainEvent],
    ) -> None: ...

    async def load_progress(self, match_id: int) -> tuple[MatchState, list[str]] | None:
        """The last committed state and the recent narration, or None if no tick yet."""
        ...
