"""ThreadPoster: the live matches' own posts in Discord (text, script buttons, player prompts)."""

from __future__ import annotations

import discord

from bot.discord.script_modal import script_view
from bot.services.repos import Repos
from engine.errors import GameError


class ThreadPoster:
    """Posts into a channel or thread by id; mentions only whom a prompt is for."""

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def messageable(self, channel_id: int) -> discord.abc.Messageable:
        channel = self._client.get_channel(channel_id)
        if channel is None:
            channel = await self._client.fetch_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            raise GameError(f"channel {channel_id} cannot take messages")
        return channel

    async def post_text(self, thread_id: int, text: str) -> None:
        channel = await self.messageable(thread_id)
        await channel.send(text[:2000], allowed_mentions=discord.AllowedMentions.none())

    async def post_script_button(self, thread_id: int, content: str, match_id: int) -> int:
        channel = await self.messageable(thread_id)
        view = script_view(match_id)
        message = await channel.send(
            content[:2000], view=view, allowed_mentions=discord.AllowedMentions.none()
        )
        view.stop()  # the persistent dynamic item answers presses, also after a restart
        return message.id

    async def post_prompt(
        self, thread_id: int, content: str, view: discord.ui.View, owner_id: int
    ) -> int:
        channel = await self.messageable(thread_id)
        mentions = discord.AllowedMentions(
            everyone=False, roles=False, users=[discord.Object(owner_id)], replied_user=False
        )
        message = await channel.send(content[:2000], view=view, allowed_mentions=mentions)
        view.stop()  # the persistent dynamic item answers presses, also after a restart
        return message.id


async def thread_name(repos: Repos, match_id: int) -> str:
    """A match thread's name: its number and who is in it."""
    match = await repos.matches.get(match_id)
    names = [(await repos.wrestlers.get(i)).name for i in match.participant_ids]
    return f"#{match_id} {' vs '.join(names)}"[:100]
