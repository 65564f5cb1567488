"""The provider wrappers: retry within the deadline, limits, budgets, concurrency, records."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest
from llmprov_support import FakeClock, ListRecorder, ScriptedProvider, make_request

from engine.errors import StorageError
from engine.llm.base import CallRecord, LLMResponse, LLMUsage
from engine.llm.config import ModelPrice
from engine.llm.errors import (
    Fallback,
    LLMAuthError,
    LLMBudgetExceeded,
    LLMInvalidOutput,
    LLMRateLimited,
    LLMTimeout,
    LLMUnavailable,
)
from engine.llm.wrappers import (
    Budgeted,
    CallLimited,
    ConcurrencyLimited,
    Recording,
    Retrying,
    day_start,
    render_prompt,
)

PRICE = ModelPrice(input_per_mtok=1.0, output_per_mtok=5.0, cached_input_per_mtok=0.1)


class SleepLog:
    """An asyncio.sleep stand-in that advances the fake clock instead of waiting."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        self.clock.advance(seconds)


# --- Retrying ---------------------------------------------------------------------------


async def test_retrying_waits_retry_after_then_succeeds_with_the_remaining_deadline() -> None:
    clock = FakeClock()
    sleep = SleepLog(clock)
    inner = ScriptedProvider(steps=[LLMRateLimited(retry_after=1.5)])
    provider = Retrying(inner, sleep=sleep, monotonic=clock.monotonic)

    response = await provider.complete(make_request(deadline_s=5.0))

    assert response.parsed == {"action_id": "strike"}
    assert sleep.calls == [1.5]
    assert len(inner.seen) == 2
    assert inner.seen[1].deadline_s == pytest.approx(3.5)


async def test_retrying_gives_up_when_retry_after_would_pass_the_deadline() -> None:
    clock = FakeClock()
    sleep = SleepLog(clock)
    inner = ScriptedProvider(steps=[LLMRateLimited(retry_after=30.0)])
    provider = Retrying(inner, sleep=sleep, monotonic=clock.monotonic)

    with pytest.raises(LLMRateLimited):
        await provider.complete(make_request(deadline_s=5.0))
    assert sleep.calls == []
    assert len(inner.seen) == 1


async def test_retrying_retries_only_once() -> None:
    clock = FakeClock()
    inner = ScriptedProvider(
        steps=[LLMUnavailable("boom", status=500), LLMUnavailable("boom", status=500)]
    )
    provider = Retrying(inner, sleep=SleepLog(clock), monotonic=clock.monotonic)

    with pytest.raises(LLMUnavailable):
        await provider.complete(make_request())
    assert len(inner.seen) == 2


@pytest.mark.parametrize(
    "error",
    [
        LLMAuthError("bad key"),
        LLMInvalidOutput("junk"),
        LLMUnavailable("bad request", status=400, retryable=False),
    ],
)
async def test_retrying_does_not_retry_permanent_errors(error: Exception) -> None:
    clock = FakeClock()
    inner = ScriptedProvider(steps=[error])  # type: ignore[list-item]
    provider = Retrying(inner, sleep=SleepLog(clock), monotonic=clock.monotonic)

    with pytest.raises(type(error)):
        await provider.complete(make_request())
    assert len(inner.seen) == 1


# --- CallLimited ------------------------------------------------------------------------


async def test_call_limit_is_per_match() -> None:
    inner = ScriptedProvider()
    provider = CallLimited(inner, limit_per_match=2)

    for _ in range(2):
        await provider.complete(make_request(match_id=7))
    with pytest.raises(LLMBudgetExceeded) as raised:
        await provider.complete(make_request(match_id=7))
    await provider.complete(make_request(match_id=8))
    await provider.complete(make_request(match_id=None))

    assert raised.value.scope == "match"
    assert raised.value.fallback is Fallback.OFFLINE_FOR_MATCH
    assert len(inner.seen) == 4
    provider.forget_match(7)
    assert provider.calls_for(7) == 0


