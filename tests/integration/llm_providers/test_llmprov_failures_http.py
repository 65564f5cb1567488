"""Failure modes through the full provider stack (real SDK -> HTTP -> fake vendor server)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from llmprov_http_support import ListRecorder, request_for

from engine.llm.errors import (
    LLMInvalidOutput,
    LLMRateLimited,
    LLMRefused,
    LLMTimeout,
    LLMUnavailable,
)
from tests.fakes.fake_llm_server import (
    FakeLLMServer,
    invalid_json,
    ok,
    overlong,
    rate_limited,
    refusal,
    server_error,
    slow,
)

VENDORS = ["anthropic", "openai"]
PATHS = {"anthropic": "/v1/messages", "openai": "/v1/chat/completions"}


@pytest.mark.parametrize("sdk_retries", [0, 1])
@pytest.mark.parametrize("vendor", VENDORS)
async def test_429_with_retry_after_is_retried_once_and_succeeds(
    fake_server: FakeLLMServer, settings_for: Any, build: Any, vendor: str, sdk_retries: int
) -> None:
    """Whether the SDK (max_retries=1) or our Retrying wrapper (SDK at 0) does it, the
    retry waits for retry-after and there is exactly one."""
    provider = build(vendor, settings_for(vendor, sdk_max_retries=sdk_retries))
    fake_server.queue(rate_limited(retry_after=0.4), ok({"action_id": "rest"}))

    started = time.monotonic()
    response = await provider.complete(request_for())
    elapsed = time.monotonic() - started

    assert response.parsed == {"action_id": "rest"}
    assert len(fake_server.requests_to(PATHS[vendor])) == 2
    assert elapsed >= 0.4


@pytest.mark.parametrize("vendor", VENDORS)
async def test_429_whose_retry_after_passes_the_deadline_is_not_retried(
    fake_server: FakeLLMServer, settings_for: Any, build: Any, vendor: str
) -> None:
    provider = build(vendor, settings_for(vendor))
    fake_server.queue(rate_limited(retry_after=30))

    with pytest.raises(LLMRateLimited) as raised:
        await provider.complete(request_for(deadline_s=2.0))
    assert raised.value.retry_after == 30
    assert len(fake_server.requests_to(PATHS[vendor])) == 1


@pytest.mark.parametrize("vendor", VENDORS)
async def test_500_is_a_typed_error_after_one_retry(
    fake_server: FakeLLMServer,
    settings_for: Any,
    build: Any,
    recorder: ListRecorder,
    vendor: str,
) -> None:
    provider = build(vendor, settings_for(vendor))
    fake_server.set_default(server_error(500))

    with pytest.raises(LLMUnavailable) as raised:
        await provider.complete(request_for())

    assert raised.value.status == 500
    assert len(fake_server.requests_to(PATHS[vendor])) == 2
    [record] = recorder.records
    assert record.error is not None and "500" in record.error


@pytest.mark.parametrize("vendor", VENDORS)
async def test_a_reply_slower_than_the_deadline_times_out_on_time(
    fake_server: FakeLLMServer, settings_for: Any, build: Any, recorder: ListRecorder, vendor: str
) -> None:
    # the factory default: the SDK may retry once, but our deadline still decides
    provider = build(vendor, settings_for(vendor, sdk_max_retries=1))
    fake_server.queue(slow(5.0))

    started = time.monotonic()
    with pytest.raises(LLMTimeout):
        await provider.complete(request_for(deadline_s=0.6))
    elapsed = time.monotonic() - started

    assert elapsed < 0.6 + 0.4
    assert recorder.records[0].error is not None


@pytest.mark.parametrize("vendor", VENDORS)
async def test_invalid_json_is_invalid_output(
    fake_server: FakeLLMServer, settings_for: Any, build: Any, recorder: ListRecorder, vendor: str
) -> None:
    provider = build(vendor, settings_for(vendor))
    fake_server.queue(invalid_json())

    with pytest.raises(LLMInvalidOutput):
        await provider.complete(request_for())
    assert len(fake_server.requests_to(PATHS[vendor])) == 1  # not retried
    assert recorder.records[0].error is not None


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize(("truncated", "reason"), [(False, "too long"), (True, "cut off")])
async def test_overlong_reply_is_refused(
    fake_server: FakeLLMServer,
    settings_for: Any,
    build: Any,
    vendor: str,
    truncated: bool,
    reason: str,
) -> None:
    provider = build(vendor, settings_for(vendor))
    fake_server.queue(overlong(chars=50_000, truncated=truncated))

    with pytest.raises(LLMInvalidOutput, match=reason):
        await provider.complete(request_for(max_tokens=200))


@pytest.mark.parametrize("vendor", VENDORS)
async def test_refusal_is_typed(
    fake_server: FakeLLMServer, settings_for: Any, build: Any, vendor: str
) -> None:
    provider = build(vendor, settings_for(vendor))
    fake_server.queue(refusal())

    with pytest.raises(LLMRefused) as raised:
        await provider.complete(request_for())
    assert raised.value.user_message


@pytest.mark.parametrize("vendor", VENDORS)
async def test_unreachable_server_is_unavailable(
    settings_for: Any, build: Any, vendor: str
) -> None:
    settings = settings_for(vendor, base_url="http://127.0.0.1:9/v1")
    provider = build(vendor, settings)
    with pytest.raises(LLMUnavailable):
        await provider.complete(request_for(deadline_s=3.0))
