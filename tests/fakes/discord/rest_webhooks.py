"""Fake Discord REST: interaction callbacks, followups and channel webhooks."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fakes.discord.payloads_messages import new_token
from tests.fakes.discord.wire import (
    BODY,
    EPHEMERAL,
    INTERACTION_CALLBACK_MESSAGE_TYPES,
    LOADING,
    InteractionRecord,
    error_response,
    json_response,
    no_content,
    truthy,
    unknown,
)


class RestWebhooksMixin:
    """Interaction and webhook endpoints.

    Mixed into :class:`rig.FakeDiscord`, whose ``__init__`` owns the state."""

    # --- REST: interactions and webhooks -------------------------------------------------

    async def _callback(self, request: web.Request) -> web.Response:
        record = self._interactions.get(request.match_info["interaction_id"])
        if record is None or record.token != request.match_info["token"]:
            return unknown("interaction", 10062)
        if record.callback is not None:
            return error_response(400, "Interaction has already been acknowledged.", 40060)
        body = request[BODY] or {}
        callback_type, data = int(body["type"]), body.get("data") or {}
        record.callback = body
        msg: dict | None = None
        if callback_type in (4, 5):
            flags = int(data.get("flags", 0)) | (LOADING if callback_type == 5 else 0)
            msg = await self._interaction_message(record, data | {"flags": flags})
            record.original_message_id = msg["id"]
        elif callback_type in (6, 7) and record.message is not None:
            record.original_message_id = record.message["id"]
            stored = self._messages.setdefault(record.message["id"], dict(record.message))
            if callback_type == 7:
                msg = await self._apply_edit(stored, data)
            else:
                msg = stored
        if not truthy(request.query.get("with_response")):
            return no_content()
        ephemeral = bool(msg and msg["flags"] & EPHEMERAL)
        interaction = {
            "id": record.id,
            "type": record.type,
            "response_message_loading": callback_type == 5,
            "response_message_ephemeral": ephemeral,
        }
        if msg is not None:
            interaction["response_message_id"] = msg["id"]
        resource: dict[str, Any] = {"type": callback_type}
        if msg is not None and callback_type in INTERACTION_CALLBACK_MESSAGE_TYPES:
            resource["message"] = msg
        return json_response({"interaction": interaction, "resource": resource})

    async def _interaction_message(self, record: InteractionRecord, data: dict) -> dict:
        channel_id = record.channel_id or ""
        author = self.bot_user
        message_type = 20 if record.type == 2 else 0
        msg = self._build_message(
            channel_id, author, data, message_type=message_type, webhook_id=self.application_id
        )
        msg["application_id"] = str(self.application_id)
        msg["interaction_metadata"] = {
            "id": record.id,
            "type": record.type,
            "user": record.user,
            "authorizing_integration_owners": {"0": record.guild_id or "0"},
        }
        self._store_message(msg)
        await self._echo_message("MESSAGE_CREATE", msg)
        return msg

    def _interaction_for(self, request: web.Request) -> InteractionRecord | None:
        if request.match_info["webhook_id"] != str(self.application_id):
            return None
        token = request.match_info["webhook_token"]
        return next((r for r in self._interactions.values() if r.token == token), None)

    def _channel_webhook(self, request: web.Request) -> dict | None:
        hook = self._webhooks.get(request.match_info["webhook_id"])
        token = request.match_info.get("webhook_token")
        if hook is None or (token is not None and hook["token"] != token):
            return None
        return hook

    async def _execute_webhook(self, request: web.Request) -> web.Response:
        body = request[BODY] or {}
        record = self._interaction_for(request)
        if record is not None:
            if record.callback is None:
                return unknown("Webhook", 10015)
            original = self._messages.get(record.original_message_id or "")
            if original is not None and original["flags"] & LOADING:
                # Discord: the first followup after a defer replaces the "thinking" message.
                edit = body | {"flags": original["flags"] & ~LOADING}
                msg = await self._apply_edit(original, edit)
            else:
                msg = await self._interaction_message(record, body)
            record.followup_ids.append(msg["id"])
        else:
            hook = self._channel_webhook(request)
            if hook is None:
                return unknown("Webhook", 10015)
            author = {
                "id": hook["id"],
                "username": body.get("username") or hook["name"],
                "avatar": None,
                "discriminator": "0000",
                "bot": True,
                "global_name": None,
            }
            target = request.query.get("thread_id") or hook["channel_id"]
            if target not in self._channels:
                return unknown("Channel", 10003)
            msg = self._build_message(target, author, body, webhook_id=int(hook["id"]))
            self._store_message(msg)
            await self._echo_message("MESSAGE_CREATE", msg)
        return json_response(msg) if truthy(request.query.get("wait")) else no_content()

    def _webhook_message(self, request: web.Request) -> tuple[dict | None, web.Response | None]:
        record = self._interaction_for(request)
        if record is None and self._channel_webhook(request) is None:
            return None, unknown("Webhook", 10015)
        wanted = request.match_info["message_id"]
        if wanted == "@original":
            if record is None or record.original_message_id is None:
                return None, unknown("Message", 10008)
            wanted = record.original_message_id
        msg = self._messages.get(wanted)
        return (msg, None) if msg is not None else (None, unknown("Message", 10008))

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        msg, failure = self._webhook_message(request)
        return failure or json_response(msg)

    async def _edit_webhook_message(self, request: web.Request) -> web.Response:
        msg, failure = self._webhook_message(request)
        if failure is not None or msg is None:
            return failure or unknown("Message", 10008)
        data = dict(request[BODY] or {})
        data["flags"] = (msg["flags"] & ~LOADING) | int(data.get("flags", 0))
        return json_response(await self._apply_edit(msg, data))

    async def _delete_webhook_message(self, request: web.Request) -> web.Response:
        msg, failure = self._webhook_message(request)
        if failure is not None or msg is None:
            return failure or unknown("Message", 10008)
        await self._remove_message(msg)
        return no_content()

    async def _create_webhook(self, request: web.Request) -> web.Response:
        chan = self._channels.get(request.match_info["channel_id"])
        if chan is None:
            return unknown("Channel", 10003)
        body = request[BODY] or {}
        hook = {
            "id": self.ids.next_str(),
            "type": 1,
            "token": new_token(),
            "channel_id": chan["id"],
            "guild_id": chan.get("guild_id"),
            "name": body.get("name", "Webhook"),
            "avatar": None,
            "application_id": str(self.application_id),
            "user": self.bot_user,
        }
        self._webhooks[hook["id"]] = hook
        return json_response(hook)

    async def _list_webhooks(self, request: web.Request) -> web.Response:
        key = "channel_id" if "channel_id" in request.match_info else "guild_id"
        wanted = request.match_info[key]
        return json_response([h for h in self._webhooks.values() if h[key] == wanted])

    async def _get_webhook(self, request: web.Request) -> web.Response:
        hook = self._channel_webhook(request)
        return json_response(hook) if hook else unknown("Webhook", 10015)

    async def _patch_webhook(self, request: web.Request) -> web.Response:
        hook = self._channel_webhook(request)
        if hook is None:
            return unknown("Webhook", 10015)
        body = request[BODY] or {}
        hook.update({k: body[k] for k in ("name", "channel_id") if k in body})
        return json_response(hook)

    async def _delete_webhook(self, request: web.Request) -> web.Response:
        hook = self._channel_webhook(request)
        if hook is None:
            return unknown("Webhook", 10015)
        del self._webhooks[hook["id"]]
        return no_content()
