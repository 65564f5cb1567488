"""Helpers shared by the provider tests (the fake key, a request builder, clock, recorder)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from engine.llm.base import CallRecord, LLMMessage, LLMRequest

SECRET = "sk-test-7f3a9c1e5b2d4680"  # a fake key: must never show up in logs or errors
SCHEMA = {
    "type": "object",
    "properties": {
        "action_id": {"type": "string"},
        "intent": {"type": "string", "default": ""},
    },
    "required": ["action_id"],
}


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


@dataclass
class ListRecorder:
    records: list[CallRecord] = field(default_factory=list)

    async def record(self, call: CallRecord) -> None:
        self.records.append(call)

    async def spent_today(self, guild_id: int, day_start: datetime) -> float:
        return sum(r.cost_usd for r in self.records if r.guild_id == guild_id and r.at >= day_start)


def request_for(model: str = "fake-small", **overrides: Any) -> LLMRequest:
    fields: dict[str, Any] = {
        "operation": "choose_action",
        "model": model,
        "system": "RULES: strike, grapple, pin. You are The Giant.",
        "messages": (LLMMessage(role="user", content="Tick 4. Choose."),),
        "response_schema": SCHEMA,
        "schema_name": "ChooseAction",
        "max_tokens": 200,
        "deadline_s": 5.0,
    }
    fields.update(overrides)
    return LLMRequest(**fields)
