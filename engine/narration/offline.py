"""OfflineNarrator: deterministic two-voice play-by-play of each tick, with no network."""

from __future__ import annotations

import random
from collections.abc import Sequence

from engine.memo import IdentityMemo
from engine.models.enums import ActionId, Alignment, FinishMethod
from engine.models.match import MatchResult, MatchSetup, MatchState
from engine.models.tick import AppliedAction, TickResult
from engine.narration import lines_calls as calls
from engine.narration.lines_moves import (
    CRASH,
    HIT,
    MISS,
    MOVE_LINES,
    PIN_ONE,
    PIN_THREE,
    PIN_TWO,
    SEEN,
)
from engine.narration.ring import match_intro, match_outro, method_words
from engine.narration.text import LinePicker, clip_sentences, safe_name
from engine.narration.variety import sentences_of

__all__ = ["OfflineNarrator", "match_intro", "match_outro", "narration_rng"]

MAX_TICK_CHARS = 400
MAX_TICK_SENTENCES = 3
_NAMED_MOVES = (ActionId.FINISHER, ActionId.SIGNATURE)
_PLURAL_LEADS = frozenset({"feet", "hands", "boots"})  # "both feet on the ropes"


def narration_rng(seed: int, time_index: int) -> random.Random:
    """The narrator's own RNG for a tick: replays exactly, independent of the engine's rolls."""
    return random.Random(f"narration:{seed}:{time_index}")


class Cast:
    """Printable names for one match: wrestler names are player data and are neutralised."""

    def __init__(self, setup: MatchSetup) -> None:
        self.setup = setup
        self._names = {s.id: safe_name(s.name, f"Wrestler {s.id}") for s in setup.sheets}
        self._finishers = {s.id: _bare(safe_name(s.finisher, "finisher")) for s in setup.sheets}
        self.colour = calls.BOOTHS[setup.seed % len(calls.BOOTHS)][1]

    def name(self, wrestler_id: int) -> str:
        return self._names[wrestler_id]

    def finisher(self, wrestler_id: int) -> str:
        return self._finishers[wrestler_id]

    def alignment(self, wrestler_id: int) -> Alignment:
        return self.setup.sheet(wrestler_id).alignment


class _Tick:
    """One tick's telling: essential lines first, flavour only while the budget allows."""

    def __init__(self, picker: LinePicker) -> None:
        self.picker = picker
        self.lines: list[str] = []

    @property
    def room(self) -> int:
        return MAX_TICK_SENTENCES - sum(len(sentences_of(line)) for line in self.lines)

    def add(self, templates: Sequence[str], fields: dict[str, object], reserve: int = 0) -> None:
        """Add one line, leaving ``reserve`` sentences for the calls that must follow it."""
        budget = max(1, self.room - reserve)
        fitting = [t for t in templates if len(sentences_of(t)) <= budget] or [
            t for t in templates if len(sentences_of(t)) == 1
        ]
        self.lines.append(self.picker.pick(fitting or templates, fields))


class OfflineNarrator:
    """Implements engine.ports.Narrator. The same inputs always give the same words."""

    def __init__(self, max_chars: int = MAX_TICK_CHARS) -> None:
        self.max_chars = max_chars
        # One Cast per live match: its names are neutralised once, not on every tick.
        self._casts: IdentityMemo[MatchSetup, Cast] = IdentityMemo(Cast, size=2048)

    async def narrate(
        self, before: MatchState, tick: TickResult, after: MatchState, recent: Sequence[str]
    ) -> str:
        return self.narrate_sync(before, tick, after, recent)

    def narrate_sync(
        self, before: MatchState, tick: TickResult, after: MatchState, recent: Sequence[str]
    ) -> str:
        cast = self._casts(before.setup)
        telling = _Tick(LinePicker(narration_rng(before.setup.seed, tick.time_index), recent))
        finished_now = after.result is not None and before.result is None
        for applied in tick.applied_actions:
            _tell_action(telling, cast, applied, before, after, finished_now)
        if finished_now and after.result is not None:
            _tell_finish(telling, cast, tick, after.result)
        elif tick.applied_actions:
            _tell_flavour(telling, cast, tick.applied_actions[-1], before, after)
        return clip_sentences(telling.lines, self.max_chars)


def _bare(move: str) -> str:
    """'The Coffin Drop' -> 'Coffin Drop', so templates can say 'the {m}'."""
    return move[4:] if move.lower().startswith("the ") and len(move) > 4 else move


def _article(move: str) -> str:
    first = move.split(" ", 1)[0].lower()
    if first in _PLURAL_LEADS:
        return "both"
    return "an" if first[:1] in "aeiou" else "a"


def _move_fields(cast: Cast, applied: AppliedAction) -> dict[str, object]:
    if applied.action_id is ActionId.FINISHER:
        move = cast.finisher(applied.actor_id)
        with_article = f"the {move}"
    elif applied.action_id in _NAMED_MOVES:
        move = _bare(safe_name(applied.move_name, applied.action_id.value))
        with_article = f"the {move}"
    else:
        move = safe_name(applied.move_name, applied.action_id.value)
        with_article = f"{_article(move)} {move}"
    actor = applied.actor_id
    return {
        "a": cast.name(actor),
        "t": cast.name(applied.target_id),
        "m": move,
        "am": with_article,
        "Am": with_article[:1].upper() + with_article[1:],
        "af": cast.finisher(actor),
        "col": cast.colour,
        "react": calls.REACTIONS[cast.alignment(actor).value],
    }


