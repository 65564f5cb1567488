"""rolling_rewrite: several writers retell a segment; fact checks drop the ones that lie."""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from engine.llm.base import LLMProvider
from engine.llm.errors import LLMError
from engine.llm.operations import rewrite_segment as op
from engine.llm.operations.calling import call_parsed
from engine.llm.operations.rewrite_segment import RewriteInput, SegmentFacts, segment_facts
from engine.llm.prompting import safe_output
from engine.models.base import Frozen
from engine.models.enums import FinishMethod
from engine.models.match import MatchSetup
from engine.models.tick import TickResult

HOUSE = "house"
STAND_IN_VOTERS = 7

_WIN_AFTER = (
    r"(?:\w+\s+){0,2}?(?:wins|has won|won|prevails|is victorious|is your winner|retains|"
    r"picks up the (?:win|victory)|gets the (?:win|victory|three|1-2-3|pinfall))\b"
)
_WIN_BEFORE = r"\b(?:winner|victory for|win for|victorious|wins it for)[:,]?\s+(?:\w+\s+){0,2}?"
_METHOD_WORDS: dict[FinishMethod, tuple[str, ...]] = {
    FinishMethod.PINFALL: ("pin", "three", "1-2-3", "cover", "count"),
    FinishMethod.SUBMISSION: ("tap", "submi", "gives up", "give up", "quits"),
    FinishMethod.KO: ("knock", "k.o", "ko", "ten", "count", "out cold", "stoppage", "stays down"),
    FinishMethod.DQ: ("disqualif", "dq", "d.q"),
    FinishMethod.TIME_LIMIT: ("draw", "time limit", "time-limit", "time expires", "time runs"),
}


@dataclass(frozen=True)
class Writer:
    """One competing writer: a configured provider/model with a persona."""

    name: str
    provider: LLMProvider
    model: str
    persona: str = ""
    temperature: float = 0.9
    deadline_s: float = 20.0


class Candidate(Frozen):
    writer: str
    model: str
    text: str
    house: bool = False


class DroppedCandidate(Frozen):
    writer: str
    model: str
    text: str = ""
    reasons: tuple[str, ...]


class RewriteRound(Frozen):
    facts: SegmentFacts
    candidates: tuple[Candidate, ...]  # survivors, the house telling last (always present)
    dropped: tuple[DroppedCandidate, ...] = ()


def _forms(name: str, others: Sequence[str]) -> list[str]:
    """How a text may refer to a wrestler: the full name, or a word of it no one else shares."""
    taken = {word.casefold() for other in others for word in other.split()}
    words = [w for w in name.split() if len(w) >= 3 and w.casefold() not in taken]
    return [name, *words] if len(name.split()) > 1 else [name]


def _mentions(text: str, forms: Sequence[str]) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.IGNORECASE) for form in forms)


def _claims_win(text: str, forms: Sequence[str]) -> bool:
    for form in forms:
        name = re.escape(form)
        if re.search(rf"(?<!\w){name}\s+{_WIN_AFTER}", text, re.IGNORECASE):
            return True
        if re.search(rf"{_WIN_BEFORE}{name}(?!\w)", text, re.IGNORECASE):
            return True
    return False


def _tells_method(text: str, method: FinishMethod) -> bool:
    lowered = text.casefold()
    return any(re.search(rf"(?<!\w){re.escape(word)}", lowered) for word in _METHOD_WORDS[method])


def check_facts(candidate_text: str, facts: SegmentFacts) -> list[str]:
    """Why a candidate contradicts the fixed facts (empty when it does not)."""
    text = candidate_text.strip()
    if not text:
        return ["the candidate is empty"]
    problems = []
    if len(text) > facts.max_chars:
        problems.append(f"over length: {len(text)} characters (at most {facts.max_chars})")
    problems += [
        f"names {outsider}, who is not in this match"
        for outsider in facts.outsiders
        if _mentions(text, [outsider])
    ]
    forms = {name: _forms(name, [n for n in facts.names if n != name]) for name in facts.names}
    claimed = [name for name in facts.names if _claims_win(text, forms[name])]
    finish = facts.finish
    if finish is None:
        problems += [
            f"claims {name} won, but the match does not end in this segment" for name in claimed
        ]
        return problems
    if not finish.winners:
        problems += [f"claims {name} won, but the match ended in a draw" for name in claimed]
        if not _tells_method(text, FinishMethod.TIME_LIMIT):
            problems.append("the finish is missing: the match ends in a time-limit draw here")
        return problems
    winners = " and ".join(finish.winners)
    problems += [
        f"names {name} as the winner, but {winners} won"
        for name in claimed
        if name not in finish.winners
    ]
    told = all(_mentions(text, forms[w]) for w in finish.winners if w in forms)
    if not told or not _tells_method(text, finish.method):
        problems.append(
            f"the finish is missing: {winners} wins by {finish.method.value} in this segment"
        )
    return problems


