"""rewrite_segment: a writer retells one segment's play-by-play; the facts stay fixed."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from pydantic import Field
from typing_extensions import Unpack

from engine.llm.base import LLMRequest, LLMResponse
from engine.llm.operations.common import OperationSpec, RequestOptions
from engine.llm.prompting import (
    DATA_POLICY,
    MATCH_DATA,
    fence,
    parse_reply,
    request_fences,
    schema_reminder,
)
from engine.models.base import Frozen
from engine.models.enums import ActionId, FinishMethod
from engine.models.match import MatchSetup
from engine.models.tick import TickResult

OPERATION = "rewrite_segment"
MAX_CHARS = 1500
MAX_TOKENS = 600
PERSONA_CAP = 300
HOUSE_CAP = 2400


class RewriteReply(Frozen):
    text: str = Field(min_length=1, max_length=MAX_CHARS)


SPEC = OperationSpec(
    name=OPERATION, reply=RewriteReply, max_tokens=MAX_TOKENS, temperature=0.9, deadline_s=20.0
)


class BeatFact(Frozen):
    tick: int
    actor: str
    target: str
    action: ActionId
    move: str
    landed: bool
    near_fall: bool = False
    count: int = 0
    finish: FinishMethod | None = None


class FinishFact(Frozen):
    winners: tuple[str, ...] = ()  # empty: a draw
    losers: tuple[str, ...] = ()
    method: FinishMethod
    move: str | None = None


class SegmentFacts(Frozen):
    """What every rewrite must keep. ``outsiders`` are roster names that are not in the match
    (used only to catch a writer naming them; never sent to a writer)."""

    match_id: int
    first_tick: int
    last_tick: int
    names: tuple[str, ...] = Field(min_length=2)
    beats: tuple[BeatFact, ...] = Field(min_length=1)
    finish: FinishFact | None = None
    outsiders: tuple[str, ...] = ()
    max_chars: int = MAX_CHARS


def segment_facts(
    ticks: Sequence[TickResult], setup: MatchSetup, outsiders: Sequence[str] = ()
) -> SegmentFacts:
    """The fixed facts of a run of consecutive ticks of one match."""
    if not ticks:
        raise ValueError("a segment needs at least one tick")
    if any(t.match_id != setup.match_id for t in ticks):
        raise ValueError("every tick of a segment must belong to the match")
    name = {sheet.id: sheet.name for sheet in setup.sheets}
    beats = tuple(
        BeatFact(
            tick=t.time_index,
            actor=name[a.actor_id],
            target=name[a.target_id],
            action=a.action_id,
            move=a.move_name,
            landed=a.success,
            near_fall=a.near_fall,
            count=a.count,
            finish=a.finish,
        )
        for t in ticks
        for a in t.applied_actions
    )
    result = ticks[-1].state_snapshot.result
    finish = None
    if result is not None and result.tick == ticks[-1].time_index:
        finish = FinishFact(
            winners=tuple(name[i] for i in result.winner_ids),
            losers=tuple(name[i] for i in result.loser_ids),
            method=result.method,
            move=result.finisher_move,
        )
    in_match = {n.casefold() for n in name.values()}
    return SegmentFacts(
        match_id=setup.match_id,
        first_tick=ticks[0].time_index,
        last_tick=ticks[-1].time_index,
        names=tuple(name.values()),
        beats=beats,
        finish=finish,
        outsiders=tuple(o for o in outsiders if o.casefold() not in in_match),
    )


class RewriteInput(Frozen):
    facts: SegmentFacts
    house_text: str = ""  # the offline play-by-play of the segment, as a starting point
    persona: str = ""
    seed: int = 0


def system_prompt(persona: str) -> str:
    """Stable per writer: role, the fixed-facts rule and the writer's persona."""
    return "\n".join(
        (
            "You are a writer for LLMFed, a simulated wrestling federation. Retell one segment of "
            "a match as vivid play-by-play in your own voice.",
            "The facts are fixed: every beat happens in order, by the same wrestler, with the same "
            "result (landed, missed, near fall, count). If the segment contains the finish, name "
            "the winner and how they won; if it does not, nobody wins yet. Name only the wrestlers "
            "in the facts. No @ mentions, no markdown headings.",
            DATA_POLICY,
            "## Your persona",
            fence("persona", persona or "a classic play-by-play announcer", limit=PERSONA_CAP),
        )
    )


def user_prompt(data: RewriteInput) -> str:
    facts = data.facts.model_dump(
        mode="json", exclude={"outsiders", "max_chars"}, exclude_none=True
    )
    return "\n".join(
        (
            f"## Segment: ticks {data.facts.first_tick}-{data.facts.last_tick}",
            fence("facts", facts, kind=MATCH_DATA),
            "## The house play-by-play (retell it better; do not copy it)",
            fence("house", data.house_text, kind=MATCH_DATA, limit=HOUSE_CAP),
            f"At most {data.facts.max_chars} characters.",
            schema_reminder(RewriteReply),
        )
    )


def build_request(data: RewriteInput, model: str, **options: Unpack[RequestOptions]) -> LLMRequest:
    return SPEC.request(
        model,
        options,
        system=system_prompt(data.persona),
        user=user_prompt(data),
        seed=data.seed,
        match_id=data.facts.match_id,
        tick=data.facts.last_tick,
    )


def parse(response: LLMResponse) -> RewriteReply:
    return parse_reply(RewriteReply, response)


_HIT = ("{a} catches {t} with {m}.", "{a} lands {m} on {t}.", "{m} from {a} rocks {t}.")
_MISS = ("{a} goes for {m}, but {t} is not there.", "{t} slips out of {a}'s {m}.")
_NEAR = (" ONE... TWO... {t} kicks out!", " {t} survives it somehow!")
_METHOD = {
    FinishMethod.PINFALL: "by pinfall, one-two-three",
    FinishMethod.SUBMISSION: "by submission as the opponent taps out",
    FinishMethod.KO: "by knockout",
    FinishMethod.DQ: "by disqualification",
}


def recap(facts: SegmentFacts, rng: random.Random) -> str:
    """A plain, faithful retelling of the facts: the offline writer's voice. The finish line is
    always kept; beats are dropped from the end of the list only if the cap demands it."""
    finish = facts.finish
    final = ""
    if finish is not None and finish.winners:
        final = f"{' and '.join(finish.winners)} wins {_METHOD.get(finish.method, 'at the bell')}!"
    elif finish is not None:
        final = "The bell rings on the time limit: the match is a draw."
    budget = facts.max_chars - len(final) - 1
    text = ""
    for beat in facts.beats:
        fields = {"a": beat.actor, "t": beat.target, "m": f"the {beat.move}"}
        line = rng.choice(_HIT if beat.landed else _MISS).format(**fields)
        if beat.near_fall:
            line += rng.choice(_NEAR).format(**fields)
        if len(text) + len(line) + 1 > budget:
            break
        text = f"{text} {line}".strip()
    return f"{text} {final}".strip()


def offline(request: LLMRequest) -> dict[str, Any]:
    """A faithful recap of the facts in the request, seeded for variety between writers."""
    facts = SegmentFacts.model_validate(request_fences(request)["facts"])
    return RewriteReply(text=recap(facts, random.Random(request.seed))).model_dump()
