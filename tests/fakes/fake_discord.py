"""FakeDiscord: Discord's REST API v10 and gateway on 127.0.0.1, for real discord.py clients.

A real, unmodified ``discord.Client`` / ``commands.Bot`` logs in, connects over the
websocket, receives READY + GUILD_CREATE, syncs application commands and answers
interactions, and every REST call it makes is recorded for assertions.

Usage (the most faithful path: REST + gateway, ~100 ms to ready)::

    async with FakeDiscord() as fake:
        bot = commands.Bot(command_prefix="!", intents=discord.Intents.default(),
                           guild_ready_timeout=0.05)   # default 2 s delays on_ready
        async with running_bot(fake, bot):
            payload = fake.interactions.slash("ping", subcommand("pong", option("text", "hi")),
                                              command_guild_id=fake.guild.guild_id)
            await fake.dispatch("INTERACTION_CREATE", payload)
            call = await fake.wait_for_request("POST", rf"/interactions/{payload['id']}/.+")
            assert call.json["type"] == 4

How a client is pointed at the fake: discord.py builds REST URLs from the class attribute
``discord.http.Route.BASE`` and (for a non-sharded ``Client``) connects the websocket to the
class attribute ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY``; it does *not* call
``GET /gateway/bot`` unless it is an ``AutoShardedClient``. :func:`patched_discord_base`
sets both and restores them. The real bot reads the settings key ``discord.api_base`` (e.g.
``http://127.0.0.1:PORT/api/v10``) and does the same in its subprocess: set ``Route.BASE``
to it, then in ``setup_hook`` (after login, before connect) set ``DEFAULT_GATEWAY`` to the
``url`` returned by ``await bot.http.get_bot_gateway()`` (the fake answers with its own
websocket URL, ``ws://127.0.0.1:PORT/gateway``).

In-process path without the websocket (for CommandTree-only tests): :func:`logged_in_client`
logs in over REST only and puts the guilds in the client's cache; :func:`feed_interaction`
pushes an INTERACTION_CREATE through the real ``ConnectionState.parse_interaction_create``.
It skips the gateway framing only; prefer :func:`running_bot` + :meth:`FakeDiscord.dispatch`.

State tests can read: ``fake.requests`` (every REST call, see :class:`RecordedRequest`),
``fake.channel_messages(channel_id)``, ``fake.message(id)``, ``fake.threads()``,
``fake.commands(guild_id)``, ``fake.webhooks()``, ``fake.scheduled_events(guild_id)``,
``fake.interaction(interaction_id)``, ``fake.rate_limited_count``, ``fake.identify_payloads``.
Per-channel message rate limiting: :meth:`FakeDiscord.enable_channel_rate_limit`.

Behaviour copied from Discord that tests may notice: REST mutations are echoed over the
gateway (MESSAGE_CREATE/UPDATE/DELETE, THREAD_CREATE, MESSAGE_REACTION_ADD for the bot's
own reactions, ...) subject to the client's intents, and guild messages by others reach a
client without MESSAGE_CONTENT blanked unless they mention it; the deferred "thinking"
message is a real channel message that the first followup replaces; pinning posts a type-6
system notice; callbacks for unknown interactions get 404 (10062) and a second response
400 (40060); unimplemented endpoints answer 404 and show in ``fake.unrouted_requests``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
import zlib
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import discord
import yarl
from aiohttp import WSMsgType, web
from aiohttp.web_request import FileField
from discord.gateway import DiscordWebSocket
from discord.http import Route

from tests.fakes import discord_payloads as p

API_PREFIX = "/api/v10"
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_GUILD_MESSAGE_REACTIONS = 1 << 10
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15
INTENT_GUILD_SCHEDULED_EVENTS = 1 << 16
INTERACTION_CALLBACK_MESSAGE_TYPES = frozenset({4, 5, 7})
EPHEMERAL, LOADING = 1 << 6, 1 << 7
GUILD_CREATE_ONLY_FIELDS = frozenset(
    [
        "channels",
        "threads",
        "members",
        "presences",
        "voice_states",
        "joined_at",
        "large",
        "unavailable",
        "lazy",
        "member_count",
        "stage_instances",
        "guild_scheduled_events",
        "soundboard_sounds",
    ]
)
COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")


@dataclass(frozen=True)
class RecordedFile:
    field_name: str
    filename: str
    content_type: str
    data: bytes


BODY: web.RequestKey[Any] = web.RequestKey("fake_discord_body")
FILES: web.RequestKey[tuple[RecordedFile, ...]] = web.RequestKey("fake_discord_files")
RATE_LIMIT_HEADERS: web.RequestKey[dict[str, str]] = web.RequestKey("fake_discord_rl_headers")


@dataclass(frozen=True)
class RecordedRequest:
    """One REST call as the fake saw it. ``path`` has no ``/api/v10`` prefix and is
    percent-decoded (reaction paths contain the emoji itself). ``json`` is the JSON body or,
    for multipart requests, the decoded ``payload_json`` field."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: tuple[RecordedFile, ...]
    headers: dict[str, str]
    status: int
    at: float
    routed: bool = True


@dataclass(frozen=True)
class RateLimitPolicy:
    """Discord-style fixed-window bucket per channel for ``POST /channels/{id}/messages``.

    ``advertise_headers`` sends X-RateLimit-* on successful responses (as Discord does), which
    lets discord.py wait pre-emptively; switch it off to force real 429s."""

    limit: int = 5
    per_seconds: float = 5.0
    advertise_headers: bool = True


@dataclass
class _Bucket:
    window_start: float
    used: int = 0


@dataclass
class InteractionRecord:
    """What the fake knows about a dispatched interaction and how the bot answered it."""

    id: str
    token: str
    type: int
    channel_id: str | None
    guild_id: str | None
    user: dict
    message: dict | None
    callback: dict | None = None
    original_message_id: str | None = None
    followup_ids: list[str] = field(default_factory=list)

    @property
    def callback_type(self) -> int | None:
        return None if self.callback is None else int(self.callback["type"])


