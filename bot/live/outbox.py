"""Outbox: posts queued tick narration to Discord per channel, rate-limited, exactly once.

One asyncio worker per channel drains the ``outbox`` table in order. When it is behind (the
rate limit made it wait), the ticks waiting are coalesced into one message of at most 2000
characters. Delivery protocol, per message:

1. In one transaction: pick the batch and *claim* it with a fresh nonce (read under the write
   lock, so a tick whose transaction is still open or rolls back is never seen).
2. ``send(channel_id, content, nonce)``: the bot passes the nonce to Discord with
   ``enforce_nonce`` (discord.py 2.7 sends it whenever ``nonce=`` is given), so Discord
   itself dedupes a repeated send of that nonce for a few minutes.
3. ``mark_posted`` with the returned message id.

Crash window: a crash between 2 and 3 leaves the batch claimed but unmarked. On restart the
worker reconciles claimed batches first, in order: ``find_posted(channel_id, nonce,
content)`` (the bot looks through the channel's recent messages) returns the message if it
went out, and the rows are marked; otherwise the batch is re-sent with the *same* nonce and
content, which Discord dedupes within its nonce window. A duplicate is therefore possible
only if the process dies after the send and stays down longer than Discord's nonce window
*and* the message has scrolled out of what ``find_posted`` looks at. Crashes before 2 never
post; crashes after 3 never re-post.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from bot.live.pacing import SlidingWindowLimiter, coalesce, render
from bot.settings import DiscordSettings
from engine.ports import Clock
from storage.database import Database
from storage.outbox import OutboxEntry, OutboxRepo

log = logging.getLogger(__name__)

SendPort = Callable[[int, str, str], Awaitable[int]]
"""(channel_id, content, nonce) -> the posted message's id."""
FindPort = Callable[[int, str, str], Awaitable[Sequence[int]]]
"""(channel_id, nonce, content) -> ids of the channel's recent messages that may be this
batch (same nonce, or same content where the API drops nonces), newest first."""


class PermanentSendError(Exception):
    """The channel refuses the message for good (deleted, no access): drop it, move on."""


@dataclass
class _Channel:
    limiter: SlidingWindowLimiter
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    seeded: bool = False


