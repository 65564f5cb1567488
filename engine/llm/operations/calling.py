"""Calling an operation: send the request, parse strictly, one repair attempt, then give up."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from engine.llm.base import LLMProvider, LLMRequest, LLMResponse
from engine.llm.errors import LLMInvalidOutput, LLMTimeout
from engine.llm.operations.common import repair_request

T = TypeVar("T")


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """A parsed reply and how it was obtained: ``repaired_from`` is the first attempt's error."""

    value: T
    response: LLMResponse
    attempts: int
    repaired_from: str | None = None


async def call_parsed(
    provider: LLMProvider,
    request: LLMRequest,
    parse: Callable[[LLMResponse], T],
    *,
    repair: bool = True,
) -> Parsed[T]:
    """Provider errors propagate as they are (typed LLMErrors). An invalid reply gets ONE
    follow-up carrying the validation error; a second invalid reply raises LLMInvalidOutput.
    ``request.deadline_s`` bounds the whole exchange, repair included: a slow model never
    holds up a match for longer than its deadline."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + request.deadline_s
    try:
        async with asyncio.timeout_at(deadline):
            response = await provider.complete(request)
            try:
                return Parsed(parse(response), response, attempts=1)
            except LLMInvalidOutput as first:
                if not repair:
                    raise
                problem = first.reason
            remaining = max(0.05, deadline - loop.time())
            follow_up = repair_request(request, response.text, problem)
            retry = await provider.complete(follow_up.model_copy(update={"deadline_s": remaining}))
            try:
                return Parsed(parse(retry), retry, attempts=2, repaired_from=problem)
            except LLMInvalidOutput as second:
                raise LLMInvalidOutput(
                    f"invalid output after one repair: {second.reason}"[:300]
                ) from second
    except TimeoutError as exc:
        raise LLMTimeout(f"no valid reply within {request.deadline_s:g}s") from exc
