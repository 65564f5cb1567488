"""Ollama extras beyond its OpenAI-compatible API: list local tags, pull a model with progress."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp

from engine.llm.errors import LLMUnavailable
from engine.models.base import Frozen


class PullProgress(Frozen):
    """One NDJSON line of ``POST /api/pull``; total/completed appear while layers download."""

    status: str
    digest: str | None = None
    total: int | None = None
    completed: int | None = None

    @property
    def fraction(self) -> float | None:
        if not self.total or self.completed is None:
            return None
        return min(1.0, self.completed / self.total)

    @property
    def done(self) -> bool:
        return self.status == "success"


def native_base_url(base_url: str) -> str:
    """Ollama's native API root from its OpenAI-compatible base URL (``.../v1``)."""
    root = base_url.rstrip("/")
    return root[: -len("/v1")] if root.endswith("/v1") else root


class OllamaAdmin:
    """Talks to Ollama's native API. Pass a session to reuse connections; otherwise each call
    opens and closes its own."""

    def __init__(
        self,
        base_url: str,
        *,
        session: aiohttp.ClientSession | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self._root = native_base_url(base_url)
        self._session = session
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)

    async def list_tags(self) -> list[str]:
        """Names of the models already pulled (``GET /api/tags``)."""
        body = await self._get_json("/api/tags")
        models = body.get("models") if isinstance(body, dict) else None
        if not isinstance(models, list):
            raise LLMUnavailable("ollama: /api/tags reply has no model list", retryable=False)
        return [str(m.get("name") or m.get("model")) for m in models if isinstance(m, dict)]

    async def pull(self, model: str) -> AsyncIterator[PullProgress]:
        """Pull ``model``, yielding each progress line until ``success``. A line with an
        ``error`` field raises LLMUnavailable. Downloads are long: no total timeout here."""
        session, owned = self._session_for_call(total_timeout=False)
        try:
            async with session.post(
                f"{self._root}/api/pull", json={"model": model, "stream": True}
            ) as response:
                if response.status != 200:
                    raise LLMUnavailable(
                        f"ollama: pull {model} failed ({response.status})",
                        status=response.status,
                        retryable=False,
                    )
                async for raw in response.content:
                    line = raw.strip()
                    if not line:
                        continue
                    yield _progress(line, model)
        except aiohttp.ClientError as exc:
            raise LLMUnavailable(f"ollama: cannot reach {self._root}") from exc
        finally:
            if owned:
                await session.close()

    async def _get_json(self, path: str) -> Any:
        session, owned = self._session_for_call(total_timeout=True)
        try:
            async with session.get(f"{self._root}{path}", timeout=self._timeout) as response:
                if response.status != 200:
                    raise LLMUnavailable(
                        f"ollama: GET {path} failed ({response.status})", status=response.status
                    )
                return await response.json(content_type=None)
        except (aiohttp.ClientError, json.JSONDecodeError) as exc:
            raise LLMUnavailable(f"ollama: cannot read {path} from {self._root}") from exc
        finally:
            if owned:
                await session.close()

    def _session_for_call(self, *, total_timeout: bool) -> tuple[aiohttp.ClientSession, bool]:
        if self._session is not None:
            return self._session, False
        timeout = self._timeout if total_timeout else aiohttp.ClientTimeout(sock_connect=10)
        return aiohttp.ClientSession(timeout=timeout), True


def _progress(line: bytes, model: str) -> PullProgress:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise LLMUnavailable(f"ollama: unreadable pull progress for {model}") from exc
    if not isinstance(data, dict):
        raise LLMUnavailable(f"ollama: unreadable pull progress for {model}")
    if "error" in data:
        raise LLMUnavailable(f"ollama: pull {model}: {str(data['error'])[:160]}", retryable=False)
    return PullProgress(
        status=str(data.get("status", "")),
        digest=data.get("digest"),
        total=data.get("total"),
        completed=data.get("completed"),
    )
