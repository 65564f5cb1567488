"""Shared pieces of the LLM operations: rules summary, character sheets as data, request making."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from engine.llm.base import LLMMessage, LLMRequest
from engine.llm.prompting import json_schema
from engine.models.enums import Stipulation
from engine.models.league import Stats, Wrestler
from engine.models.match import WrestlerState

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


def make_request(
    *,
    operation: str,
    model: str,
    system: str,
    user: str,
    response_model: type[BaseModel],
    max_tokens: int,
    temperature: float,
    deadline_s: float,
    seed: int,
    guild_id: int | None = None,
    match_id: int | None = None,
    tick: int | None = None,
) -> LLMRequest:
    return LLMRequest(
        operation=operation,
        model=model,
        system=system,
        messages=(LLMMessage(role="user", content=user),),
        response_schema=json_schema(response_model),
        schema_name=response_model.__name__,
        max_tokens=max_tokens,
        temperature=temperature,
        deadline_s=deadline_s,
        seed=seed,
        guild_id=guild_id,
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