@dataclass(eq=False)
class _Connection:
    ws: web.WebSocketResponse
    compressor: Any
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def send(self, payload: dict) -> None:
        text = json.dumps(payload)
        async with self.lock:
            if self.ws.closed:
                return
            if self.compressor is None:
                await self.ws.send_str(text)
            else:
                chunk = self.compressor.compress(text.encode()) + self.compressor.flush(
                    zlib.Z_SYNC_FLUSH
                )
                await self.ws.send_bytes(chunk)


@dataclass
class _Session:
    session_id: str
    token: str
    intents: int | None
    connection: _Connection | None
    seq: int = 0
    ready: bool = False
    sent: list[dict] = field(default_factory=list)

    def wants(self, intent: int | None) -> bool:
        return intent is None or self.intents is None or bool(self.intents & intent)


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # Exactly "application/json" (no charset), as Discord sends: discord.py compares the
    # header verbatim and would otherwise hand the raw text to its parsers.
    body = json.dumps(data).encode()
    return web.Response(body=body, status=status, headers=headers, content_type="application/json")


def _no_content() -> web.Response:
    return web.Response(status=204)


def _error(status: int, message: str, code: int, errors: Any = None) -> web.Response:
    body: dict[str, Any] = {"message": message, "code": code}
    if errors is not None:
        body["errors"] = errors
    return _json(body, status=status)


def _unknown(what: str, code: int) -> web.Response:
    return _error(404, f"Unknown {what}", code)


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true")


def _now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000+00:00", time.gmtime())


@contextlib.contextmanager
def patched_discord_base(api_base: str, gateway_url: str | None = None) -> Iterator[None]:
    """Point discord.py (this process) at ``api_base`` and restore the defaults afterwards.

    ``gateway_url`` defaults to ``ws://<host:port of api_base>/gateway`` (FakeDiscord's)."""
    if gateway_url is None:
        base = yarl.URL(api_base)
        gateway_url = str(base.with_scheme("ws").with_path("/gateway"))
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


