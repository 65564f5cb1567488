"""The fake Discord's wire basics: API constants, recorded-request types, JSON responses."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

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
class Bucket:
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


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    # Exactly "application/json" (no charset), as Discord sends: discord.py compares the
    # header verbatim and would otherwise hand the raw text to its parsers.
    body = json.dumps(data).encode()
    return web.Response(body=body, status=status, headers=headers, content_type="application/json")


def no_content() -> web.Response:
    return web.Response(status=204)


def error_response(status: int, message: str, code: int, errors: Any = None) -> web.Response:
    body: dict[str, Any] = {"message": message, "code": code}
    if errors is not None:
        body["errors"] = errors
    return json_response(body, status=status)


def unknown(what: str, code: int) -> web.Response:
    return error_response(404, f"Unknown {what}", code)


def truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true")


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000+00:00", time.gmtime())


def emoji_payload(key: str) -> dict:
    """A reaction path segment (``🔥`` or ``name:id``) as Discord's emoji object."""
    name, _, emoji_id = key.partition(":")
    return {"id": emoji_id or None, "name": name}
