"""Provider wrappers, each itself an LLMProvider: concurrency, retry, limits, budget, records."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from engine.errors import GameError
from engine.llm.base import CallRecord, CallRecorder, LLMProvider, LLMRequest, LLMResponse, LLMUsage
from engine.llm.config import ModelPrice
from engine.llm.errors import LLMBudgetExceeded, LLMError, LLMRateLimited, LLMTimeout
from engine.llm.tokens import estimate_cost, estimate_tokens

log = logging.getLogger(__name__)

Monotonic = Callable[[], float]
Now = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[Any]]


def render_prompt(request: LLMRequest) -> str:
    """The whole prompt as one text, for call records and token estimates."""
    parts = [f"[system]\n{request.system}"]
    parts.extend(f"[{m.role}]\n{m.content}" for m in request.messages)
    return "\n\n".join(parts)


def price_for(prices: Mapping[str, ModelPrice], *models: str) -> ModelPrice:
    for model in models:
        if model in prices:
            return prices[model]
    return ModelPrice()


class _Delegating:
    def __init__(self, inner: LLMProvider) -> None:
        self.inner = inner
        self.name = inner.name

    async def complete(self, request: LLMRequest) -> LLMResponse:
        return await self.inner.complete(request)

    async def list_models(self) -> list[str]:
        return await self.inner.list_models()

    async def aclose(self) -> None:
        await self.inner.aclose()


class ConcurrencyLimited(_Delegating):
    """At most ``max_concurrency`` calls in flight. Time spent queueing counts against the
    request's deadline: the inner call gets only what is left."""

    def __init__(
        self, inner: LLMProvider, max_concurrency: int, *, monotonic: Monotonic = time.monotonic
    ) -> None:
        super().__init__(inner)
        self.max_concurrency = max_concurrency
        self._semaphore = asyncio.Semaphore(max_concurrency)
        self._monotonic = monotonic

    async def complete(self, request: LLMRequest) -> LLMResponse:
        if not self._semaphore.locked():
            # A free slot: taken at once, nothing spent from the deadline, nothing to trim.
            await self._semaphore.acquire()
            try:
                return await self.inner.complete(request)
            finally:
                self._semaphore.release()
        started = self._monotonic()
        try:
            async with asyncio.timeout(request.deadline_s):
                await self._semaphore.acquire()
        except TimeoutError as exc:
            raise LLMTimeout(
                f"{self.name}: no free slot within {request.deadline_s:g}s "
                f"(max {self.max_concurrency} in flight)"
            ) from exc
        try:
            remaining = request.deadline_s - (self._monotonic() - started)
            if remaining <= 0:
                raise LLMTimeout(f"{self.name}: deadline spent waiting for a free slot")
            if remaining < request.deadline_s:
                request = request.model_copy(update={"deadline_s": remaining})
            return await self.inner.complete(request)
        finally:
            self._semaphore.release()


class Retrying(_Delegating):
    """One retry of a retryable failure (429, 5xx, connection), after the server's
    retry-after (or ``default_delay``), only if the retry can still finish in the deadline."""

    def __init__(
        self,
        inner: LLMProvider,
        *,
        default_delay: float = 0.5,
        min_attempt_s: float = 0.25,
        sleep: Sleep = asyncio.sleep,
        monotonic: Monotonic = time.monotonic,
    ) -> None:
        super().__init__(inner)
        self._default_delay = default_delay
        self._min_attempt_s = min_attempt_s
        self._sleep = sleep
        self._monotonic = monotonic

    async def complete(self, request: LLMRequest) -> LLMResponse:
        started = self._monotonic()
        try:
            return await self.inner.complete(request)
        except LLMError as exc:
            if not exc.retryable:
                raise
            delay = self._default_delay
            if isinstance(exc, LLMRateLimited) and exc.retry_after is not None:
                delay = exc.retry_after
            remaining = request.deadline_s - (self._monotonic() - started) - delay
            if remaining < self._min_attempt_s:
                raise
            first_failure = exc
        log.info("%s: retrying after %.2fs: %s", self.name, delay, first_failure.reason)
        await self._sleep(delay)
        return await self.inner.complete(request.model_copy(update={"deadline_s": remaining}))


