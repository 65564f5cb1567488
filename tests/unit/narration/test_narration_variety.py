"""Sentence splitting and the distinct-sentence ratio used by tests, the demo and balance."""

from __future__ import annotations

from engine.narration import sentence_variety, split_sentences


def test_sentences_split_on_full_stops_but_not_on_count_pauses():
    text = "Rex covers! ONE... TWO... Baron kicks out! What a match. Is it over?"
    assert split_sentences(text) == [
        "Rex covers!",
        "ONE... TWO... Baron kicks out!",
        "What a match.",
        "Is it over?",
    ]


def test_attributed_quotes_and_abbreviations_stay_whole():
    text = '"What a move!" says Dusty Vance. Mr. Perfect answers. "Wow." Then silence'
    assert split_sentences(text) == [
        '"What a move!" says Dusty Vance.',
        "Mr. Perfect answers.",
        '"Wow."',
        "Then silence",
    ]


def test_empty_text_has_no_sentences():
    assert split_sentences("   ") == []
    assert sentence_variety([]) == 1.0


def test_variety_counts_repeats_ignoring_case_and_spacing():
    texts = ["Rex hits a chop.  Baron staggers.", "rex hits a   CHOP. Baron falls.", "Baron falls."]
    # five sentences, three distinct once normalised
    assert sentence_variety(texts) == 3 / 5
    assert sentence_variety(["One line.", "Another line."]) == 1.0