def _outcome(applied: AppliedAction) -> str:
    if applied.action_id is ActionId.CHEAT and applied.dq_warning:
        return SEEN
    if applied.success:
        return HIT
    if applied.action_id is ActionId.AERIAL and applied.self_damage:
        return CRASH
    return MISS


def _tell_action(
    telling: _Tick,
    cast: Cast,
    applied: AppliedAction,
    before: MatchState,
    after: MatchState,
    finishing: bool,
) -> None:
    fields = _move_fields(cast, applied)
    if applied.action_id is ActionId.PIN:
        pins = PIN_THREE if applied.finish else PIN_TWO if applied.count >= 2 else PIN_ONE
        telling.add(pins, fields, reserve=1 if finishing else 0)
        return
    calls_due = 2 if finishing else 0
    if applied.count or applied.dq_warning or applied.near_fall:
        calls_due = max(calls_due, 1)
    telling.add(MOVE_LINES[(applied.action_id, _outcome(applied))], fields, reserve=calls_due)
    if applied.count and applied.finish is None:
        count = {
            "count": calls.count_to(applied.count),
            "n": calls.NUMBER_WORDS[min(applied.count, 10) - 1],
        }
        telling.add(calls.TEN_COUNT_SURVIVED, {**fields, **count})
    elif applied.near_fall and applied.action_id is ActionId.SUBMISSION:
        telling.add(calls.HOLD_SURVIVED, fields)
    elif applied.dq_warning and applied.finish is None:
        warnings = after.wrestler(applied.actor_id).warnings
        last = before.setup.booked_winner_id != applied.actor_id and warnings >= 2
        telling.add(calls.DQ_LAST_WARNING if last else calls.DQ_WARNING, {**fields, "k": warnings})


def _tell_finish(telling: _Tick, cast: Cast, tick: TickResult, result: MatchResult) -> None:
    applied = tick.applied_actions[-1] if tick.applied_actions else None
    fields: dict[str, object] = _move_fields(cast, applied) if applied else {"col": cast.colour}
    if result.is_draw:
        if applied is None:
            fields.update(
                a=cast.name(cast.setup.sheets[0].id), t=cast.name(cast.setup.sheets[1].id)
            )
        telling.add(calls.TIME_UP, fields)
        return
    winner, loser = result.winner_ids[0], result.loser_ids[0]
    method = method_words(result.method)
    final = {
        **fields,
        "w": cast.name(winner),
        "l": cast.name(loser),
        "f": _bare(safe_name(result.finisher_move or "", cast.finisher(winner))),
        "method": method,
    }
    if applied is not None and applied.finish is result.method:
        if result.method is FinishMethod.SUBMISSION:
            telling.add(calls.TAP_OUT, final)
        elif result.method is FinishMethod.DQ:
            telling.add(calls.DQ_CALL, final)
        elif result.method is FinishMethod.KO:
            count = {"count": calls.count_to(9)}
            ko = calls.TEN_COUNT_OUT if applied.count >= 10 else calls.REFEREE_STOPPAGE
            telling.add(ko, {**final, **count})
    else:
        telling.add(calls.BOOKED_BELL[method], final)
    telling.add(calls.WINNER, final)
    if cast.setup.title_match and result.method.changes_titles and telling.room > 0:
        telling.add(calls.TITLE_ENDS, final)


def _tell_flavour(
    telling: _Tick, cast: Cast, applied: AppliedAction, before: MatchState, after: MatchState
) -> None:
    if telling.room <= 0:
        return
    fields = _move_fields(cast, applied)
    actor, target = applied.actor_id, applied.target_id
    leader = max(after.wrestlers, key=lambda w: (w.momentum, w.wrestler_id == actor)).wrestler_id
    leading = {
        **fields,
        "a": cast.name(leader),
        "t": cast.name(after.opponent_of(leader).wrestler_id),
    }
    if applied.injury_weeks:
        telling.add(calls.INJURY_CONCERN, fields)
    elif _swung(before, after, actor, target):
        telling.add(calls.COMEBACK_SWING, fields)
    elif after.phase is not before.phase and after.phase in calls.PHASE_SHIFT:
        telling.add(calls.PHASE_SHIFT[after.phase], leading)
    elif calls.heat_band(after.heat) != calls.heat_band(before.heat) or telling.picker.chance(0.2):
        telling.add(calls.CROWD[calls.heat_band(after.heat)], fields)
    elif telling.picker.chance(0.6):
        verb = telling.picker.choice(calls.COLOUR_VERBS)
        quips = [f'"{quip}," {verb} {{col}}.' for quip in _quips(cast, applied, after)]
        telling.add(quips, fields)


def _swung(before: MatchState, after: MatchState, actor: int, target: int) -> bool:
    was_behind = before.wrestler(actor).momentum + 10 <= before.wrestler(target).momentum
    return was_behind and after.wrestler(actor).momentum > after.wrestler(target).momentum + 5


def _quips(cast: Cast, applied: AppliedAction, after: MatchState) -> tuple[str, ...]:
    pool = calls.COLOUR_PHASE[after.phase]
    if applied.action_id in (ActionId.REST, ActionId.PIN):
        return pool
    if not applied.success:
        return pool + calls.COLOUR_MISS
    alignment = cast.alignment(applied.actor_id)
    if alignment is Alignment.HEEL:
        pool += calls.COLOUR_HEEL_UP
    elif alignment is Alignment.FACE:
        pool += calls.COLOUR_FACE_UP
    else:
        pool += calls.COLOUR_HEEL_UP[:3] + calls.COLOUR_FACE_UP[:3]
    if after.wrestler(applied.actor_id).momentum >= 80 and applied.action_id is not (
        ActionId.FINISHER
    ):
        pool += calls.COLOUR_FINISHER_READY
    return pool
