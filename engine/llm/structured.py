"""Structured-output helpers: strict JSON-object extraction, reply caps and strict schemas."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from engine.llm.errors import LLMInvalidOutput

# A token is about four characters; allow generous slack before calling a reply over-long.
CHARS_PER_TOKEN_CAP = 8
_NAME_UNSAFE = re.compile(r"[^a-zA-Z0-9_-]")


def first_json_object(text: str) -> str | None:
    """The first balanced ``{...}`` in ``text`` (braces inside JSON strings do not count)."""
    start = text.find("{")
    while start != -1:
        end = _balanced_end(text, start)
        if end is not None:
            return text[start : end + 1]
        start = text.find("{", start + 1)
    return None


def _balanced_end(text: str, start: int) -> int | None:
    depth = 0
    in_string = False
    escaped = False
    for index in range(start, len(text)):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
    return None


def parse_json_object(text: str) -> dict[str, Any]:
    """Strictly parse the JSON object in a reply; anything else is LLMInvalidOutput."""
    candidate = first_json_object(text)
    if candidate is None:
        raise LLMInvalidOutput("no JSON object in reply")
    try:
        value = json.loads(candidate)
    except json.JSONDecodeError as exc:
        raise LLMInvalidOutput(f"reply JSON does not parse: {exc.msg} at {exc.pos}") from exc
    if not isinstance(value, dict):
        raise LLMInvalidOutput("reply JSON is not an object")
    return value


def check_reply_length(text: str, max_tokens: int) -> None:
    """Refuse a reply far longer than the request allowed (a server ignoring max_tokens)."""
    limit = max_tokens * CHARS_PER_TOKEN_CAP
    if len(text) > limit:
        raise LLMInvalidOutput(f"reply too long: {len(text)} chars > cap {limit}")


def tool_name(schema_name: str) -> str:
    """A vendor-safe tool / schema name (a-z, 0-9, _ and -, at most 64 chars)."""
    cleaned = _NAME_UNSAFE.sub("_", schema_name)[:64]
    return cleaned or "response"


def strict_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of a pydantic JSON schema in the subset OpenAI's strict mode accepts: every
    object closed (additionalProperties false) with every property required; no defaults."""
    result = copy.deepcopy(schema)
    _make_strict(result)
    return result


def _make_strict(node: Any) -> None:
    if isinstance(node, dict):
        node.pop("default", None)
        properties = node.get("properties")
        if node.get("type") == "object" or isinstance(properties, dict):
            node["additionalProperties"] = False
            node["required"] = list(properties) if isinstance(properties, dict) else []
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for child in value.values():
                    _make_strict(child)
            else:
                _make_strict(value)
    elif isinstance(node, list):
        for item in node:
            _make_strict(item)
