"""The offline provider: answers each operation with its registered deterministic function."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from engine.llm.base import LLMRequest, LLMResponse
from engine.llm.config import OFFLINE
from engine.llm.errors import LLMInvalidOutput, LLMUnavailable

OfflineImplementation = Callable[[LLMRequest], dict[str, Any]]


class OfflineProvider:
    """No network, no keys. Determinism comes from the implementations, which see the whole
    request (including ``request.seed``) and nothing else."""

    def __init__(self, registry: Mapping[str, OfflineImplementation], name: str = OFFLINE) -> None:
        self.name = name
        self._registry = dict(registry)

    async def complete(self, request: LLMRequest) -> LLMResponse:
        implementation = self._registry.get(request.operation)
        if implementation is None:
            raise LLMUnavailable(
                f"no offline implementation for operation {request.operation!r}", retryable=False
            )
        parsed = implementation(request)
        if not isinstance(parsed, dict):
            raise LLMInvalidOutput(f"offline {request.operation} did not return an object")
        return LLMResponse(
            provider=self.name,
            model=OFFLINE,
            text=json.dumps(parsed, sort_keys=True, ensure_ascii=False),
            parsed=parsed,
            stop_reason="end_turn",
        )

    async def list_models(self) -> list[str]:
        return [OFFLINE]

    async def aclose(self) -> None:
        return None
