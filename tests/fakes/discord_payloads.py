"""Builders for the exact JSON Discord sends (gateway events, REST objects, interactions).

Everything here returns plain ``dict`` objects shaped like Discord API v10 payloads, so the
real discord.py parsers can consume them. Ids come from a :class:`Snowflakes` instance (no
module-level counters), which keeps every test deterministic and independent.

Usage::

    ids = Snowflakes()
    guild = dev_guild(ids, bot_user=user(ids.next(), "LLMFed", bot=True))
    interactions = InteractionBuilder(ids, application_id=guild.bot["id"], guild=guild)
    payload = interactions.slash(
        "ping", subcommand("pong", option("text", "hi")), command_guild_id=guild.guild_id
    )
    await fake.dispatch("INTERACTION_CREATE", payload)

    vote = reaction_add(ids, guild=guild, message_id=123, user_id=guild.player["id"], emoji="🔥")
    await fake.dispatch("MESSAGE_REACTION_ADD", vote)

Interaction building blocks: :func:`option` (type inferred from the Python value: str -> 3,
bool -> 5, int -> 4, float -> 10), :func:`user_option` (6), :func:`channel_option` (7),
:func:`role_option` (8), :func:`subcommand` (1) and :func:`subcommand_group` (2). Options
referencing users, channels or roles carry their ``resolved`` entries, which
:class:`InteractionBuilder` merges into ``data.resolved`` like Discord does.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000
JOINED_AT = "2024-01-01T00:00:00.000000+00:00"
ATTACHMENT_SIZE_LIMIT = 26_214_400


class Permission(enum.IntFlag):
    """Discord permission bits (https://discord.com/developers/docs/topics/permissions)."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_AUDIT_LOG = 1 << 7
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    CHANGE_NICKNAME = 1 << 26
    MANAGE_ROLES = 1 << 28
    MANAGE_WEBHOOKS = 1 << 29
    USE_APPLICATION_COMMANDS = 1 << 31
    MANAGE_EVENTS = 1 << 33
    MANAGE_THREADS = 1 << 34
    CREATE_PUBLIC_THREADS = 1 << 35
    CREATE_PRIVATE_THREADS = 1 << 36
    SEND_MESSAGES_IN_THREADS = 1 << 38
    CREATE_EVENTS = 1 << 44


MEMBER_PERMISSIONS = (
    Permission.VIEW_CHANNEL
    | Permission.SEND_MESSAGES
    | Permission.ADD_REACTIONS
    | Permission.READ_MESSAGE_HISTORY
    | Permission.EMBED_LINKS
    | Permission.ATTACH_FILES
    | Permission.USE_EXTERNAL_EMOJIS
    | Permission.USE_APPLICATION_COMMANDS
    | Permission.CREATE_PUBLIC_THREADS
    | Permission.SEND_MESSAGES_IN_THREADS
    | Permission.CHANGE_NICKNAME
)
BOT_PERMISSIONS = (
    MEMBER_PERMISSIONS
    | Permission.MANAGE_MESSAGES
    | Permission.MANAGE_THREADS
    | Permission.MANAGE_WEBHOOKS
    | Permission.MANAGE_EVENTS
    | Permission.CREATE_EVENTS
)
ALL_PERMISSIONS = Permission((1 << 51) - 1)


def permission_value(*flags: int) -> int:
    """OR together permission bits: ``permission_value(Permission.MANAGE_GUILD, 1 << 11)``."""
    value = 0
    for flag in flags:
        value |= int(flag)
    return value


def permission_string(*flags: int) -> str:
    """The decimal string Discord uses for permission fields."""
    return str(permission_value(*flags))


def has_permission(permissions: int | str, flag: int) -> bool:
    """Whether ``permissions`` (int or Discord's string form) grants ``flag`` (or admin)."""
    value = int(permissions)
    return bool(value & int(Permission.ADMINISTRATOR)) or (value & int(flag)) == int(flag)


class Snowflakes:
    """Monotonic snowflake generator; one instance per fake/test, never a global."""

    def __init__(self, start: dt.datetime | None = None, worker_id: int = 1) -> None:
        start = start or dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
        self._ms = int(start.timestamp() * 1000)
        self._worker = worker_id & 0x1F
        self._increment = itertools.count()

    def next(self) -> int:
        """A new id; each call is 1 ms later than the previous one, so ids sort by creation."""
        step = next(self._increment)
        return ((self._ms + step - DISCORD_EPOCH_MS) << 22) | (self._worker << 17) | (step & 0xFFF)

    def next_str(self) -> str:
        return str(self.next())


def snowflake_time(snowflake: int | str) -> dt.datetime:
    """The creation time encoded in a snowflake."""
    ms = (int(snowflake) >> 22) + DISCORD_EPOCH_MS
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)


