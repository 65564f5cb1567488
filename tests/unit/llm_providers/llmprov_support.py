"""Test doubles for the provider wrappers: a scripted provider, a list recorder, a fake clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from engine.llm.base import CallRecord, LLMMessage, LLMRequest, LLMResponse, LLMUsage
from engine.llm.errors import LLMError

SCHEMA = {
    "type": "object",
    "properties": {"action_id": {"type": "string"}, "intent": {"type": "string"}},
    "required": ["action_id"],
}


def make_request(**overrides: Any) -> LLMRequest:
    fields: dict[str, Any] = {
        "operation": "choose_action",
        "model": "fake-small",
        "system": "You are a wrestler. Rules: strike, grapple, pin.",
        "messages": (LLMMessage(role="user", content="Tick 3: your move."),),
        "response_schema": SCHEMA,
        "schema_name": "ChooseAction",
        "deadline_s": 5.0,
    }
    fields.update(overrides)
    return LLMRequest(**fields)


Step = LLMResponse | LLMError | Callable[[LLMRequest], Any]


@dataclass
class ScriptedProvider:
    """Answers with the queued steps in order (a response, an error to raise, or a coroutine
    function); records every request it saw."""

    name: str = "scripted"
    steps: list[Step] = field(default_factory=list)
    seen: list[LLMRequest] = field(default_factory=list)
    usage: LLMUsage = field(default_factory=lambda: LLMUsage(tokens_in=1000, tokens_out=100))
    hold: asyncio.Event | None = None
    in_flight: int = 0
    max_in_flight: int = 0
    closed: bool = False

    async def complete(self, request: LLMRequest) -> LLMResponse:
        self.seen.append(request)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.hold is not None:
                await self.hold.wait()
            step = self.steps.pop(0) if self.steps else None
            if isinstance(step, LLMError):
                raise step
            if isinstance(step, LLMResponse):
                return step
            if step is not None:
                return await step(request)
            return LLMResponse(
                provider=self.name,
                model=request.model,
                text='{"action_id": "strike"}',
                parsed={"action_id": "strike"},
                usage=self.usage,
            )
        finally:
            self.in_flight -= 1

    async def list_models(self) -> list[str]:
        return ["fake-small"]

    async def aclose(self) -> None:
        self.closed = True


@dataclass
class ListRecorder:
    """CallRecorder keeping records in memory; spent_today sums the guild's costs since
    day_start (and remembers the day_start it was asked about)."""

    records: list[CallRecord] = field(default_factory=list)
    asked_day_starts: list[datetime] = field(default_factory=list)

    async def record(self, call: CallRecord) -> None:
        self.records.append(call)

    async def spent_today(self, guild_id: int, day_start: datetime) -> float:
        self.asked_day_starts.append(day_start)
        return sum(r.cost_usd for r in self.records if r.guild_id == guild_id and r.at >= day_start)


@dataclass
class FakeClock:
    """A Clock whose time moves only when told (monotonic and wall time together)."""

    current: datetime = field(default_factory=lambda: datetime(2025, 3, 1, 21, 30, tzinfo=UTC))
    mono: float = 100.0

    def now(self) -> datetime:
        return self.current

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.current += timedelta(seconds=seconds)