# --- Budgeted ---------------------------------------------------------------------------


def _spent_record(guild_id: int, cost: float, at: datetime) -> CallRecord:
    return CallRecord(
        operation="narrate", provider="p", model="fake-small", guild_id=guild_id,
        prompt="x", cost_usd=cost, at=at,
    )  # fmt: skip


async def test_budget_refuses_when_todays_spend_plus_this_call_passes_the_budget() -> None:
    clock = FakeClock()
    recorder = ListRecorder()
    recorder.records.append(_spent_record(1, 0.0095, clock.now()))
    inner = ScriptedProvider()
    provider = Budgeted(inner, recorder, {"fake-small": PRICE}, 0.01, clock.now)

    # worst case of this call: ~30 prompt tokens at $1/M + 300 out at $5/M = ~$0.0015
    with pytest.raises(LLMBudgetExceeded) as raised:
        await provider.complete(make_request(guild_id=1, max_tokens=300))
    assert raised.value.fallback is Fallback.OFFLINE_FOR_DAY
    assert inner.seen == []
    # another guild is unaffected
    await provider.complete(make_request(guild_id=2, max_tokens=300))
    assert len(inner.seen) == 1


async def test_budget_resets_at_utc_midnight() -> None:
    clock = FakeClock(current=datetime(2025, 3, 1, 23, 59, tzinfo=UTC))
    recorder = ListRecorder()
    recorder.records.append(_spent_record(1, 5.0, clock.now()))
    provider = Budgeted(ScriptedProvider(), recorder, {"fake-small": PRICE}, 1.0, clock.now)

    with pytest.raises(LLMBudgetExceeded):
        await provider.complete(make_request(guild_id=1))
    clock.advance(120)
    await provider.complete(make_request(guild_id=1))
    assert recorder.asked_day_starts[-1] == datetime(2025, 3, 2, tzinfo=UTC)


async def test_budget_counts_calls_still_in_flight() -> None:
    clock = FakeClock()
    hold = asyncio.Event()
    inner = ScriptedProvider(hold=hold)
    # each call's worst case is ~$0.0015; a $0.002 budget admits one at a time
    provider = Budgeted(inner, ListRecorder(), {"fake-small": PRICE}, 0.002, clock.now)

    first = asyncio.create_task(provider.complete(make_request(guild_id=1)))
    await asyncio.sleep(0)
    with pytest.raises(LLMBudgetExceeded):
        await provider.complete(make_request(guild_id=1))
    hold.set()
    await first
    await provider.complete(make_request(guild_id=1))


async def test_free_models_never_hit_the_budget() -> None:
    clock = FakeClock()
    recorder = ListRecorder()
    recorder.records.append(_spent_record(1, 100.0, clock.now()))
    provider = Budgeted(ScriptedProvider(), recorder, {}, 0.0, clock.now)
    await provider.complete(make_request(guild_id=1))


def test_day_start_is_utc_midnight_for_any_timezone() -> None:
    # 03:00 on 2 March at UTC+5 is still 1 March in UTC
    local = datetime(2025, 3, 2, 3, 0, tzinfo=timezone(timedelta(hours=5)))
    assert day_start(local) == datetime(2025, 3, 1, tzinfo=UTC)


# --- ConcurrencyLimited -----------------------------------------------------------------


async def test_concurrency_limit_caps_calls_in_flight() -> None:
    inner = ScriptedProvider()

    async def slow(request: object) -> LLMResponse:
        await asyncio.sleep(0.02)
        return LLMResponse(provider="scripted", model="m", text="{}", parsed={})

    inner.steps = [slow] * 10
    provider = ConcurrencyLimited(inner, max_concurrency=3)

    await asyncio.gather(*(provider.complete(make_request()) for _ in range(10)))

    assert inner.max_in_flight == 3
    assert len(inner.seen) == 10


