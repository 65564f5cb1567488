"""Strict JSON extraction, reply caps, strict schemas, status mapping, tokens and cost."""

from __future__ import annotations

import json

import pytest
from llmprov_support import make_request

from engine.llm.base import LLMUsage
from engine.llm.config import ModelPrice
from engine.llm.errors import (
    Fallback,
    LLMAuthError,
    LLMInvalidOutput,
    LLMRateLimited,
    LLMUnavailable,
)
from engine.llm.providers.offline import OfflineProvider
from engine.llm.providers.status import error_for_status, message_from_body, retry_after_seconds
from engine.llm.structured import (
    check_reply_length,
    first_json_object,
    parse_json_object,
    strict_schema,
    tool_name,
)
from engine.llm.tokens import estimate_cost, estimate_tokens, tokenizer_name


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ('{"action_id": "pin"}', {"action_id": "pin"}),
        (
            'Sure! Here it is:\n```json\n{"action_id": "pin", "intent": "go {home}"}\n```',
            {"action_id": "pin", "intent": "go {home}"},
        ),
        ('{"a": {"b": "}"}} and then {"c": 1}', {"a": {"b": "}"}}),
        ('{"quote": "she said \\"}\\" loudly"}', {"quote": 'she said "}" loudly'}),
    ],
)
def test_parse_json_object_finds_the_first_balanced_object(
    reply: str, expected: dict[str, object]
) -> None:
    assert parse_json_object(reply) == expected


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("I will strike.", "no JSON object"),
        ('{"action_id": "pin",', "no JSON object"),
        ("{'action_id': 'pin'}", "does not parse"),
        # strict: only the first balanced object counts, a later valid one is not searched for
        ('noise { not json } then {"ok": true}', "does not parse"),
    ],
)
def test_parse_json_object_rejects_non_objects(reply: str, reason: str) -> None:
    with pytest.raises(LLMInvalidOutput, match=reason):
        parse_json_object(reply)


def test_first_json_object_ignores_arrays() -> None:
    assert first_json_object('[1, 2] {"x": [3]}') == '{"x": [3]}'


def test_reply_length_cap_scales_with_max_tokens() -> None:
    check_reply_length("x" * 800, max_tokens=100)
    with pytest.raises(LLMInvalidOutput, match="too long"):
        check_reply_length("x" * 801, max_tokens=100)


def test_tool_name_is_vendor_safe() -> None:
    assert tool_name("Choose Action/v2") == "Choose_Action_v2"
    assert len(tool_name("x" * 100)) == 64


def test_strict_schema_closes_objects_and_requires_everything() -> None:
    schema = {
        "type": "object",
        "properties": {
            "action_id": {"type": "string"},
            "intent": {"type": "string", "default": ""},
            "target": {"$ref": "#/$defs/Target"},
        },
        "required": ["action_id"],
        "$defs": {
            "Target": {"type": "object", "properties": {"id": {"type": "integer"}}},
        },
    }
    strict = strict_schema(schema)
    assert strict["additionalProperties"] is False
    assert strict["required"] == ["action_id", "intent", "target"]
    assert "default" not in strict["properties"]["intent"]
    assert strict["$defs"]["Target"]["additionalProperties"] is False
    assert strict["$defs"]["Target"]["required"] == ["id"]
    assert schema["required"] == ["action_id"]  # the original is untouched


def test_status_mapping() -> None:
    assert isinstance(error_for_status("p", 401), LLMAuthError)
    assert isinstance(error_for_status("p", 403), LLMAuthError)
    limited = error_for_status("p", 429, headers={"retry-after": "2"})
    assert isinstance(limited, LLMRateLimited) and limited.retry_after == 2.0
    server = error_for_status("p", 529, api_message="Overloaded")
    assert isinstance(server, LLMUnavailable) and server.retryable and "Overloaded" in server.reason
    bad = error_for_status("p", 400, api_message="bad schema")
    assert isinstance(bad, LLMUnavailable) and not bad.retryable


def test_auth_errors_never_repeat_the_vendor_message() -> None:
    error = error_for_status("openai", 401, api_message="Incorrect API key provided: sk-abc***xyz")
    assert "sk-abc" not in error.reason and "sk-abc" not in error.user_message
    assert error.fallback is Fallback.OFFLINE_UNTIL_FIXED


def test_retry_after_forms() -> None:
    assert retry_after_seconds({"retry-after-ms": "250"}) == 0.25
    assert retry_after_seconds({"retry-after": "3"}) == 3.0
    date = "Sat, 01 Mar 2025 21:30:10 GMT"
    assert retry_after_seconds({"retry-after": date}, now=1740864600.0) == pytest.approx(10.0)
    assert retry_after_seconds({}) is None
    assert retry_after_seconds({"retry-after": "soon"}) is None


def test_message_from_either_vendor_body() -> None:
    anthropic = {"type": "error", "error": {"type": "api_error", "message": "Overloaded"}}
    openai_unwrapped = {"message": "Rate limit", "type": "requests"}
    assert message_from_body(anthropic) == "Overloaded"
    assert message_from_body(openai_unwrapped) == "Rate limit"
    assert message_from_body("plain text") is None


def test_estimate_tokens_grows_with_text() -> None:
    short = estimate_tokens("The Giant slams the challenger.")
    long = estimate_tokens("The Giant slams the challenger. " * 40)
    assert 4 <= short <= 12
    assert long > 30 * short // 2
    assert tokenizer_name() in {"cl100k", "chars/4"}


def test_estimate_cost_prices_cached_tokens_separately() -> None:
    price = ModelPrice(input_per_mtok=3.0, output_per_mtok=15.0, cached_input_per_mtok=0.3)
    usage = LLMUsage(tokens_in=1_000_000, tokens_out=100_000, tokens_cached=400_000)
    assert estimate_cost(usage, price) == pytest.approx(0.6 * 3.0 + 0.4 * 0.3 + 0.1 * 15.0)
    assert estimate_cost(usage, ModelPrice()) == 0.0


# --- offline provider -------------------------------------------------------------------


async def test_offline_provider_answers_from_its_registry_deterministically() -> None:
    def choose(request: object) -> dict[str, object]:
        seed = getattr(request, "seed", 0)
        return {"action_id": ["strike", "grapple", "pin"][seed % 3], "seed": seed}

    provider = OfflineProvider({"choose_action": choose})
    first = await provider.complete(make_request(seed=4))
    again = await provider.complete(make_request(seed=4))
    other = await provider.complete(make_request(seed=5))

    assert first == again
    assert first.parsed == {"action_id": "grapple", "seed": 4}
    assert json.loads(first.text) == first.parsed
    assert other.parsed != first.parsed
    assert await provider.list_models() == ["offline"]


async def test_offline_provider_without_an_implementation_is_unavailable() -> None:
    provider = OfflineProvider({})
    with pytest.raises(LLMUnavailable, match="no offline implementation") as raised:
        await provider.complete(make_request(operation="book_card"))
    assert not raised.value.retryable


async def test_offline_registries_are_per_instance() -> None:
    a = OfflineProvider({"choose_action": lambda r: {"who": "a"}})
    b = OfflineProvider({"choose_action": lambda r: {"who": "b"}})
    assert (await a.complete(make_request())).parsed == {"who": "a"}
    assert (await b.complete(make_request())).parsed == {"who": "b"}
