"""Outbox test helpers: booked matches, a Discord-like fake send, and checks on what it got."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from storage.database import Database
from storage.federations import FederationRepo
from storage.matches import MatchRepo
from storage.wrestlers import WrestlerRepo

NOW = datetime(2026, 6, 1, 20, 0, tzinfo=UTC)


async def book_matches(db: Database, count: int) -> list[int]:
    federation = await FederationRepo(db).create(77, "Outbox Wrestling", 1, NOW)
    wrestlers = WrestlerRepo(db)
    a = await wrestlers.create(federation.id, "Queue Quinn", NOW)
    b = await wrestlers.create(federation.id, "Burst Bailey", NOW)
    matches = MatchRepo(db)
    return [
        (await matches.create(federation.id, [a.id, b.id], seed=n, now=NOW)).id
        for n in range(count)
    ]


def tick_text(match_id: int, index: int) -> str:
    return f"m{match_id}-t{index}: a move happens"


@dataclass
class Sent:
    channel_id: int
    content: str
    nonce: str
    message_id: int
    at: float


@dataclass
class FakeChannelApi:
    """Discord-like message create: records arrivals; a repeated nonce returns the first
    message instead of posting again (Discord's ``enforce_nonce``)."""

    latency_s: float = 0.005
    messages: list[Sent] = field(default_factory=list)
    attempts: list[float] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    _by_nonce: dict[str, int] = field(default_factory=dict)

    async def send(self, channel_id: int, content: str, nonce: str) -> int:
        arrived = time.monotonic()
        self.attempts.append(arrived)
        await asyncio.sleep(self.latency_s)
        if nonce in self._by_nonce:
            return self._by_nonce[nonce]
        assert len(content) <= 2000, "Discord refuses content over 2000 characters"
        message_id = next(self._ids)
        self._by_nonce[nonce] = message_id
        self.messages.append(Sent(channel_id, content, nonce, message_id, arrived))
        return message_id

    async def find(self, channel_id: int, nonce: str, content: str) -> list[int]:
        return [
            m.message_id
            for m in reversed(self.messages)
            if m.channel_id == channel_id and (m.nonce == nonce or m.content == content)
        ]

    def ticks(self, channel_id: int) -> list[str]:
        return [
            line
            for m in self.messages
            if m.channel_id == channel_id
            for line in m.content.split("\n")
        ]

    def arrivals(self, channel_id: int) -> list[float]:
        return [m.at for m in self.messages if m.channel_id == channel_id]


def max_in_window(times: list[float], window_s: float) -> int:
    """The most events found in any half-open window of ``window_s`` seconds."""
    ordered = sorted(times)
    best = 0
    for i, start in enumerate(ordered):
        best = max(best, sum(1 for t in ordered[i:] if t < start + window_s))
    return best


async def wait_until(
    predicate: Callable[[], Awaitable[bool]],
    timeout: float = 20.0,  # noqa: ASYNC109 - a test helper's own deadline
    step: float = 0.02,
) -> None:
    deadline = time.monotonic() + timeout
    while not await predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(step)
