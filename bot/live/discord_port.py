"""The Outbox's ports wired to discord.py: send with an enforced nonce, find a sent message."""

from __future__ import annotations

import discord

from bot.live.outbox import FindPort, PermanentSendError, SendPort

HISTORY_LOOKBACK = 50


async def _channel(client: discord.Client, channel_id: int) -> discord.abc.Messageable:
    channel = client.get_channel(channel_id)
    if channel is None:
        try:
            channel = await client.fetch_channel(channel_id)
        except (discord.NotFound, discord.Forbidden) as exc:
            raise PermanentSendError(f"channel {channel_id} is gone or hidden") from exc
    if not isinstance(channel, discord.abc.Messageable):
        raise PermanentSendError(f"channel {channel_id} cannot take messages")
    return channel


def channel_sender(client: discord.Client) -> SendPort:
    """``channel.send(content, nonce=...)``: discord.py 2.7 adds ``enforce_nonce`` whenever a
    nonce is given, so Discord returns the first message for a repeated nonce (for a few
    minutes) instead of posting it again. Mentions are never pinged from narration."""

    async def send(channel_id: int, content: str, nonce: str) -> int:
        channel = await _channel(client, channel_id)
        try:
            message = await channel.send(
                content, nonce=nonce, allowed_mentions=discord.AllowedMentions.none()
            )
        except (discord.NotFound, discord.Forbidden) as exc:
            raise PermanentSendError(f"channel {channel_id} refused the message") from exc
        return message.id

    return send


def history_finder(client: discord.Client, lookback: int = HISTORY_LOOKBACK) -> FindPort:
    """Looks for the bot's own message among the channel's recent ones: by nonce where the
    API returns it, else by identical content (outbox messages are rendered deterministically)."""

    async def find(channel_id: int, nonce: str, content: str) -> list[int]:
        channel = await _channel(client, channel_id)
        me = client.user
        found: list[int] = []
        async for message in channel.history(limit=lookback):
            if me is not None and message.author.id != me.id:
                continue
            if message.nonce == nonce or (message.nonce is None and message.content == content):
                found.append(message.id)
        return found

    return find