class FakeDiscord:
    """Discord REST v10 + gateway for one bot application, on a random 127.0.0.1 port.

    ``guilds`` must have been built with the same ``bot_user`` (see
    :func:`discord_payloads.dev_guild`); by default one dev guild is created. The
    application id equals the bot user's id, as for every modern Discord application.
    """

    def __init__(
        self,
        *,
        ids: p.Snowflakes | None = None,
        bot_user: dict | None = None,
        guilds: Sequence[p.DevGuild] | None = None,
        token: str = "fake-bot-token",
        heartbeat_interval_ms: int = 41_250,
        echo_events: bool = True,
        gateway_compression: bool = True,
    ) -> None:
        self.ids = ids or p.Snowflakes()
        self.bot_user = bot_user or p.user(self.ids.next(), "LLMFed", bot=True)
        self.application_id = int(self.bot_user["id"])
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.echo_events = echo_events
        self.gateway_compression = gateway_compression
        self.guilds: list[p.DevGuild] = []
        self.requests: list[RecordedRequest] = []
        self.handler_errors: list[BaseException] = []
        self.identify_payloads: list[dict] = []
        self.gateway_messages: list[dict] = []
        self.gateway_queries: list[dict[str, str]] = []
        self.rate_limited_count = 0
        self.resumed_count = 0
        self._rate_limit: RateLimitPolicy | None = None
        self._buckets: dict[str, _Bucket] = {}
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
        self._sessions: dict[str, _Session] = {}
        self._connections: set[_Connection] = set()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._port = 0
        for guild in guilds or [p.dev_guild(self.ids, bot_user=self.bot_user)]:
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
    def guild(self) -> p.DevGuild:
        """The first configured guild."""
        return self.guilds[0]

    @property
    def interactions(self) -> p.InteractionBuilder:
        """An interaction builder for the first guild's #general, acting as its player."""
        return p.InteractionBuilder(self.ids, self.application_id, guild=self.guild)

    # --- request log ---------------------------------------------------------------------

    def requests_matching(self, method: str, path_regex: str) -> list[RecordedRequest]:
        """Recorded requests with that method whose path fully matches ``path_regex``."""
        pattern = re.compile(path_regex)
        return [
            r
            for r in self.requests
            if r.method == method.upper() and pattern.fullmatch(r.path) is not None
        ]

    async def wait_for_request(
        self,
        method: str,
        path_regex: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - the rig's documented API
        *,
        since: int = 0,
    ) -> RecordedRequest:
        """The first matching request recorded at index >= ``since`` (see :meth:`mark`),
        waiting for it up to ``timeout`` seconds."""
        pattern = re.compile(path_regex)

        def find() -> RecordedRequest | None:
            for r in self.requests[since:]:
                if r.method == method.upper() and pattern.fullmatch(r.path):
                    return r
            return None

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: find() is not None), timeout)
        found = find()
        assert found is not None
        return found

    def mark(self) -> int:
        """The current request count, for ``wait_for_request(..., since=mark)``."""
        return len(self.requests)

    @property
    def unrouted_requests(self) -> list[RecordedRequest]:
        """Calls to endpoints the fake does not implement (answered 404/405)."""
        return [r for r in self.requests if not r.routed]

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

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

    # --- rate limiting -------------------------------------------------------------------

    def enable_channel_rate_limit(
        self, limit: int = 5, per_seconds: float = 5.0, *, advertise_headers: bool = True
    ) -> None:
        self._rate_limit = RateLimitPolicy(limit, per_seconds, advertise_headers)
        self._buckets.clear()

    def disable_channel_rate_limit(self) -> None:
        self._rate_limit = None

    # --- gateway -------------------------------------------------------------------------

    @property
    def ready_sessions(self) -> list[_Session]:
        return [s for s in self._sessions.values() if s.ready and s.connection is not None]

    async def wait_until_ready(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Until a client has identified and received READY and every GUILD_CREATE."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: bool(self.ready_sessions)), timeout
            )

    async def dispatch(self, event: str, data: dict) -> int:
        """Send a dispatch (op 0) to every connected, ready client, whatever its intents.

        INTERACTION_CREATE payloads are remembered so the callback and webhook endpoints
        accept their tokens. Returns the number of clients reached."""
        if event == "INTERACTION_CREATE":
            self.register_interaction(data)
        if event == "MESSAGE_CREATE":
            self._store_message(data)
        sessions = self.ready_sessions
        if not sessions:
            raise RuntimeError(f"no gateway client is connected to receive {event}")
        for session in sessions:
            await self._send_dispatch(session, event, data)
        return len(sessions)

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT; discord.py then reconnects and RESUMEs."""
        for session in self.ready_sessions:
            assert session.connection is not None
            await session.connection.send({"op": 7, "d": None})

    async def wait_for_resume(self, count: int = 1, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: self.resumed_count >= count and self.ready_sessions),
                timeout,
            )

    async def _echo(self, event: str, data: dict, intent: int | None) -> None:
        """Events Discord itself would send after a REST mutation, honouring intents."""
        if not self.echo_events:
            return
        for session in self.ready_sessions:
            if session.wants(intent):
                await self._send_dispatch(session, event, data)

    async def _send_dispatch(self, session: _Session, event: str, data: dict) -> None:
        session.seq += 1
        payload = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.sent.append(payload)
        if session.connection is not None:
            await session.connection.send(payload)

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self.gateway_queries.append(dict(request.query))
        wants_zlib = request.query.get("compress") == "zlib-stream" and self.gateway_compression
        connection = _Connection(ws, zlib.compressobj() if wants_zlib else None)
        self._connections.add(connection)
        session: _Session | None = None
        try:
            hello = {"heartbeat_interval": self.heartbeat_interval_ms, "_trace": ["fake-gateway"]}
            await connection.send({"op": 10, "s": None, "t": None, "d": hello})
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                payload = json.loads(msg.data)
                self.gateway_messages.append(payload)
                session = await self._on_gateway_op(connection, session, payload) or session
        finally:
            self._connections.discard(connection)
            if session is not None and session.connection is connection:
                session.connection = None
            await self._notify()
        return ws

    async def _on_gateway_op(
        self, connection: _Connection, session: _Session | None, payload: dict
    ) -> _Session | None:
        op, data = payload.get("op"), payload.get("d") or {}
        if op == 1:
            await connection.send({"op": 11, "s": None, "t": None, "d": None})
        elif op == 2:
            return await self._identify(connection, data)
        elif op == 6:
            return await self._resume(connection, data)
        elif op == 8 and session is not None:
            await self._send_member_chunk(session, data)
        return None

    async def _identify(self, connection: _Connection, data: dict) -> _Session | None:
        self.identify_payloads.append(data)
        if data.get("token") != self.token:
            await connection.ws.close(code=4004, message=b"Authentication failed.")
            return None
        session = _Session(
            session_id=self.ids.next_str(),
            token=data["token"],
            intents=data.get("intents"),
            connection=connection,
        )
        self._sessions[session.session_id] = session
        ready = {
            "v": 10,
            "user": self.bot_user,
            "guilds": [{"id": gid, "unavailable": True} for gid in self._guild_data],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "user_settings": {},
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "auth_session_id_hash": "fake",
            "_trace": ["fake-gateway"],
        }
        if "shard" in data:
            ready["shard"] = data["shard"]
        await self._send_dispatch(session, "READY", ready)
        for guild_id in self._guild_data:
            await self._send_dispatch(session, "GUILD_CREATE", self._guild_create(guild_id))
        session.ready = True
        await self._notify()
        return session

    async def _resume(self, connection: _Connection, data: dict) -> _Session | None:
        session = self._sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != session.token:
            await connection.send({"op": 9, "s": None, "t": None, "d": False})
            return None
        session.connection = connection
        for payload in [e for e in session.sent if e["s"] > int(data.get("seq") or 0)]:
            await connection.send(payload)
        await self._send_dispatch(session, "RESUMED", {"_trace": ["fake-gateway"]})
        self.resumed_count += 1
        await self._notify()
        return session

    async def _send_member_chunk(self, session: _Session, data: dict) -> None:
        guild_id = str(data["guild_id"])
        members = list(self._members.get(guild_id, {}).values())
        query = (data.get("query") or "").lower()
        if query:
            members = [m for m in members if m["user"]["username"].lower().startswith(query)]
        wanted = {str(u) for u in data.get("user_ids") or []}
        if wanted:
            members = [m for m in members if m["user"]["id"] in wanted]
        if data.get("limit"):
            members = members[: int(data["limit"])]
        chunk = {
            "guild_id": guild_id,
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
            "presences": [],
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        await self._send_dispatch(session, "GUILD_MEMBERS_CHUNK", chunk)

    # --- guild state ---------------------------------------------------------------------

    def _load_guild(self, guild: p.DevGuild) -> None:
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

    async def add_guild(self, guild: p.DevGuild) -> None:
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
        msg = p.message(
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
            return p.reaction_add(
                channel_id=int(channel_id),
                message_id=int(message_id),
                user_id=int(user_id),
                emoji=_emoji_payload(emoji),
                guild_id=int(guild_id) if guild_id else None,
                member_data=member,
                message_author_id=int(msg["author"]["id"]) if msg else None,
            )
        return p.reaction_remove(
            channel_id=int(channel_id),
            message_id=int(message_id),
            user_id=int(user_id),
            emoji=_emoji_payload(emoji),
            guild_id=int(guild_id) if guild_id else None,
        )

    # --- REST plumbing -------------------------------------------------------------------

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path == "/gateway":
            return await handler(request)
        body, files = await _read_body(request)
        request[BODY] = body
        path = request.path.removeprefix(API_PREFIX)
        routed = True
        response: web.StreamResponse
        try:
            response = (
                self._check_auth(request, path)
                or self._check_rate_limit(request, path)
                or await handler(request)
            )
        except web.HTTPException as exc:  # aiohttp's own 404/405: an endpoint the fake lacks
            routed = False
            response = _error(exc.status, f"{exc.status}: {exc.reason}", 0)
        except Exception as exc:  # a fake bug must fail the test fast, not trigger 5xx retries
            logging.getLogger(__name__).exception("FakeDiscord handler failed: %s", path)
            self.handler_errors.append(exc)
            response = _error(400, f"FakeDiscord handler error: {exc!r}", 0)
        response.headers.update(request.get(RATE_LIMIT_HEADERS, {}))
        self.requests.append(
            RecordedRequest(
                method=request.method,
                path=path,
                query=dict(request.query),
                json=body,
                files=files,
                headers=dict(request.headers),
                status=response.status,
                at=time.monotonic(),
                routed=routed,
            )
        )
        await self._notify()
        return response

    def _check_auth(self, request: web.Request, path: str) -> web.Response | None:
        token_routes = ("/interactions/", "/gateway")
        if path.startswith(token_routes) or re.match(r"/webhooks/\d+/[^/]+", path):
            return None
        if request.headers.get("Authorization") != f"Bot {self.token}":
            return _error(401, "401: Unauthorized", 0)
        return None

    def _check_rate_limit(self, request: web.Request, path: str) -> web.Response | None:
        policy = self._rate_limit
        target = re.fullmatch(r"/channels/(\d+)/messages", path)
        if policy is None or request.method != "POST" or target is None:
            return None
        channel_id, now = target.group(1), time.monotonic()
        bucket = self._buckets.get(channel_id)
        if bucket is None or now - bucket.window_start >= policy.per_seconds:
            bucket = self._buckets[channel_id] = _Bucket(window_start=now)
        reset_after = max(0.001, bucket.window_start + policy.per_seconds - now)
        if bucket.used >= policy.limit:
            self.rate_limited_count += 1
            headers = _rate_limit_headers(policy.limit, 0, reset_after)
            headers.update({"Retry-After": str(int(reset_after) + 1), "Via": "1.1 google"})
            headers["X-RateLimit-Scope"] = "shared"
            body = {"message": "You are being rate limited.", "retry_after": reset_after}
            return _json(body | {"global": False}, status=429, headers=headers)
        bucket.used += 1
        if policy.advertise_headers:
            remaining = policy.limit - bucket.used
            request[RATE_LIMIT_HEADERS] = _rate_limit_headers(policy.limit, remaining, reset_after)
        return None

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

    # --- REST: users, application, gateway -----------------------------------------------

    async def _no_content(self, request: web.Request) -> web.Response:
        return _no_content()

    async def _empty_list(self, request: web.Request) -> web.Response:
        return _json([])

    async def _get_me(self, request: web.Request) -> web.Response:
        return _json(self.bot_user | {"verified": True, "mfa_enabled": False, "email": None})

    async def _get_user(self, request: web.Request) -> web.Response:
        found = self._users.get(request.match_info["user_id"])
        return _json(found) if found else _unknown("User", 10013)

    async def _get_my_guilds(self, request: web.Request) -> web.Response:
        partial = [
            {k: g[k] for k in ("id", "name", "icon", "features")}
            | {"owner": False, "permissions": str(p.computed_permissions(g, self.bot_user["id"]))}
            for g in self._guild_data.values()
        ]
        return _json(partial)

    async def _create_dm(self, request: web.Request) -> web.Response:
        recipient = self._users.get(str(request[BODY]["recipient_id"]))
        if recipient is None:
            return _unknown("User", 10013)
        existing = next(
            (
                c
                for c in self._channels.values()
                if c["type"] == 1 and c["recipients"][0]["id"] == recipient["id"]
            ),
            None,
        )
        dm = existing or p.dm_channel(self.ids.next(), recipient)
        self._channels[dm["id"]] = dm
        return _json(dm)

    async def _get_application(self, request: web.Request) -> web.Response:
        owner = self._users.get(self._guild_data[str(self.guild.guild_id)]["owner_id"])
        return _json(
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
        return _json({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    # --- REST: application commands ------------------------------------------------------

    def _command_scope(self, request: web.Request) -> str | None:
        return request.match_info.get("guild_id")

    async def _list_commands(self, request: web.Request) -> web.Response:
        return _json(self.commands(self._command_scope(request)))

    async def _put_commands(self, request: web.Request) -> web.Response:
        body = request[BODY] or []
        errors = {str(i): e for i, cmd in enumerate(body) if (e := _command_errors(cmd))}
        if errors:
            return _error(400, "Invalid Form Body", 50035, errors)
        scope = self._command_scope(request)
        old = self._commands.get(scope, {})
        registered: dict[tuple[str, int], dict] = {}
        for cmd in body:
            key = (cmd["name"], int(cmd.get("type", 1)))
            registered[key] = self._registered(cmd, scope, old.get(key))
        self._commands[scope] = registered
        return _json(list(registered.values()))

    async def _post_command(self, request: web.Request) -> web.Response:
        cmd = request[BODY]
        if errors := _command_errors(cmd):
            return _error(400, "Invalid Form Body", 50035, errors)
        scope = self._command_scope(request)
        commands = self._commands.setdefault(scope, {})
        key = (cmd["name"], int(cmd.get("type", 1)))
        existed = key in commands
        commands[key] = self._registered(cmd, scope, commands.get(key))
        return _json(commands[key], status=200 if existed else 201)

    def _find_command(self, request: web.Request) -> tuple[tuple[str, int], dict] | None:
        commands = self._commands.get(self._command_scope(request), {})
        wanted = request.match_info["command_id"]
        return next(((k, c) for k, c in commands.items() if c["id"] == wanted), None)

    async def _get_command(self, request: web.Request) -> web.Response:
        found = self._find_command(request)
        return _json(found[1]) if found else _unknown("application command", 10063)

    async def _patch_command(self, request: web.Request) -> web.Response:
        found = self._find_command(request)
        if found is None:
            return _unknown("application command", 10063)
        key, cmd = found
        merged = self._registered(cmd | request[BODY], self._command_scope(request), cmd)
        commands = self._commands[self._command_scope(request)]
        del commands[key]
        commands[(merged["name"], merged["type"])] = merged
        return _json(merged)

    async def _delete_command(self, request: web.Request) -> web.Response:
        found = self._find_command(request)
        if found is None:
            return _unknown("application command", 10063)
        del self._commands[self._command_scope(request)][found[0]]
        return _no_content()

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

    # --- REST: interactions and webhooks -------------------------------------------------

    async def _callback(self, request: web.Request) -> web.Response:
        record = self._interactions.get(request.match_info["interaction_id"])
        if record is None or record.token != request.match_info["token"]:
            return _unknown("interaction", 10062)
        if record.callback is not None:
            return _error(400, "Interaction has already been acknowledged.", 40060)
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
        if not _truthy(request.query.get("with_response")):
            return _no_content()
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
        return _json({"interaction": interaction, "resource": resource})

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
                return _unknown("Webhook", 10015)
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
                return _unknown("Webhook", 10015)
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
                return _unknown("Channel", 10003)
            msg = self._build_message(target, author, body, webhook_id=int(hook["id"]))
            self._store_message(msg)
            await self._echo_message("MESSAGE_CREATE", msg)
        return _json(msg) if _truthy(request.query.get("wait")) else _no_content()

    def _webhook_message(self, request: web.Request) -> tuple[dict | None, web.Response | None]:
        record = self._interaction_for(request)
        if record is None and self._channel_webhook(request) is None:
            return None, _unknown("Webhook", 10015)
        wanted = request.match_info["message_id"]
        if wanted == "@original":
            if record is None or record.original_message_id is None:
                return None, _unknown("Message", 10008)
            wanted = record.original_message_id
        msg = self._messages.get(wanted)
        return (msg, None) if msg is not None else (None, _unknown("Message", 10008))

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        msg, failure = self._webhook_message(request)
        return failure or _json(msg)

    async def _edit_webhook_message(self, request: web.Request) -> web.Response:
        msg, failure = self._webhook_message(request)
        if failure is not None or msg is None:
            return failure or _unknown("Message", 10008)
        data = dict(request[BODY] or {})
        data["flags"] = (msg["flags"] & ~LOADING) | int(data.get("flags", 0))
        return _json(await self._apply_edit(msg, data))

    async def _delete_webhook_message(self, request: web.Request) -> web.Response:
        msg, failure = self._webhook_message(request)
        if failure is not None or msg is None:
            return failure or _unknown("Message", 10008)
        await self._remove_message(msg)
        return _no_content()

    async def _create_webhook(self, request: web.Request) -> web.Response:
        chan = self._channels.get(request.match_info["channel_id"])
        if chan is None:
            return _unknown("Channel", 10003)
        body = request[BODY] or {}
        hook = {
            "id": self.ids.next_str(),
            "type": 1,
            "token": p.new_token(),
            "channel_id": chan["id"],
            "guild_id": chan.get("guild_id"),
            "name": body.get("name", "Webhook"),
            "avatar": None,
            "application_id": str(self.application_id),
            "user": self.bot_user,
        }
        self._webhooks[hook["id"]] = hook
        return _json(hook)

    async def _list_webhooks(self, request: web.Request) -> web.Response:
        key = "channel_id" if "channel_id" in request.match_info else "guild_id"
        wanted = request.match_info[key]
        return _json([h for h in self._webhooks.values() if h[key] == wanted])

    async def _get_webhook(self, request: web.Request) -> web.Response:
        hook = self._channel_webhook(request)
        return _json(hook) if hook else _unknown("Webhook", 10015)

    async def _patch_webhook(self, request: web.Request) -> web.Response:
        hook = self._channel_webhook(request)
        if hook is None:
            return _unknown("Webhook", 10015)
        body = request[BODY] or {}
        hook.update({k: body[k] for k in ("name", "channel_id") if k in body})
        return _json(hook)

    async def _delete_webhook(self, request: web.Request) -> web.Response:
        hook = self._channel_webhook(request)
        if hook is None:
            return _unknown("Webhook", 10015)
        del self._webhooks[hook["id"]]
        return _no_content()

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
        msg = p.message(
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

    def _as_seen_by(self, session: _Session, msg: dict) -> dict:
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
        msg["edited_timestamp"] = _now_iso()
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
        return (chan, None) if chan is not None else (None, _unknown("Channel", 10003))

    def _message_or_404(self, request: web.Request) -> tuple[dict | None, web.Response | None]:
        msg = self._messages.get(request.match_info["message_id"])
        if msg is None or msg["channel_id"] != request.match_info["channel_id"]:
            return None, _unknown("Message", 10008)
        return msg, None

    async def _create_message(self, request: web.Request) -> web.Response:
        chan, failure = self._channel_or_404(request)
        if failure is not None or chan is None:
            return failure or _unknown("Channel", 10003)
        body = request[BODY] or {}
        files: tuple[RecordedFile, ...] = request.get(FILES, ())
        fields = ("content", "embeds", "components", "poll", "sticker_ids")
        if not files and not any(body.get(k) for k in fields):
            return _error(400, "Cannot send an empty message", 50006)
        if len(body.get("content") or "") > 2000 or len(body.get("embeds") or []) > 10:
            errors = {"content": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH"}]}}
            return _error(400, "Invalid Form Body", 50035, errors)
        metadata = chan.get("thread_metadata")
        if metadata and metadata["archived"]:
            if metadata["locked"]:
                return _error(400, "Thread is locked", 50083)
            metadata["archived"] = False
            await self._echo("THREAD_UPDATE", dict(chan), INTENT_GUILDS)
        msg = self._build_message(chan["id"], self.bot_user, body, files=files)
        self._store_message(msg)
        await self._echo_message("MESSAGE_CREATE", msg)
        return _json(msg)

    async def _list_messages(self, request: web.Request) -> web.Response:
        chan, failure = self._channel_or_404(request)
        if failure is not None or chan is None:
            return failure or _unknown("Channel", 10003)
        messages = [self._messages[i] for i in self._history.get(chan["id"], [])]
        query = request.query
        if "before" in query:
            messages = [m for m in messages if int(m["id"]) < int(query["before"])]
        if "after" in query:
            messages = [m for m in messages if int(m["id"]) > int(query["after"])]
        limit = int(query.get("limit", 50))
        newest_first = sorted(messages, key=lambda m: int(m["id"]), reverse=True)
        if "after" in query:
            return _json(list(reversed(sorted(messages, key=lambda m: int(m["id"]))[:limit])))
        return _json(newest_first[:limit])

    async def _get_message(self, request: web.Request) -> web.Response:
        msg, failure = self._message_or_404(request)
        return failure or _json(msg)

    async def _edit_message(self, request: web.Request) -> web.Response:
        msg, failure = self._message_or_404(request)
        if failure is not None or msg is None:
            return failure or _unknown("Message", 10008)
        if msg["author"]["id"] != self.bot_user["id"]:
            body = request[BODY] or {}
            if set(body) - {"flags"}:
                return _error(403, "Cannot edit a message authored by another user", 50005)
        return _json(await self._apply_edit(msg, request[BODY] or {}))

    async def _delete_message(self, request: web.Request) -> web.Response:
        msg, failure = self._message_or_404(request)
        if failure is not None or msg is None:
            return failure or _unknown("Message", 10008)
        await self._remove_message(msg)
        return _no_content()

    async def _bulk_delete(self, request: web.Request) -> web.Response:
        for message_id in (request[BODY] or {}).get("messages", []):
            msg = self._messages.get(str(message_id))
            if msg is not None:
                await self._remove_message(msg)
        return _no_content()

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
                    "emoji": _emoji_payload(key),
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
            return failure or _unknown("Message", 10008)
        emoji, channel_id = request.match_info["emoji"], msg["channel_id"]
        self._set_reaction(msg["id"], emoji, self.bot_user["id"], add=True)
        event = self._reaction_event(channel_id, msg["id"], self.bot_user["id"], emoji, True)
        await self._echo("MESSAGE_REACTION_ADD", event, INTENT_GUILD_MESSAGE_REACTIONS)
        return _no_content()

    async def _remove_reaction(self, request: web.Request) -> web.Response:
        msg, failure = self._message_or_404(request)
        if failure is not None or msg is None:
            return failure or _unknown("Message", 10008)
        user_id = request.match_info["user_id"]
        user_id = self.bot_user["id"] if user_id == "@me" else user_id
        emoji = request.match_info["emoji"]
        self._set_reaction(msg["id"], emoji, user_id, add=False)
        event = self._reaction_event(msg["channel_id"], msg["id"], user_id, emoji, False)
        await self._echo("MESSAGE_REACTION_REMOVE", event, INTENT_GUILD_MESSAGE_REACTIONS)
        return _no_content()

    async def _reaction_users(self, request: web.Request) -> web.Response:
        msg, failure = self._message_or_404(request)
        if failure is not None or msg is None:
            return failure or _unknown("Message", 10008)
        voters = self._reactions.get(msg["id"], {}).get(request.match_info["emoji"], [])
        return _json([self._users[v] for v in voters if v in self._users])

    async def _clear_emoji(self, request: web.Request) -> web.Response:
        msg, failure = self._message_or_404(request)
        if failure is not None or msg is None:
            return failure or _unknown("Message", 10008)
        emoji = request.match_info["emoji"]
        for voter in list(self._reactions.get(msg["id"], {}).get(emoji, [])):
            self._set_reaction(msg["id"], emoji, voter, add=False)
        event = {"channel_id": msg["channel_id"], "message_id": msg["id"]}
        event |= {"guild_id": msg.get("guild_id"), "emoji": _emoji_payload(emoji)}
        await self._echo("MESSAGE_REACTION_REMOVE_EMOJI", event, INTENT_GUILD_MESSAGE_REACTIONS)
        return _no_content()

    async def _clear_reactions(self, request: web.Request) -> web.Response:
        msg, failure = self._message_or_404(request)
        if failure is not None or msg is None:
            return failure or _unknown("Message", 10008)
        self._reactions.pop(msg["id"], None)
        msg["reactions"] = []
        event = {"channel_id": msg["channel_id"], "message_id": msg["id"]}
        event["guild_id"] = msg.get("guild_id")
        await self._echo("MESSAGE_REACTION_REMOVE_ALL", event, INTENT_GUILD_MESSAGE_REACTIONS)
        return _no_content()

    async def _pin(self, request: web.Request) -> web.Response:
        """Pins like Discord: flag the message, post the type-6 system notice, send
        CHANNEL_PINS_UPDATE."""
        msg, failure = self._message_or_404(request)
        if failure is not None or msg is None:
            return failure or _unknown("Message", 10008)
        pins = self._pins.setdefault(msg["channel_id"], {})
        if msg["id"] in pins:
            return _no_content()
        pins[msg["id"]] = _now_iso()
        msg["pinned"] = True
        notice = self._build_message(msg["channel_id"], self.bot_user, {}, message_type=6)
        notice["message_reference"] = {"type": 0, "channel_id": msg["channel_id"]}
        notice["message_reference"]["message_id"] = msg["id"]
        self._store_message(notice)
        await self._echo_message("MESSAGE_CREATE", notice)
        update = {"channel_id": msg["channel_id"], "last_pin_timestamp": pins[msg["id"]]}
        update["guild_id"] = msg.get("guild_id")
        await self._echo("CHANNEL_PINS_UPDATE", update, INTENT_GUILDS)
        return _no_content()

    async def _unpin(self, request: web.Request) -> web.Response:
        msg, failure = self._message_or_404(request)
        if failure is not None or msg is None:
            return failure or _unknown("Message", 10008)
        self._pins.get(msg["channel_id"], {}).pop(msg["id"], None)
        msg["pinned"] = False
        return _no_content()

    def _pinned(self, channel_id: str) -> list[tuple[str, dict]]:
        pins = self._pins.get(channel_id, {})
        found = [(at, self._messages[mid]) for mid, at in pins.items() if mid in self._messages]
        return sorted(found, key=lambda pair: pair[0], reverse=True)

    async def _list_pins(self, request: web.Request) -> web.Response:
        pinned = self._pinned(request.match_info["channel_id"])
        items = [{"pinned_at": at, "message": msg} for at, msg in pinned]
        return _json({"items": items, "has_more": False})

    async def _list_pins_legacy(self, request: web.Request) -> web.Response:
        return _json([msg for _, msg in self._pinned(request.match_info["channel_id"])])

    # --- REST: threads and channels ------------------------------------------------------

    async def _new_thread(self, parent: dict, thread_id: int, body: dict, private: bool) -> dict:
        created = p.thread(
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
            "join_timestamp": _now_iso(),
            "flags": 1,
        }
        self._channels[created["id"]] = created
        await self._echo("THREAD_CREATE", created | {"newly_created": True}, INTENT_GUILDS)
        return created

    async def _thread_from_message(self, request: web.Request) -> web.Response:
        msg, failure = self._message_or_404(request)
        if failure is not None or msg is None:
            return failure or _unknown("Message", 10008)
        if "thread" in msg:
            return _error(400, "A thread has already been created for this message", 160004)
        parent = self._channels[msg["channel_id"]]
        created = await self._new_thread(parent, int(msg["id"]), request[BODY] or {}, False)
        msg["thread"] = created
        return _json(created, status=201)

    async def _thread_without_message(self, request: web.Request) -> web.Response:
        parent, failure = self._channel_or_404(request)
        if failure is not None or parent is None:
            return failure or _unknown("Channel", 10003)
        body = request[BODY] or {}
        is_forum = parent["type"] == p.ChannelType.GUILD_FORUM
        private = not is_forum and int(body.get("type", 12)) == p.ChannelType.PRIVATE_THREAD
        created = await self._new_thread(parent, self.ids.next(), body, private)
        if is_forum:
            starter = self._build_message(created["id"], self.bot_user, body.get("message") or {})
            starter["id"] = created["id"]
            self._store_message(starter)
            await self._echo_message("MESSAGE_CREATE", starter)
            return _json(created | {"message": starter}, status=201)
        return _json(created, status=201)

    async def _archived_threads(self, request: web.Request) -> web.Response:
        archived = [
            t
            for t in self.threads(request.match_info["channel_id"])
            if t["thread_metadata"]["archived"]
        ]
        return _json({"threads": archived, "members": [], "has_more": False})

    async def _active_threads(self, request: web.Request) -> web.Response:
        guild_id = request.match_info["guild_id"]
        active = [
            t
            for t in self.threads()
            if t["guild_id"] == guild_id and not t["thread_metadata"]["archived"]
        ]
        return _json({"threads": active, "members": []})

    async def _get_channel(self, request: web.Request) -> web.Response:
        chan, failure = self._channel_or_404(request)
        return failure or _json(chan)

    async def _patch_channel(self, request: web.Request) -> web.Response:
        chan, failure = self._channel_or_404(request)
        if failure is not None or chan is None:
            return failure or _unknown("Channel", 10003)
        body = request[BODY] or {}
        metadata = chan.get("thread_metadata")
        if metadata is not None:
            for key in ("archived", "locked", "auto_archive_duration", "invitable"):
                if key in body:
                    metadata[key] = body[key]
            if "archived" in body:
                metadata["archive_timestamp"] = _now_iso()
        for key in ("name", "topic", "position", "parent_id", "nsfw", "rate_limit_per_user"):
            if key in body:
                chan[key] = body[key]
        event = "THREAD_UPDATE" if metadata is not None else "CHANNEL_UPDATE"
        await self._echo(event, dict(chan), INTENT_GUILDS)
        return _json(chan)

    async def _delete_channel(self, request: web.Request) -> web.Response:
        chan, failure = self._channel_or_404(request)
        if failure is not None or chan is None:
            return failure or _unknown("Channel", 10003)
        del self._channels[chan["id"]]
        is_thread = "thread_metadata" in chan
        event = "THREAD_DELETE" if is_thread else "CHANNEL_DELETE"
        await self._echo(event, dict(chan), INTENT_GUILDS)
        return _json(chan)

    # --- REST: guilds, members, scheduled events -----------------------------------------

    def _guild_or_404(self, request: web.Request) -> tuple[str | None, web.Response | None]:
        guild_id = request.match_info["guild_id"]
        if guild_id not in self._guild_data:
            return None, _unknown("Guild", 10004)
        return guild_id, None

    async def _get_guild(self, request: web.Request) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        if failure is not None or guild_id is None:
            return failure or _unknown("Guild", 10004)
        data = self._guild_object(guild_id)
        if _truthy(request.query.get("with_counts")):
            data["approximate_member_count"] = len(self._members[guild_id])
            data["approximate_presence_count"] = 0
        return _json(data)

    async def _list_guild_channels(self, request: web.Request) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        return failure or _json(self._guild_create(guild_id or "")["channels"])

    async def _create_guild_channel(self, request: web.Request) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        if failure is not None or guild_id is None:
            return failure or _unknown("Guild", 10004)
        body = request[BODY] or {}
        created = p.channel(
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
        return _json(created, status=201)

    async def _list_roles(self, request: web.Request) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        return failure or _json(self._guild_data[guild_id or ""]["roles"])

    async def _list_members(self, request: web.Request) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        if failure is not None or guild_id is None:
            return failure or _unknown("Guild", 10004)
        after = int(request.query.get("after", 0))
        members = sorted(self._members[guild_id].values(), key=lambda m: int(m["user"]["id"]))
        members = [m for m in members if int(m["user"]["id"]) > after]
        return _json(members[: int(request.query.get("limit", 1))])

    async def _get_member(self, request: web.Request) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        if failure is not None or guild_id is None:
            return failure or _unknown("Guild", 10004)
        found = self._members[guild_id].get(request.match_info["user_id"])
        return _json(found) if found else _unknown("Member", 10007)

    async def _patch_member(self, request: web.Request) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        if failure is not None or guild_id is None:
            return failure or _unknown("Guild", 10004)
        user_id = request.match_info["user_id"]
        found = self._members[guild_id].get(self.bot_user["id"] if user_id == "@me" else user_id)
        if found is None:
            return _unknown("Member", 10007)
        body = request[BODY] or {}
        found.update({k: body[k] for k in ("nick", "roles") if k in body})
        return _json(found)

    async def _change_role(self, request: web.Request, add: bool) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        if failure is not None or guild_id is None:
            return failure or _unknown("Guild", 10004)
        found = self._members[guild_id].get(request.match_info["user_id"])
        if found is None:
            return _unknown("Member", 10007)
        role_id = request.match_info["role_id"]
        roles = [r for r in found["roles"] if r != role_id]
        found["roles"] = [*roles, role_id] if add else roles
        return _no_content()

    async def _add_role(self, request: web.Request) -> web.Response:
        return await self._change_role(request, add=True)

    async def _remove_role(self, request: web.Request) -> web.Response:
        return await self._change_role(request, add=False)

    async def _list_events(self, request: web.Request) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        return failure or _json(self.scheduled_events(guild_id or ""))

    async def _create_event(self, request: web.Request) -> web.Response:
        guild_id, failure = self._guild_or_404(request)
        if failure is not None or guild_id is None:
            return failure or _unknown("Guild", 10004)
        body = request[BODY] or {}
        external = int(body.get("entity_type", 0)) == 3
        location = (body.get("entity_metadata") or {}).get("location")
        missing = [k for k in ("name", "scheduled_start_time", "entity_type") if not body.get(k)]
        if external and not (location and body.get("scheduled_end_time")):
            missing.append("entity_metadata.location/scheduled_end_time")
        if missing:
            errors = {k: {"_errors": [{"code": "BASE_TYPE_REQUIRED"}]} for k in missing}
            return _error(400, "Invalid Form Body", 50035, errors)
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
        return _json(event)

    def _event_or_404(self, request: web.Request) -> dict | None:
        event = self._events.get(request.match_info["event_id"])
        return event if event and event["guild_id"] == request.match_info["guild_id"] else None

    async def _get_event(self, request: web.Request) -> web.Response:
        event = self._event_or_404(request)
        return _json(event) if event else _unknown("Guild Scheduled Event", 10070)

    async def _patch_event(self, request: web.Request) -> web.Response:
        event = self._event_or_404(request)
        if event is None:
            return _unknown("Guild Scheduled Event", 10070)
        event.update(request[BODY] or {})
        await self._echo("GUILD_SCHEDULED_EVENT_UPDATE", dict(event), INTENT_GUILD_SCHEDULED_EVENTS)
        return _json(event)

    async def _delete_event(self, request: web.Request) -> web.Response:
        event = self._event_or_404(request)
        if event is None:
            return _unknown("Guild Scheduled Event", 10070)
        del self._events[event["id"]]
        await self._echo("GUILD_SCHEDULED_EVENT_DELETE", dict(event), INTENT_GUILD_SCHEDULED_EVENTS)
        return _no_content()

    def guild_create_payloads(self) -> list[dict]:
        """The current GUILD_CREATE data of every guild (what a connecting client gets)."""
        return [self._guild_create(guild_id) for guild_id in self._guild_data]


# --- module helpers ----------------------------------------------------------------------


async def _read_body(request: web.Request) -> tuple[Any, tuple[RecordedFile, ...]]:
    """The JSON body (or multipart ``payload_json``) and any uploaded files."""
    if not request.body_exists:
        request[FILES] = ()
        return None, ()
    if request.content_type == "multipart/form-data":
        form = await request.post()
        body: Any = None
        files: list[RecordedFile] = []
        for name, value in form.items():
            if not isinstance(value, FileField):
                if name == "payload_json":
                    body = json.loads(value)
                continue
            files.append(RecordedFile(name, value.filename, value.content_type, value.file.read()))
        request[FILES] = tuple(files)
        return body, tuple(files)
    request[FILES] = ()
    text = await request.text()
    try:
        return json.loads(text), ()
    except ValueError:
        return text, ()


def _rate_limit_headers(limit: int, remaining: int, reset_after: float) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(max(0, remaining)),
        "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        "X-RateLimit-Bucket": "fake-channel-messages",
    }


def _emoji_payload(key: str) -> dict:
    """A reaction path segment (``🔥`` or ``name:id``) as Discord's emoji object."""
    name, _, emoji_id = key.partition(":")
    return {"id": emoji_id or None, "name": name}


