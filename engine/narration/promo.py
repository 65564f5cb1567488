"""Offline promo lines: alignment-driven trash talk woven from the speaker's gimmick.

The gimmick is player data. Only key noun phrases are lifted from it and quoted as flavour
("the daredevil astronaut"); its sentences are never repeated or followed as instructions.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from engine.models.enums import Alignment, StylePreset
from engine.models.league import Wrestler
from engine.models.show import PromoLine
from engine.narration.lines_promo import CLOSERS, OPENERS, RESPONSES
from engine.narration.text import LinePicker, clip_sentences, neutralise, safe_name
from engine.narration.variety import split_sentences

MAX_PROMO_CHARS = 280
MAX_QUOTE_WORDS = 6
MAX_KEYWORD_CHARS = 20
MAX_PHRASE_WORDS = 3
HEAT_FLOOR = -2.0
HEAT_CEILING = 4.0

_QUOTED = re.compile(r'"[^"]*"|‘[^’]*’')
_CLAUSE_BREAK = re.compile(r"[,.;:!?…]+")
_CONJUNCTIONS = frozenset({"and", "but", "so", "because", "or", "then", "yet"})
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_DETERMINERS = frozenset({"a", "an", "the", "my", "his", "her", "their", "your", "our", "this"})
# Function words, common verbs and the vocabulary of prompt injection: never keywords.
_STOPWORD_TEXT = """
    about above after again against all also always and any are aren't as at be because been
    before being below between both but by can cannot could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how i if
    in into is isn't it its itself just me more most must my myself never no nor not now of off
    on once only or other ought our ours ourselves out over own really same she should so some
    such than that the their theirs them themselves then there these they this those through to
    too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves who's loves likes hates wants makes takes gets
    collects known called named likes says always ignore ignores ignored instructions
    instruction previous prompt prompts system assistant respond reply replies write output
    pretend pretends disregard everyone everybody rules rule model user anything something
    people person thing things everything time day night way
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_STYLE_THINGS: dict[StylePreset, str] = {
    StylePreset.POWERHOUSE: "powerhouse",
    StylePreset.TECHNICIAN: "master technician",
    StylePreset.HIGH_FLYER: "high flyer",
    StylePreset.BRAWLER: "brawler",
    StylePreset.SHOWMAN: "showman",
    StylePreset.ALL_ROUNDER: "complete package",
}


def gimmick_keywords(gimmick: str) -> tuple[str, ...]:
    """Key noun phrases of a gimmick, the identity first ("coal miner's daughter")."""
    words = [w.strip("'-") for w in _WORD.findall(neutralise(gimmick))]
    words = [w[:MAX_KEYWORD_CHARS] for w in words if w]
    phrases: list[str] = []
    for index, word in enumerate(words[:-1]):
        if word.lower() not in _DETERMINERS:
            continue
        phrase = []
        for following in words[index + 1 : index + 1 + MAX_PHRASE_WORDS]:
            if following.lower() in _STOPWORDS or following.lower() in _DETERMINERS:
                break
            phrase.append(following)
        if phrase:
            phrases.append(" ".join(phrase))
    content = [w for w in words if len(w) >= 4 and w.lower() not in _STOPWORDS]
    phrases.extend(sorted(dict.fromkeys(content), key=len, reverse=True)[:3])
    return tuple(dict.fromkeys(phrases))


def _persona(speaker: Wrestler) -> str:
    """Who the speaker says they are: the gimmick's identity phrase, or their style."""
    style = _STYLE_THINGS[speaker.style]
    words = neutralise(speaker.gimmick).lower().split()
    keywords = gimmick_keywords(speaker.gimmick)
    if not keywords:
        return style
    first = keywords[0]
    lead = words.index(first.split()[0].lower()) if first.split()[0].lower() in words else 0
    if lead > 0 and words[lead - 1].strip("'-") in _DETERMINERS:
        return first
    return f"{first} {style}"  # no noun phrase to borrow: tag the style with a gimmick word


def _quote_from(previous: Sequence[PromoLine], speaker_id: int) -> str:
    """A punchy clause of the latest line someone else said, to throw back at them."""
    for line in reversed(previous):
        if line.speaker_id == speaker_id:
            continue
        # Drop what they quoted of us: throw back their own words, not an echo of ours.
        text = _QUOTED.sub(" ", neutralise(line.text).replace("“", '"').replace("”", '"'))
        clauses = [c.split() for c in _CLAUSE_BREAK.split(text.replace('"', ""))]
        clauses = [_trim_leading(c) for c in clauses]
        best = max(clauses, key=lambda c: (min(len(c), MAX_QUOTE_WORDS), -len(c)), default=[])
        if best:
            return " ".join(best[-MAX_QUOTE_WORDS:])
    return ""


def _trim_leading(words: list[str]) -> list[str]:
    while words and words[0].lower() in _CONJUNCTIONS:
        words = words[1:]
    return words


def offline_promo_line(
    speaker: Wrestler,
    opponent: Wrestler,
    round_index: int,
    previous: Sequence[PromoLine],
    rng: random.Random,
) -> str:
    """One line of a promo, answering the last line when there is one; at most 280 chars."""
    fields: dict[str, object] = {
        "me": safe_name(speaker.name, "the challenger"),
        "foe": safe_name(opponent.name, "my opponent"),
        "f": safe_name(speaker.finisher, "finisher"),
        "thing": _persona(speaker),
        "quote": _quote_from(previous, speaker.id),
    }
    picker = LinePicker(rng, [line.text for line in previous])
    alignment = speaker.alignment
    if not fields["quote"]:
        templates = OPENERS[alignment]
    elif round_index >= 2 and rng.random() < 0.5:
        templates = CLOSERS[alignment]
    else:
        templates = RESPONSES[alignment]
    line = picker.pick(templates, fields)
    return clip_sentences(split_sentences(line), MAX_PROMO_CHARS)


def promo_line_heat(speaker: Wrestler, line: str, round_index: int) -> float:
    """The crowd's reaction to a line: mostly charisma, a little fire and escalation."""
    delta = (speaker.stats.charisma - 45) / 20
    if "!" in line:
        delta += 0.3
    if len(line.strip()) < 40:
        delta -= 0.5
    delta += 0.2 * min(max(round_index, 0), 3)
    if speaker.alignment is Alignment.TWEENER:
        delta -= 0.2  # a crowd that cannot pick a side is a quieter crowd
    return round(min(HEAT_CEILING, max(HEAT_FLOOR, delta)), 2)
