"""Vendor wire formats for the fake LLM server: Anthropic and OpenAI replies and error bodies."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from tests.fakes.fake_llm_server import Behaviour

ANTHROPIC_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}
OPENAI_ERROR_TYPES = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    404: ("invalid_request_error", "model_not_found"),
    429: ("requests", "rate_limit_exceeded"),
    500: ("server_error", None),
}


def error_response(
    vendor: str, status: int, message: str, headers: dict[str, str] | None = None
) -> web.Response:
    if vendor == "anthropic":
        body: dict[str, Any] = {
            "type": "error",
            "error": {"type": ANTHROPIC_ERROR_TYPES.get(status, "api_error"), "message": message},
            "request_id": "req_fake",
        }
    else:
        kind, code = OPENAI_ERROR_TYPES.get(status, ("server_error", None))
        body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return web.json_response(body, status=status, headers=headers)


def reply_text(behaviour: Behaviour) -> str:
    if behaviour.kind == "text":
        return behaviour.text
    if behaviour.kind == "overlong":
        return ("The crowd roars as the action spills everywhere. " * 1000)[: behaviour.chars]
    return json.dumps(behaviour.payload or {})


def anthropic_reply(body: dict[str, Any], behaviour: Behaviour, counter: int) -> dict[str, Any]:
    tool_choice = body.get("tool_choice") or {}
    stop_details = None
    if behaviour.kind == "refusal":
        content: list[dict[str, Any]] = []
        stop_reason = "refusal"
        stop_details = {"type": "refusal", "category": "general_harms", "explanation": None}
    elif behaviour.kind == "ok" and tool_choice.get("type") == "tool":
        content = [
            {
                "type": "tool_use",
                "id": f"toolu_fake_{counter}",
                "name": tool_choice["name"],
                "input": behaviour.payload or {},
            }
        ]
        stop_reason = "tool_use"
    else:
        content = [{"type": "text", "text": reply_text(behaviour)}]
        stop_reason = "max_tokens" if behaviour.truncated else "end_turn"
    return {
        "id": f"msg_fake_{counter}",
        "type": "message",
        "role": "assistant",
        "model": body.get("model", "fake"),
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "stop_details": stop_details,
        "usage": {
            "input_tokens": behaviour.input_tokens - behaviour.cached_tokens,
            "output_tokens": behaviour.output_tokens,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": behaviour.cached_tokens,
        },
    }


def openai_reply(body: dict[str, Any], behaviour: Behaviour, counter: int) -> dict[str, Any]:
    refused = behaviour.kind == "refusal"
    message = {
        "role": "assistant",
        "content": None if refused else reply_text(behaviour),
        "refusal": "I'm sorry, I can't help with that." if refused else None,
    }
    return {
        "id": f"chatcmpl-fake-{counter}",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": body.get("model", "fake"),
        "system_fingerprint": "fp_fake",
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "length" if behaviour.truncated else "stop",
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": behaviour.input_tokens,
            "completion_tokens": behaviour.output_tokens,
            "total_tokens": behaviour.input_tokens + behaviour.output_tokens,
            "prompt_tokens_details": {"cached_tokens": behaviour.cached_tokens, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0},
        },
    }
