"""Pending player decisions, persisted in engine_requests so a button press survives a restart.

A player's turn writes a ``pending`` row before the buttons go out. A press answers the row
(only while it is pending); a timeout marks it ``fallback``. When the match resumes after a
restart, the re-asked turn finds an answer given meanwhile and uses it.
"""

from __future__ import annotations

from engine.models import AgentActionResponse, EngineRequest, MatchSetup, RequestStatus
from storage.database import Database
from storage.match_rows import REQUEST_COLUMNS, request_row

_INSERT_PENDING = (
    f"INSERT INTO engine_requests ({REQUEST_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (request_id) DO NOTHING"
)


class PendingRequests:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def open(self, request: EngineRequest, setup: MatchSetup) -> None:
        """Records the turn as pending (a no-op if it was recorded before a restart)."""
        await self._db.execute(_INSERT_PENDING, request_row(request, setup))

    async def status(self, request_id: str) -> tuple[RequestStatus, AgentActionResponse | None]:
        row = await self._db.fetchone(
            "SELECT status, response_json FROM engine_requests WHERE request_id = ?",
            (request_id,),
        )
        if row is None:
            return RequestStatus.FALLBACK, None
        response = (
            AgentActionResponse.model_validate_json(row["response_json"])
            if row["response_json"]
            else None
        )
        return RequestStatus(row["status"]), response

    async def owner(self, request_id: str) -> int | None:
        """The user who owns the wrestler a request asks, or None if there is no such request."""
        row = await self._db.fetchone(
            "SELECT r.agent_id, m.setup_json FROM engine_requests r JOIN matches m "
            "ON m.id = r.match_id WHERE r.request_id = ?",
            (request_id,),
        )
        if row is None or row["setup_json"] is None:
            return None
        setup = MatchSetup.model_validate_json(row["setup_json"])
        try:
            return setup.sheet(int(row["agent_id"])).owner_user_id
        except KeyError:
            return None

    async def answer(self, request_id: str, response: AgentActionResponse) -> bool:
        """True if this answer was taken (the request was still pending)."""
        changed = await self._db.execute(
            "UPDATE engine_requests SET status = 'answered', response_json = ? "
            "WHERE request_id = ? AND status = 'pending'",
            (response.model_dump_json(), request_id),
        )
        return bool(changed)

    async def expire(self, request_id: str, reason: str) -> bool:
        """True if the request timed out here (nobody answered it first)."""
        changed = await self._db.execute(
            "UPDATE engine_requests SET status = 'fallback', fallback_reason = ? "
            "WHERE request_id = ? AND status = 'pending'",
            (reason[:200], request_id),
        )
        return bool(changed)
