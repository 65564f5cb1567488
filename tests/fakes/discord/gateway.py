"""The fake Discord gateway: websocket sessions, IDENTIFY/RESUME, dispatches and echoes."""

from __future__ import annotations

import asyncio
import json
import zlib
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web


@dataclass(eq=False)
class GatewayConnection:
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
class GatewaySession:
    session_id: str
    token: str
    intents: int | None
    connection: GatewayConnection | None
    seq: int = 0
    ready: bool = False
    sent: list[dict] = field(default_factory=list)

    def wants(self, intent: int | None) -> bool:
        return intent is None or self.intents is None or bool(self.intents & intent)


class GatewayMixin:
    """The websocket side of FakeDiscord.

    Mixed into :class:`rig.FakeDiscord`, whose ``__init__`` owns the state."""

    # --- gateway -------------------------------------------------------------------------

    @property
    def ready_sessions(self) -> list[GatewaySession]:
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

    async def _send_dispatch(self, session: GatewaySession, event: str, data: dict) -> None:
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
        connection = GatewayConnection(ws, zlib.compressobj() if wants_zlib else None)
        self._connections.add(connection)
        session: GatewaySession | None = None
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
        self, connection: GatewayConnection, session: GatewaySession | None, payload: dict
    ) -> GatewaySession | None:
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

    async def _identify(self, connection: GatewayConnection, data: dict) -> GatewaySession | None:
        self.identify_payloads.append(data)
        if data.get("token") != self.token:
            await connection.ws.close(code=4004, message=b"Authentication failed.")
            return None
        session = GatewaySession(
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

    async def _resume(self, connection: GatewayConnection, data: dict) -> GatewaySession | None:
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

    async def _send_member_chunk(self, session: GatewaySession, data: dict) -> None:
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
