"""The hand-written full_rewrite script format: one beat per line, then the finish.

    Atlas Grimm: grapple - powerbomb
    Ruby Vex: strike - forearm smash (miss)
    Atlas Grimm: pin - lateral press (near fall)
    finish: Atlas Grimm by pinfall

A beat is ``wrestler: action [- move name] [(outcome)]``; the wrestler is a full name or a
first name that only one of them has, the action one of the action table's ids, the outcome
(hit, miss, near fall, win; default hit) only a hope the dice may deny. The last line is
``finish: wrestler by pinfall|submission|ko|dq`` or ``finish: draw by time limit``. Blank
lines and lines starting with ``#`` are ignored. ``parse_script`` turns it into the engine's
MatchScript (every problem numbered by line); the dry run then judges it.
"""

from __future__ import annotations

import re

from engine.errors import InvalidInput
from engine.llm.operations.write_match_script import (
    MAX_BEATS,
    MatchScript,
    Outcome,
    ScriptBeat,
    ScriptFinish,
)
from engine.models import FinishMethod, MatchSetup
from engine.models.enums import ActionId

MOVE_CAP = 80
ACTIONS = tuple(action.value for action in ActionId)
SCRIPT_FORMAT = (
    "One beat per line: `Wrestler: action - move name (outcome)`; the move name and "
    "the outcome (hit, miss, near fall, win) are optional. Each wrestler's beats are used in "
    "order whenever the ring gives them the turn (they alternate; one on a roll may go twice), "
    "and the dry run tells you where it drifts. Actions: "
    + ", ".join(ACTIONS)
    + ". Last line: `finish: Wrestler by pinfall|submission|ko|dq` or "
    "`finish: draw by time limit`. Lines starting with # are ignored."
)
EXAMPLE = (
    "{a}: grapple - powerbomb\n{b}: strike - forearm smash (miss)\n"
    "{a}: pin - lateral press (near fall)\n...\nfinish: {a} by pinfall"
)

_OUTCOMES: dict[str, Outcome] = {
    "hit": "hit",
    "miss": "miss",
    "near fall": "near_fall",
    "nearfall": "near_fall",
    "near_fall": "near_fall",
    "win": "win",
}
_METHODS = {
    "pinfall": FinishMethod.PINFALL,
    "pin": FinishMethod.PINFALL,
    "submission": FinishMethod.SUBMISSION,
    "tap out": FinishMethod.SUBMISSION,
    "ko": FinishMethod.KO,
    "knockout": FinishMethod.KO,
    "dq": FinishMethod.DQ,
    "disqualification": FinishMethod.DQ,
    "time limit": FinishMethod.TIME_LIMIT,
    "time_limit": FinishMethod.TIME_LIMIT,
}
_TRAILING_OUTCOME = re.compile(r"\(([a-z _]+)\)\s*$", re.IGNORECASE)
_DRAW = re.compile(r"^(a )?(time[ _]limit )?draw( by (the )?time[ _]limit)?$")


class ScriptTextError(InvalidInput):
    """The text is not a script: ``problems`` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems)[:300] or "the script is empty")
        self.problems = tuple(problems)


def _words(text: str) -> str:
    return " ".join(text.casefold().split())


def _wrestler(name: str, setup: MatchSetup) -> int | None:
    key = _words(name)
    exact = [s.id for s in setup.sheets if _words(s.name) == key]
    if exact:
        return exact[0]
    first = [s.id for s in setup.sheets if _words(s.name).split(" ")[:1] == [key]]
    return first[0] if len(first) == 1 else None


def _finish(rest: str, setup: MatchSetup) -> ScriptFinish | str:
    text = _words(rest)
    if _DRAW.match(text):
        return ScriptFinish(winner_id=None, method=FinishMethod.TIME_LIMIT)
    who, by, how = text.rpartition(" by ")
    if not by:
        return "write the finish as `finish: Wrestler by pinfall` (or `finish: draw by time limit`)"
    method = _METHODS.get(how.strip())
    if method is None:
        return f"unknown finish {how.strip()!r} (pinfall, submission, ko, dq or time limit)"
    winner = _wrestler(who, setup)
    if winner is None:
        return f"{who.strip()!r} is not in this match"
    return ScriptFinish(winner_id=winner, method=method)


def _beat(who: str, rest: str, setup: MatchSetup) -> ScriptBeat | str:
    actor = _wrestler(who, setup)
    if actor is None:
        names = " or ".join(s.name for s in setup.sheets)
        return f"{who.strip()!r} is not in this match ({names})"
    outcome: Outcome = "hit"
    body = rest.strip()
    found = _TRAILING_OUTCOME.search(body)
    if found and _words(found.group(1)) in _OUTCOMES:
        outcome = _OUTCOMES[_words(found.group(1))]
        body = body[: found.start()].strip()
    action_text, _, move = body.partition(" - ")
    action = _words(action_text).replace(" ", "_")
    if action not in ACTIONS:
        return f"unknown action {action_text.strip()!r} (use one of {', '.join(ACTIONS)})"
    move = " ".join(move.split()) or action.replace("_", " ")
    return ScriptBeat(actor_id=actor, action_id=action, move=move[:MOVE_CAP], outcome=outcome)


def parse_script(text: str, setup: MatchSetup) -> MatchScript:
    """The script in ``text`` for this match; ScriptTextError lists every problem by line."""
    beats: list[ScriptBeat] = []
    finish: ScriptFinish | None = None
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        who, colon, rest = line.partition(":")
        if not colon:
            problems.append(f"line {number}: write `Wrestler: action - move` (no ':' found)")
            continue
        if finish is not None:
            problems.append(f"line {number}: nothing may follow the finish line")
            continue
        is_finish = _words(who) == "finish"
        parsed = _finish(rest, setup) if is_finish else _beat(who, rest, setup)
        if isinstance(parsed, str):
            problems.append(f"line {number}: {parsed}")
        elif isinstance(parsed, ScriptFinish):
            finish = parsed
        else:
            beats.append(parsed)
    if not beats:
        problems.append("the script has no beats")
    if len(beats) > MAX_BEATS:
        problems.append(f"the script has {len(beats)} beats (at most {MAX_BEATS})")
    if finish is None:
        problems.append("the last line must be the finish, e.g. `finish: Atlas Grimm by pinfall`")
    if problems or finish is None:
        raise ScriptTextError(problems)
    return MatchScript(beats=tuple(beats), finish=finish)


def format_script(script: MatchScript, setup: MatchSetup) -> str:
    """The script in the hand-written format (``parse_script`` reads it back)."""
    names = {sheet.id: sheet.name for sheet in setup.sheets}
    lines = []
    for beat in script.beats:
        outcome = beat.outcome.replace("_", " ")
        lines.append(f"{names[beat.actor_id]}: {beat.action_id} - {beat.move} ({outcome})")
    finish = script.finish
    if finish.winner_id is None:
        lines.append("finish: draw by time limit")
    else:
        lines.append(f"finish: {names[finish.winner_id]} by {finish.method.value}")
    return "\n".join(lines)