def house_telling(ticks: Sequence[TickResult], facts: SegmentFacts, seed: int) -> str:
    """The offline narration of the segment; a plain recap when the ticks were not narrated."""
    narrated = [t.narration for t in ticks if t.narration]
    if len(narrated) == len(ticks):
        return " ".join(narrated)
    return op.recap(facts, random.Random(seed))


async def _write(
    writer: Writer, data: RewriteInput, guild_id: int | None
) -> Candidate | DroppedCandidate:
    request = op.build_request(
        data,
        writer.model,
        temperature=writer.temperature,
        deadline_s=writer.deadline_s,
        guild_id=guild_id,
    )
    try:
        parsed = await call_parsed(writer.provider, request, op.parse)
    except LLMError as exc:
        return DroppedCandidate(
            writer=writer.name, model=writer.model, reasons=(f"writer failed: {exc.reason}",)
        )
    text = parsed.value.text
    problems = check_facts(text, data.facts)
    if problems:
        return DroppedCandidate(
            writer=writer.name, model=writer.model, text=text, reasons=tuple(problems)
        )
    return Candidate(
        writer=writer.name, model=writer.model, text=safe_output(text, data.facts.max_chars)
    )


async def rewrite_round(
    segment_ticks: Sequence[TickResult],
    setup: MatchSetup,
    writers: Sequence[Writer],
    *,
    seed: int = 0,
    outsiders: Sequence[str] = (),
    guild_id: int | None = None,
) -> RewriteRound:
    """Every writer retells the segment concurrently; candidates that contradict the facts
    are dropped with their reasons; the house telling always survives."""
    facts = segment_facts(segment_ticks, setup, outsiders)
    house = house_telling(segment_ticks, facts, seed)
    results = await asyncio.gather(
        *(
            _write(
                writer,
                RewriteInput(
                    facts=facts, house_text=house, persona=writer.persona, seed=seed + index
                ),
                guild_id,
            )
            for index, writer in enumerate(writers)
        )
    )
    kept = [r for r in results if isinstance(r, Candidate)]
    dropped = tuple(r for r in results if isinstance(r, DroppedCandidate))
    kept.append(Candidate(writer=HOUSE, model="offline", text=house, house=True))
    return RewriteRound(facts=facts, candidates=tuple(kept), dropped=dropped)


async def rewrite_candidates(
    segment_ticks: Sequence[TickResult],
    setup: MatchSetup,
    writers: Sequence[Writer],
    *,
    seed: int = 0,
    outsiders: Sequence[str] = (),
    guild_id: int | None = None,
) -> list[Candidate]:
    """The surviving candidates of :func:`rewrite_round` (the house telling always among them)."""
    done = await rewrite_round(
        segment_ticks, setup, writers, seed=seed, outsiders=outsiders, guild_id=guild_id
    )
    return list(done.candidates)


def stand_in_votes(candidates: Sequence[Candidate], seed: int) -> list[int]:
    """A deterministic crowd for the CLI: each stand-in voter leans towards varied writing."""
    if not candidates:
        raise ValueError("nothing to vote on")
    rng = random.Random(f"stand-in-vote:{seed}")
    weights = []
    for candidate in candidates:
        words = candidate.text.casefold().split()
        weights.append(1.0 + len(set(words)) / max(1, len(words)))
    tally = [0] * len(candidates)
    for _ in range(STAND_IN_VOTERS):
        tally[rng.choices(range(len(candidates)), weights=weights)[0]] += 1
    return tally


def pick_by_stand_in_vote(candidates: Sequence[Candidate], seed: int) -> Candidate:
    """The stand-in vote's winner; ties go to the earlier candidate."""
    tally = stand_in_votes(candidates, seed)
    return candidates[max(range(len(candidates)), key=lambda i: (tally[i], -i))]
