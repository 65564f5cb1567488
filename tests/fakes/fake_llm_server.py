"""A fake Anthropic / OpenAI / Ollama HTTP server on 127.0.0.1 for tests with the real SDKs.

It speaks the vendors' wire formats (Messages API, Chat Completions, model lists, Ollama's
/api/tags and streamed /api/pull) and is scripted per test with a queue of behaviours; every
request it receives is logged (path, headers, JSON body). Use it as an async context manager,
or run it as ``python -m tests.fakes.fake_llm_server --port P`` and script it over HTTP
(POST /_control/queue with a JSON list of behaviours, GET /_control/log, POST /_control/reset).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.fake_llm_wire import anthropic_reply, error_response, openai_reply


@dataclass(frozen=True)
class Behaviour:
    """What the next completion request gets. ``input_tokens`` is the whole prompt; the
    Anthropic reply reports ``input_tokens - cached_tokens`` plus ``cache_read_input_tokens``
    (the vendor excludes cached tokens there), OpenAI reports the total as prompt_tokens."""

    kind: str  # ok | rate_limited | error | text | overlong | refusal
    payload: dict[str, Any] | None = None
    text: str = ""
    status: int = 500
    retry_after: float | None = None
    delay_s: float = 0.0
    chars: int = 20_000
    truncated: bool = False
    input_tokens: int = 120
    output_tokens: int = 30
    cached_tokens: int = 0

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def ok(
    payload: dict[str, Any],
    *,
    input_tokens: int = 120,
    output_tokens: int = 30,
    cached_tokens: int = 0,
) -> Behaviour:
    return Behaviour(
        kind="ok",
        payload=payload,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cached_tokens=cached_tokens,
    )


def rate_limited(retry_after: float | None = 1.0) -> Behaviour:
    return Behaviour(kind="rate_limited", status=429, retry_after=retry_after)


def server_error(status: int = 500) -> Behaviour:
    return Behaviour(kind="error", status=status)


def auth_failure() -> Behaviour:
    return Behaviour(kind="error", status=401)


def slow(seconds: float, then: Behaviour | None = None) -> Behaviour:
    return dataclasses.replace(then or ok({"ok": True}), delay_s=seconds)


def text_reply(text: str) -> Behaviour:
    """The reply content is exactly ``text`` (JSON or not)."""
    return Behaviour(kind="text", text=text)


def invalid_json(text: str = 'Sure! {"action_id": "strike", oops') -> Behaviour:
    return text_reply(text)


def overlong(chars: int = 20_000, truncated: bool = False) -> Behaviour:
    return Behaviour(kind="overlong", chars=chars, truncated=truncated)


def refusal() -> Behaviour:
    return Behaviour(kind="refusal")


@dataclass
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)


@dataclass
class PullScript:
    """How /api/pull streams: ``layers`` download steps per layer, ``step_delay_s`` apart."""

    available: tuple[str, ...] = ("llama3.2", "qwen3:0.6b")
    layer_sizes: tuple[int, ...] = (1000, 250)
    steps: int = 4
    step_delay_s: float = 0.0


@dataclass
class FakeState:
    queue: list[Behaviour] = field(default_factory=list)
    default: Behaviour = field(default_factory=lambda: ok({"ok": True}))
    requests: list[ReceivedRequest] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    counter: int = 0


class FakeLLMServer:
    """One server for all three vendors; ``base_url`` suits AsyncAnthropic, ``openai_base_url``
    suits AsyncOpenAI and OpenAI-compatible clients, ``base_url`` is also Ollama's root."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        models: tuple[str, ...] = ("fake-small", "fake-large"),
        ollama_tags: tuple[str, ...] = ("llama3.2:latest",),
        pull: PullScript | None = None,
        required_key: str | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.models = models
        self.ollama_tags = ollama_tags
        self.pull = pull or PullScript()
        self.required_key = required_key
        self.state = FakeState()
        self._runner: web.AppRunner | None = None

    # --- scripting -------------------------------------------------------------------
    def queue(self, *behaviours: Behaviour) -> None:
        self.state.queue.extend(behaviours)

    def set_default(self, behaviour: Behaviour) -> None:
        self.state.default = behaviour

    @property
    def requests(self) -> list[ReceivedRequest]:
        return self.state.requests

    def requests_to(self, path: str) -> list[ReceivedRequest]:
        return [r for r in self.state.requests if r.path == path]

    @property
    def max_in_flight(self) -> int:
        return self.state.max_in_flight

    # --- lifecycle -------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def openai_base_url(self) -> str:
        return f"{self.base_url}/v1"

    async def start(self) -> FakeLLMServer:
        app = web.Application()
        app.router.add_post("/v1/messages", self._anthropic_messages)
        app.router.add_post("/v1/chat/completions", self._openai_chat)
        app.router.add_get("/v1/models", self._models)
        app.router.add_get("/api/tags", self._ollama_tags)
        app.router.add_post("/api/pull", self._ollama_pull)
        app.router.add_post("/_control/queue", self._control_queue)
        app.router.add_get("/_control/log", self._control_log)
        app.router.add_post("/_control/reset", self._control_reset)
        self._runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=0.5, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeLLMServer:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # --- common ----------------------------------------------------------------------
    async def _log(self, request: web.Request) -> ReceivedRequest:
        raw = await request.read()
        try:
            body: Any = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = raw.decode("utf-8", "replace")
        received = ReceivedRequest(request.method, request.path, dict(request.headers), body)
        self.state.requests.append(received)
        return received

    def _authorised(self, received: ReceivedRequest) -> bool:
        if self.required_key is None:
            return True
        bearer = received.header("authorization") or ""
        return self.required_key in (received.header("x-api-key"), bearer.removeprefix("Bearer "))

    def _next(self) -> Behaviour:
        self.state.counter += 1
        return self.state.queue.pop(0) if self.state.queue else self.state.default

    async def _serve(self, request: web.Request, vendor: str) -> web.StreamResponse:
        received = await self._log(request)
        self.state.in_flight += 1
        self.state.max_in_flight = max(self.state.max_in_flight, self.state.in_flight)
        try:
            if not self._authorised(received):
                return error_response(vendor, 401, "invalid x-api-key")
            behaviour = self._next()
            if behaviour.delay_s:
                await asyncio.sleep(behaviour.delay_s)
            if behaviour.kind == "rate_limited":
                headers = {}
                if behaviour.retry_after is not None:
                    headers["retry-after"] = f"{behaviour.retry_after:g}"
                return error_response(vendor, 429, "Rate limit exceeded", headers)
            if behaviour.kind == "error":
                return error_response(vendor, behaviour.status, "Internal server error")
            body = received.body if isinstance(received.body, dict) else {}
            if vendor == "anthropic":
                return web.json_response(anthropic_reply(body, behaviour, self.state.counter))
            return web.json_response(openai_reply(body, behaviour, self.state.counter))
        finally:
            self.state.in_flight -= 1

    # --- vendor endpoints -----------------------------------------------------------
    async def _anthropic_messages(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, "anthropic")

    async def _openai_chat(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, "openai")

    async def _models(self, request: web.Request) -> web.StreamResponse:
        received = await self._log(request)
        anthropic = received.header("anthropic-version") is not None
        if not self._authorised(received):
            return error_response("anthropic" if anthropic else "openai", 401, "invalid x-api-key")
        if anthropic:
            data = [
                {
                    "type": "model",
                    "id": model,
                    "display_name": model.replace("-", " ").title(),
                    "created_at": "2025-01-01T00:00:00Z",
                    "lifecycle": "active",
                }
                for model in self.models
            ]
            return web.json_response(
                {
                    "data": data,
                    "has_more": False,
                    "first_id": self.models[0] if self.models else None,
                    "last_id": self.models[-1] if self.models else None,
                }
            )
        data = [
            {"id": m, "object": "model", "created": 1_700_000_000, "owned_by": "fake"}
            for m in self.models
        ]
        return web.json_response({"object": "list", "data": data})

    async def _ollama_tags(self, request: web.Request) -> web.StreamResponse:
        await self._log(request)
        models = [
            {
                "name": tag,
                "model": tag,
                "modified_at": "2025-01-01T00:00:00Z",
                "size": 2_019_393_189,
                "digest": "a80c4f17acd5" * 4,
                "details": {"format": "gguf", "family": "llama", "parameter_size": "3.2B"},
            }
            for tag in self.ollama_tags
        ]
        return web.json_response({"models": models})

    async def _ollama_pull(self, request: web.Request) -> web.StreamResponse:
        received = await self._log(request)
        body = received.body if isinstance(received.body, dict) else {}
        model = str(body.get("model") or body.get("name") or "")
        response = web.StreamResponse(headers={"Content-Type": "application/x-ndjson"})
        await response.prepare(request)

        async def line(data: dict[str, Any]) -> None:
            await response.write(json.dumps(data).encode() + b"\n")
            if self.pull.step_delay_s:
                await asyncio.sleep(self.pull.step_delay_s)

        await line({"status": "pulling manifest"})
        if model.split(":")[0] not in {m.split(":")[0] for m in self.pull.available}:
            await line({"error": "pull model manifest: file does not exist"})
            await response.write_eof()
            return response
        for index, size in enumerate(self.pull.layer_sizes):
            digest = f"sha256:{index:064x}"
            for step in range(self.pull.steps + 1):
                completed = size * step // self.pull.steps
                await line(
                    {
                        "status": f"pulling {digest[7:19]}",
                        "digest": digest,
                        "total": size,
                        "completed": completed,
                    }
                )
        for status in ("verifying sha256 digest", "writing manifest", "success"):
            await line({"status": status})
        await response.write_eof()
        return response

    # --- control endpoints (for the subprocess mode) ----------------------------------
    async def _control_queue(self, request: web.Request) -> web.StreamResponse:
        items = await request.json()
        self.queue(*(Behaviour(**item) for item in items))
        return web.json_response({"queued": len(items)})

    async def _control_log(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(
            {
                "requests": [dataclasses.asdict(r) for r in self.state.requests],
                "max_in_flight": self.state.max_in_flight,
            }
        )

    async def _control_reset(self, request: web.Request) -> web.StreamResponse:
        self.state = FakeState()
        return web.json_response({"reset": True})


async def _serve_forever(host: str, port: int) -> None:
    server = FakeLLMServer(host, port)
    await server.start()
    print(f"fake LLM server listening on {server.base_url}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_forever(args.host, args.port))


if __name__ == "__main__":
    main()
