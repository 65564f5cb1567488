"""What the real SDK clients send and how replies are read, over HTTP to the fake vendor server."""

from __future__ import annotations

from typing import Any

import pytest
from llmprov_http_support import SECRET, ListRecorder, request_for

from engine.llm.errors import LLMAuthError
from tests.fakes.fake_llm_server import FakeLLMServer, ok, text_reply


async def test_anthropic_sends_a_cacheable_system_block_and_native_schema(
    fake_server: FakeLLMServer, settings_for: Any, build: Any, recorder: ListRecorder
) -> None:
    provider = build("anthropic", settings_for("anthropic"))
    fake_server.queue(ok({"action_id": "grapple"}, input_tokens=1200, cached_tokens=1000))

    response = await provider.complete(request_for(guild_id=3, match_id=4, tick=5))

    assert response.parsed == {"action_id": "grapple"}
    assert (response.usage.tokens_in, response.usage.tokens_cached) == (1200, 1000)
    [sent] = fake_server.requests_to("/v1/messages")
    body = sent.body
    assert body["system"] == [
        {
            "type": "text",
            "text": "RULES: strike, grapple, pin. You are The Giant.",
            "cache_control": {"type": "ephemeral"},
        }
    ]
    assert body["messages"] == [{"role": "user", "content": "Tick 4. Choose."}]
    assert body["output_config"]["format"]["type"] == "json_schema"
    assert body["output_config"]["format"]["schema"]["required"] == ["action_id"]
    assert body["max_tokens"] == 200 and body["model"] == "fake-small"
    assert "thinking" not in body and "tools" not in body
    assert sent.header("anthropic-version")
    # the recorded call carries the cached tokens and their cheaper price
    [record] = recorder.records
    assert record.usage.tokens_cached == 1000
    assert record.cost_usd == pytest.approx((200 * 1.0 + 1000 * 0.1 + 30 * 5.0) / 1e6)
    assert (record.guild_id, record.match_id, record.tick) == (3, 4, 5)


async def test_anthropic_tool_mode_forces_the_schema_tool(
    fake_server: FakeLLMServer, settings_for: Any, build: Any
) -> None:
    provider = build("anthropic", settings_for("anthropic", structured="tool"))
    fake_server.queue(ok({"action_id": "pin", "intent": "finish it"}))

    response = await provider.complete(request_for())

    assert response.parsed == {"action_id": "pin", "intent": "finish it"}
    assert response.stop_reason == "tool_use"
    body = fake_server.requests_to("/v1/messages")[0].body
    assert body["tool_choice"] == {
        "type": "tool",
        "name": "ChooseAction",
        "disable_parallel_tool_use": True,
    }
    assert body["tools"][0]["input_schema"]["properties"]["action_id"] == {"type": "string"}
    assert "output_config" not in body


@pytest.mark.parametrize(
    ("reasoning", "expected"),
    [
        ("disabled", {"thinking": {"type": "disabled"}}),
        ("low", {"output_config_effort": "low"}),
        (None, {}),
    ],
)
async def test_anthropic_reasoning_option_only_when_configured(
    fake_server: FakeLLMServer,
    settings_for: Any,
    build: Any,
    reasoning: str | None,
    expected: dict[str, Any],
) -> None:
    settings = settings_for("anthropic")
    alias = settings.models["small"].model_copy(update={"reasoning": reasoning})
    settings = settings.model_copy(update={"models": {"small": alias}})
    provider = build("anthropic", settings)

    await provider.complete(request_for())

    body = fake_server.requests_to("/v1/messages")[0].body
    assert body.get("thinking") == expected.get("thinking")
    assert body["output_config"].get("effort") == expected.get("output_config_effort")


