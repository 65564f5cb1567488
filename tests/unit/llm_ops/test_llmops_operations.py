"""Operations: strict parsing, input validation and the offline registry's twins."""

from __future__ import annotations

import json
import random

import pytest
from llmops_support import brick, lila, play_match, setup_for

from engine.controllers.offline import OfflineController, choose
from engine.llm.agents import LLMController
from engine.llm.base import LLMResponse
from engine.llm.errors import LLMInvalidOutput
from engine.llm.operations import (
    choose_action,
    narrate,
    offline_registry,
    promo_line,
    rewrite_segment,
    write_match_script,
)
from engine.llm.providers.offline import OfflineProvider
from engine.llm.rewrite import check_facts
from engine.llm.script import dry_run
from engine.models import PromoLine, Stipulation
from engine.narration.offline import OfflineNarrator
from engine.narration.promo import offline_promo_line
from engine.rules.context import build_context
from engine.rules.rulebook import RuleBook
from engine.rules.step import initial_state


def _reply(text: str, parsed: dict | None = None) -> LLMResponse:
    return LLMResponse(provider="fake", model="m", text=text, parsed=parsed)


def test_parse_accepts_the_schema_and_prefers_the_provider_parsed_object() -> None:
    good = {"action_id": "grapple", "target_id": 2, "intent": "Slam him."}
    assert choose_action.parse(_reply(json.dumps(good))).action_id == "grapple"
    assert choose_action.parse(_reply("garbage", parsed=good)).intent == "Slam him."
    assert choose_action.parse(_reply(f"Sure! {json.dumps(good)}")).target_id == 2


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("no json here", "no JSON object"),
        ("[1, 2]", "no JSON object"),
        ('{"action_id": "strike", "target_id": 2}', "intent"),
        ('{"action_id": "strike", "target_id": 2, "intent": "x", "win": true}', "win"),
        (json.dumps({"action_id": "strike", "target_id": 2, "intent": "x" * 201}), "intent"),
        ('{"action_id": "strike", "target_id": "two", "intent": "x"}', "target_id"),
    ],
)
def test_parse_is_strict_and_names_the_problem(text: str, mentions: str) -> None:
    with pytest.raises(LLMInvalidOutput) as caught:
        choose_action.parse(_reply(text))
    assert mentions in caught.value.reason


def test_every_operation_caps_its_output_fields() -> None:
    too_long = "x" * 2000
    cases = [
        (narrate.parse, {"text": too_long}),
        (promo_line.parse, {"line": too_long}),
        (rewrite_segment.parse, {"text": too_long}),
    ]
    for parse, data in cases:
        with pytest.raises(LLMInvalidOutput):
            parse(_reply(json.dumps(data)))


def test_choose_action_input_validation() -> None:
    context = build_context(initial_state(setup_for()), 1, RuleBook())
    with pytest.raises(ValueError, match="possible action"):
        choose_action.build_request(context.model_copy(update={"possible_actions": ()}), "m")


def test_offline_registry_covers_every_operation_and_is_a_fresh_dict() -> None:
    registry = offline_registry()
    assert set(registry) == {
        "choose_action",
        "narrate",
        "rewrite_segment",
        "write_match_script",
        "promo_line",
    }
    registry.clear()
    assert len(offline_registry()) == 5


def test_choose_action_offline_twin_matches_the_offline_controller_every_tick() -> None:
    played = play_match(setup_for(stipulation=Stipulation.NO_DQ), hints=("Use a chair.",))
    for p in played:
        request = choose_action.build_request(p.context, "m")
        twin = choose_action.offline(request)
        assert twin == choose_action.offline(request)  # deterministic
        expected = choose(p.context, random.Random(p.context.decision_seed))
        assert choose_action.parse(_reply(json.dumps(twin))).to_response() == expected


def test_narrate_offline_twin_matches_the_offline_narrator() -> None:
    played = play_match(setup_for(stipulation=Stipulation.LAST_MAN_STANDING, booked=2))
    recent: list[str] = []
    for p in played:
        request = narrate.build_request(
            narrate.narrate_input(p.before, p.tick, p.after, recent[-3:]), "m"
        )
        text = narrate.offline(request)["text"]
        assert text == OfflineNarrator().narrate_sync(p.before, p.tick, p.after, recent[-3:])
        assert '"fallback_reason"' not in request.messages[0].content
        recent.append(text)
    assert played[-1].after.result is not None


def test_narrate_rejects_a_tick_outside_its_states() -> None:
    played = play_match(setup_for())
    first, second = played[0], played[1]
    with pytest.raises(ValueError):
        narrate.build_request(
            narrate.narrate_input(second.before, first.tick, second.after, ()), "m"
        )


def test_promo_line_offline_twin_matches_the_offline_promo_writer() -> None:
    cast = (brick(), lila())
    previous = (PromoLine(round=0, speaker_id=1, text="Storm? I audit storms for breakfast."),)
    data = promo_line.PromoLineInput(
        cast=cast, speaker_id=2, opponent_id=1, round_index=0, rounds=3, previous=previous, seed=5
    )
    request = promo_line.build_request(data, "m")
    line = promo_line.offline(request)["line"]
    expected = offline_promo_line(cast[1], cast[0], 0, previous, random.Random(request.seed))
    assert line == expected
    other = promo_line.build_request(data.model_copy(update={"seed": 6}), "m")
    assert other.seed != request.seed


def test_promo_line_input_rejects_strangers() -> None:
    with pytest.raises(ValueError):
        promo_line.PromoLineInput(
            cast=(brick(), lila()), speaker_id=1, opponent_id=9, round_index=0, rounds=2
        )


@pytest.mark.parametrize("stipulation", list(Stipulation))
def test_offline_script_from_the_request_dry_runs_clean(stipulation: Stipulation) -> None:
    setup = setup_for(stipulation=stipulation, booked=2, seed=21)
    request = write_match_script.build_request(write_match_script.ScriptInput(setup=setup), "m")
    script = write_match_script.parse(_reply(json.dumps(write_match_script.offline(request))))
    verdict = dry_run(script, setup)
    assert verdict.violations == ()
    assert script.finish.winner_id == 2
    assert verdict.final_state.result is not None


def test_rewrite_offline_twin_keeps_the_facts() -> None:
    played = play_match(setup_for(seed=3), narrate=True)
    ticks = [p.tick for p in played[-5:]]
    facts = rewrite_segment.segment_facts(ticks, setup_for(seed=3))
    assert facts.finish is not None
    data = rewrite_segment.RewriteInput(facts=facts, house_text="house", seed=1)
    text = rewrite_segment.offline(rewrite_segment.build_request(data, "m"))["text"]
    assert check_facts(text, facts) == []
    other = rewrite_segment.offline(
        rewrite_segment.build_request(data.model_copy(update={"seed": 2}), "m")
    )["text"]
    assert other != text or len(facts.beats) == 1


async def test_llm_controller_on_the_offline_provider_plays_the_offline_match() -> None:
    provider = OfflineProvider(offline_registry())
    llm = LLMController(provider, "offline")
    house = OfflineController()
    for p in play_match(setup_for(seed=99)):
        assert await llm.decide(p.context) == await house.decide(p.context)
