"""Typed LLM errors: a short recorded reason, a promoter-facing message and a fallback policy."""

from __future__ import annotations

from enum import StrEnum


class Fallback(StrEnum):
    """What the caller should do instead of the failed call."""

    OFFLINE = "offline"  # use the offline implementation for this one call
    OFFLINE_FOR_MATCH = "offline_for_match"  # the provider is done for this match
    OFFLINE_FOR_DAY = "offline_for_day"  # the guild's daily budget is spent
    OFFLINE_UNTIL_FIXED = "offline_until_fixed"  # needs an admin (bad or missing key)


class LLMError(Exception):
    """Base of every LLM failure. ``reason`` is short and goes into the call record;
    ``user_message`` is what a promoter may be shown; ``fallback`` says how to degrade."""

    default_reason = "LLM call failed"
    default_user_message = "The AI writer is unavailable right now; the house agents take over."
    fallback = Fallback.OFFLINE
    retryable = False  # a second attempt within the deadline may succeed

    def __init__(self, reason: str | None = None, *, user_message: str | None = None) -> None:
        self.reason = reason or self.default_reason
        self.user_message = user_message or self.default_user_message
        super().__init__(self.reason)

    def __str__(self) -> str:
        return self.reason


class LLMUnavailable(LLMError):
    """The provider could not answer: 5xx, connection failure, unknown model, bad request."""

    default_reason = "provider unavailable"
    default_user_message = "The AI provider is not answering; the house agents take over for now."

    def __init__(
        self,
        reason: str | None = None,
        *,
        user_message: str | None = None,
        status: int | None = None,
        retryable: bool = True,
    ) -> None:
        super().__init__(reason, user_message=user_message)
        self.status = status
        self.retryable = retryable


class LLMAuthError(LLMError):
    """The key is missing or was rejected. The message names the env var, never the key."""

    default_reason = "authentication failed"
    default_user_message = (
        "The AI provider rejected our credentials; a server admin needs to check the API key. "
        "The house agents take over meanwhile."
    )
    fallback = Fallback.OFFLINE_UNTIL_FIXED


class LLMRateLimited(LLMError):
    """HTTP 429; ``retry_after`` is the server's hint in seconds, when it gave one."""

    default_reason = "rate limited"
    default_user_message = "The AI provider is busy; the house agents cover this spot."
    retryable = True

    def __init__(
        self,
        reason: str | None = None,
        *,
        user_message: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason, user_message=user_message)
        self.retry_after = retry_after


class LLMTimeout(LLMError):
    """No reply before the request's deadline."""

    default_reason = "deadline exceeded"
    default_user_message = "The AI writer took too long; the house agents covered this spot."


class LLMInvalidOutput(LLMError):
    """The reply was not the JSON object asked for, or it was cut off or too long."""

    default_reason = "invalid output"
    default_user_message = "The AI writer answered off-script; the house agents covered this spot."


class LLMBudgetExceeded(LLMError):
    """A spending guard said no: the per-match call limit or the guild's daily USD budget."""

    default_reason = "budget exceeded"
    default_user_message = (
        "This server has used today's AI budget; the house agents run the show until tomorrow."
    )
    fallback = Fallback.OFFLINE_FOR_DAY

    def __init__(
        self,
        reason: str | None = None,
        *,
        user_message: str | None = None,
        scope: str = "day",
    ) -> None:
        if scope == "match" and user_message is None:
            user_message = "This match has used its AI call allowance; the house agents finish it."
        super().__init__(reason, user_message=user_message)
        self.scope = scope
        self.fallback = Fallback.OFFLINE_FOR_MATCH if scope == "match" else Fallback.OFFLINE_FOR_DAY


class LLMRefused(LLMError):
    """The model declined to answer (safety refusal or content filter)."""

    default_reason = "model refused"
    default_user_message = "The AI writer declined this one; the house agents covered this spot."
