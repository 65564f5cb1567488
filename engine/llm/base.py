"""The LLMProvider protocol and the request/response/call-record value types every layer shares."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from pydantic import Field

from engine.models.base import Frozen


class LLMMessage(Frozen):
    role: str = Field(pattern="^(user|assistant)$")
    content: str


class LLMRequest(Frozen):
    """One structured call. ``system`` is the stable prefix (rules, character sheet) so that
    provider prompt caching applies; per-tick material goes in ``messages``."""

    operation: str
    model: str
    system: str
    messages: tuple[LLMMessage, ...]
    response_schema: dict[str, Any]  # JSON schema of the operation's pydantic response model
    schema_name: str
    max_tokens: int = Field(default=300, ge=1, le=8192)
    temperature: float = Field(default=0.7, ge=0.0, le=2.0)
    deadline_s: float = Field(default=8.0, gt=0.0)
    seed: int = 0  # offline provider determinism; others may pass it where supported
    guild_id: int | None = None
    match_id: int | None = None
    tick: int | None = None


class LLMUsage(Frozen):
    tokens_in: int = 0
    tokens_out: int = 0
    tokens_cached: int = 0


class LLMResponse(Frozen):
    provider: str
    model: str
    text: str  # the raw reply text (JSON for structured output)
    parsed: dict[str, Any] | None = None  # the JSON object, when the provider parsed it
    usage: LLMUsage = LLMUsage()
    latency_s: float = 0.0
    stop_reason: str | None = None


class LLMProvider(Protocol):
    """Every provider (offline, anthropic, openai, OpenAI-compatible) implements this."""

    name: str

    async def complete(self, request: LLMRequest) -> LLMResponse: ...

    async def list_models(self) -> list[str]: ...

    async def aclose(self) -> None: ...


class CallRecord(Frozen):
    """One LLM call as stored for `llmfed trace` and `llmfed usage`."""

    operation: str
    provider: str
    model: str
    guild_id: int | None = None
    federation_id: int | None = None
    match_id: int | None = None
    tick: int | None = None
    prompt: str
    raw_reply: str = ""
    parsed: dict[str, Any] | None = None
    error: str | None = None
    fallback_reason: str | None = None
    latency_s: float = 0.0
    usage: LLMUsage = LLMUsage()
    cost_usd: float = 0.0
    at: datetime


class CallRecorder(Protocol):
    """Where call records go (storage implements it; tests may keep them in a list)."""

    async def record(self, call: CallRecord) -> None: ...

    async def spent_today(self, guild_id: int, day_start: datetime) -> float: ...
