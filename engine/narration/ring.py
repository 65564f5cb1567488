"""Ring introductions before a match and the summary line with its star rating after it."""

from __future__ import annotations

import random

from engine.models.enums import Alignment, FinishMethod, Stipulation
from engine.models.league import Wrestler
from engine.models.match import MatchSetup, MatchState
from engine.narration.lines_calls import BOOTHS
from engine.narration.text import LinePicker, clip_sentences, neutralise, safe_name

MAX_INTRO_CHARS = 1500
MAX_OUTRO_CHARS = 400
GIMMICK_QUOTE_CHARS = 110

_METHOD_WORDS: dict[FinishMethod, str] = {
    FinishMethod.PINFALL: "pinfall",
    FinishMethod.SUBMISSION: "submission",
    FinishMethod.KO: "knockout",
    FinishMethod.DQ: "disqualification",
    FinishMethod.TIME_LIMIT: "time-limit draw",
}
_STIPULATION_NAMES: dict[Stipulation, str] = {
    Stipulation.STANDARD: "standard singles match",
    Stipulation.NO_DQ: "No Disqualification match",
    Stipulation.SUBMISSION_ONLY: "Submission Only match",
    Stipulation.LAST_MAN_STANDING: "Last Man Standing match",
}
_STIPULATION_RULES: dict[Stipulation, str] = {
    Stipulation.STANDARD: (
        "Pinfall, submission or knockout wins it, and a wrestler who keeps breaking the rules "
        "will be disqualified."
    ),
    Stipulation.NO_DQ: (
        "There are no disqualifications: anything goes, weapons included, and only a pinfall, "
        "a submission or a knockout ends it."
    ),
    Stipulation.SUBMISSION_ONLY: (
        "Pinfalls do not count here: the only way to win is to make your opponent tap out."
    ),
    Stipulation.LAST_MAN_STANDING: (
        "No pinfalls, no submissions: keep your opponent down for a ten-count to win."
    ),
}
_OPENERS = (
    "Welcome, everybody, to a {kind}{stakes}!",
    "The bell is about to ring on this {kind}{stakes}!",
    "It's time for a {kind}{stakes}, and this crowd is ready!",
)
_ENTRANCES: dict[Alignment, tuple[str, ...]] = {
    Alignment.FACE: (
        "Making their way to the ring to a huge ovation, the fan favourite, {name}!",
        "The fans are on their feet for the hero of the hour, {name}!",
    ),
    Alignment.HEEL: (
        "The boos rain down as {name} stalks to the ring, sneering at every fan on the way.",
        "Here comes {name}, and this crowd despises every step of that entrance.",
    ),
    Alignment.TWEENER: (
        "Nobody quite knows whether to cheer or boo {name}, and that's how {name} likes it.",
        "The wild card of the night, {name}, arrives to a mixed reaction.",
    ),
}
_BILLING = (
    'Billed as "{gimmick}", {name} counts on the {finisher} to close the show.',
    'Remember the billing: "{gimmick}". Watch out for the {finisher}.',
    '{name} comes in as "{gimmick}", with the {finisher} in the arsenal.',
)
_VERDICTS = (
    (4.5, "an instant classic"),
    (3.75, "a great match"),
    (2.75, "a very good match"),
    (2.0, "a solid outing"),
    (1.0, "a forgettable one"),
    (0.0, "one to forget"),
)


def method_words(method: FinishMethod) -> str:
    return _METHOD_WORDS[method]


def stars(rating: float) -> str:
    """'★★★½' for 3.5; quarters as ¼ and ¾; a zero rating is shown as 'DUD'."""
    quarters = round(max(0.0, min(5.0, rating)) * 4)
    whole, part = divmod(quarters, 4)
    text = "★" * whole + ("", "¼", "½", "¾")[part]
    return text or "DUD"


def _gimmick_quote(sheet: Wrestler) -> str:
    """The gimmick as a short quoted flavour line: player data, never an instruction."""
    text = neutralise(sheet.gimmick).replace('"', "'").rstrip(" .!?;:,")
    if len(text) > GIMMICK_QUOTE_CHARS:
        text = text[:GIMMICK_QUOTE_CHARS].rsplit(" ", 1)[0] + "…"
    return text


def match_intro(setup: MatchSetup, title_name: str | None) -> str:
    """Ring introductions: the stakes, the rules of the stipulation, both wrestlers."""
    picker = LinePicker(random.Random(f"intro:{setup.seed}"))
    stakes = ""
    if title_name:
        stakes = f" for the {safe_name(title_name, 'championship')}"
    lines = [
        picker.pick(_OPENERS, {"kind": _STIPULATION_NAMES[setup.stipulation], "stakes": stakes}),
        _STIPULATION_RULES[setup.stipulation],
    ]
    for sheet in setup.sheets:
        name = safe_name(sheet.name, f"Wrestler {sheet.id}")
        lines.append(picker.pick(_ENTRANCES[sheet.alignment], {"name": name}))
        gimmick = _gimmick_quote(sheet)
        finisher = safe_name(sheet.finisher, "finisher")
        if gimmick:
            lines.append(
                picker.pick(_BILLING, {"name": name, "gimmick": gimmick, "finisher": finisher})
            )
        else:
            lines.append(f"{name} brings a {sheet.record} record and the {finisher}.")
    pbp, colour = BOOTHS[setup.seed % len(BOOTHS)]
    lines.append(f"{pbp} and {colour} have the call.")
    return clip_sentences(lines, MAX_INTRO_CHARS)


def match_outro(state: MatchState, rating: float) -> str:
    """One summary line: who beat whom and how, the length, and the star rating."""
    setup = state.setup
    names = {s.id: safe_name(s.name, f"Wrestler {s.id}") for s in setup.sheets}
    verdict = next(words for floor, words in _VERDICTS if rating >= floor)
    rated = f"{stars(rating)} ({rating:g} stars), {verdict}."
    result = state.result
    ticks = state.time_index
    if result is None:
        first, second = (names[s.id] for s in setup.sheets)
        return f"{first} vs {second} ended without a result after {ticks} exchanges. {rated}"
    if result.is_draw:
        first, second = (names[s.id] for s in setup.sheets)
        summary = f"{first} and {second} fight to a time-limit draw after {ticks} exchanges."
    else:
        winner, loser = names[result.winner_ids[0]], names[result.loser_ids[0]]
        how = method_words(result.method)
        finish = ""
        if result.finisher_move and result.method.changes_titles:
            finish = f" with the {safe_name(result.finisher_move, 'finisher')}"
        summary = f"{winner} defeats {loser} by {how}{finish} after {ticks} exchanges."
    return clip_sentences([summary, rated], MAX_OUTRO_CHARS)
