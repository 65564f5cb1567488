"""Shared pieces of the LLM operations: rules summary, character sheets as data, request making."""

from __future__ import annotations

from typing import Any, TypedDict

from pydantic import BaseModel

from engine.llm.base import LLMMessage, LLMRequest
from engine.llm.prompting import json_schema
from engine.models.base import Frozen
from engine.models.enums import Stipulation, Tier
from engine.models.league import Stats, Wrestler
from engine.models.match import MatchSetup, WrestlerState

STIPULATION_RULES: dict[Stipulation, str] = {
    Stipulation.STANDARD: "win by pinfall, submission or KO; cheating seen three times is a DQ.",
    Stipulation.NO_DQ: "no disqualifications: cheat freely, weapons are legal.",
    Stipulation.SUBMISSION_ONLY: "no pins: the only way to win is to make the opponent tap out.",
    Stipulation.LAST_MAN_STANDING: (
        "no pins or submissions: big spots on a beaten opponent start a ten-count; "
        "whoever cannot answer it loses."
    ),
}

RULES_SUMMARY = (
    "Rules: only offered action ids are legal (others become a basic move). Moves cost stamina "
    "(rest recovers 15); fatigue weakens them. signature needs momentum 50, finisher 80. Landed "
    "moves build momentum. Pins win on a worn-down opponent, best right after a finisher. taunt "
    "opens a counter; cheat risks a DQ."
)

SHEET_FIELDS = (
    "id",
    "name",
    "gimmick",
    "alignment",
    "style",
    "finisher",
    "signatures",
    "popularity",
)


def sheet_data(wrestler: Wrestler, *, season: bool = True) -> dict[str, Any]:
    """The character sheet as data; its strings are player text and get fenced by the caller.
    ``season`` adds the wrestler's form coming in (it sets the starting in-match momentum)."""
    data = wrestler.model_dump(mode="json", include=set(SHEET_FIELDS))
    data["stats"] = wrestler.stats.model_dump()
    sheet = {key: data[key] for key in (*SHEET_FIELDS[:5], "stats", *SHEET_FIELDS[5:])}
    if season:
        sheet["season_momentum"] = wrestler.momentum
    return sheet


def wrestler_from_sheet(data: dict[str, Any]) -> Wrestler:
    """Rebuild a Wrestler from a sheet read back out of a prompt. Fields the offline policies
    do not read (federation, owner, record, ...) take their defaults."""
    return Wrestler(
        id=int(data["id"]),
        federation_id=0,
        name=data["name"],
        gimmick=data.get("gimmick", ""),
        alignment=data["alignment"],
        style=data["style"],
        stats=Stats(**data.get("stats", {})),
        finisher=data["finisher"],
        signatures=tuple(data.get("signatures", ())),
        popularity=data.get("popularity", 30),
        momentum=data.get("season_momentum", 50),
    )


def condition_data(state: WrestlerState) -> dict[str, Any]:
    return state.model_dump(mode="json", exclude={"wrestler_id", "kicked_out"})


def condition_from_data(wrestler_id: int, data: dict[str, Any]) -> WrestlerState:
    return WrestlerState(wrestler_id=wrestler_id, **data)


SETUP_FIELDS = {"match_id", "stipulation", "max_ticks", "booked_winner_id", "tier", "title_match"}


def setup_facts(setup: MatchSetup) -> dict[str, Any]:
    """The booking facts of a match as prompt data (read back by ``setup_from_facts``)."""
    return setup.model_dump(mode="json", include=SETUP_FIELDS)


def setup_from_facts(facts: dict[str, Any], sheets: list[dict[str, Any]], seed: int) -> MatchSetup:
    """Rebuild a MatchSetup from the setup facts and cast sheets read back out of a prompt."""
    return MatchSetup(
        match_id=facts["match_id"],
        seed=seed,
        stipulation=Stipulation(facts["stipulation"]),
        max_ticks=facts["max_ticks"],
        booked_winner_id=facts["booked_winner_id"],
        tier=Tier(facts["tier"]),
        title_match=facts["title_match"],
        sheets=tuple(wrestler_from_sheet(sheet) for sheet in sheets),
    )


class RequestOptions(TypedDict, total=False):
    """Per-call tuning every operation's ``build_request`` takes; what is left out takes the
    operation's default."""

    temperature: float
    deadline_s: float
    max_tokens: int
    guild_id: int | None


class OperationSpec(Frozen):
    """An operation's name, reply schema and default tuning: what every request it makes shares."""

    name: str
    reply: type[BaseModel]
    max_tokens: int
    temperature: float
    deadline_s: float

    def request(
        self,
        model: str,
        options: RequestOptions,
        *,
        system: str,
        user: str,
        seed: int,
        match_id: int | None = None,
        tick: int | None = None,
    ) -> LLMRequest:
        return LLMRequest(
            operation=self.name,
            model=model,
            system=system,
            messages=(LLMMessage(role="user", content=user),),
            response_schema=json_schema(self.reply),
            schema_name=self.reply.__name__,
            max_tokens=options.get("max_tokens", self.max_tokens),
            temperature=options.get("temperature", self.temperature),
            deadline_s=options.get("deadline_s", self.deadline_s),
            seed=seed,
            guild_id=options.get("guild_id"),
            match_id=match_id,
            tick=tick,
        )


def repair_request(request: LLMRequest, bad_reply: str, problem: str) -> LLMRequest:
    """The same request with the invalid reply and the validation error appended: one retry."""
    follow_up = (
        f"That reply was rejected: {problem[:300]}. Answer again with only the JSON object, "
        "exactly in the requested shape."
    )
    messages = (
        *request.messages,
        LLMMessage(role="assistant", content=bad_reply[:2000] or "(empty reply)"),
        LLMMessage(role="user", content=follow_up),
    )
    return request.model_copy(update={"messages": messages})