class Outbox:
    def __init__(
        self,
        db: Database,
        send: SendPort,
        settings: DiscordSettings,
        clock: Clock,
        *,
        find_posted: FindPort | None = None,
        poll_s: float = 1.0,
        idle_exit_s: float = 60.0,
        retry_s: tuple[float, float] = (0.5, 30.0),
    ) -> None:
        self._db = db
        self._repo = OutboxRepo(db)
        self._send = send
        self._find_posted = find_posted
        self._settings = settings
        self._clock = clock
        self._poll_s = poll_s
        self._idle_exit_s = idle_exit_s
        self._retry_s = retry_s
        self._channels: dict[int, _Channel] = {}
        self._stopping = False
        self._running = False

    @property
    def repo(self) -> OutboxRepo:
        return self._repo

    async def start(self) -> None:
        """Start-up: resume every channel that has unposted or claimed rows."""
        self._running = True
        self._stopping = False
        await self.resume()

    async def resume(self) -> None:
        for channel_id in await self._repo.channels_with_work():
            self._ensure_worker(channel_id)

    async def enqueue(self, channel_id: int, match_id: int, time_index: int, text: str) -> bool:
        """Queues a tick and wakes the channel's worker. Inside a caller's transaction, prefer
        ``repo.enqueue`` there and ``notify`` after the commit. False if already queued."""
        row_id = await self._repo.enqueue(channel_id, match_id, time_index, text, self._clock.now())
        self.notify(channel_id)
        return row_id is not None

    def notify(self, channel_id: int) -> None:
        """Something was queued for ``channel_id``: post it soon."""
        if not self._running or self._stopping:
            return
        self._ensure_worker(channel_id)
        self._channels[channel_id].wake.set()

    async def stop(self, timeout: float = 10.0) -> bool:  # noqa: ASYNC109 - bounds the drain
        """Stops taking work and drains what is queued for up to ``timeout`` seconds, then
        cancels what is left (it stays in the table for the next start). True if drained."""
        self._stopping = True
        tasks = [c.task for c in self._channels.values() if c.task is not None]
        for channel in self._channels.values():
            channel.wake.set()
        drained = True
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=timeout)
            drained = not late
            await self._cancel(list(late))
        self._running = False
        return drained

    async def abort(self) -> None:
        """Cancels every worker at once, wherever it is (what a crash would do)."""
        self._stopping = True
        await self._cancel([c.task for c in self._channels.values() if c.task is not None])
        self._running = False

    async def _cancel(self, tasks: list[asyncio.Task[None]]) -> None:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _ensure_worker(self, channel_id: int) -> None:
        channel = self._channels.get(channel_id)
        if channel is None:
            limit, window = self._settings.messages_per_window, self._settings.window_s
            channel = _Channel(SlidingWindowLimiter(limit, window, self._clock.monotonic))
            self._channels[channel_id] = channel
        if channel.task is None or channel.task.done():
            channel.task = asyncio.create_task(
                self._work(channel_id, channel), name=f"outbox-{channel_id}"
            )

    async def _recent_sends(self, channel_id: int, limit: int) -> list[float]:
        """This channel's last posts, as monotonic times, so a restart stays within the limit."""
        now, mono = self._clock.now(), self._clock.monotonic()
        times = await self._repo.recent_post_times(channel_id, limit)
        return [mono - (now - at).total_seconds() for at in times]

    async def _work(self, channel_id: int, channel: _Channel) -> None:
        idle_since = self._clock.monotonic()
        failures = 0
        while True:
            try:
                if not channel.seeded:
                    limit = self._settings.messages_per_window
                    channel.limiter.seed(await self._recent_sends(channel_id, limit))
                    channel.seeded = True
                channel.wake.clear()
                posted = await self._post_next(channel_id, channel)
            except Exception:  # transient (network, 5xx, busy db): a claim keeps its nonce
                failures += 1
                delay = min(self._retry_s[1], self._retry_s[0] * 2 ** (failures - 1))
                log.exception("posting to channel %s failed; retrying in %.1fs", channel_id, delay)
                await asyncio.sleep(delay)
                continue
            failures = 0
            if posted:
                idle_since = self._clock.monotonic()
                continue
            if self._stopping or self._clock.monotonic() - idle_since >= self._idle_exit_s:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(channel.wake.wait(), self._poll_s)

    async def _post_next(self, channel_id: int, channel: _Channel) -> bool:
        """Posts (or reconciles) the oldest batch. False when there was nothing to post."""
        batch = await self._claimed_batch(channel_id)
        reconcile = batch is not None
        if batch is None:
            await channel.limiter.acquire()  # waiting here lets a backlog coalesce
            batch = await self._claim_next(channel_id)
        if batch is None:
            return False
        try:
            await self._deliver(channel_id, channel, batch, reconcile)
        except PermanentSendError as exc:
            log.warning("channel %s refused %d tick(s): %s", channel_id, len(batch), exc)
            await self._repo.mark_dropped([e.id for e in batch], str(exc) or "refused")
        return True

    async def _claimed_batch(self, channel_id: int) -> list[OutboxEntry] | None:
        claimed = await self._repo.claimed(channel_id)
        if not claimed:
            return None
        nonce = claimed[0].nonce
        return [entry for entry in claimed if entry.nonce == nonce]

    async def _claim_next(self, channel_id: int) -> list[OutboxEntry] | None:
        nonce = secrets.token_hex(8)
        async with self._db.transaction():
            pending = await self._repo.pending(channel_id, limit=200)
            if not pending:
                return None
            batch, _ = coalesce(pending)
            await self._repo.claim([e.id for e in batch], nonce, self._clock.now())
        return [e.model_copy(update={"nonce": nonce}) for e in batch]

    async def _deliver(
        self, channel_id: int, channel: _Channel, batch: list[OutboxEntry], reconcile: bool
    ) -> None:
        nonce = batch[0].nonce
        assert nonce is not None
        content = render(batch)
        message_id = None
        if reconcile and self._find_posted is not None:
            for candidate in await self._find_posted(channel_id, nonce, content):
                # An earlier batch with the same text is already recorded: not this one.
                if not await self._repo.is_recorded(candidate):
                    message_id = candidate
                    break
        if message_id is None:
            await channel.limiter.acquire()
            try:
                message_id = await self._send(channel_id, content, nonce)
            finally:
                channel.limiter.record()  # a failed send may still have counted at Discord
        await self._repo.mark_posted([e.id for e in batch], message_id, self._clock.now())
