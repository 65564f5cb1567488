"""Fake Discord REST: threads, channels, guilds, members, roles and scheduled events."""

from __future__ import annotations

from aiohttp import web

from tests.fakes.discord.payloads_guild import ChannelType, channel, thread
from tests.fakes.discord.wire import (
    BODY,
    INTENT_GUILD_SCHEDULED_EVENTS,
    INTENT_GUILDS,
    error_response,
    json_response,
    no_content,
    now_iso,
    truthy,
    unknown,
)


class RestGuildsMixin:
    """Thread, channel and guild endpoints.

    Mixed into :class:`rig.FakeDiscord`, whose ``__init__`` owns the state."""

    # --- REST: threads and channels ------------------------------------------------------

    async def _new_thread(self, parent: dict, thread_id: int, body: dict, private: bool) -> dict:
        created = thread(
            thread_id,
            int(parent["guild_id"]),
            int(parent["id"]),
            body.get("name", "thread"),
            owner_id=self.application_id,
            private=private,
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
        )
        created["rate_limit_per_user"] = int(body.get("rate_limit_per_user") or 0)
        created["member"] = {
            "id": created["id"],
            "user_id": self.bot_user["id"],
            "join_timestamp": now_iso(),
            "flags": 1,
        }
        self._channels[created["id"]] = created
        await self._echo("THREAD_CREATE", created | {"newly_created": True}, INTENT_GUILDS)
        return created

    async def _thread_from_message(self, request: web.Request) -> web.Response:
        msg, failure = self._message_or_404(request)
        if failure is not None or msg is None:
            return failure or unknown("Message", 10008)
        if "thread" in msg:
            return error_response(400, "A thread has already been created for this message", 160004)
        parent = self._channels[msg["channel_id"]]
        created = await self._new_thread(parent, int(msg["id"]), request[BODY] or {}, False)
        msg["thread"] = created
        return json_response(created, status=201)

    async def _thread_without_message(self, request: web.Request) -> web.Response:
        parent, failure = self._channel_or_404(request)
        if failure is not None or parent is None:
            return failure or unknown("Channel", 10003)
        body = request[BODY] or {}
        is_forum = parent["type"] == ChannelType.GUILD_FORUM
        private = not is_forum and int(body.get("type", 12)) == ChannelType.PRIVATE_THREAD
        created = await self._new_thread(parent, self.ids.next(), body, private)
        if is_forum:
            starter = self._build_message(created["id"], self.bot_user, body.get("message") or {})
            starter["id"] = created["id"]
            self._store_message(starter)
            await self._echo_message("MESSAGE_CREATE", starter)
            return json_response(created | {"message": starter}, status=201)
        return json_response(created, status=201)

    async def _archived_threads(self, request: web.Request) -> web.Response:
        archived = [
            t
            for t in self.threads(request.match_info["channel_id"])
            if t["thread_metadata"]["archived"]
        ]
        return json_response({"threads": archived, "members": [], "has_more": False})

    async def _active_threads(self, request: web.Request) -> web.Response:
        guild_id = request.match_info["guild_id"]
        active = [
            t
            for t in self.threads()
            if t["guild_id"] == guild_id and not t["thread_metadata"]["archived"]
        ]
        return json_response({"threads": active, "members": []})

    async def _get_channel(self, request: web.Request) -> web.Response:
        chan, failure = self._channel_or_404(request)
        return failure or json_response(chan)

    async def _patch_channel(self, request: web.Request) -> web.Response:
        chan, failure = self._channel_or_404(request)
        if failure is not None or chan is None:
            return failure or unknown("Channel", 10003)
        body = request[BODY] or {}
        metadata = chan.get("thread_metadata")
        if metadata is not None:
            for key in ("archived", "locked", "auto_archive_duration", "invitable"):
                if key in body:
                    metadata[key] = body[key]
            if "archived" in body:
                metadata["archive_timestamp"] = now_iso()
        for key in ("name", "topic", "position", "parent_id", "nsfw", "rate_limit_per_user"):
            if key in body:
                chan[key] = body[key]
        event = "THREAD_UPDATE" if metadata is not None else "CHANNEL_UPDATE"
        await self._echo(event, dict(chan), INTENT_GUILDS)
        return json_response(chan)

    async def _delete_channel(self, request: web.Request) -> web.Response:
        chan, failure = self._channel_or_404(request)
        if failure is not None or chan is None:
            return failure or unknown("Channel", 10003)
        del self._channels[chan["id"]]
        is_thread = "thread_metadata" in chan
        event = "THREAD_DELETE" if is_thread else "CHANNEL_DELETE"
        await self._echo(event, dict(chan), INTENT_GUILDS)
        return json_response(chan)

    # --- REST: guilds, members, scheduled events -----------------------------------------

    def _guild_or_404(self, request: web.Request) -> tuple[str | None, web.Response | None]:
        guild_id = request.match_info["guild_id"]
        if guild_id not in self._guild_data:
            return None, unknown("Guild", 10004)
        return guild_id, None

    async def _get_guild(self, request: web.Request) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        if failure is not None or guild_id is None:
            return failure or unknown("Guild", 10004)
        data = self._guild_object(guild_id)
        if truthy(request.query.get("with_counts")):
            data["approximate_member_count"] = len(self._members[guild_id])
            data["approximate_presence_count"] = 0
        return json_response(data)

    async def _list_guild_channels(self, request: web.Request) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        return failure or json_response(self._guild_create(guild_id or "")["channels"])

    async def _create_guild_channel(self, request: web.Request) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        if failure is not None or guild_id is None:
            return failure or unknown("Guild", 10004)
        body = request[BODY] or {}
        created = channel(
            self.ids.next(),
            int(guild_id),
            body["name"],
            type=int(body.get("type") or 0),
            position=int(body.get("position") or 0),
            parent_id=int(body["parent_id"]) if body.get("parent_id") else None,
            topic=body.get("topic"),
        )
        created["permission_overwrites"] = body.get("permission_overwrites") or []
        self._channels[created["id"]] = created
        await self._echo("CHANNEL_CREATE", dict(created), INTENT_GUILDS)
        return json_response(created, status=201)

    async def _list_roles(self, request: web.Request) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        return failure or json_response(self._guild_data[guild_id or ""]["roles"])

    async def _list_members(self, request: web.Request) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        if failure is not None or guild_id is None:
            return failure or unknown("Guild", 10004)
        after = int(request.query.get("after", 0))
        members = sorted(self._members[guild_id].values(), key=lambda m: int(m["user"]["id"]))
        members = [m for m in members if int(m["user"]["id"]) > after]
        return json_response(members[: int(request.query.get("limit", 1))])

    async def _get_member(self, request: web.Request) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        if failure is not None or guild_id is None:
            return failure or unknown("Guild", 10004)
        found = self._members[guild_id].get(request.match_info["user_id"])
        return json_response(found) if found else unknown("Member", 10007)

    async def _patch_member(self, request: web.Request) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        if failure is not None or guild_id is None:
            return failure or unknown("Guild", 10004)
        user_id = request.match_info["user_id"]
        found = self._members[guild_id].get(self.bot_user["id"] if user_id == "@me" else user_id)
        if found is None:
            return unknown("Member", 10007)
        body = request[BODY] or {}
        found.update({k: body[k] for k in ("nick", "roles") if k in body})
        return json_response(found)

    async def _change_role(self, request: web.Request, add: bool) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        if failure is not None or guild_id is None:
            return failure or unknown("Guild", 10004)
        found = self._members[guild_id].get(request.match_info["user_id"])
        if found is None:
            return unknown("Member", 10007)
        role_id = request.match_info["role_id"]
        roles = [r for r in found["roles"] if r != role_id]
        found["roles"] = [*roles, role_id] if add else roles
        return no_content()

    async def _add_role(self, request: web.Request) -> web.Response:
        return await self._change_role(request, add=True)

    async def _remove_role(self, request: web.Request) -> web.Response:
        return await self._change_role(request, add=False)

    async def _list_events(self, request: web.Request) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        return failure or json_response(self.scheduled_events(guild_id or ""))

    async def _create_event(self, request: web.Request) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        if failure is not None or guild_id is None:
            return failure or unknown("Guild", 10004)
        body = request[BODY] or {}
        external = int(body.get("entity_type", 0)) == 3
        location = (body.get("entity_metadata") or {}).get("location")
        missing = [k for k in ("name", "scheduled_start_time", "entity_type") if not body.get(k)]
        if external and not (location and body.get("scheduled_end_time")):
            missing.append("entity_metadata.location/scheduled_end_time")
        if missing:
            errors = {k: {"_errors": [{"code": "BASE_TYPE_REQUIRED"}]} for k in missing}
            return error_response(400, "Invalid Form Body", 50035, errors)
        event = {
            "id": self.ids.next_str(),
            "guild_id": guild_id,
            "channel_id": body.get("channel_id"),
            "creator_id": self.bot_user["id"],
            "creator": self.bot_user,
            "name": body["name"],
            "description": body.get("description"),
            "scheduled_start_time": body["scheduled_start_time"],
            "scheduled_end_time": body.get("scheduled_end_time"),
            "privacy_level": int(body.get("privacy_level", 2)),
            "status": 1,
            "entity_type": int(body["entity_type"]),
            "entity_id": None,
            "entity_metadata": body.get("entity_metadata"),
            "user_count": 0,
            "image": None,
            "recurrence_rule": body.get("recurrence_rule"),
        }
        self._events[event["id"]] = event
        await self._echo("GUILD_SCHEDULED_EVENT_CREATE", dict(event), INTENT_GUILD_SCHEDULED_EVENTS)
        return json_response(event)

    def _event_or_404(self, request: web.Request) -> dict | None:
        event = self._events.get(request.match_info["event_id"])
        return event if event and event["guild_id"] == request.match_info["guild_id"] else None

    async def _get_event(self, request: web.Request) -> web.Response:
        event = self._event_or_404(request)
        return json_response(event) if event else unknown("Guild Scheduled Event", 10070)

    async def _patch_event(self, request: web.Request) -> web.Response:
        event = self._event_or_404(request)
        if event is None:
            return unknown("Guild Scheduled Event", 10070)
        event.update(request[BODY] or {})
        await self._echo("GUILD_SCHEDULED_EVENT_UPDATE", dict(event), INTENT_GUILD_SCHEDULED_EVENTS)
        return json_response(event)

    async def _delete_event(self, request: web.Request) -> web.Response:
        event = self._event_or_404(request)
        if event is None:
            return unknown("Guild Scheduled Event", 10070)
        del self._events[event["id"]]
        await self._echo("GUILD_SCHEDULED_EVENT_DELETE", dict(event), INTENT_GUILD_SCHEDULED_EVENTS)
        return no_content()
