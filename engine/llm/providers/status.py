"""Vendor-neutral mapping of HTTP failures to the typed LLM errors (shared by the SDK providers)."""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from engine.llm.errors import LLMAuthError, LLMError, LLMRateLimited, LLMTimeout, LLMUnavailable
from engine.models.base import Frozen

T = TypeVar("T")

API_MESSAGE_CAP = 160


def retry_after_seconds(
    headers: Mapping[str, str] | None, now: float | None = None
) -> float | None:
    """The server's retry hint: ``retry-after-ms`` first, then ``retry-after`` (secs or date)."""
    if not headers:
        return None
    milliseconds = headers.get("retry-after-ms")
    if milliseconds is not None:
        try:
            return max(0.0, float(milliseconds) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        return max(0.0, email.utils.mktime_tz(parsed) - (now if now is not None else time.time()))


def error_for_status(
    provider: str,
    status: int,
    *,
    api_message: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> LLMError:
    """The typed error for an HTTP error status. Auth errors never repeat the vendor's text
    (some vendors echo part of the key in it)."""
    detail = f": {api_message[:API_MESSAGE_CAP]}" if api_message else ""
    if status in (401, 403):
        return LLMAuthError(f"{provider} rejected the credentials ({status})")
    if status == 402:
        return LLMAuthError(
            f"{provider} account needs billing attention (402)",
            user_message="The AI provider account needs attention; the house agents take over.",
        )
    if status == 429:
        retry_after = retry_after_seconds(headers)
        hint = f", retry after {retry_after:g}s" if retry_after is not None else ""
        return LLMRateLimited(f"{provider} rate limited (429){hint}", retry_after=retry_after)
    if status == 408 or status >= 500:
        return LLMUnavailable(f"{provider} server error ({status}){detail}", status=status)
    return LLMUnavailable(
        f"{provider} rejected the request ({status}){detail}", status=status, retryable=False
    )


def message_from_body(body: object) -> str | None:
    """``error.message`` from an Anthropic- or OpenAI-shaped error body."""
    if isinstance(body, Mapping):
        error = body.get("error", body)
        if isinstance(error, Mapping):
            message = error.get("message")
            if isinstance(message, str):
                return message
    return None


class SdkErrors(Frozen):
    """An SDK's exception classes, most specific first: its timeout is a connection error."""

    timeout: type[Exception]
    status: type[Exception]
    connection: type[Exception]
    base: type[Exception]


async def sdk_call(
    provider: str, deadline_s: float, errors: SdkErrors, call: Callable[[], Awaitable[T]]
) -> T:
    """Await one SDK call within the request deadline, its failures mapped to typed LLM errors."""
    try:
        async with asyncio.timeout(deadline_s):
            return await call()
    except TimeoutError as exc:
        raise LLMTimeout(f"{provider}: no reply within {deadline_s:g}s") from exc
    except errors.timeout as exc:
        raise LLMTimeout(f"{provider}: request timed out") from exc
    except errors.status as exc:
        raise _status_error(provider, exc) from exc
    except errors.connection as exc:
        raise LLMUnavailable(f"{provider}: connection failed") from exc
    except errors.base as exc:
        raise LLMUnavailable(f"{provider}: {type(exc).__name__}", retryable=False) from exc


def _status_error(provider: str, exc: Any) -> LLMError:
    return error_for_status(
        provider,
        exc.status_code,
        api_message=message_from_body(exc.body),
        headers=exc.response.headers,
    )
