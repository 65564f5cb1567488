"""Discord payload basics: permissions, snowflake ids and their timestamps."""

from __future__ import annotations

import datetime as dt
import enum
import itertools

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
