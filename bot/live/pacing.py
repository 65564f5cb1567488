"""Pacing Discord posts: a per-channel sliding-window rate limiter and tick coalescing."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence

from storage.outbox import OutboxEntry

MAX_CONTENT = 2000
ELLIPSIS = "…"
JOINER = "\n"


class SlidingWindowLimiter:
    """At most ``limit`` sends in any ``window_s`` seconds. A send counts from the moment it
    *completed*: Discord counts arrivals, which happen before the response, so spacing
    completions by the window keeps arrivals spaced too whatever the latency."""

    def __init__(
        self,
        limit: int,
        window_s: float,
        monotonic: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("a rate limit needs limit >= 1 and a positive window")
        self._limit = limit
        self._window = window_s
        self._monotonic = monotonic
        self._sleep = sleep
        self._sent: deque[float] = deque()

    def delay(self) -> float:
        """Seconds until another send is allowed (0 if now)."""
        now = self._monotonic()
        while self._sent and self._sent[0] <= now - self._window:
            self._sent.popleft()
        if len(self._sent) < self._limit:
            return 0.0
        return self._sent[0] + self._window - now

    async def acquire(self) -> None:
        while (wait := self.delay()) > 0:
            await self._sleep(wait)

    def record(self, at: float | None = None) -> None:
        self._sent.append(self._monotonic() if at is None else at)
        while len(self._sent) > self._limit:
            self._sent.popleft()

    def seed(self, times: Iterable[float]) -> None:
        """Sends made before this limiter existed (e.g. by the process before a restart)."""
        for at in sorted(times):
            self.record(at)


def fit(text: str, limit: int = MAX_CONTENT) -> str:
    """One tick's text as it is posted: cut with an ellipsis when longer than a message."""
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)] + ELLIPSIS


def coalesce(
    entries: Sequence[OutboxEntry], limit: int = MAX_CONTENT
) -> tuple[list[OutboxEntry], str]:
    """The longest run of oldest entries whose texts fit one message, and that message.
    Never splits a tick; the first entry always goes (cut if it alone is too long)."""
    if not entries:
        raise ValueError("nothing to coalesce")
    taken = [entries[0]]
    length = len(fit(entries[0].text, limit))
    for entry in entries[1:]:
        extra = len(JOINER) + len(fit(entry.text, limit))
        if length + extra > limit:
            break
        taken.append(entry)
        length += extra
    return taken, render(taken, limit)


def render(entries: Sequence[OutboxEntry], limit: int = MAX_CONTENT) -> str:
    """The message for a batch; deterministic, so a claimed batch re-renders identically."""
    return JOINER.join(fit(entry.text, limit) for entry in entries)
