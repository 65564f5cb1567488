"""Fake Discord REST: users, the application, the gateway URL and application commands."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from tests.fakes.discord.payloads_guild import computed_permissions, dm_channel
from tests.fakes.discord.wire import BODY, error_response, json_response, no_content, unknown

COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")


class RestAppMixin:
    """Users, application and command endpoints.

    Mixed into :class:`rig.FakeDiscord`, whose ``__init__`` owns the state."""

    # --- REST: users, application, gateway -----------------------------------------------

    async def _no_content(self, request: web.Request) -> web.Response:
        return no_content()

    async def _empty_list(self, request: web.Request) -> web.Response:
        return json_response([])

    async def _get_me(self, request: web.Request) -> web.Response:
        return json_response(
            self.bot_user | {"verified": True, "mfa_enabled": False, "email": None}
        )

    async def _get_user(self, request: web.Request) -> web.Response:
        found = self._users.get(request.match_info["user_id"])
        return json_response(found) if found else unknown("User", 10013)

    async def _get_my_guilds(self, request: web.Request) -> web.Response:
        partial = [
            {k: g[k] for k in ("id", "name", "icon", "features")}
            | {"owner": False, "permissions": str(computed_permissions(g, self.bot_user["id"]))}
            for g in self._guild_data.values()
        ]
        return json_response(partial)

    async def _create_dm(self, request: web.Request) -> web.Response:
        recipient = self._users.get(str(request[BODY]["recipient_id"]))
        if recipient is None:
            return unknown("User", 10013)
        existing = next(
            (
                c
                for c in self._channels.values()
                if c["type"] == 1 and c["recipients"][0]["id"] == recipient["id"]
            ),
            None,
        )
        dm = existing or dm_channel(self.ids.next(), recipient)
        self._channels[dm["id"]] = dm
        return json_response(dm)

    async def _get_application(self, request: web.Request) -> web.Response:
        owner = self._users.get(self._guild_data[str(self.guild.guild_id)]["owner_id"])
        return json_response(
            {
                "id": str(self.application_id),
                "name": self.bot_user["username"],
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "flags": 0,
                "hook": True,
                "owner": owner or self.bot_user,
                "team": None,
                "bot": self.bot_user,
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "integration_types_config": {"0": {}},
                "approximate_guild_count": len(self._guild_data),
            }
        )

    async def _get_gateway(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}
        return json_response({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    # --- REST: application commands ------------------------------------------------------

    def _command_scope(self, request: web.Request) -> str | None:
        return request.match_info.get("guild_id")

    async def _list_commands(self, request: web.Request) -> web.Response:
        return json_response(self.commands(self._command_scope(request)))

    async def _put_commands(self, request: web.Request) -> web.Response:
        body = request[BODY] or []
        errors = {str(i): e for i, cmd in enumerate(body) if (e := command_errors(cmd))}
        if errors:
            return error_response(400, "Invalid Form Body", 50035, errors)
        scope = self._command_scope(request)
        old = self._commands.get(scope, {})
        registered: dict[tuple[str, int], dict] = {}
        for cmd in body:
            key = (cmd["name"], int(cmd.get("type", 1)))
            registered[key] = self._registered(cmd, scope, old.get(key))
        self._commands[scope] = registered
        return json_response(list(registered.values()))

    async def _post_command(self, request: web.Request) -> web.Response:
        cmd = request[BODY]
        if errors := command_errors(cmd):
            return error_response(400, "Invalid Form Body", 50035, errors)
        scope = self._command_scope(request)
        commands = self._commands.setdefault(scope, {})
        key = (cmd["name"], int(cmd.get("type", 1)))
        existed = key in commands
        commands[key] = self._registered(cmd, scope, commands.get(key))
        return json_response(commands[key], status=200 if existed else 201)

    def _find_command(self, request: web.Request) -> tuple[tuple[str, int], dict] | None:
        commands = self._commands.get(self._command_scope(request), {})
        wanted = request.match_info["command_id"]
        return next(((k, c) for k, c in commands.items() if c["id"] == wanted), None)

    async def _get_command(self, request: web.Request) -> web.Response:
        found = self._find_command(request)
        return json_response(found[1]) if found else unknown("application command", 10063)

    async def _patch_command(self, request: web.Request) -> web.Response:
        found = self._find_command(request)
        if found is None:
            return unknown("application command", 10063)
        key, cmd = found
        merged = self._registered(cmd | request[BODY], self._command_scope(request), cmd)
        commands = self._commands[self._command_scope(request)]
        del commands[key]
        commands[(merged["name"], merged["type"])] = merged
        return json_response(merged)

    async def _delete_command(self, request: web.Request) -> web.Response:
        found = self._find_command(request)
        if found is None:
            return unknown("application command", 10063)
        del self._commands[self._command_scope(request)][found[0]]
        return no_content()

    def _registered(self, cmd: dict, scope: str | None, previous: dict | None) -> dict:
        """A command as Discord returns it; re-syncing keeps the id, bumps the version."""
        data = {
            "id": previous["id"] if previous else self.ids.next_str(),
            "application_id": str(self.application_id),
            "version": self.ids.next_str(),
            "type": int(cmd.get("type", 1)),
            "name": cmd["name"],
            "description": cmd.get("description", ""),
            "options": cmd.get("options", []),
            "default_member_permissions": cmd.get("default_member_permissions"),
            "dm_permission": cmd.get("dm_permission", True),
            "contexts": cmd.get("contexts"),
            "integration_types": cmd.get("integration_types", [0]),
            "nsfw": cmd.get("nsfw", False),
            "name_localizations": cmd.get("name_localizations"),
            "description_localizations": cmd.get("description_localizations"),
        }
        if scope is not None:
            data["guild_id"] = scope
        return data


def command_errors(cmd: dict, depth: int = 0) -> dict:
    """Discord's main validation of a command or option tree (names, descriptions, counts)."""
    errors: dict[str, Any] = {}
    name = str(cmd.get("name", ""))
    is_chat_input = int(cmd.get("type", 1)) == 1 or depth > 0
    if not COMMAND_NAME.match(name) or (is_chat_input and name != name.lower()):
        errors["name"] = {"_errors": [{"code": "APPLICATION_COMMAND_INVALID_NAME"}]}
    if is_chat_input and not 1 <= len(str(cmd.get("description", ""))) <= 100:
        errors["description"] = {"_errors": [{"code": "BASE_TYPE_BAD_LENGTH"}]}
    options = cmd.get("options") or []
    if len(options) > 25 or len(cmd.get("choices") or []) > 25:
        errors["options"] = {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH"}]}
    seen_optional = False
    for index, opt in enumerate(options):
        nested = command_errors(opt, depth + 1)
        if opt.get("type") not in (1, 2):
            if opt.get("required") and seen_optional:
                nested["required"] = {"_errors": [{"code": "APPLICATION_COMMAND_OPTIONS_ORDER"}]}
            seen_optional = seen_optional or not opt.get("required")
        if nested:
            errors.setdefault("options", {})[str(index)] = nested
    return errors
