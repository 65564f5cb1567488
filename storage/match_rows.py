"""Row codecs for matches, match_ticks and engine_requests, and the tick pointer's guard."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from engine.errors import Conflict, InvalidState, NotFound
from engine.models import (
    ControllerKind,
    Match,
    MatchResult,
    MatchSetup,
    MatchState,
    MatchStatus,
    NarrativeMode,
    Phase,
    RequestStatus,
    Stipulation,
    TickResult,
    Wrestler,
)
from engine.models.tick import AgentActionResponse, AppliedAction, EngineRequest, EventContext
from storage.codec import from_db_time

TICK_COLUMNS = (
    "match_id, time_index, tick_id, actor_id, applied_json, state_json, narration, phase, heat"
)
REQUEST_COLUMNS = (
    "request_id, match_id, agent_id, due_tick, deadline_s, controller, status, response_json, "
    "fallback_reason, context_json"
)
# A later write of the same request (answered, fell back) updates it; a missing context in
# the later write keeps the one recorded when the request was made.
REQUEST_CONFLICT = (
    "ON CONFLICT (request_id) DO UPDATE SET status = excluded.status, "
    "response_json = coalesce(excluded.response_json, response_json), "
    "fallback_reason = coalesce(excluded.fallback_reason, fallback_reason), "
    "context_json = coalesce(excluded.context_json, context_json), "
    "deadline_s = excluded.deadline_s, controller = excluded.controller"
)
UPSERT_REQUEST = (
    f"INSERT INTO engine_requests ({REQUEST_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    + REQUEST_CONFLICT
)


def request_row(request: EngineRequest, setup: MatchSetup) -> tuple[Any, ...]:
    return (
        request.request_id,
        request.match_id,
        request.agent_id,
        request.due_tick,
        request.deadline_s,
        request.controller.value,
        request.status.value,
        None if request.response is None else request.response.model_dump_json(),
        request.fallback_reason,
        None if request.context is None else _context_json(request.context, setup),
    )


def engine_request(row: sqlite3.Row, setup: MatchSetup | None) -> EngineRequest:
    return EngineRequest(
        request_id=row["request_id"],
        match_id=row["match_id"],
        agent_id=row["agent_id"],
        due_tick=row["due_tick"],
        deadline_s=row["deadline_s"],
        controller=ControllerKind(row["controller"]),
        status=RequestStatus(row["status"]),
        response=None
        if row["response_json"] is None
        else AgentActionResponse.model_validate_json(row["response_json"]),
        fallback_reason=row["fallback_reason"],
        context=None if row["context_json"] is None else _context(row["context_json"], setup),
    )


def _context_json(context: EventContext, setup: MatchSetup) -> str:
    """The context without the character sheets that equal the match's frozen setup: they
    are half its size and already stored once on the match."""
    omit = {
        field
        for field, sheet in (("actor", context.actor), ("opponent", context.opponent))
        if _frozen_sheet(setup, sheet.id) in (sheet,)
    }
    return context.model_dump_json(exclude=omit)


def _frozen_sheet(setup: MatchSetup, wrestler_id: int) -> Wrestler | None:
    for sheet in setup.sheets:
        if sheet.id == wrestler_id:
            return sheet
    return None


def _context(context_json: str, setup: MatchSetup | None) -> EventContext:
    data = json.loads(context_json)
    for field, state in (("actor", "actor_state"), ("opponent", "opponent_state")):
        if field not in data and setup is not None:
            data[field] = setup.sheet(data[state]["wrestler_id"])
    return EventContext.model_validate(data)


def match_state(state_json: str, setup: MatchSetup) -> MatchState:
    """A stored state holds only the dynamic part; the setup is frozen on the match."""
    return MatchState.model_validate({**json.loads(state_json), "setup": setup})


def tick_result(row: sqlite3.Row, setup: MatchSetup) -> TickResult:
    return TickResult(
        match_id=row["match_id"],
        tick_id=row["tick_id"],
        time_index=row["time_index"],
        actor_id=row["actor_id"],
        applied_actions=tuple(
            AppliedAction.model_validate(item) for item in json.loads(row["applied_json"])
        ),
        phase=Phase(row["phase"]),
        heat=row["heat"],
        state_snapshot=match_state(row["state_json"], setup),
        narration=row["narration"],
    )


def result_json(result: MatchResult | None) -> str | None:
    return None if result is None else result.model_dump_json()


def match_row(row: sqlite3.Row, participant_ids: list[int]) -> Match:
    return Match(
        id=row["id"],
        federation_id=row["federation_id"],
        show_id=row["show_id"],
        participant_ids=tuple(participant_ids),
        stipulation=Stipulation(row["stipulation"]),
        mode=NarrativeMode(row["mode"]),
        booked_winner_id=row["booked_winner_id"],
        championship_id=row["championship_id"],
        seed=row["seed"],
        max_ticks=row["max_ticks"],
        status=MatchStatus(row["status"]),
        result=None
        if row["result_json"] is None
        else MatchResult.model_validate_json(row["result_json"]),
        rating=row["rating"],
        channel_id=row["channel_id"],
        thread_id=row["thread_id"],
        message_id=row["message_id"],
        created_at=from_db_time(row["created_at"]),
    )


def advance_pointer(conn: sqlite3.Connection, match_id: int, time_index: int) -> None:
    """Move the state pointer one tick on, or say exactly why that tick is not the next."""
    moved = conn.execute(
        "UPDATE matches SET last_tick = ? WHERE id = ? AND status = 'live' AND last_tick = ?",
        (time_index, match_id, time_index - 1),
    ).rowcount
    if moved == 1:
        return
    current = conn.execute(
        "SELECT status, last_tick FROM matches WHERE id = ?", (match_id,)
    ).fetchone()
    if current is None:
        raise NotFound(f"no match #{match_id}")
    status, last = current[0], current[1]
    if status != "live":
        raise InvalidState(f"match #{match_id} is {status}, not live")
    if time_index <= last:
        raise Conflict(f"match #{match_id} already has tick {time_index}")
    raise InvalidState(f"match #{match_id} is at tick {last}; tick {time_index} skips ahead")
