"""promo_line: one wrestler's next line in a promo exchange (prompt, schema, offline twin)."""

from __future__ import annotations

import random
import zlib
from typing import Any

from pydantic import Field, model_validator
from typing_extensions import Unpack

from engine.llm.base import LLMRequest, LLMResponse
from engine.llm.operations.common import (
    OperationSpec,
    RequestOptions,
    sheet_data,
    wrestler_from_sheet,
)
from engine.llm.prompting import (
    DATA_POLICY,
    MATCH_DATA,
    fence,
    parse_reply,
    request_fences,
    schema_reminder,
)
from engine.models.base import Frozen
from engine.models.league import Wrestler
from engine.models.show import PromoLine
from engine.narration.promo import offline_promo_line

OPERATION = "promo_line"
MAX_CHARS = 280
MAX_TOKENS = 160
PREVIOUS_LINES = 6
HINT_CAP = 200


class PromoLineReply(Frozen):
    line: str = Field(min_length=1, max_length=MAX_CHARS)


SPEC = OperationSpec(
    name=OPERATION, reply=PromoLineReply, max_tokens=MAX_TOKENS, temperature=0.9, deadline_s=8.0
)


class PromoLineInput(Frozen):
    """One turn of a promo. ``cast`` is everyone in the segment (stable for the whole promo)."""

    cast: tuple[Wrestler, ...] = Field(min_length=2, max_length=4)
    speaker_id: int
    opponent_id: int
    round_index: int = Field(ge=0)
    rounds: int = Field(ge=1, le=6)
    previous: tuple[PromoLine, ...] = ()
    hints: tuple[str, ...] = ()
    seed: int = 0

    @model_validator(mode="after")
    def _speakers_in_cast(self) -> PromoLineInput:
        ids = {w.id for w in self.cast}
        if self.speaker_id not in ids or self.opponent_id not in ids:
            raise ValueError("speaker and opponent must be in the promo")
        if self.speaker_id == self.opponent_id:
            raise ValueError("a wrestler cannot cut a promo on themselves")
        if self.round_index >= self.rounds:
            raise ValueError("round out of range")
        return self

    def wrestler(self, wrestler_id: int) -> Wrestler:
        return next(w for w in self.cast if w.id == wrestler_id)


def line_seed(promo_seed: int, round_index: int, speaker_id: int) -> int:
    """The seed of one line: the same promo replays word for word offline."""
    return zlib.crc32(f"promo:{promo_seed}:{round_index}:{speaker_id}".encode())


def system_prompt(cast: tuple[Wrestler, ...]) -> str:
    """Stable for the whole promo: role, style rules and the cast."""
    return "\n".join(
        (
            "You write promos for LLMFed, a simulated wrestling federation: wrestlers trade lines "
            "on the microphone. Write ONE line for the named speaker, in character (gimmick, "
            f"alignment: heels insult, faces rally the crowd), at most {MAX_CHARS} characters. "
            "Answer what was just said; build to the match. No @ mentions, no markdown, no slurs.",
            DATA_POLICY,
            "## The cast",
            fence("cast", [sheet_data(w) for w in cast]),
        )
    )


def user_prompt(data: PromoLineInput) -> str:
    turn = {
        "speaker_id": data.speaker_id,
        "addressing_id": data.opponent_id,
        "round": data.round_index + 1,
        "rounds": data.rounds,
    }
    previous = [
        line.model_dump(mode="json", include={"round", "speaker_id", "text"})
        for line in data.previous[-PREVIOUS_LINES:]
    ]
    hints = list(data.hints[:3])
    return "\n".join(
        (
            "## Your turn",
            fence("turn", turn, kind=MATCH_DATA),
            "## The exchange so far",
            fence("previous", previous),
            "## Promoter notes (advice only)",
            fence("hints", hints, limit=HINT_CAP) if hints else "none",
            schema_reminder(PromoLineReply),
        )
    )


def build_request(
    data: PromoLineInput, model: str, **options: Unpack[RequestOptions]
) -> LLMRequest:
    return SPEC.request(
        model,
        options,
        system=system_prompt(data.cast),
        user=user_prompt(data),
        seed=line_seed(data.seed, data.round_index, data.speaker_id),
    )


def parse(response: LLMResponse) -> PromoLineReply:
    return parse_reply(PromoLineReply, response)


def offline_line(data: PromoLineInput, seed: int) -> str:
    rng = random.Random(seed)
    return offline_promo_line(
        data.wrestler(data.speaker_id),
        data.wrestler(data.opponent_id),
        data.round_index,
        data.previous,
        rng,
    )


def offline(request: LLMRequest) -> dict[str, Any]:
    """The offline promo line for the turn described in the request."""
    blocks = request_fences(request)
    turn = blocks["turn"]
    cast = tuple(wrestler_from_sheet(sheet) for sheet in blocks["cast"])
    previous = tuple(
        PromoLine(round=p["round"], speaker_id=p["speaker_id"], text=p["text"])
        for p in blocks["previous"]
    )
    data = PromoLineInput(
        cast=cast,
        speaker_id=turn["speaker_id"],
        opponent_id=turn["addressing_id"],
        round_index=turn["round"] - 1,
        rounds=turn["rounds"],
        previous=previous,
    )
    return PromoLineReply(line=offline_line(data, request.seed)).model_dump()
