"""Sentence variety of narration: splitting text into sentences and the distinct-sentence ratio."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

_CLOSERS = "\"'”’)]»"
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "mt"})
_SPACES = re.compile(r"\s+")


_TERMINATOR = re.compile(r"[.!?]+[\"'”’)\]»]*")
_NEXT_VISIBLE = re.compile(r"\S")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``. An ellipsis ("ONE... TWO...") is a pause, not a full stop."""
    sentences: list[str] = []
    start = 0
    length = len(text)
    for found in _TERMINATOR.finditer(text):
        i, end = found.start(), found.end()
        run = found.group().rstrip(_CLOSERS)
        if end < length and not text[end].isspace():
            continue
        following = _NEXT_VISIBLE.search(text, end)
        # '"What a move!" says Dusty.' is one sentence: a lowercase word carries it on.
        if following is not None and following.group().islower():
            continue
        if run.startswith("..") and not set(run) - {"."}:
            continue
        if run == ".":
            before = text[start:i].rsplit(None, 1)
            if before and before[-1].lower() in _ABBREVIATIONS:
                continue
        sentence = text[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = end
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


@functools.lru_cache(maxsize=4096)
def sentences_of(text: str) -> tuple[str, ...]:
    """``split_sentences`` memoised: narration re-reads the same templates and recent lines
    every tick. A pure function of an immutable string, so the cache can never be stale."""
    return tuple(split_sentences(text))


@functools.lru_cache(maxsize=8192)
def normalise_sentence(sentence: str) -> str:
    return _SPACES.sub(" ", sentence).strip().casefold()


def sentence_variety(texts: Sequence[str]) -> float:
    """Distinct sentences over all sentences (case and whitespace normalised); 1.0 if none."""
    sentences = [normalise_sentence(s) for text in texts for s in split_sentences(text)]
    if not sentences:
        return 1.0
    return len(set(sentences)) / len(sentences)
