"""The factory's stack end to end: keys, budgets, call limits, concurrency, records, offline."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from llmprov_http_support import SECRET, ListRecorder, SystemClock, request_for

from engine.errors import InvalidInput
from engine.llm.config import LLMSettings
from engine.llm.errors import Fallback, LLMAuthError, LLMBudgetExceeded, LLMRateLimited
from engine.llm.factory import build_provider, build_providers
from tests.fakes.fake_llm_server import FakeLLMServer, ok, rate_limited, slow


@pytest.mark.parametrize("vendor", ["anthropic", "openai"])
def test_missing_key_names_the_variable(
    settings_for: Any, recorder: ListRecorder, clock: SystemClock, vendor: str
) -> None:
    settings = settings_for(vendor, api_key_env="LLMFED_TEST_MISSING_KEY")
    with pytest.raises(LLMAuthError) as raised:
        build_provider(vendor, settings, {"OTHER": SECRET}, recorder, clock)
    assert "LLMFED_TEST_MISSING_KEY" in raised.value.reason
    assert "LLMFED_TEST_MISSING_KEY" in raised.value.user_message
    assert raised.value.fallback is Fallback.OFFLINE_UNTIL_FIXED


def test_vendor_default_key_variable_when_none_is_configured(
    settings_for: Any, recorder: ListRecorder, clock: SystemClock
) -> None:
    settings = settings_for("anthropic", api_key_env=None)
    with pytest.raises(LLMAuthError, match="ANTHROPIC_API_KEY"):
        build_provider("anthropic", settings, {}, recorder, clock)


def test_build_providers_reports_the_ones_it_could_not_build(
    settings_for: Any, recorder: ListRecorder, clock: SystemClock
) -> None:
    built, failed = build_providers(settings_for("openai"), {}, recorder, clock)
    assert set(built) == {"offline"}
    assert set(failed) == {"openai"} and "TEST_LLM_KEY" in failed["openai"].reason


def test_unknown_provider(settings_for: Any, recorder: ListRecorder, clock: SystemClock) -> None:
    with pytest.raises(InvalidInput, match="Unknown LLM provider"):
        build_provider("nope", settings_for("openai"), {}, recorder, clock)


@pytest.mark.parametrize("vendor", ["anthropic", "openai"])
async def test_the_key_never_reaches_logs_errors_or_records(
    fake_server: FakeLLMServer,
    settings_for: Any,
    build: Any,
    recorder: ListRecorder,
    caplog: pytest.LogCaptureFixture,
    vendor: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    provider = build(vendor, settings_for(vendor))
    fake_server.queue(ok({"action_id": "strike"}), rate_limited(retry_after=30))

    await provider.complete(request_for())
    with pytest.raises(LLMRateLimited) as raised:
        await provider.complete(request_for())

    sent = fake_server.requests[0]
    assert SECRET in (sent.header("authorization") or "") + (sent.header("x-api-key") or "")
    assert caplog.records  # the SDKs did log at debug level
    assert SECRET not in caplog.text
    assert SECRET not in str(raised.value) + raised.value.user_message
    assert all(SECRET not in r.model_dump_json() for r in recorder.records)


async def test_daily_budget_stops_calls_and_is_recorded(
    fake_server: FakeLLMServer, settings_for: Any, build: Any, recorder: ListRecorder
) -> None:
    # one call: 100k prompt tokens at $1/M = $0.10 spent; the next call's worst case passes
    settings = settings_for("openai", llm={"daily_budget_usd": 0.101})
    provider = build("openai", settings)
    fake_server.queue(ok({"action_id": "strike"}, input_tokens=100_000, output_tokens=10))

    await provider.complete(request_for(guild_id=42))
    with pytest.raises(LLMBudgetExceeded) as raised:
        await provider.complete(request_for(guild_id=42))
    await provider.complete(request_for(guild_id=43))  # another guild still plays

    assert raised.value.fallback is Fallback.OFFLINE_FOR_DAY
    assert len(fake_server.requests_to("/v1/chat/completions")) == 2
    assert recorder.records[0].cost_usd == pytest.approx(0.10005)
    assert recorder.records[1].error is not None and "budget" in recorder.records[1].error
    assert recorder.records[1].fallback_reason == Fallback.OFFLINE_FOR_DAY.value


async def test_call_limit_per_match(
    fake_server: FakeLLMServer, settings_for: Any, build: Any
) -> None:
    provider = build("anthropic", settings_for("anthropic", call_limit_per_match=2))

    await provider.complete(request_for(match_id=1))
    await provider.complete(request_for(match_id=1))
    with pytest.raises(LLMBudgetExceeded) as raised:
        await provider.complete(request_for(match_id=1))
    await provider.complete(request_for(match_id=2))

    assert raised.value.fallback is Fallback.OFFLINE_FOR_MATCH
    assert len(fake_server.requests_to("/v1/messages")) == 3


@pytest.mark.parametrize("vendor", ["anthropic", "openai"])
async def test_concurrency_limit_is_respected_on_the_wire(
    fake_server: FakeLLMServer, settings_for: Any, build: Any, vendor: str
) -> None:
    provider = build(vendor, settings_for(vendor, max_concurrency=2))
    fake_server.set_default(slow(0.15))

    await asyncio.gather(*(provider.complete(request_for()) for _ in range(6)))

    assert len(fake_server.requests) == 6
    assert fake_server.max_in_flight == 2


async def test_offline_provider_from_the_factory_is_recorded(
    recorder: ListRecorder, clock: SystemClock
) -> None:
    settings = LLMSettings()
    provider = build_provider(
        "offline",
        settings,
        {},
        recorder,
        clock,
        offline_registry={"choose_action": lambda request: {"action_id": "rest"}},
    )
    response = await provider.complete(request_for(model="offline", match_id=3, tick=1))

    assert response.parsed == {"action_id": "rest"}
    assert await provider.list_models() == ["offline"]
    [record] = recorder.records
    assert (record.provider, record.model, record.cost_usd) == ("offline", "offline", 0.0)