def iso_timestamp(snowflake: int | str) -> str:
    return snowflake_time(snowflake).isoformat()


# --- users, members, roles, channels, guilds ---------------------------------------------


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


# --- messages and reactions ---------------------------------------------------------------


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


# --- interactions ------------------------------------------------------------------------

INTERACTION_PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, BOOLEAN = 1, 2, 3, 4, 5
USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = 6, 7, 8, 9, 10
BUTTON, STRING_SELECT, TEXT_INPUT = 2, 3, 4


@dataclass(frozen=True)
class Option:
    """One entry of ``data.options``; ``resolved`` holds what Discord puts in ``data.resolved``."""

    name: str
    type: int
    value: Any = None
    focused: bool = False
    options: tuple[Option, ...] = ()
    resolved: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def to_payload(self) -> dict:
        data: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.type in (SUB_COMMAND, SUB_COMMAND_GROUP):
            data["options"] = [o.to_payload() for o in self.options]
            return data
        data["value"] = self.value
        if self.focused:
            data["focused"] = True
        return data

    def all_resolved(self) -> dict[str, dict[str, Any]]:
        merged: dict[str, dict[str, Any]] = {k: dict(v) for k, v in self.resolved.items()}
        for child in self.options:
            for kind, entries in child.all_resolved().items():
                merged.setdefault(kind, {}).update(entries)
        return merged


def option(name: str, value: Any, *, focused: bool = False, type: int | None = None) -> Option:
    """A scalar option; the type follows the value (str 3, bool 5, int 4, float 10).

    For autocomplete pass ``focused=True``: Discord then sends the partial text as a string
    whatever the option's declared type, so pass ``type=`` explicitly for non-string options.
    """
    if type is None:
        if isinstance(value, bool):
            type = BOOLEAN
        elif isinstance(value, int):
            type = INTEGER
        elif isinstance(value, float):
            type = NUMBER
        else:
            type = STRING
    return Option(name=name, type=type, value=value, focused=focused)


def user_option(
    name: str, user_data: Mapping[str, Any], *, member_data: Mapping[str, Any] | None = None
) -> Option:
    """A user option; in guilds pass ``member_data`` so ``resolved.members`` is filled."""
    user_id = str(user_data["id"])
    resolved: dict[str, dict[str, Any]] = {"users": {user_id: dict(user_data)}}
    if member_data is not None:
        partial = {k: v for k, v in member_data.items() if k != "user"}
        partial.setdefault("permissions", str(int(MEMBER_PERMISSIONS)))
        resolved["members"] = {user_id: partial}
    return Option(name=name, type=USER, value=user_id, resolved=resolved)


def channel_option(name: str, channel_data: Mapping[str, Any], *, permissions: int = 0) -> Option:
    """A channel option; ``resolved.channels`` gets the partial channel Discord sends."""
    channel_id = str(channel_data["id"])
    partial = {
        k: channel_data[k]
        for k in ("id", "name", "type", "parent_id", "thread_metadata", "guild_id")
        if k in channel_data
    }
    partial["permissions"] = str(permissions or int(MEMBER_PERMISSIONS))
    return Option(
        name=name, type=CHANNEL, value=channel_id, resolved={"channels": {channel_id: partial}}
    )


def role_option(name: str, role_data: Mapping[str, Any]) -> Option:
    role_id = str(role_data["id"])
    return Option(
        name=name, type=ROLE, value=role_id, resolved={"roles": {role_id: dict(role_data)}}
    )


def subcommand(name: str, *options: Option) -> Option:
    return Option(name=name, type=SUB_COMMAND, options=options)


def subcommand_group(name: str, *subcommands: Option) -> Option:
    return Option(name=name, type=SUB_COMMAND_GROUP, options=subcommands)


