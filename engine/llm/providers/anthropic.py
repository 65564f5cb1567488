"""The Anthropic provider: Messages API with a cached system block and native structured output."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

import anthropic
from anthropic import AsyncAnthropic

from engine.llm.base import LLMRequest, LLMResponse, LLMUsage
from engine.llm.config import ModelOptions, StructuredMode
from engine.llm.errors import LLMInvalidOutput, LLMRefused, LLMUnavailable
from engine.llm.providers.status import (
    SdkErrors,
    error_for_status,
    message_from_body,
    sdk_call,
)
from engine.llm.structured import check_reply_length, parse_json_object, tool_name

EFFORT_LEVELS = frozenset({"low", "medium", "high", "xhigh", "max"})


SDK_ERRORS = SdkErrors(
    timeout=anthropic.APITimeoutError,
    status=anthropic.APIStatusError,
    connection=anthropic.APIConnectionError,
    base=anthropic.AnthropicError,
)


class AnthropicProvider:
    """Wraps an ``AsyncAnthropic`` client (built by the factory with max_retries <= 1)."""

    def __init__(
        self,
        client: AsyncAnthropic,
        name: str = "anthropic",
        *,
        structured: StructuredMode = StructuredMode.NATIVE,
        model_options: Mapping[str, ModelOptions] | None = None,
    ) -> None:
        self.name = name
        self._client = client
        self._structured = structured
        self._options = dict(model_options or {})

    def request_arguments(self, request: LLMRequest) -> dict[str, Any]:
        """The keyword arguments for ``messages.create`` (public so tests can inspect them)."""
        options = self._options.get(request.model, ModelOptions())
        arguments: dict[str, Any] = {
            "model": request.model,
            "max_tokens": request.max_tokens,
            # The stable prefix is one block marked cacheable, so repeated ticks of a match
            # read it from the prompt cache instead of paying for it again.
            "system": [
                {"type": "text", "text": request.system, "cache_control": {"type": "ephemeral"}}
            ],
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "timeout": request.deadline_s,
        }
        output_config: dict[str, Any] = {}
        if self._structured is StructuredMode.NATIVE:
            output_config["format"] = {"type": "json_schema", "schema": request.response_schema}
        elif self._structured is StructuredMode.TOOL:
            name = tool_name(request.schema_name)
            arguments["tools"] = [
                {
                    "name": name,
                    "description": f"Submit the {request.schema_name} answer.",
                    "input_schema": request.response_schema,
                }
            ]
            arguments["tool_choice"] = {
                "type": "tool",
                "name": name,
                "disable_parallel_tool_use": True,
            }
        if options.reasoning == "disabled":
            arguments["thinking"] = {"type": "disabled"}
        elif options.reasoning in EFFORT_LEVELS:
            output_config["effort"] = options.reasoning
        if output_config:
            arguments["output_config"] = output_config
        if options.temperature:
            # This SDK version dropped the keyword; older models still accept the field.
            arguments["extra_body"] = {"temperature": request.temperature}
        return arguments

    async def complete(self, request: LLMRequest) -> LLMResponse:
        started = time.monotonic()
        arguments = self.request_arguments(request)
        message = await sdk_call(
            self.name,
            request.deadline_s,
            SDK_ERRORS,
            lambda: self._client.messages.create(**arguments),
        )
        latency = time.monotonic() - started
        return self._response(request, message, latency)

    def _response(self, request: LLMRequest, message: Any, latency: float) -> LLMResponse:
        usage = _usage(message.usage)
        stop_reason = message.stop_reason
        if stop_reason == "refusal":
            category = getattr(message.stop_details, "category", None)
            raise LLMRefused(f"{self.name} refused" + (f" ({category})" if category else ""))
        if stop_reason == "max_tokens":
            raise LLMInvalidOutput(f"{self.name}: reply cut off at max_tokens")
        parsed: dict[str, Any]
        if self._structured is StructuredMode.TOOL:
            wanted = tool_name(request.schema_name)
            inputs = [
                block.input
                for block in message.content
                if block.type == "tool_use" and block.name == wanted
            ]
            if not inputs or not isinstance(inputs[0], dict):
                raise LLMInvalidOutput(f"{self.name}: no {wanted} tool call in reply")
            parsed = inputs[0]
            text = json.dumps(parsed, ensure_ascii=False)
            check_reply_length(text, request.max_tokens)
        else:
            text = "".join(block.text for block in message.content if block.type == "text")
            check_reply_length(text, request.max_tokens)
            parsed = parse_json_object(text)
        return LLMResponse(
            provider=self.name,
            model=message.model or request.model,
            text=text,
            parsed=parsed,
            usage=usage,
            latency_s=latency,
            stop_reason=stop_reason,
        )

    async def list_models(self) -> list[str]:
        try:
            return [model.id async for model in self._client.models.list(limit=1000)]
        except anthropic.APIStatusError as exc:
            raise error_for_status(
                self.name, exc.status_code, api_message=message_from_body(exc.body)
            ) from exc
        except anthropic.AnthropicError as exc:
            raise LLMUnavailable(f"{self.name}: cannot list models") from exc

    async def aclose(self) -> None:
        await self._client.close()


def _usage(usage: Any) -> LLMUsage:
    cache_read = usage.cache_read_input_tokens or 0
    cache_write = usage.cache_creation_input_tokens or 0
    # Anthropic's input_tokens excludes both cache figures; tokens_in counts the whole prompt.
    return LLMUsage(
        tokens_in=usage.input_tokens + cache_read + cache_write,
        tokens_out=usage.output_tokens,
        tokens_cached=cache_read,
    )
