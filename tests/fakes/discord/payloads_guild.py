"""Discord payload builders: users, members, roles, channels, threads and guilds."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tests.fakes.discord.payloads_core import (
    ALL_PERMISSIONS,
    BOT_PERMISSIONS,
    JOINED_AT,
    MEMBER_PERMISSIONS,
    Permission,
    Snowflakes,
    iso_timestamp,
)


def user(user_id: int, username: str, *, bot: bool = False, global_name: str | None = None) -> dict:
    data: dict[str, Any] = {
        "id": str(user_id),
        "username": username,
        "global_name": global_name if global_name is not None else (None if bot else username),
        "discriminator": "0",
        "avatar": None,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
    }
    if bot:
        data["bot"] = True
    return data


def member(
    user_data: Mapping[str, Any],
    role_ids: Iterable[int] = (),
    *,
    nick: str | None = None,
    permissions: int | None = None,
) -> dict:
    """A guild member; ``permissions`` is only set on interaction payloads (computed totals)."""
    data: dict[str, Any] = {
        "user": dict(user_data),
        "roles": [str(r) for r in role_ids],
        "nick": nick,
        "avatar": None,
        "banner": None,
        "joined_at": JOINED_AT,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
        "unusual_dm_activity_until": None,
    }
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def role(role_id: int, name: str, permissions: int, *, position: int = 0) -> dict:
    return {
        "id": str(role_id),
        "name": name,
        "permissions": str(int(permissions)),
        "position": position,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


class ChannelType(enum.IntEnum):
    GUILD_TEXT = 0
    DM = 1
    GUILD_VOICE = 2
    GUILD_CATEGORY = 4
    GUILD_ANNOUNCEMENT = 5
    PUBLIC_THREAD = 11
    PRIVATE_THREAD = 12
    GUILD_FORUM = 15


def channel(
    channel_id: int,
    guild_id: int,
    name: str,
    *,
    type: int = ChannelType.GUILD_TEXT,
    position: int = 0,
    parent_id: int | None = None,
    topic: str | None = None,
) -> dict:
    data: dict[str, Any] = {
        "id": str(channel_id),
        "guild_id": str(guild_id),
        "name": name,
        "type": int(type),
        "position": position,
        "parent_id": str(parent_id) if parent_id else None,
        "permission_overwrites": [],
        "nsfw": False,
        "flags": 0,
        "last_message_id": None,
        "rate_limit_per_user": 0,
    }
    if type in (ChannelType.GUILD_TEXT, ChannelType.GUILD_ANNOUNCEMENT, ChannelType.GUILD_FORUM):
        data["topic"] = topic
        data["default_auto_archive_duration"] = 1440
    if type == ChannelType.GUILD_FORUM:
        data["available_tags"] = []
        data["default_reaction_emoji"] = None
        data["default_sort_order"] = None
        data["default_forum_layout"] = 0
    if type == ChannelType.GUILD_VOICE:
        data.update(bitrate=64000, user_limit=0, rtc_region=None)
    return data


def thread(
    thread_id: int,
    guild_id: int,
    parent_id: int,
    name: str,
    *,
    owner_id: int,
    private: bool = False,
    auto_archive_duration: int = 1440,
    archived: bool = False,
    created_at: str | None = None,
) -> dict:
    stamp = created_at or iso_timestamp(thread_id)
    return {
        "id": str(thread_id),
        "guild_id": str(guild_id),
        "parent_id": str(parent_id),
        "owner_id": str(owner_id),
        "name": name,
        "type": int(ChannelType.PRIVATE_THREAD if private else ChannelType.PUBLIC_THREAD),
        "last_message_id": None,
        "message_count": 0,
        "member_count": 1,
        "total_message_sent": 0,
        "rate_limit_per_user": 0,
        "flags": 0,
        "applied_tags": [],
        "thread_metadata": {
            "archived": archived,
            "auto_archive_duration": auto_archive_duration,
            "archive_timestamp": stamp,
            "locked": False,
            "invitable": not private,
            "create_timestamp": stamp,
        },
    }


def dm_channel(channel_id: int, recipient: Mapping[str, Any]) -> dict:
    return {
        "id": str(channel_id),
        "type": int(ChannelType.DM),
        "last_message_id": None,
        "flags": 0,
        "recipients": [dict(recipient)],
    }


def guild_create(
    guild_id: int,
    name: str,
    *,
    owner_id: int,
    roles: Iterable[Mapping[str, Any]],
    channels: Iterable[Mapping[str, Any]],
    members: Iterable[Mapping[str, Any]],
    threads: Iterable[Mapping[str, Any]] = (),
    scheduled_events: Iterable[Mapping[str, Any]] = (),
) -> dict:
    """A GUILD_CREATE dispatch payload (the full guild, as sent after READY)."""
    members_list = [dict(m) for m in members]
    return {
        "id": str(guild_id),
        "name": name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(owner_id),
        "region": "deprecated",
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "premium_progress_bar_enabled": False,
        "preferred_locale": "en-US",
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "application_id": None,
        "max_members": 500000,
        "max_video_channel_users": 25,
        "features": [],
        "emojis": [],
        "stickers": [],
        "roles": [dict(r) for r in roles],
        "channels": [dict(c) for c in channels],
        "threads": [dict(t) for t in threads],
        "members": members_list,
        "member_count": len(members_list),
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [dict(e) for e in scheduled_events],
        "soundboard_sounds": [],
        "joined_at": JOINED_AT,
        "large": False,
        "unavailable": False,
        "lazy": True,
    }


@dataclass(frozen=True)
class DevGuild:
    """A ready-made test guild: its GUILD_CREATE payload plus the ids tests need."""

    payload: dict
    guild_id: int
    bot: dict
    owner: dict
    player: dict
    channel_ids: dict[str, int]
    role_ids: dict[str, int]
    bot_permissions: int

    def channel(self, name: str) -> dict:
        """The channel payload with that name."""
        wanted = str(self.channel_ids[name])
        return next(c for c in self.payload["channels"] if c["id"] == wanted)

    def member(self, user_id: int | str) -> dict:
        return next(m for m in self.payload["members"] if m["user"]["id"] == str(user_id))


def dev_guild(
    ids: Snowflakes,
    *,
    bot_user: Mapping[str, Any],
    name: str = "LLMFed Dev",
    channel_names: Iterable[str] = ("general", "announcements", "matches"),
    bot_permissions: int = BOT_PERMISSIONS,
    member_permissions: int = MEMBER_PERMISSIONS,
) -> DevGuild:
    """A guild with @everyone, a Promoter role (MANAGE_GUILD), a bot role, an owner, a
    player and the bot as members, a category and the named text channels."""
    guild_id = ids.next()
    owner = user(ids.next(), "owner")
    player = user(ids.next(), "player")
    promoter_role, bot_role = ids.next(), ids.next()
    roles = [
        role(guild_id, "@everyone", member_permissions),
        role(
            promoter_role,
            "Promoter",
            Permission.MANAGE_GUILD | Permission.MANAGE_EVENTS,
            position=1,
        ),
        role(bot_role, "LLMFed", bot_permissions, position=2),
    ]
    category_id = ids.next()
    channels = [channel(category_id, guild_id, "Federation", type=ChannelType.GUILD_CATEGORY)]
    channel_ids = {"Federation": category_id}
    for position, channel_name in enumerate(channel_names):
        channel_id = ids.next()
        channel_ids[channel_name] = channel_id
        channels.append(
            channel(channel_id, guild_id, channel_name, position=position, parent_id=category_id)
        )
    members = [
        member(owner, [promoter_role]),
        member(player),
        member(bot_user, [bot_role]),
    ]
    payload = guild_create(
        guild_id, name, owner_id=int(owner["id"]), roles=roles, channels=channels, members=members
    )
    return DevGuild(
        payload=payload,
        guild_id=guild_id,
        bot=dict(bot_user),
        owner=owner,
        player=player,
        channel_ids=channel_ids,
        role_ids={"@everyone": guild_id, "Promoter": promoter_role, "LLMFed": bot_role},
        bot_permissions=int(bot_permissions | member_permissions),
    )


def computed_permissions(guild_payload: Mapping[str, Any], user_id: int | str) -> int:
    """Guild-level permissions of a member (owner and ADMINISTRATOR get everything)."""
    if str(guild_payload["owner_id"]) == str(user_id):
        return int(ALL_PERMISSIONS)
    roles = {r["id"]: int(r["permissions"]) for r in guild_payload["roles"]}
    value = roles.get(str(guild_payload["id"]), 0)
    found = next((m for m in guild_payload["members"] if m["user"]["id"] == str(user_id)), None)
    for role_id in found["roles"] if found else []:
        value |= roles.get(role_id, 0)
    return int(ALL_PERMISSIONS) if value & Permission.ADMINISTRATOR else value
