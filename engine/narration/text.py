"""Text helpers for narration: neutralising player text, capping length, picking fresh lines."""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Iterable, Mapping, Sequence

from engine.narration.variety import normalise_sentence, sentences_of

# Characters that ping people or switch on markdown in Discord (and most chat clients).
_UNSAFE = re.compile(r"[@`*_~|<>#\[\]\\]")
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=4096)
def neutralise(text: str) -> str:
    """Player text made inert: no mentions, no code spans, no markdown, one line."""
    return _SPACES.sub(" ", _UNSAFE.sub("", text)).strip()


@functools.lru_cache(maxsize=4096)
def safe_name(name: str, fallback: str) -> str:
    """A wrestler or move name fit to print; ``fallback`` when nothing printable is left."""
    cleaned = neutralise(name)
    return cleaned if any(ch.isalnum() for ch in cleaned) else fallback


def clip_sentences(sentences: Sequence[str], limit: int) -> str:
    """Join sentences, dropping trailing ones (and cutting the first if need be) to fit."""
    kept: list[str] = []
    for sentence in sentences:
        candidate = " ".join([*kept, sentence])
        if len(candidate) > limit:
            break
        kept.append(sentence)
    if kept:
        return " ".join(kept)
    first = sentences[0] if sentences else ""
    return first[: limit - 1].rstrip() + "…" if len(first) > limit else first


@functools.lru_cache(maxsize=8192)
def heard_keys(text: str) -> frozenset[str]:
    """The normalised sentences of a narration line; memoised (a pure function of a string)
    because every tick re-reads the last few lines. Sized for many live matches at once: an
    LRU smaller than every live match's recent lines (200 matches x 5) would miss every time,
    as the matches take their turns round-robin."""
    return frozenset(normalise_sentence(s) for s in sentences_of(text))


class LinePicker:
    """Fills templates with a seeded RNG, preferring sentences not heard recently."""

    def __init__(self, rng: random.Random, recent: Iterable[str] = ()) -> None:
        self.rng = rng
        self._heard: set[str] = set()
        for text in recent:
            self._heard.update(heard_keys(text))

    def pick(self, templates: Sequence[str], fields: Mapping[str, object]) -> str:
        """A filled template, fresh if any is; the choice is the RNG's, so it replays."""
        order = list(templates)
        self.rng.shuffle(order)
        chosen = order[0].format_map(fields)
        for template in order:
            line = template.format_map(fields)
            if not self.heard(line):
                chosen = line
                break
        self.remember(chosen)
        return chosen

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def choice(self, options: Sequence[str]) -> str:
        return self.rng.choice(options)

    def heard(self, line: str) -> bool:
        return any(normalise_sentence(s) in self._heard for s in sentences_of(line))

    def remember(self, line: str) -> None:
        self._heard.update(normalise_sentence(s) for s in sentences_of(line))
