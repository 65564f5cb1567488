"""LLMController, LLMNarrator and promo exchanges against an in-test fake provider."""

from __future__ import annotations

import time

import pytest
from llmops_support import FakeProvider, brick, lila, play_match, setup_for

from engine.llm.agents import AgentEvent, LLMController, LLMNarrator, PromoAgent, promo_exchange
from engine.llm.errors import LLMInvalidOutput, LLMRateLimited, LLMTimeout, LLMUnavailable
from engine.models import ActionId, ControllerKind
from engine.narration.offline import OfflineNarrator
from engine.narration.promo import promo_line_heat
from engine.rules.context import build_context
from engine.rules.rulebook import RuleBook
from engine.rules.step import initial_state, step, tick_rng

GOOD = {"action_id": "grapple", "target_id": 2, "intent": "Suplex city."}


def _context():
    return build_context(initial_state(setup_for()), 1, RuleBook())


async def test_controller_success_returns_the_parsed_answer() -> None:
    events: list[AgentEvent] = []
    provider = FakeProvider([GOOD])
    controller = LLMController(
        provider, "m", temperature=0.3, deadline_s=5.0, on_event=events.append
    )
    assert controller.kind is ControllerKind.LLM
    answer = await controller.decide(_context())
    assert (answer.action_id, answer.target_id, answer.intent) == ("grapple", 2, "Suplex city.")
    request = provider.seen[0]
    assert (request.operation, request.model, request.temperature) == ("choose_action", "m", 0.3)
    assert request.seed == _context().decision_seed
    assert controller.last_reason is None
    assert [e.outcome for e in events] == ["ok"]


async def test_controller_repairs_an_invalid_reply_once() -> None:
    provider = FakeProvider(['{"action": "grapple"}', GOOD])
    events: list[AgentEvent] = []
    controller = LLMController(provider, "m", on_event=events.append)
    answer = await controller.decide(_context())
    assert answer.action_id == "grapple"
    assert len(provider.seen) == 2
    follow_up = provider.seen[1].messages
    assert [m.role for m in follow_up] == ["user", "assistant", "user"]
    assert follow_up[1].content == '{"action": "grapple"}'
    assert "action_id" in follow_up[2].content and "rejected" in follow_up[2].content
    assert provider.seen[1].system == provider.seen[0].system
    assert controller.last_reason is not None and "action_id" in controller.last_reason
    assert events[-1].outcome == "repaired"


async def test_controller_gives_up_after_two_invalid_replies() -> None:
    provider = FakeProvider(["not json", '{"action_id": "strike"}'])
    events: list[AgentEvent] = []
    controller = LLMController(provider, "m", on_event=events.append)
    with pytest.raises(LLMInvalidOutput) as caught:
        await controller.decide(_context())
    assert "after one repair" in caught.value.reason and "target_id" in caught.value.reason
    assert controller.last_reason == caught.value.reason
    assert len(provider.seen) == 2
    assert events[-1].outcome == "failed" and events[-1].reason == caught.value.reason


@pytest.mark.parametrize("error", [LLMRateLimited(retry_after=3), LLMUnavailable("HTTP 503")])
async def test_controller_passes_provider_errors_through_with_their_reason(error) -> None:
    controller = LLMController(FakeProvider([error]), "m")
    with pytest.raises(type(error)) as caught:
        await controller.decide(_context())
    assert caught.value.reason == error.reason == controller.last_reason


async def test_controller_deadline_covers_the_whole_exchange() -> None:
    controller = LLMController(FakeProvider(default=GOOD, delay_s=5.0), "m", deadline_s=0.2)
    started = time.monotonic()
    with pytest.raises(LLMTimeout):
        await controller.decide(_context())
    assert time.monotonic() - started < 1.0