@dataclass(frozen=True)
class InteractionBuilder:
    """Builds INTERACTION_CREATE data as Discord sends it to a guild-installed bot.

    ``guild=None`` (or :meth:`in_dm`) builds DM interactions (``user`` instead of ``member``).
    The acting user defaults to the guild's player; :meth:`as_user` and :meth:`in_channel`
    return adjusted copies. Every call uses fresh ids and tokens.
    """

    ids: Snowflakes
    application_id: int
    guild: DevGuild | None = None
    channel_name: str = "general"
    channel_data: Mapping[str, Any] | None = None
    actor: Mapping[str, Any] | None = None
    locale: str = "en-US"
    app_permissions: int | None = None

    def as_user(self, user_data: Mapping[str, Any]) -> InteractionBuilder:
        return replace(self, actor=user_data)

    def in_channel(self, channel: str | Mapping[str, Any]) -> InteractionBuilder:
        """A channel by name (from the guild) or a full channel payload (e.g. a thread)."""
        if isinstance(channel, str):
            return replace(self, channel_name=channel, channel_data=None)
        return replace(self, channel_data=channel)

    def in_dm(self) -> InteractionBuilder:
        return replace(self, guild=None, channel_data=None)

    def _actor(self) -> Mapping[str, Any]:
        if self.actor is not None:
            return self.actor
        if self.guild is None:
            raise ValueError("a DM interaction needs as_user(...)")
        return self.guild.player

    def base(self, interaction_type: int) -> dict:
        """The envelope shared by every interaction type (no ``data``)."""
        actor = self._actor()
        interaction_id = self.ids.next()
        data: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": interaction_type,
            "token": new_token(),
            "version": 1,
            "locale": self.locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if self.guild is None:
            dm = dm_channel(self.ids.next(), actor)
            data.update(
                user=dict(actor),
                channel=dm,
                channel_id=dm["id"],
                context=1,
                authorizing_integration_owners={"0": "0"},
                app_permissions=str(int(BOT_PERMISSIONS)),
            )
            return data
        guild = self.guild
        permissions = computed_permissions(guild.payload, actor["id"])
        chan = dict(self.channel_data or guild.channel(self.channel_name))
        chan["permissions"] = str(permissions)
        found = next(
            (m for m in guild.payload["members"] if m["user"]["id"] == str(actor["id"])), None
        )
        member_data = member(actor, [int(r) for r in found["roles"]] if found else [])
        member_data["permissions"] = str(permissions)
        app_permissions = self.app_permissions
        data.update(
            guild_id=str(guild.guild_id),
            guild={"id": str(guild.guild_id), "locale": "en-US", "features": []},
            guild_locale="en-US",
            member=member_data,
            channel=chan,
            channel_id=chan["id"],
            context=0,
            authorizing_integration_owners={"0": str(guild.guild_id)},
            app_permissions=str(
                guild.bot_permissions if app_permissions is None else app_permissions
            ),
        )
        return data

    def _command(
        self,
        interaction_type: int,
        name: str,
        options: tuple[Option, ...],
        command_id: int | None,
        command_guild_id: int | None,
    ) -> dict:
        data = self.base(interaction_type)
        inner: dict[str, Any] = {
            "id": str(command_id or self.ids.next()),
            "name": name,
            "type": 1,
            "options": [o.to_payload() for o in options],
        }
        if command_guild_id is not None:
            inner["guild_id"] = str(command_guild_id)
        resolved: dict[str, dict[str, Any]] = {}
        for opt in options:
            for kind, entries in opt.all_resolved().items():
                resolved.setdefault(kind, {}).update(entries)
        if resolved:
            inner["resolved"] = resolved
        data["data"] = inner
        return data

    def slash(
        self,
        name: str,
        *options: Option,
        command_id: int | None = None,
        command_guild_id: int | None = None,
    ) -> dict:
        """A chat-input command (type 2). ``command_guild_id`` marks a guild-registered command
        (discord.py then looks the command up among that guild's commands)."""
        return self._command(APPLICATION_COMMAND, name, options, command_id, command_guild_id)

    def autocomplete(
        self,
        name: str,
        *options: Option,
        command_id: int | None = None,
        command_guild_id: int | None = None,
    ) -> dict:
        """An autocomplete request (type 4); exactly one nested option should be focused."""
        return self._command(AUTOCOMPLETE, name, options, command_id, command_guild_id)

    def button(self, custom_id: str, message_data: Mapping[str, Any]) -> dict:
        """A button click (type 3) on ``message_data`` (e.g. a message read from the fake)."""
        data = self.base(MESSAGE_COMPONENT)
        data["data"] = {"custom_id": custom_id, "component_type": BUTTON}
        data["message"] = dict(message_data)
        return data

    def select(
        self, custom_id: str, values: Iterable[str], message_data: Mapping[str, Any]
    ) -> dict:
        data = self.base(MESSAGE_COMPONENT)
        data["data"] = {
            "custom_id": custom_id,
            "component_type": STRING_SELECT,
            "values": list(values),
        }
        data["message"] = dict(message_data)
        return data

    def modal_submit(self, custom_id: str, fields: Mapping[str, str]) -> dict:
        """A modal submit (type 5): one action row with a text input per field."""
        data = self.base(MODAL_SUBMIT)
        rows = [
            {"type": 1, "components": [{"type": TEXT_INPUT, "custom_id": key, "value": value}]}
            for key, value in fields.items()
        ]
        data["data"] = {"custom_id": custom_id, "components": rows}
        return data
