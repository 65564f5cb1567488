"""The fake Discord's REST plumbing: request log, body parsing, auth and rate limiting."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from typing import Any

from aiohttp import web
from aiohttp.web_request import FileField

from tests.fakes.discord.wire import (
    API_PREFIX,
    BODY,
    FILES,
    RATE_LIMIT_HEADERS,
    Bucket,
    RateLimitPolicy,
    RecordedFile,
    RecordedRequest,
    error_response,
    json_response,
)


class RestPlumbingMixin:
    """Every REST call passes through here and is recorded.

    Mixed into :class:`rig.FakeDiscord`, whose ``__init__`` owns the state."""

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

    # --- rate limiting -------------------------------------------------------------------

    def enable_channel_rate_limit(
        self, limit: int = 5, per_seconds: float = 5.0, *, advertise_headers: bool = True
    ) -> None:
        self._rate_limit = RateLimitPolicy(limit, per_seconds, advertise_headers)
        self._buckets.clear()

    def disable_channel_rate_limit(self) -> None:
        self._rate_limit = None

    # --- REST plumbing -------------------------------------------------------------------

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path == "/gateway":
            return await handler(request)
        body, files = await read_body(request)
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
            response = error_response(exc.status, f"{exc.status}: {exc.reason}", 0)
        except Exception as exc:  # a fake bug must fail the test fast, not trigger 5xx retries
            logging.getLogger(__name__).exception("FakeDiscord handler failed: %s", path)
            self.handler_errors.append(exc)
            response = error_response(400, f"FakeDiscord handler error: {exc!r}", 0)
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
            return error_response(401, "401: Unauthorized", 0)
        return None

    def _check_rate_limit(self, request: web.Request, path: str) -> web.Response | None:
        policy = self._rate_limit
        target = re.fullmatch(r"/channels/(\d+)/messages", path)
        if policy is None or request.method != "POST" or target is None:
            return None
        channel_id, now = target.group(1), time.monotonic()
        bucket = self._buckets.get(channel_id)
        if bucket is None or now - bucket.window_start >= policy.per_seconds:
            bucket = self._buckets[channel_id] = Bucket(window_start=now)
        reset_after = max(0.001, bucket.window_start + policy.per_seconds - now)
        if bucket.used >= policy.limit:
            self.rate_limited_count += 1
            headers = rate_limit_headers(policy.limit, 0, reset_after)
            headers.update({"Retry-After": str(int(reset_after) + 1), "Via": "1.1 google"})
            headers["X-RateLimit-Scope"] = "shared"
            body = {"message": "You are being rate limited.", "retry_after": reset_after}
            return json_response(body | {"global": False}, status=429, headers=headers)
        bucket.used += 1
        if policy.advertise_headers:
            remaining = policy.limit - bucket.used
            request[RATE_LIMIT_HEADERS] = rate_limit_headers(policy.limit, remaining, reset_after)
        return None


async def read_body(request: web.Request) -> tuple[Any, tuple[RecordedFile, ...]]:
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


def rate_limit_headers(limit: int, remaining: int, reset_after: float) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(max(0, remaining)),
        "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        "X-RateLimit-Bucket": "fake-channel-messages",
    }
