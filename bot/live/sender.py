"""The Outbox's ports for live-match threads: posted as the wrestler through a webhook where the
bot has Manage Webhooks in the parent channel, plainly (with an enforced nonce) otherwise.

A coalesced message (several ticks) speaks as the match itself ("A vs B"). Webhook posts carry
no nonce, so ``find`` also recognises this bot's webhook messages by their identical content
(outbox messages are rendered deterministically) when reconciling after a crash.
"""

from __future__ import annotations

import logging

import discord

from bot.live.discord_port import HISTORY_LOOKBACK, channel_sender
from bot.live.outbox import PermanentSendError

log = logging.getLogger(__name__)

WEBHOOK_NAME = "LLMFed Ring"
SPEAKERS_KEPT = 64


class ThreadSender:
    def __init__(self, client: discord.Client, *, use_webhooks: bool = True) -> None:
        self._client = client
        self._plain = channel_sender(client)
        self._use_webhooks = use_webhooks
        self._hooks: dict[int, discord.Webhook | None] = {}  # parent id -> hook (None: plain)
        self._speakers: dict[int, dict[str, str]] = {}  # thread -> {content: wrestler name}
        self._voices: dict[int, str] = {}  # thread -> the match's own voice

    def register(self, thread_id: int, voice: str) -> None:
        self._voices[thread_id] = voice[:80]

    def forget(self, thread_id: int) -> None:
        self._voices.pop(thread_id, None)
        self._speakers.pop(thread_id, None)

    def speak_as(self, thread_id: int, content: str, name: str) -> None:
        """A message with exactly ``content`` in ``thread_id`` is ``name`` speaking."""
        said = self._speakers.setdefault(thread_id, {})
        said[content] = name[:80]
        while len(said) > SPEAKERS_KEPT:
            del said[next(iter(said))]

    async def send(self, channel_id: int, content: str, nonce: str) -> int:
        thread = await self._thread(channel_id)
        hook = await self._webhook(thread) if thread is not None else None
        if thread is None or hook is None:
            return await self._plain(channel_id, content, nonce)
        name = self._speakers.get(channel_id, {}).pop(content, None)
        try:
            message = await hook.send(
                content,
                username=name or self._voices.get(channel_id, "Ringside"),
                thread=thread,
                wait=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.NotFound:
            self._hooks.pop(thread.parent_id or 0, None)  # the webhook was deleted: remake
            raise
        except discord.Forbidden as exc:
            raise PermanentSendError(f"thread {channel_id} refused the message") from exc
        return message.id

    async def find(self, channel_id: int, nonce: str, content: str) -> list[int]:
        channel = self._client.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self._client.fetch_channel(channel_id)
            except (discord.NotFound, discord.Forbidden) as exc:
                raise PermanentSendError(f"channel {channel_id} is gone or hidden") from exc
        if not isinstance(channel, discord.abc.Messageable):
            raise PermanentSendError(f"channel {channel_id} cannot take messages")
        me = self._client.user
        hook_ids = {h.id for h in self._hooks.values() if h is not None}
        found: list[int] = []
        async for message in channel.history(limit=HISTORY_LOOKBACK):
            ours = (me is not None and message.author.id == me.id) or (
                message.webhook_id is not None and message.webhook_id in hook_ids
            )
            if not ours:
                continue
            if message.nonce == nonce or (message.nonce is None and message.content == content):
                found.append(message.id)
        return found

    async def _thread(self, channel_id: int) -> discord.Thread | None:
        channel = self._client.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self._client.fetch_channel(channel_id)
            except (discord.NotFound, discord.Forbidden) as exc:
                raise PermanentSendError(f"channel {channel_id} is gone or hidden") from exc
        return channel if isinstance(channel, discord.Thread) else None

    async def _webhook(self, thread: discord.Thread) -> discord.Webhook | None:
        parent = thread.parent
        if not self._use_webhooks or not isinstance(parent, discord.TextChannel):
            return None
        if parent.id in self._hooks:
            return self._hooks[parent.id]
        hook: discord.Webhook | None = None
        if parent.permissions_for(parent.guild.me).manage_webhooks:
            try:
                hooks = await parent.webhooks()
                me = self._client.user
                hook = next(
                    (
                        h
                        for h in hooks
                        if h.name == WEBHOOK_NAME
                        and h.user
                        and me
                        and h.user.id == me.id
                        and h.token
                    ),
                    None,
                ) or await parent.create_webhook(name=WEBHOOK_NAME)
            except discord.HTTPException as exc:
                log.info("no webhook in #%s (%s): posting plainly", parent.name, exc)
                hook = None
        else:
            log.info("no Manage Webhooks in #%s: live narration is posted plainly", parent.name)
        self._hooks[parent.id] = hook
        return hook

    async def hook_ids(self) -> set[int]:
        return {h.id for h in self._hooks.values() if h is not None}
