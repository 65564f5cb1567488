"""Fake Discord REST: channel messages, reactions and pins."""

from __future__ import annotations

import re

from aiohttp import web

from tests.fakes.discord.gateway import GatewaySession
from tests.fakes.discord.payloads_messages import message
from tests.fakes.discord.wire import (
    BODY,
    EPHEMERAL,
    FILES,
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MESSAGE_REACTIONS,
    INTENT_GUILD_MESSAGES,
    INTENT_GUILDS,
    INTENT_MESSAGE_CONTENT,
    RecordedFile,
    emoji_payload,
    error_response,
    json_response,
    no_content,
    now_iso,
    unknown,
)


class RestMessagesMixin:
    """Message, reaction and pin endpoints.

    Mixed into :class:`rig.FakeDiscord`, whose ``__init__`` owns the state."""

    # --- REST: messages ------------------------------------------------------------------

    def _build_message(
        self,
        channel_id: str,
        author: dict,
        body: dict,
        *,
        message_type: int = 0,
        webhook_id: int | None = None,
        files: tuple[RecordedFile, ...] = (),
    ) -> dict:
        chan = self._channels.get(channel_id, {})
        guild_id = chan.get("guild_id")
        msg = message(
            self.ids.next(),
            int(channel_id),
            author,
            body.get("content") or "",
            guild_id=int(guild_id) if guild_id else None,
            embeds=body.get("embeds") or [],
            components=body.get("components") or [],
            flags=int(body.get("flags") or 0),
            message_type=message_type,
            webhook_id=webhook_id,
        )
        msg["tts"] = bool(body.get("tts"))
        if body.get("nonce") is not None:
            msg["nonce"] = body["nonce"]
        if ref := body.get("message_reference"):
            referenced = self._messages.get(str(ref.get("message_id")))
            msg["type"] = 19
            msg["message_reference"] = {"type": 0, "channel_id": channel_id} | ref
            msg["referenced_message"] = dict(referenced) if referenced else None
        self._fill_mentions(msg)
        msg["attachments"] = self._attachments(channel_id, body, files)
        if guild_id and author["id"] == self.bot_user["id"] and webhook_id is None:
            bot_member = self._members[guild_id].get(author["id"], {})
            msg["member"] = {k: v for k, v in bot_member.items() if k != "user"}
        if "poll" in body:
            msg["poll"] = body["poll"] | {"results": {"is_finalized": False, "answer_counts": []}}
        return msg

    def _fill_mentions(self, msg: dict) -> None:
        content = msg["content"]
        found = re.findall(r"<@!?(\d+)>", content)
        msg["mentions"] = [self._users[uid] for uid in found if uid in self._users]
        msg["mention_roles"] = re.findall(r"<@&(\d+)>", content)
        msg["mention_everyone"] = "@everyone" in content

    def _attachments(self, channel_id: str, body: dict, files: tuple[RecordedFile, ...]) -> list:
        by_field = {f.field_name: f for f in files}
        attachments = []
        for index, declared in enumerate(body.get("attachments") or []):
            upload = by_field.get(f"files[{declared.get('id', index)}]")
            if upload is None:  # an existing attachment kept on edit
                attachments.append(declared)
                continue
            attachment_id = self.ids.next_str()
            url = f"{self.base_url}/attachments/{channel_id}/{attachment_id}/{upload.filename}"
            attachments.append(
                {
                    "id": attachment_id,
                    "filename": upload.filename,
                    "description": declared.get("description"),
                    "content_type": upload.content_type,
                    "size": len(upload.data),
                    "url": url,
                    "proxy_url": url,
                }
            )
        return attachments

    def _store_message(self, msg: dict) -> None:
        self._messages[msg["id"]] = msg
        if msg.get("flags", 0) & EPHEMERAL:
            return
        history = self._history.setdefault(msg["channel_id"], [])
        if msg["id"] not in history:
            history.append(msg["id"])
        chan = self._channels.get(msg["channel_id"])
        if chan is not None:
            chan["last_message_id"] = msg["id"]
            if "message_count" in chan:
                chan["message_count"] += 1
                chan["total_message_sent"] = chan.get("total_message_sent", 0) + 1

    async def _echo_message(self, event: str, msg: dict) -> None:
        if not self.echo_events or msg.get("flags", 0) & EPHEMERAL:
            return
        intent = INTENT_GUILD_MESSAGES if msg.get("guild_id") else INTENT_DIRECT_MESSAGES
        for session in self.ready_sessions:
            if session.wants(intent):
                await self._send_dispatch(session, event, self._as_seen_by(session, msg))

    def _as_seen_by(self, session: GatewaySession, msg: dict) -> dict:
        """Without MESSAGE_CONTENT, guild messages by others that do not mention the bot
        arrive with empty content, embeds, attachments and components (as on Discord)."""
        seen = dict(msg)
        author_id = msg.get("author", {}).get("id")
        mentioned = any(u["id"] == self.bot_user["id"] for u in msg.get("mentions", []))
        if (
            session.wants(INTENT_MESSAGE_CONTENT)
            or not msg.get("guild_id")
            or author_id in (None, self.bot_user["id"])
            or mentioned
        ):
            return seen
        seen.update(content="", embeds=[], attachments=[], components=[])
        return seen

    async def _apply_edit(self, msg: dict, data: dict) -> dict:
        for key in ("content", "embeds", "components", "flags", "attachments", "poll"):
            if key in data and data[key] is not None:
                msg[key] = data[key]
        msg["edited_timestamp"] = now_iso()
        await self._echo_message("MESSAGE_UPDATE", msg)
        return dict(msg)

    async def _remove_message(self, msg: dict) -> None:
        self._messages.pop(msg["id"], None)
        history = self._history.get(msg["channel_id"], [])
        if msg["id"] in history:
            history.remove(msg["id"])
        deleted = {"id": msg["id"], "channel_id": msg["channel_id"]}
        if msg.get("guild_id"):
            deleted["guild_id"] = msg["guild_id"]
        await self._echo_message("MESSAGE_DELETE", deleted | {"flags": msg.get("flags", 0)})

    def _channel_or_404(self, request: web.Request) -> tuple[dict | None, web.Response | None]:
        chan = self._channels.get(request.match_info["channel_id"])
        return (chan, None) if chan is not None else (None, unknown("Channel", 10003))

    def _message_or_404(self, request: web.Request) -> tuple[dict | None, web.Response | None]:
        msg = self._messages.get(request.match_info["message_id"])
        if msg is None or msg["channel_id"] != request.match_info["channel_id"]:
            return None, unknown("Message", 10008)
        return msg, None

    async def _create_message(self, request: web.Request) -> web.Response:
        chan, failure = self._channel_or_404(request)
        if failure is not None or chan is None:
            return failure or unknown("Channel", 10003)
        body = request[BODY] or {}
        files: tuple[RecordedFile, ...] = request.get(FILES, ())
        fields = ("content", "embeds", "components", "poll", "sticker_ids")
        if not files and not any(body.get(k) for k in fields):
            return error_response(400, "Cannot send an empty message", 50006)
        if len(body.get("content") or "") > 2000 or len(body.get("embeds") or []) > 10:
            errors = {"content": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH"}]}}
            return error_response(400, "Invalid Form Body", 50035, errors)
        metadata = chan.get("thread_metadata")
        if metadata and metadata["archived"]:
            if metadata["locked"]:
                return error_response(400, "Thread is locked", 50083)
            metadata["archived"] = False
            await self._echo("THREAD_UPDATE", dict(chan), INTENT_GUILDS)
        msg = self._build_message(chan["id"], self.bot_user, body, files=files)
        self._store_message(msg)
        await self._echo_message("MESSAGE_CREATE", msg)
        return json_response(msg)

    async def _list_messages(self, request: web.Request) -> web.Response:
        chan, failure = self._channel_or_404(request)
        if failure is not None or chan is None:
            return failure or unknown("Channel", 10003)
        messages = [self._messages[i] for i in self._history.get(chan["id"], [])]
        query = request.query
        if "before" in query:
            messages = [m for m in messages if int(m["id"]) < int(query["before"])]
        if "after" in query:
            messages = [m for m in messages if int(m["id"]) > int(query["after"])]
        limit = int(query.get("limit", 50))
        newest_first = sorted(messages, key=lambda m: int(m["id"]), reverse=True)
        if "after" in query:
            return json_response(
                list(reversed(sorted(messages, key=lambda m: int(m["id"]))[:limit]))
            )
        return json_response(newest_first[:limit])

    async def _get_message(self, request: web.Request) -> web.Response:
        msg, failure = self._message_or_404(request)
        return failure or json_response(msg)

    async def _edit_message(self, request: web.Request) -> web.Response:
        msg, failure = self._message_or_404(request)
        if failure is not None or msg is None:
            return failure or unknown("Message", 10008)
        if msg["author"]["id"] != self.bot_user["id"]:
            body = request[BODY] or {}
            if set(body) - {"flags"}:
                return error_response(403, "Cannot edit a message authored by another user", 50005)
        return json_response(await self._apply_edit(msg, request[BODY] or {}))

    async def _delete_message(self, request: web.Request) -> web.Response:
        msg, failure = self._message_or_404(request)
        if failure is not None or msg is None:
            return failure or unknown("Message", 10008)
        await self._remove_message(msg)
        return no_content()

    async def _bulk_delete(self, request: web.Request) -> web.Response:
        for message_id in (request[BODY] or {}).get("messages", []):
            msg = self._messages.get(str(message_id))
            if msg is not None:
                await self._remove_message(msg)
        return no_content()

    # --- REST: reactions and pins --------------------------------------------------------

    def _set_reaction(self, message_id: str, emoji: str, user_id: str, *, add: bool) -> None:
        by_emoji = self._reactions.setdefault(message_id, {})
        users = by_emoji.setdefault(emoji, [])
        if add and user_id not in users:
            users.append(user_id)
        if not add and user_id in users:
            users.remove(user_id)
        if not users:
            del by_emoji[emoji]
        msg = self._messages.get(message_id)
        if msg is not None:
            msg["reactions"] = [
                {
                    "emoji": emoji_payload(key),
                    "count": len(voters),
                    "count_details": {"burst": 0, "normal": len(voters)},
                    "me": self.bot_user["id"] in voters,
                    "me_burst": False,
                    "burst_colors": [],
                }
                for key, voters in by_emoji.items()
            ]

    async def _add_own_reaction(self, request: web.Request) -> web.Response:
        msg, failure = self._message_or_404(request)
        if failure is not None or msg is None:
            return failure or unknown("Message", 10008)
        emoji, channel_id = request.match_info["emoji"], msg["channel_id"]
        self._set_reaction(msg["id"], emoji, self.bot_user["id"], add=True)
        event = self._reaction_event(channel_id, msg["id"], self.bot_user["id"], emoji, True)
        await self._echo("MESSAGE_REACTION_ADD", event, INTENT_GUILD_MESSAGE_REACTIONS)
        return no_content()

    async def _remove_reaction(self, request: web.Request) -> web.Response:
        msg, failure = self._message_or_404(request)
        if failure is not None or msg is None:
            return failure or unknown("Message", 10008)
        user_id = request.match_info["user_id"]
        user_id = self.bot_user["id"] if user_id == "@me" else user_id
        emoji = request.match_info["emoji"]
        self._set_reaction(msg["id"], emoji, user_id, add=False)
        event = self._reaction_event(msg["channel_id"], msg["id"], user_id, emoji, False)
        await self._echo("MESSAGE_REACTION_REMOVE", event, INTENT_GUILD_MESSAGE_REACTIONS)
        return no_content()

    async def _reaction_users(self, request: web.Request) -> web.Response:
        msg, failure = self._message_or_404(request)
        if failure is not None or msg is None:
            return failure or unknown("Message", 10008)
        voters = self._reactions.get(msg["id"], {}).get(request.match_info["emoji"], [])
        return json_response([self._users[v] for v in voters if v in self._users])

    async def _clear_emoji(self, request: web.Request) -> web.Response:
        msg, failure = self._message_or_404(request)
        if failure is not None or msg is None:
            return failure or unknown("Message", 10008)
        emoji = request.match_info["emoji"]
        for voter in list(self._reactions.get(msg["id"], {}).get(emoji, [])):
            self._set_reaction(msg["id"], emoji, voter, add=False)
        event = {"channel_id": msg["channel_id"], "message_id": msg["id"]}
        event |= {"guild_id": msg.get("guild_id"), "emoji": emoji_payload(emoji)}
        await self._echo("MESSAGE_REACTION_REMOVE_EMOJI", event, INTENT_GUILD_MESSAGE_REACTIONS)
        return no_content()

    async def _clear_reactions(self, request: web.Request) -> web.Response:
        msg, failure = self._message_or_404(request)
        if failure is not None or msg is None:
            return failure or unknown("Message", 10008)
        self._reactions.pop(msg["id"], None)
        msg["reactions"] = []
        event = {"channel_id": msg["channel_id"], "message_id": msg["id"]}
        event["guild_id"] = msg.get("guild_id")
        await self._echo("MESSAGE_REACTION_REMOVE_ALL", event, INTENT_GUILD_MESSAGE_REACTIONS)
        return no_content()

    async def _pin(self, request: web.Request) -> web.Response:
        """Pins like Discord: flag the message, post the type-6 system notice, send
        CHANNEL_PINS_UPDATE."""
        msg, failure = self._message_or_404(request)
        if failure is not None or msg is None:
            return failure or unknown("Message", 10008)
        pins = self._pins.setdefault(msg["channel_id"], {})
        if msg["id"] in pins:
            return no_content()
        pins[msg["id"]] = now_iso()
        msg["pinned"] = True
        notice = self._build_message(msg["channel_id"], self.bot_user, {}, message_type=6)
        notice["message_reference"] = {"type": 0, "channel_id": msg["channel_id"]}
        notice["message_reference"]["message_id"] = msg["id"]
        self._store_message(notice)
        await self._echo_message("MESSAGE_CREATE", notice)
        update = {"channel_id": msg["channel_id"], "last_pin_timestamp": pins[msg["id"]]}
        update["guild_id"] = msg.get("guild_id")
        await self._echo("CHANNEL_PINS_UPDATE", update, INTENT_GUILDS)
        return no_content()

    async def _unpin(self, request: web.Request) -> web.Response:
        msg, failure = self._message_or_404(request)
        if failure is not None or msg is None:
            return failure or unknown("Message", 10008)
        self._pins.get(msg["channel_id"], {}).pop(msg["id"], None)
        msg["pinned"] = False
        return no_content()

    def _pinned(self, channel_id: str) -> list[tuple[str, dict]]:
        pins = self._pins.get(channel_id, {})
        found = [(at, self._messages[mid]) for mid, at in pins.items() if mid in self._messages]
        return sorted(found, key=lambda pair: pair[0], reverse=True)

    async def _list_pins(self, request: web.Request) -> web.Response:
        pinned = self._pinned(request.match_info["channel_id"])
        items = [{"pinned_at": at, "message": msg} for at, msg in pinned]
        return json_response({"items": items, "has_more": False})

    async def _list_pins_legacy(self, request: web.Request) -> web.Response:
        return json_response([msg for _, msg in self._pinned(request.match_info["channel_id"])])
