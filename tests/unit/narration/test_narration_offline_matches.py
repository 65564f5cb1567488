"""The offline narrator over whole matches played by the real engine, every stipulation."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from narration_matchplay import PlayedTick, default_pair, play_match, setup_for, wrestler

from engine.models import ActionId, Alignment, FinishMethod, Stipulation, StylePreset
from engine.narration import OfflineNarrator, sentence_variety, split_sentences
from engine.ports import Narrator

NUMBER_WORDS = ("ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN")
METHOD_WORDS = {
    FinishMethod.PINFALL: "pinfall",
    FinishMethod.SUBMISSION: "submission",
    FinishMethod.KO: "knockout",
    FinishMethod.DQ: "disqualification",
}
SEEDS = range(8)
RECENT_KEPT = 5  # what the runner hands back: the last few narrations


def narrate_match(played: list[PlayedTick], narrator: OfflineNarrator) -> list[str]:
    texts: list[str] = []
    for tick in played:
        texts.append(
            narrator.narrate_sync(tick.before, tick.tick, tick.after, texts[-RECENT_KEPT:])
        )
    return texts


def all_matches() -> Iterator[tuple[Stipulation, int, list[PlayedTick]]]:
    for stipulation in Stipulation:
        for seed in SEEDS:
            yield stipulation, seed, play_match(setup_for(seed, stipulation))


@pytest.fixture(scope="module")
def narrated() -> list[tuple[Stipulation, list[PlayedTick], list[str]]]:
    narrator = OfflineNarrator()
    return [(stip, played, narrate_match(played, narrator)) for stip, _, played in all_matches()]


def test_every_match_is_varied(narrated):
    for stipulation, played, texts in narrated:
        assert len(texts) == len(played)
        assert sentence_variety(texts) >= 0.8, (stipulation, texts)


def test_every_tick_names_the_actor_within_the_caps(narrated):
    for _, played, texts in narrated:
        for tick, text in zip(played, texts, strict=True):
            actor = tick.before.setup.sheet(tick.tick.actor_id).name
            assert actor in text
            assert 1 <= len(split_sentences(text)) <= 3, text
            assert len(text) <= 400
            assert "@" not in text and "`" not in text


def test_near_falls_and_ten_counts_are_called(narrated):
    pins = counts = 0
    for _, played, texts in narrated:
        for tick, text in zip(played, texts, strict=True):
            applied = tick.tick.applied_actions[0]
            if applied.action_id is ActionId.PIN and applied.near_fall:
                pins += 1
                assert re.search(r"\bONE\b.*\bTWO\b", text), text
            if applied.count and applied.action_id is not ActionId.PIN:
                counts += 1
                assert NUMBER_WORDS[applied.count - 1] in text, text
    assert pins > 0 and counts > 0  # the sample exercised both calls


def test_finishers_and_signatures_are_named(narrated):
    seen = set()
    for _, played, texts in narrated:
        for tick, text in zip(played, texts, strict=True):
            applied = tick.tick.applied_actions[0]
            sheet = tick.before.setup.sheet(applied.actor_id)
            if applied.action_id is ActionId.FINISHER:
                assert sheet.finisher in text, text
                seen.add(applied.action_id)
            if applied.action_id is ActionId.SIGNATURE:
                assert applied.move_name in sheet.signatures
                assert applied.move_name in text, text
                seen.add(applied.action_id)
    assert seen == {ActionId.FINISHER, ActionId.SIGNATURE}


def test_the_final_tick_names_winner_and_method(narrated):
    methods = set()
    for _, played, texts in narrated:
        result = played[-1].after.result
        assert result is not None
        final = texts[-1]
        methods.add(result.method)
        if result.is_draw:
            assert "draw" in final.lower()
            continue
        winner = played[-1].before.setup.sheet(result.winner_ids[0]).name
        assert winner in final
        assert METHOD_WORDS[result.method] in final.lower(), final
    assert {FinishMethod.PINFALL, FinishMethod.SUBMISSION, FinishMethod.KO} <= methods


def test_tap_outs_and_ten_counts_are_unmistakable(narrated):
    for _, played, texts in narrated:
        result = played[-1].after.result
        applied = played[-1].tick.applied_actions[0]
        if result.method is FinishMethod.SUBMISSION and applied.finish is FinishMethod.SUBMISSION:
            assert "tap" in texts[-1].lower()
        if applied.count == 10:
            assert "TEN" in texts[-1]


def test_booked_finishes_at_the_bell_are_told():
    hero, _ = default_pair()
    for seed in range(6):
        setup = setup_for(seed, booked_winner_id=hero.id, max_ticks=12)
        played = play_match(setup)
        texts = narrate_match(played, OfflineNarrator())
        result = played[-1].after.result
        assert result.winner_ids == (hero.id,)
        assert hero.name in texts[-1]
        assert METHOD_WORDS[result.method] in texts[-1].lower()
        assert sentence_variety(texts) >= 0.8


async def test_narration_is_deterministic_and_async_matches_sync():
    played = play_match(setup_for(3))
    first = narrate_match(played, OfflineNarrator())
    second = narrate_match(played, OfflineNarrator())
    assert first == second

    narrator: Narrator = OfflineNarrator()
    texts: list[str] = []
    for tick in played:
        texts.append(
            await narrator.narrate(tick.before, tick.tick, tick.after, texts[-RECENT_KEPT:])
        )
    assert texts == first


def test_recent_narration_is_not_repeated():
    played = play_match(setup_for(5))
    narrator = OfflineNarrator()
    for tick in played[:10]:
        alone = narrator.narrate_sync(tick.before, tick.tick, tick.after, [])
        again = narrator.narrate_sync(tick.before, tick.tick, tick.after, [alone])
        assert split_sentences(again)[0] != split_sentences(alone)[0]


def test_fallback_reasons_stay_out_of_the_narration():
    played = play_match(setup_for(2), bogus_decision_at=0)
    first = played[0].tick.applied_actions[0]
    assert first.fallback_reason  # the engine did record why it fell back
    text = OfflineNarrator().narrate_sync(played[0].before, played[0].tick, played[0].after, [])
    assert first.fallback_reason not in text
    assert "summon" not in text and "@" not in text and "unknown" not in text.lower()


def test_hostile_names_are_neutralised():
    mentioner = wrestler(
        1,
        "@everyone **Boss**",
        finisher="`Drop` *Table*",
        signatures=("<@123> Kick",),
        style=StylePreset.TECHNICIAN,
    )
    symbols = wrestler(2, "@@_~~", alignment=Alignment.HEEL, finisher="@here")
    for stipulation in Stipulation:
        played = play_match(setup_for(11, stipulation, sheets=(mentioner, symbols)))
        texts = narrate_match(played, OfflineNarrator())
        joined = " ".join(texts)
        for forbidden in ("@", "`", "**", "~~", "<", ">"):
            assert forbidden not in joined
        assert "everyone Boss" in joined
        assert "Wrestler 2" in joined  # nothing printable was left of the name
        assert sentence_variety(texts) >= 0.8
