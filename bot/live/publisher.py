"""ThreadPublisher: engine.ports.Publisher for one live match narrated in its Discord thread.

Every tick's narration goes to the Outbox (exactly once, rate-limited, coalesced when behind)
right after the tick's transaction commits; a crash in between is repaired at resume, which
re-enqueues committed ticks (the outbox ignores a tick it already has). Other text (full
rewrite notes, segment canon) is posted straight to the thread. After the bell, the summary
lines are kept for the results embed instead of being posted one by one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.live.outbox import Outbox
from bot.live.pacing import fit
from bot.live.sender import ThreadSender
from engine.models import Match, MatchState, TickResult

PostText = Callable[[int, str], Awaitable[None]]


def tick_text(tick: TickResult) -> str:
    return tick.narration.strip() or f"Tick {tick.time_index}: the action continues."


class ThreadPublisher:
    def __init__(
        self,
        thread_id: int,
        outbox: Outbox,
        sender: ThreadSender,
        post_text: PostText,
        names: dict[int, str],
    ) -> None:
        self.thread_id = thread_id
        self._outbox = outbox
        self._sender = sender
        self._post_text = post_text
        self.names = names
        self.finished: tuple[MatchState, float] | None = None
        self.summary: list[str] = []

    async def match_started(self, match: Match, state: MatchState) -> None:
        """The card and its thread are already up (the live desk opened them)."""

    async def tick(self, match: Match, tick: TickResult, state: MatchState) -> None:
        text = tick_text(tick)
        name = self.names.get(tick.actor_id)
        if name:
            self._sender.speak_as(self.thread_id, fit(text), name)
        await self._outbox.enqueue(self.thread_id, match.id, tick.time_index, text)

    async def match_finished(self, match: Match, state: MatchState, rating: float) -> None:
        self.finished = (state, rating)

    async def text(self, text: str) -> None:
        if self.finished is not None:
            self.summary.append(text)
            return
        await self._post_text(self.thread_id, fit(text))
