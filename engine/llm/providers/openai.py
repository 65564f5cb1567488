"""The OpenAI provider (and any OpenAI-compatible server by base_url): chat completions + JSON."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import openai
from openai import AsyncOpenAI

from engine.llm.base import LLMRequest, LLMResponse, LLMUsage
from engine.llm.config import ModelOptions
from engine.llm.errors import LLMInvalidOutput, LLMRefused, LLMUnavailable
from engine.llm.providers.status import (
    SdkErrors,
    error_for_status,
    message_from_body,
    sdk_call,
)
from engine.llm.structured import check_reply_length, parse_json_object, strict_schema, tool_name

SDK_ERRORS = SdkErrors(
    timeout=openai.APITimeoutError,
    status=openai.APIStatusError,
    connection=openai.APIConnectionError,
    base=openai.OpenAIError,
)


class OpenAIProvider:
    """Wraps an ``AsyncOpenAI`` client. ``json_schema`` selects the strict response_format;
    without it the reply is plain text and the first JSON object in it is parsed strictly.
    ``legacy_max_tokens`` sends ``max_tokens`` (what most compatible servers read) instead
    of ``max_completion_tokens``."""

    def __init__(
        self,
        client: AsyncOpenAI,
        name: str = "openai",
        json_schema: bool = True,
        *,
        model_options: Mapping[str, ModelOptions] | None = None,
        legacy_max_tokens: bool = False,
    ) -> None:
        self.name = name
        self._client = client
        self._json_schema = json_schema
        self._options = dict(model_options or {})
        self._legacy_max_tokens = legacy_max_tokens

    def request_arguments(self, request: LLMRequest) -> dict[str, Any]:
        """The keyword arguments for ``chat.completions.create``."""
        options = self._options.get(request.model, ModelOptions())
        # System first and byte-identical across ticks: OpenAI caches the longest shared prefix.
        messages: list[dict[str, str]] = [{"role": "system", "content": request.system}]
        messages.extend({"role": m.role, "content": m.content} for m in request.messages)
        arguments: dict[str, Any] = {
            "model": request.model,
            "messages": messages,
            "seed": request.seed,
            "timeout": request.deadline_s,
        }
        token_key = "max_tokens" if self._legacy_max_tokens else "max_completion_tokens"
        arguments[token_key] = request.max_tokens
        if options.temperature is not False:
            arguments["temperature"] = request.temperature
        if options.reasoning is not None:
            arguments["reasoning_effort"] = options.reasoning
        if self._json_schema:
            arguments["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": tool_name(request.schema_name),
                    "schema": strict_schema(request.response_schema),
                    "strict": True,
                },
            }
        return arguments

    async def complete(self, request: LLMRequest) -> LLMResponse:
        started = time.monotonic()
        arguments = self.request_arguments(request)
        completion = await sdk_call(
            self.name,
            request.deadline_s,
            SDK_ERRORS,
            lambda: self._client.chat.completions.create(**arguments),
        )
        latency = time.monotonic() - started
        return self._response(request, completion, latency)

    def _response(self, request: LLMRequest, completion: Any, latency: float) -> LLMResponse:
        if not completion.choices:
            raise LLMInvalidOutput(f"{self.name}: reply has no choices")
        choice = completion.choices[0]
        message = choice.message
        if message.refusal:
            raise LLMRefused(f"{self.name} refused")
        if choice.finish_reason == "content_filter":
            raise LLMRefused(f"{self.name} content filter")
        text = message.content or ""
        if choice.finish_reason == "length":
            raise LLMInvalidOutput(f"{self.name}: reply cut off at max tokens")
        check_reply_length(text, request.max_tokens)
        parsed = parse_json_object(text)
        return LLMResponse(
            provider=self.name,
            model=completion.model or request.model,
            text=text,
            parsed=parsed,
            usage=_usage(completion.usage),
            latency_s=latency,
            stop_reason=choice.finish_reason,
        )

    async def list_models(self) -> list[str]:
        try:
            return [model.id async for model in self._client.models.list()]
        except openai.APIStatusError as exc:
            raise error_for_status(
                self.name, exc.status_code, api_message=message_from_body(exc.body)
            ) from exc
        except openai.OpenAIError as exc:
            raise LLMUnavailable(f"{self.name}: cannot list models") from exc

    async def aclose(self) -> None:
        await self._client.close()


def _usage(usage: Any) -> LLMUsage:
    if usage is None:
        return LLMUsage()
    details = usage.prompt_tokens_details
    cached = (details.cached_tokens or 0) if details is not None else 0
    return LLMUsage(
        tokens_in=usage.prompt_tokens, tokens_out=usage.completion_tokens, tokens_cached=cached
    )
