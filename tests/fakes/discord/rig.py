"""FakeDiscord: Discord's REST API v10 and gateway on 127.0.0.1 (see the package docstring)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from aiohttp import web

from tests.fakes.discord.gateway import GatewayConnection, GatewayMixin, GatewaySession
from tests.fakes.discord.payloads_core import Snowflakes
from tests.fakes.discord.payloads_guild import DevGuild, dev_guild, user
from tests.fakes.discord.payloads_interactions import InteractionBuilder
from tests.fakes.discord.rest_app import RestAppMixin
from tests.fakes.discord.rest_guilds import RestGuildsMixin
from tests.fakes.discord.rest_messages import RestMessagesMixin
from tests.fakes.discord.rest_plumbing import RestPlumbingMixin
from tests.fakes.discord.rest_webhooks import RestWebhooksMixin
from tests.fakes.discord.state import StateMixin
from tests.fakes.discord.wire import (
    API_PREFIX,
    Bucket,
    InteractionRecord,
    RateLimitPolicy,
    RecordedRequest,
)


class FakeDiscord(
    StateMixin,
    GatewayMixin,
    RestPlumbingMixin,
    RestAppMixin,
    RestWebhooksMixin,
    RestMessagesMixin,
    RestGuildsMixin,
):
    """Discord REST v10 + gateway for one bot application, on a random 127.0.0.1 port.

    ``guilds`` must have been built with the same ``bot_user`` (see
    :func:`payloads_guild.dev_guild`); by default one dev guild is created. The
    application id equals the bot user's id, as for every modern Discord application.
    """

    def __init__(
        self,
        *,
        ids: Snowflakes | None = None,
        bot_user: dict | None = None,
        guilds: Sequence[DevGuild] | None = None,
        token: str = "fake-bot-token",
        heartbeat_interval_ms: int = 41_250,
        echo_events: bool = True,
        gateway_compression: bool = True,
    ) -> None:
        self.ids = ids or Snowflakes()
        self.bot_user = bot_user or user(self.ids.next(), "LLMFed", bot=True)
        self.application_id = int(self.bot_user["id"])
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.echo_events = echo_events
        self.gateway_compression = gateway_compression
        self.guilds: list[DevGuild] = []
        self.requests: list[RecordedRequest] = []
        self.handler_errors: list[BaseException] = []
        self.identify_payloads: list[dict] = []
        self.gateway_messages: list[dict] = []
        self.gateway_queries: list[dict[str, str]] = []
        self.rate_limited_count = 0
        self.resumed_count = 0
        self._rate_limit: RateLimitPolicy | None = None
        self._buckets: dict[str, Bucket] = {}
        self._users: dict[str, dict] = {self.bot_user["id"]: self.bot_user}
        self._guild_data: dict[str, dict] = {}
        self._members: dict[str, dict[str, dict]] = {}
        self._channels: dict[str, dict] = {}
        self._messages: dict[str, dict] = {}
        self._history: dict[str, list[str]] = {}
        self._reactions: dict[str, dict[str, list[str]]] = {}
        self._pins: dict[str, dict[str, str]] = {}
        self._commands: dict[str | None, dict[tuple[str, int], dict]] = {}
        self._webhooks: dict[str, dict] = {}
        self._events: dict[str, dict] = {}
        self._interactions: dict[str, InteractionRecord] = {}
        self._sessions: dict[str, GatewaySession] = {}
        self._connections: set[GatewayConnection] = set()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._port = 0
        for guild in guilds or [dev_guild(self.ids, bot_user=self.bot_user)]:
            self._load_guild(guild)

    # --- lifecycle ---------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024**2)
        app.router.add_get("/gateway", self._gateway)
        for method, path, handler in self._routes():
            app.router.add_route(method, API_PREFIX + path, handler)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(self._runner.addresses[0][1])
        return self

    async def close(self) -> None:
        for connection in list(self._connections):
            await connection.ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    @property
    def api_base(self) -> str:
        """The value for ``Route.BASE`` / the ``discord.api_base`` setting."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self._port}/gateway"

    @property
    def guild(self) -> DevGuild:
        """The first configured guild."""
        return self.guilds[0]

    @property
    def interactions(self) -> InteractionBuilder:
        """An interaction builder for the first guild's #general, acting as its player."""
        return InteractionBuilder(self.ids, self.application_id, guild=self.guild)

    def _routes(self) -> list[tuple[str, str, Any]]:
        app_cmds = "/applications/{app_id}/commands"
        guild_cmds = "/applications/{app_id}/guilds/{guild_id}/commands"
        msg = "/channels/{channel_id}/messages/{message_id}"
        hook = "/webhooks/{webhook_id}/{webhook_token}"
        events = "/guilds/{guild_id}/scheduled-events"
        return [
            ("GET", "/users/@me", self._get_me),
            ("PATCH", "/users/@me", self._get_me),
            ("GET", "/users/@me/guilds", self._get_my_guilds),
            ("POST", "/users/@me/channels", self._create_dm),
            ("GET", "/users/{user_id}", self._get_user),
            ("GET", "/oauth2/applications/@me", self._get_application),
            ("GET", "/applications/@me", self._get_application),
            ("PATCH", "/applications/@me", self._get_application),
            ("GET", "/gateway", self._get_gateway),
            ("GET", "/gateway/bot", self._get_gateway),
            ("GET", app_cmds, self._list_commands),
            ("PUT", app_cmds, self._put_commands),
            ("POST", app_cmds, self._post_command),
            ("GET", guild_cmds, self._list_commands),
            ("PUT", guild_cmds, self._put_commands),
            ("POST", guild_cmds, self._post_command),
            ("GET", guild_cmds + "/permissions", self._empty_list),
            ("GET", guild_cmds + "/{command_id}", self._get_command),
            ("PATCH", guild_cmds + "/{command_id}", self._patch_command),
            ("DELETE", guild_cmds + "/{command_id}", self._delete_command),
            ("GET", app_cmds + "/{command_id}", self._get_command),
            ("PATCH", app_cmds + "/{command_id}", self._patch_command),
            ("DELETE", app_cmds + "/{command_id}", self._delete_command),
            ("POST", "/interactions/{interaction_id}/{token}/callback", self._callback),
            ("POST", hook, self._execute_webhook),
            ("GET", hook, self._get_webhook),
            ("PATCH", hook, self._patch_webhook),
            ("DELETE", hook, self._delete_webhook),
            ("GET", hook + "/messages/{message_id}", self._get_webhook_message),
            ("PATCH", hook + "/messages/{message_id}", self._edit_webhook_message),
            ("DELETE", hook + "/messages/{message_id}", self._delete_webhook_message),
            ("GET", "/webhooks/{webhook_id}", self._get_webhook),
            ("PATCH", "/webhooks/{webhook_id}", self._patch_webhook),
            ("DELETE", "/webhooks/{webhook_id}", self._delete_webhook),
            ("GET", "/channels/{channel_id}", self._get_channel),
            ("PATCH", "/channels/{channel_id}", self._patch_channel),
            ("DELETE", "/channels/{channel_id}", self._delete_channel),
            ("POST", "/channels/{channel_id}/typing", self._no_content),
            ("PUT", "/channels/{channel_id}/permissions/{target_id}", self._no_content),
            ("DELETE", "/channels/{channel_id}/permissions/{target_id}", self._no_content),
            ("GET", "/channels/{channel_id}/messages/pins", self._list_pins),
            ("PUT", "/channels/{channel_id}/messages/pins/{message_id}", self._pin),
            ("DELETE", "/channels/{channel_id}/messages/pins/{message_id}", self._unpin),
            ("GET", "/channels/{channel_id}/pins", self._list_pins_legacy),
            ("PUT", "/channels/{channel_id}/pins/{message_id}", self._pin),
            ("DELETE", "/channels/{channel_id}/pins/{message_id}", self._unpin),
            ("POST", "/channels/{channel_id}/messages/bulk-delete", self._bulk_delete),
            ("GET", "/channels/{channel_id}/messages", self._list_messages),
            ("POST", "/channels/{channel_id}/messages", self._create_message),
            ("GET", msg, self._get_message),
            ("PATCH", msg, self._edit_message),
            ("DELETE", msg, self._delete_message),
            ("POST", msg + "/threads", self._thread_from_message),
            ("PUT", msg + "/reactions/{emoji}/@me", self._add_own_reaction),
            ("DELETE", msg + "/reactions/{emoji}/{user_id}", self._remove_reaction),
            ("GET", msg + "/reactions/{emoji}", self._reaction_users),
            ("DELETE", msg + "/reactions/{emoji}", self._clear_emoji),
            ("DELETE", msg + "/reactions", self._clear_reactions),
            ("POST", "/channels/{channel_id}/threads", self._thread_without_message),
            ("GET", "/channels/{channel_id}/threads/archived/{kind}", self._archived_threads),
            ("PUT", "/channels/{channel_id}/thread-members/{user_id}", self._no_content),
            ("DELETE", "/channels/{channel_id}/thread-members/{user_id}", self._no_content),
            ("GET", "/channels/{channel_id}/thread-members", self._empty_list),
            ("POST", "/channels/{channel_id}/webhooks", self._create_webhook),
            ("GET", "/channels/{channel_id}/webhooks", self._list_webhooks),
            ("GET", "/guilds/{guild_id}", self._get_guild),
            ("GET", "/guilds/{guild_id}/webhooks", self._list_webhooks),
            ("GET", "/guilds/{guild_id}/channels", self._list_guild_channels),
            ("POST", "/guilds/{guild_id}/channels", self._create_guild_channel),
            ("GET", "/guilds/{guild_id}/threads/active", self._active_threads),
            ("GET", "/guilds/{guild_id}/roles", self._list_roles),
            ("GET", "/guilds/{guild_id}/members", self._list_members),
            ("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member),
            ("PATCH", "/guilds/{guild_id}/members/{user_id}", self._patch_member),
            ("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self._add_role),
            ("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self._remove_role),
            ("GET", events, self._list_events),
            ("POST", events, self._create_event),
            ("GET", events + "/{event_id}", self._get_event),
            ("PATCH", events + "/{event_id}", self._patch_event),
            ("DELETE", events + "/{event_id}", self._delete_event),
            ("GET", events + "/{event_id}/users", self._empty_list),
        ]
