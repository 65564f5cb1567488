"""The fake Discord's guild state: what tests read back, guild loading and other users' acts."""

from __future__ import annotations

import json
from typing import Any

from tests.fakes.discord.payloads_guild import DevGuild
from tests.fakes.discord.payloads_messages import message, reaction_add, reaction_remove
from tests.fakes.discord.wire import (
    EPHEMERAL,
    GUILD_CREATE_ONLY_FIELDS,
    INTENT_GUILD_MESSAGE_REACTIONS,
    INTENT_GUILDS,
    InteractionRecord,
    emoji_payload,
)


class StateMixin:
    """Guilds, members and messages as tests see and drive them.

    Mixed into :class:`rig.FakeDiscord`, whose ``__init__`` owns the state."""

    # --- state for assertions ------------------------------------------------------------

    def channel_messages(
        self, channel_id: int | str, *, include_ephemeral: bool = False
    ) -> list[dict]:
        """Messages in a channel or thread, oldest first (ephemeral replies live outside
        channel history on Discord; ask for them explicitly)."""
        ids = self._history.get(str(channel_id), [])
        messages = [self._messages[i] for i in ids if i in self._messages]
        if include_ephemeral:
            messages += [
                m
                for m in self._messages.values()
                if m["channel_id"] == str(channel_id) and m["flags"] & EPHEMERAL
            ]
            messages.sort(key=lambda m: int(m["id"]))
        return [dict(m) for m in messages]

    def message(self, message_id: int | str) -> dict:
        return dict(self._messages[str(message_id)])

    def channel(self, channel_id: int | str) -> dict:
        return dict(self._channels[str(channel_id)])

    def threads(self, parent_id: int | str | None = None) -> list[dict]:
        return [
            dict(c)
            for c in self._channels.values()
            if c["type"] in (10, 11, 12) and (parent_id is None or c["parent_id"] == str(parent_id))
        ]

    def commands(self, guild_id: int | str | None = None) -> list[dict]:
        """Registered application commands: global ones, or those of ``guild_id``."""
        key = None if guild_id is None else str(guild_id)
        return [dict(c) for c in self._commands.get(key, {}).values()]

    def command_id(self, name: str, guild_id: int | str | None = None) -> int:
        return int(next(c["id"] for c in self.commands(guild_id) if c["name"] == name))

    def webhooks(self) -> list[dict]:
        return [dict(w) for w in self._webhooks.values()]

    def scheduled_events(self, guild_id: int | str) -> list[dict]:
        return [dict(e) for e in self._events.values() if e["guild_id"] == str(guild_id)]

    def interaction(self, interaction_id: int | str) -> InteractionRecord:
        return self._interactions[str(interaction_id)]

    def reactions(self, message_id: int | str) -> dict[str, list[str]]:
        """``{emoji: [user ids]}`` for a message."""
        return {k: list(v) for k, v in self._reactions.get(str(message_id), {}).items()}

    def member(self, guild_id: int | str, user_id: int | str) -> dict:
        return dict(self._members[str(guild_id)][str(user_id)])

    # --- guild state ---------------------------------------------------------------------

    def _load_guild(self, guild: DevGuild) -> None:
        data = json.loads(json.dumps(guild.payload))
        guild_id = data["id"]
        self.guilds.append(guild)
        self._guild_data[guild_id] = data
        self._members[guild_id] = {m["user"]["id"]: m for m in data["members"]}
        for found in data["members"]:
            self._users[found["user"]["id"]] = found["user"]
        for chan in data["channels"] + data["threads"]:
            chan.setdefault("guild_id", guild_id)
            self._channels[chan["id"]] = chan
        for event in data["guild_scheduled_events"]:
            self._events[event["id"]] = event

    def _guild_create(self, guild_id: str) -> dict:
        data = dict(self._guild_data[guild_id])
        in_guild = [c for c in self._channels.values() if c.get("guild_id") == guild_id]
        data["channels"] = [c for c in in_guild if c["type"] not in (10, 11, 12)]
        data["threads"] = [
            c
            for c in in_guild
            if c["type"] in (10, 11, 12) and not c["thread_metadata"]["archived"]
        ]
        data["members"] = list(self._members[guild_id].values())
        data["member_count"] = len(data["members"])
        data["guild_scheduled_events"] = self.scheduled_events(guild_id)
        return data

    def _guild_object(self, guild_id: str) -> dict:
        """The REST shape of a guild (no channels, members or other GUILD_CREATE extras)."""
        data = self._guild_data[guild_id].items()
        return {k: v for k, v in data if k not in GUILD_CREATE_ONLY_FIELDS}

    async def add_guild(self, guild: DevGuild) -> None:
        """The bot joins a guild: stored, and GUILD_CREATE sent to connected clients."""
        self._load_guild(guild)
        joined = self._guild_create(str(guild.guild_id))
        del joined["unavailable"]  # absent on a join; `false` means an outage ended
        await self._echo("GUILD_CREATE", joined, INTENT_GUILDS)

    def register_interaction(self, data: dict) -> InteractionRecord:
        """Remember an INTERACTION_CREATE so its callback and followups are accepted."""
        actor = data.get("member", {}).get("user") or data.get("user") or {}
        record = InteractionRecord(
            id=str(data["id"]),
            token=data["token"],
            type=int(data["type"]),
            channel_id=data.get("channel_id") or data.get("channel", {}).get("id"),
            guild_id=data.get("guild_id"),
            user=actor,
            message=data.get("message"),
        )
        self._interactions[record.id] = record
        if record.channel_id and record.channel_id not in self._channels and "channel" in data:
            self._channels[record.channel_id] = dict(data["channel"])
        return record

    # --- what other users do -------------------------------------------------------------

    async def add_user_reaction(
        self,
        channel_id: int | str,
        message_id: int | str,
        user_id: int | str,
        emoji: str,
    ) -> None:
        """A member reacts: stored on the message and MESSAGE_REACTION_ADD sent (intents)."""
        self._set_reaction(str(message_id), emoji, str(user_id), add=True)
        await self._echo(
            "MESSAGE_REACTION_ADD",
            self._reaction_event(str(channel_id), str(message_id), str(user_id), emoji, True),
            INTENT_GUILD_MESSAGE_REACTIONS,
        )

    async def remove_user_reaction(
        self, channel_id: int | str, message_id: int | str, user_id: int | str, emoji: str
    ) -> None:
        self._set_reaction(str(message_id), emoji, str(user_id), add=False)
        await self._echo(
            "MESSAGE_REACTION_REMOVE",
            self._reaction_event(str(channel_id), str(message_id), str(user_id), emoji, False),
            INTENT_GUILD_MESSAGE_REACTIONS,
        )

    async def post_user_message(
        self, channel_id: int | str, author: dict, content: str, **fields: Any
    ) -> dict:
        """A user posts a message: stored and MESSAGE_CREATE sent (intents permitting)."""
        chan = self._channels[str(channel_id)]
        msg = message(
            self.ids.next(),
            int(chan["id"]),
            author,
            content,
            guild_id=int(chan["guild_id"]) if chan.get("guild_id") else None,
        )
        msg.update(fields)
        self._fill_mentions(msg)
        if chan.get("guild_id"):
            msg["member"] = {
                k: v
                for k, v in self._members[chan["guild_id"]][author["id"]].items()
                if k != "user"
            }
        self._store_message(msg)
        await self._echo_message("MESSAGE_CREATE", msg)
        return dict(msg)

    def _reaction_event(
        self, channel_id: str, message_id: str, user_id: str, emoji: str, added: bool
    ) -> dict:
        guild_id = self._channels.get(channel_id, {}).get("guild_id")
        if added:
            msg = self._messages.get(message_id)
            member = self._members.get(guild_id or "", {}).get(user_id)
            return reaction_add(
                channel_id=int(channel_id),
                message_id=int(message_id),
                user_id=int(user_id),
                emoji=emoji_payload(emoji),
                guild_id=int(guild_id) if guild_id else None,
                member_data=member,
                message_author_id=int(msg["author"]["id"]) if msg else None,
            )
        return reaction_remove(
            channel_id=int(channel_id),
            message_id=int(message_id),
            user_id=int(user_id),
            emoji=emoji_payload(emoji),
            guild_id=int(guild_id) if guild_id else None,
        )

    def guild_create_payloads(self) -> list[dict]:
        """The current GUILD_CREATE data of every guild (what a connecting client gets)."""
        return [self._guild_create(guild_id) for guild_id in self._guild_data]
