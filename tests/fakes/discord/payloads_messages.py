"""Discord payload builders: messages, emoji and reaction events."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from tests.fakes.discord.payloads_core import iso_timestamp
from tests.fakes.discord.payloads_guild import DevGuild


def message(
    message_id: int,
    channel_id: int,
    author: Mapping[str, Any],
    content: str = "",
    *,
    guild_id: int | None = None,
    embeds: Iterable[Mapping[str, Any]] = (),
    components: Iterable[Mapping[str, Any]] = (),
    flags: int = 0,
    message_type: int = 0,
    webhook_id: int | None = None,
    application_id: int | None = None,
) -> dict:
    data: dict[str, Any] = {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "author": dict(author),
        "content": content,
        "timestamp": iso_timestamp(message_id),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [dict(e) for e in embeds],
        "components": [dict(c) for c in components],
        "reactions": [],
        "pinned": False,
        "type": message_type,
        "flags": flags,
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    if webhook_id is not None:
        data["webhook_id"] = str(webhook_id)
    if application_id is not None:
        data["application_id"] = str(application_id)
    return data


def partial_emoji(emoji: str | Mapping[str, Any]) -> dict:
    """``"🔥"`` or ``{"id": "1", "name": "hype"}`` -> the emoji object of reaction events."""
    if isinstance(emoji, str):
        return {"id": None, "name": emoji}
    return {"id": str(emoji["id"]) if emoji.get("id") else None, "name": emoji.get("name")} | (
        {"animated": emoji["animated"]} if "animated" in emoji else {}
    )


def reaction_add(
    *,
    channel_id: int,
    message_id: int,
    user_id: int,
    emoji: str | Mapping[str, Any],
    guild: DevGuild | None = None,
    guild_id: int | None = None,
    member_data: Mapping[str, Any] | None = None,
    message_author_id: int | None = None,
    burst: bool = False,
) -> dict:
    """MESSAGE_REACTION_ADD data; in a guild it carries the reacting member."""
    data: dict[str, Any] = {
        "user_id": str(user_id),
        "channel_id": str(channel_id),
        "message_id": str(message_id),
        "emoji": partial_emoji(emoji),
        "type": 1 if burst else 0,
        "burst": burst,
        "burst_colors": [],
    }
    if message_author_id is not None:
        data["message_author_id"] = str(message_author_id)
    resolved_guild_id = guild.guild_id if guild is not None else guild_id
    if resolved_guild_id is not None:
        data["guild_id"] = str(resolved_guild_id)
        if member_data is None and guild is not None:
            member_data = guild.member(user_id)
        if member_data is not None:
            data["member"] = dict(member_data)
    return data


def reaction_remove(
    *,
    channel_id: int,
    message_id: int,
    user_id: int,
    emoji: str | Mapping[str, Any],
    guild_id: int | None = None,
    burst: bool = False,
) -> dict:
    """MESSAGE_REACTION_REMOVE data (Discord sends no member here)."""
    data: dict[str, Any] = {
        "user_id": str(user_id),
        "channel_id": str(channel_id),
        "message_id": str(message_id),
        "emoji": partial_emoji(emoji),
        "type": 1 if burst else 0,
        "burst": burst,
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    return data


def new_token() -> str:
    """An opaque interaction token (random: tokens are never compared to expected values)."""
    return "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)