async def test_unknown_action_id_passes_through_and_the_rulebook_falls_back() -> None:
    setup = setup_for()
    state = initial_state(setup)
    controller = LLMController(
        FakeProvider([{"action_id": "moonwalk", "target_id": 2, "intent": "Dance."}]), "m"
    )
    context = build_context(state, state.next_actor_id, RuleBook())
    answer = await controller.decide(context)
    assert answer.action_id == "moonwalk"
    _, tick = step(state, {context.actor.id: answer}, tick_rng(setup.seed, 0))
    applied = tick.applied_actions[0]
    assert applied.requested == "moonwalk"
    assert applied.action_id in (ActionId.STRIKE, ActionId.REST)
    assert "unknown action" in (applied.fallback_reason or "")


async def test_narrator_uses_the_model_text_sanitised() -> None:
    played = play_match(setup_for())[0]
    provider = FakeProvider([{"text": "@everyone Brick Mason\nlevels Lila Storm!"}])
    narrator = LLMNarrator(provider, "m")
    text = await narrator.narrate(played.before, played.tick, played.after, ())
    assert text.startswith("\uff20everyone Brick Mason levels")
    assert "@" not in text and len(text) <= 400
    assert narrator.last_reason is None
    assert provider.seen[0].operation == "narrate"


async def test_narrator_falls_back_to_the_offline_narrator_and_records_why() -> None:
    played = play_match(setup_for())[2]
    events: list[AgentEvent] = []
    narrator = LLMNarrator(FakeProvider(["nope", '{"text": ""}']), "m", on_event=events.append)
    text = await narrator.narrate(played.before, played.tick, played.after, ("earlier",))
    offline = OfflineNarrator().narrate_sync(played.before, played.tick, played.after, ("earlier",))
    assert text == offline
    assert narrator.last_reason is not None and "invalid output" in narrator.last_reason
    assert events[-1].outcome == "fallback"

    timeout = LLMNarrator(FakeProvider([LLMTimeout()]), "m")
    assert await timeout.narrate(played.before, played.tick, played.after, ()) == (
        OfflineNarrator().narrate_sync(played.before, played.tick, played.after, ())
    )
    assert timeout.last_reason == "deadline exceeded"


async def test_promo_exchange_mixes_llm_and_offline_speakers_and_records_fallbacks() -> None:
    cast = [brick(), lila()]
    lines_seen: list[int] = []

    def answer(request):
        lines_seen.append(len(request.messages[0].content))
        return {"line": "Storm? I audit storms for breakfast!"}

    flaky = FakeProvider([answer, LLMTimeout(), answer])
    exchange = await promo_exchange(cast, rounds=3, seed=4, agents={1: PromoAgent(flaky, "m")})
    assert [(line.round, line.speaker_id) for line in exchange.lines] == [
        (r, s) for r in range(3) for s in (1, 2)
    ]
    assert exchange.fallbacks == ("round 2, Brick Mason: deadline exceeded",)
    brick_lines = [line.text for line in exchange.lines if line.speaker_id == 1]
    assert brick_lines[0] == brick_lines[2] == "Storm? I audit storms for breakfast!"
    assert brick_lines[1] != brick_lines[0]  # the offline writer covered round 2
    for line in exchange.lines:
        speaker = cast[line.speaker_id - 1]
        assert line.heat_delta == promo_line_heat(speaker, line.text, line.round)
        assert len(line.text) <= 280
    # each LLM turn saw the exchange so far: the prompt grows as lines accumulate
    assert lines_seen[0] < lines_seen[1]


async def test_offline_promo_exchange_is_deterministic() -> None:
    first = await promo_exchange([brick(), lila()], rounds=2, seed=8)
    again = await promo_exchange([brick(), lila()], rounds=2, seed=8)
    other = await promo_exchange([brick(), lila()], rounds=2, seed=9)
    assert first == again
    assert first.lines != other.lines
    assert first.fallbacks == ()
    with pytest.raises(ValueError):
        await promo_exchange([brick()], rounds=2, seed=1)
