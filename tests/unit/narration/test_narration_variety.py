"""Sentence splitting and the distinct-sentence ratio used by tests, the demo and balance."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.narration import sentence_variety, split_sentences
from engine.narration.variety import _TRICKY, careful_sentences


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


# The plain-text fast path must give the careful splitter's answers on anything it accepts.
_WORDS = ["Rex", "hits", "the", "crowd", "él", "É", "9", "3.5", "a.b"]
_TITLES = ["Dr", "dr", "Mr", "st"]
_STOPS = [".", "!", "?", "?!", "!!"]
_CLOSERS = ["...", '"', "'", "”", ")", "]", "»"]
_GAPS = [" ", "  ", "\n", "\t", "\u00a0"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from([*_WORDS, *_TITLES, *_STOPS, *_CLOSERS, *_GAPS]), max_size=24))
def test_the_fast_path_splits_exactly_as_the_careful_splitter(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert split_sentences(text) == careful_sentences(text)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from([*_WORDS, *_STOPS, *_GAPS]), max_size=24))
def test_the_fast_path_on_text_it_takes(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert split_sentences(text) == careful_sentences(text)


def test_the_fast_path_is_taken_for_plain_narration() -> None:
    plain = "Rex hits the lariat! Baron is down. the crowd roars. Is it over? No."
    assert _TRICKY.search(plain) is None
    assert split_sentences(plain) == [
        "Rex hits the lariat!",
        "Baron is down. the crowd roars.",
        "Is it over?",
        "No.",
    ]