async def test_openai_sends_strict_json_schema_and_minimal_reasoning(
    fake_server: FakeLLMServer, settings_for: Any, build: Any
) -> None:
    settings = settings_for("openai")
    alias = settings.models["small"].model_copy(
        update={"reasoning": "minimal", "temperature": False}
    )
    provider = build("openai", settings.model_copy(update={"models": {"small": alias}}))
    fake_server.queue(ok({"action_id": "strike"}, input_tokens=900, cached_tokens=768))

    response = await provider.complete(request_for(seed=11))

    assert response.parsed == {"action_id": "strike"}
    assert (response.usage.tokens_in, response.usage.tokens_cached) == (900, 768)
    [sent] = fake_server.requests_to("/v1/chat/completions")
    body = sent.body
    assert body["messages"][0] == {
        "role": "system",
        "content": "RULES: strike, grapple, pin. You are The Giant.",
    }
    assert body["response_format"]["type"] == "json_schema"
    json_schema = body["response_format"]["json_schema"]
    assert json_schema["name"] == "ChooseAction" and json_schema["strict"] is True
    assert json_schema["schema"]["additionalProperties"] is False
    assert json_schema["schema"]["required"] == ["action_id", "intent"]
    assert body["reasoning_effort"] == "minimal"
    assert "temperature" not in body
    assert body["max_completion_tokens"] == 200 and body["seed"] == 11
    assert sent.header("authorization") == f"Bearer {SECRET}"


async def test_openai_without_reasoning_option_sends_temperature_only(
    fake_server: FakeLLMServer, settings_for: Any, build: Any
) -> None:
    provider = build("openai", settings_for("openai"))
    await provider.complete(request_for(temperature=0.4))
    body = fake_server.requests_to("/v1/chat/completions")[0].body
    assert "reasoning_effort" not in body
    assert body["temperature"] == 0.4


async def test_openai_compatible_prompt_mode_parses_json_out_of_prose(
    fake_server: FakeLLMServer, settings_for: Any, build: Any
) -> None:
    settings = settings_for("ollama", structured="prompt", api_key_env=None)
    provider = build("ollama", settings, env={})
    fake_server.required_key = None
    fake_server.queue(
        text_reply('Here you go: {"action_id": "taunt", "intent": "play to the crowd"} Enjoy!')
    )

    response = await provider.complete(request_for())

    assert response.parsed == {"action_id": "taunt", "intent": "play to the crowd"}
    body = fake_server.requests_to("/v1/chat/completions")[0].body
    assert "response_format" not in body
    assert body["max_tokens"] == 200 and "max_completion_tokens" not in body


@pytest.mark.parametrize("vendor", ["anthropic", "openai"])
async def test_model_listing_in_each_vendor_shape(
    fake_server: FakeLLMServer, settings_for: Any, build: Any, vendor: str
) -> None:
    fake_server.models = ("alpha-1", "beta-2")
    provider = build(vendor, settings_for(vendor))
    assert await provider.list_models() == ["alpha-1", "beta-2"]


@pytest.mark.parametrize("vendor", ["anthropic", "openai"])
async def test_rejected_key_is_an_auth_error_without_the_key(
    fake_server: FakeLLMServer, settings_for: Any, build: Any, vendor: str
) -> None:
    provider = build(vendor, settings_for(vendor), env={"TEST_LLM_KEY": "sk-wrong-key-123"})
    with pytest.raises(LLMAuthError) as raised:
        await provider.complete(request_for())
    assert "401" in raised.value.reason
    assert "sk-wrong" not in raised.value.reason + raised.value.user_message
    assert len(fake_server.requests) == 1  # auth failures are not retried


@pytest.mark.parametrize(("send", "expected"), [(True, 0.3), (None, None)])
async def test_anthropic_sends_temperature_only_for_models_that_take_it(
    fake_server: FakeLLMServer,
    settings_for: Any,
    build: Any,
    send: bool | None,
    expected: float | None,
) -> None:
    settings = settings_for("anthropic")
    alias = settings.models["small"].model_copy(update={"temperature": send})
    provider = build("anthropic", settings.model_copy(update={"models": {"small": alias}}))

    await provider.complete(request_for(temperature=0.3))

    assert fake_server.requests_to("/v1/messages")[0].body.get("temperature") == expected