class CallLimited(_Delegating):
    """At most ``limit_per_match`` calls for one match_id (requests without one are free)."""

    def __init__(self, inner: LLMProvider, limit_per_match: int) -> None:
        super().__init__(inner)
        self.limit_per_match = limit_per_match
        self._calls: dict[int, int] = {}

    def calls_for(self, match_id: int) -> int:
        return self._calls.get(match_id, 0)

    def forget_match(self, match_id: int) -> None:
        """Drop a finished match's counter."""
        self._calls.pop(match_id, None)

    async def complete(self, request: LLMRequest) -> LLMResponse:
        if request.match_id is not None:
            used = self._calls.get(request.match_id, 0)
            if used >= self.limit_per_match:
                raise LLMBudgetExceeded(
                    f"{self.name}: call limit {self.limit_per_match} reached for match "
                    f"{request.match_id}",
                    scope="match",
                )
            self._calls[request.match_id] = used + 1
        return await self.inner.complete(request)


class Budgeted(_Delegating):
    """Refuses a call when the guild's spend today plus this call's worst case (estimated
    prompt tokens, max_tokens out) and the calls still in flight would pass the daily budget."""

    def __init__(
        self,
        inner: LLMProvider,
        recorder: CallRecorder,
        prices: Mapping[str, ModelPrice],
        daily_budget_usd: float,
        now: Now,
    ) -> None:
        super().__init__(inner)
        self.daily_budget_usd = daily_budget_usd
        self._recorder = recorder
        self._prices = dict(prices)
        self._now = now
        self._in_flight: dict[int, float] = {}

    async def complete(self, request: LLMRequest) -> LLMResponse:
        guild_id = request.guild_id
        if guild_id is None:
            return await self.inner.complete(request)
        prompt_tokens = estimate_tokens(render_prompt(request))
        worst_case = estimate_cost(
            LLMUsage(tokens_in=prompt_tokens, tokens_out=request.max_tokens),
            price_for(self._prices, request.model),
        )
        spent = await self._recorder.spent_today(guild_id, day_start(self._now()))
        pending = self._in_flight.get(guild_id, 0.0)
        if worst_case > 0 and spent + pending + worst_case > self.daily_budget_usd:
            raise LLMBudgetExceeded(
                f"guild daily budget ${self.daily_budget_usd:.2f} reached "
                f"(spent ${spent:.4f}, this call up to ${worst_case:.4f})",
                scope="day",
            )
        self._in_flight[guild_id] = pending + worst_case
        try:
            return await self.inner.complete(request)
        finally:
            left = self._in_flight.get(guild_id, 0.0) - worst_case
            if left > 1e-12:
                self._in_flight[guild_id] = left
            else:
                self._in_flight.pop(guild_id, None)


def day_start(now: datetime) -> datetime:
    """Midnight UTC of ``now``'s day: budgets reset at 00:00 UTC."""
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


class Recording(_Delegating):
    """Records one CallRecord per call, failures included (then re-raises): prompt, reply,
    parsed object, error, latency, tokens and estimated cost. ``now`` stamps ``at``."""

    def __init__(
        self,
        inner: LLMProvider,
        recorder: CallRecorder,
        prices: Mapping[str, ModelPrice],
        now: Now,
        *,
        monotonic: Monotonic = time.monotonic,
    ) -> None:
        super().__init__(inner)
        self._recorder = recorder
        self._prices = dict(prices)
        self._now = now
        self._monotonic = monotonic

    async def complete(self, request: LLMRequest) -> LLMResponse:
        at = self._now()
        started = self._monotonic()
        try:
            response = await self.inner.complete(request)
        except LLMError as exc:
            await self._record(
                CallRecord(
                    **_request_fields(request, self.name),
                    error=exc.reason,
                    fallback_reason=exc.fallback.value,
                    latency_s=self._monotonic() - started,
                    at=at,
                )
            )
            raise
        cost = estimate_cost(response.usage, price_for(self._prices, request.model, response.model))
        await self._record(
            CallRecord(
                **_request_fields(request, self.name),
                raw_reply=response.text,
                parsed=response.parsed,
                latency_s=self._monotonic() - started,
                usage=response.usage,
                cost_usd=cost,
                at=at,
            )
        )
        return response

    async def _record(self, record: CallRecord) -> None:
        try:
            await self._recorder.record(record)
        except GameError as exc:
            # A full disk must not turn a good reply into a failed tick; the trace has a gap.
            log.warning("could not record LLM call %s: %s", record.operation, exc)


def _request_fields(request: LLMRequest, provider: str) -> dict[str, Any]:
    return {
        "operation": request.operation,
        "provider": provider,
        "model": request.model,
        "guild_id": request.guild_id,
        "match_id": request.match_id,
        "tick": request.tick,
        "prompt": render_prompt(request),
    }