async def test_queued_call_times_out_at_its_deadline() -> None:
    hold = asyncio.Event()
    inner = ScriptedProvider(hold=hold)
    provider = ConcurrencyLimited(inner, max_concurrency=1)
    first = asyncio.create_task(provider.complete(make_request(deadline_s=5.0)))
    await asyncio.sleep(0)

    with pytest.raises(LLMTimeout):
        await provider.complete(make_request(deadline_s=0.05))
    hold.set()
    await first
    assert len(inner.seen) == 1


async def test_a_free_slot_passes_the_request_on_untouched_and_a_queued_one_is_trimmed() -> None:
    hold = asyncio.Event()
    inner = ScriptedProvider(hold=hold)
    provider = ConcurrencyLimited(inner, max_concurrency=1)
    first_request = make_request(deadline_s=5.0)
    first = asyncio.create_task(provider.complete(first_request))
    await asyncio.sleep(0)
    second = asyncio.create_task(provider.complete(make_request(deadline_s=5.0)))
    await asyncio.sleep(0.02)
    hold.set()
    await asyncio.gather(first, second)

    assert inner.seen[0] is first_request
    assert 0 < inner.seen[1].deadline_s < 5.0  # the time spent queueing came off its deadline


# --- Recording --------------------------------------------------------------------------


async def test_recording_stores_reply_tokens_latency_and_cost() -> None:
    clock = FakeClock()
    recorder = ListRecorder()
    usage = LLMUsage(tokens_in=2_000, tokens_out=100, tokens_cached=1_500)

    async def reply(request: object) -> LLMResponse:
        clock.advance(0.75)
        return LLMResponse(
            provider="scripted", model="fake-small", text='{"a": 1}', parsed={"a": 1}, usage=usage
        )

    provider = Recording(
        ScriptedProvider(steps=[reply]),
        recorder,
        {"fake-small": PRICE},
        clock.now,
        monotonic=clock.monotonic,
    )
    started = clock.now()
    request = make_request(guild_id=5, match_id=9, tick=3)
    await provider.complete(request)

    [record] = recorder.records
    assert (record.guild_id, record.match_id, record.tick) == (5, 9, 3)
    assert record.at == started
    assert record.latency_s == pytest.approx(0.75)
    assert record.raw_reply == '{"a": 1}' and record.parsed == {"a": 1}
    assert record.usage == usage
    # 500 uncached in at $1/M + 1500 cached at $0.1/M + 100 out at $5/M
    assert record.cost_usd == pytest.approx((500 * 1.0 + 1500 * 0.1 + 100 * 5.0) / 1e6)
    assert request.system in record.prompt and "Tick 3: your move." in record.prompt
    assert record.error is None


async def test_recording_stores_errors_and_reraises() -> None:
    clock = FakeClock()
    recorder = ListRecorder()
    provider = Recording(
        ScriptedProvider(steps=[LLMTimeout("no reply within 5s")]), recorder, {}, clock.now
    )

    with pytest.raises(LLMTimeout):
        await provider.complete(make_request(match_id=1))

    [record] = recorder.records
    assert record.error == "no reply within 5s"
    assert record.fallback_reason == Fallback.OFFLINE.value
    assert record.cost_usd == 0.0


async def test_a_failing_recorder_does_not_fail_the_call() -> None:
    class BrokenRecorder(ListRecorder):
        async def record(self, call: CallRecord) -> None:
            raise StorageError("disk full")

    clock = FakeClock()
    provider = Recording(ScriptedProvider(), BrokenRecorder(), {}, clock.now)
    response = await provider.complete(make_request())
    assert response.parsed == {"action_id": "strike"}


async def test_wrappers_delegate_name_listing_and_close() -> None:
    inner = ScriptedProvider(name="vendor")
    provider = Recording(CallLimited(inner, 3), ListRecorder(), {}, FakeClock().now)
    assert provider.name == "vendor"
    assert await provider.list_models() == ["fake-small"]
    await provider.aclose()
    assert inner.closed


def test_render_prompt_keeps_system_first() -> None:
    text = render_prompt(make_request())
    assert text.index("[system]") < text.index("[user]")
