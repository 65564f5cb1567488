"""Discord payload builders: interaction options and INTERACTION_CREATE payloads."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from tests.fakes.discord.payloads_core import (
    ATTACHMENT_SIZE_LIMIT,
    BOT_PERMISSIONS,
    MEMBER_PERMISSIONS,
    Snowflakes,
)
from tests.fakes.discord.payloads_guild import (
    DevGuild,
    computed_permissions,
    dm_channel,
    member,
)
from tests.fakes.discord.payloads_messages import new_token

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
