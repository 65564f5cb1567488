"""Sentence variety of narration: splitting text into sentences and the distinct-sentence ratio."""

from __future__ import annotations

import re
from collections.abc import Sequence

_CLOSERS = "\"'”’)]»"
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "mt"})
_SPACES = re.compile(r"\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``. An ellipsis ("ONE... TWO...") is a pause, not a full stop."""
    sentences: list[str] = []
    start = 0
    i = 0
    length = len(text)
    while i < length:
        if text[i] not in ".!?":
            i += 1
            continue
        end = i
        while end < length and text[end] in ".!?":
            end += 1
        run = text[i:end]
        while end < length and text[end] in _CLOSERS:
            end += 1
        following = text[end:].lstrip()[:1]
        # '"What a move!" says Dusty.' is one sentence: a lowercase word carries it on.
        at_boundary = end >= length or (text[end].isspace() and not following.islower())
        is_ellipsis = run.startswith("..") and not set(run) - {"."}
        word = text[start:i].rsplit(None, 1)[-1].lower() if text[start:i].strip() else ""
        if at_boundary and not is_ellipsis and not (run == "." and word in _ABBREVIATIONS):
            sentence = text[start:end].strip()
            if sentence:
                sentences.append(sentence)
            start = end
        i = end
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def normalise_sentence(sentence: str) -> str:
    return _SPACES.sub(" ", sentence).strip().casefold()


def sentence_variety(texts: Sequence[str]) -> float:
    """Distinct sentences over all sentences (case and whitespace normalised); 1.0 if none."""
    sentences = [normalise_sentence(s) for text in texts for s in split_sentences(text)]
    if not sentences:
        return 1.0
    return len(set(sentences)) / len(sentences)