def _command_errors(cmd: dict, depth: int = 0) -> dict:
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
        nested = _command_errors(opt, depth + 1)
        if opt.get("type") not in (1, 2):
            if opt.get("required") and seen_optional:
                nested["required"] = {"_errors": [{"code": "APPLICATION_COMMAND_OPTIONS_ORDER"}]}
            seen_optional = seen_optional or not opt.get("required")
        if nested:
            errors.setdefault("options", {})[str(index)] = nested
    return errors


# --- running real discord.py clients against the fake ------------------------------------


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeDiscord,
    client: discord.Client,
    *,
    timeout: float = 10.0,  # noqa: ASYNC109 - bounds the whole start-up
) -> AsyncIterator[discord.Client]:
    """Start ``client`` against ``fake`` over REST + gateway and wait for its ``on_ready``.

    Build the client with ``guild_ready_timeout=0.05`` (discord.py waits that long after the
    last GUILD_CREATE before ``on_ready``; the default is 2 s). On exit the client is closed,
    which closes its HTTP session and websocket."""
    with patched_discord_base(fake.api_base, fake.gateway_url):
        runner = asyncio.create_task(client.start(fake.token), name="fake-discord-client")

        async def ready() -> None:
            await fake.wait_until_ready(timeout)
            await client.wait_until_ready()

        waiter = asyncio.create_task(ready())
        try:
            done, _ = await asyncio.wait(
                {runner, waiter}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if runner in done:
                runner.result()
                raise RuntimeError("the client stopped before it was ready")
            if waiter not in done:
                raise TimeoutError(f"the client was not ready within {timeout} s")
            waiter.result()
            yield client
        finally:
            waiter.cancel()
            if not client.is_closed():
                await client.close()
            await asyncio.wait({runner}, timeout=timeout)
            if runner.done() and not runner.cancelled() and runner.exception() is not None:
                fake.handler_errors.append(runner.exception() or RuntimeError("client failed"))


@contextlib.asynccontextmanager
async def logged_in_client(
    fake: FakeDiscord, client: discord.Client
) -> AsyncIterator[discord.Client]:
    """Log ``client`` in over REST only (runs ``setup_hook``) and load the fake's guilds into
    its cache, without a websocket. Pair with :func:`feed_interaction`."""
    with patched_discord_base(fake.api_base, fake.gateway_url):
        await client.login(fake.token)
        try:
            for guild_data in fake.guild_create_payloads():
                client._connection._add_guild_from_data(guild_data)  # type: ignore[arg-type]
            yield client
        finally:
            await client.close()


def feed_interaction(fake: FakeDiscord, client: discord.Client, payload: dict) -> None:
    """Register ``payload`` with the fake and parse it with the client's real
    ``ConnectionState.parse_interaction_create`` (no gateway framing)."""
    fake.register_interaction(payload)
    client._connection.parse_interaction_create(payload)  # type: ignore[arg-type]
