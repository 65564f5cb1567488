"""ScriptDeskRepo: a full_rewrite match's hand-written script desk (0012): the named writer,
the button message, the deadline and the accepted script. Settling is compare-and-set, so a
script is accepted at most once and never after the desk expired."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from engine.llm.operations.write_match_script import MatchScript
from engine.models.base import Frozen
from storage.codec import from_db_time, to_db_time
from storage.database import Database

DESK_COLUMNS = (
    "match_id, writer_user_id, thread_id, message_id, opened_at, deadline_at, status, "
    "script_json, author_user_id, author_name, settled_at"
)


class DeskStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    EXPIRED = "expired"


class ScriptDesk(Frozen):
    match_id: int
    writer_user_id: int | None = None
    thread_id: int | None = None
    message_id: int | None = None
    opened_at: datetime | None = None
    deadline_at: datetime | None = None
    status: DeskStatus | None = None  # None: not opened yet (only a writer is named)
    script: MatchScript | None = None
    author_user_id: int | None = None
    author_name: str | None = None
    settled_at: datetime | None = None


class ScriptDeskRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, match_id: int) -> ScriptDesk | None:
        row = await self._db.fetchone(
            f"SELECT {DESK_COLUMNS} FROM script_desks WHERE match_id = ?", (match_id,)
        )
        if row is None:
            return None
        script = row["script_json"]
        return ScriptDesk(
            match_id=row["match_id"],
            writer_user_id=row["writer_user_id"],
            thread_id=row["thread_id"],
            message_id=row["message_id"],
            opened_at=from_db_time(row["opened_at"]),
            deadline_at=from_db_time(row["deadline_at"]),
            status=DeskStatus(row["status"]) if row["status"] else None,
            script=MatchScript.model_validate_json(script) if script else None,
            author_user_id=row["author_user_id"],
            author_name=row["author_name"],
            settled_at=from_db_time(row["settled_at"]),
        )

    async def name_writer(self, match_id: int, user_id: int | None) -> None:
        """Who besides the promoters may submit the script (None: promoters only)."""
        await self._db.execute(
            "INSERT INTO script_desks (match_id, writer_user_id) VALUES (?, ?) "
            "ON CONFLICT (match_id) DO UPDATE SET writer_user_id = excluded.writer_user_id",
            (match_id, user_id),
        )

    async def open(
        self, match_id: int, thread_id: int, now: datetime, deadline_at: datetime
    ) -> ScriptDesk:
        """Opens the desk once; later calls (a restart) return it as it is."""
        await self._db.execute(
            "INSERT INTO script_desks (match_id, thread_id, opened_at, deadline_at, status) "
            "VALUES (?, ?, ?, ?, 'open') ON CONFLICT (match_id) DO UPDATE SET "
            "thread_id = excluded.thread_id, opened_at = excluded.opened_at, "
            "deadline_at = excluded.deadline_at, status = 'open' "
            "WHERE script_desks.status IS NULL",
            (match_id, thread_id, to_db_time(now), to_db_time(deadline_at)),
        )
        desk = await self.get(match_id)
        assert desk is not None
        return desk

    async def set_message(self, match_id: int, message_id: int) -> None:
        await self._db.execute(
            "UPDATE script_desks SET message_id = ? WHERE match_id = ?", (message_id, match_id)
        )

    async def accept(
        self, match_id: int, script: MatchScript, user_id: int, name: str, now: datetime
    ) -> bool:
        """True if this call accepted the script (the desk was open and in time)."""
        changed = await self._db.execute(
            "UPDATE script_desks SET status = 'accepted', script_json = ?, author_user_id = ?, "
            "author_name = ?, settled_at = ? "
            "WHERE match_id = ? AND status = 'open' AND deadline_at >= ?",
            (
                script.model_dump_json(),
                user_id,
                name[:80],
                to_db_time(now),
                match_id,
                to_db_time(now),
            ),
        )
        return changed == 1

    async def expire(self, match_id: int, now: datetime) -> bool:
        """True if this call closed the desk without a script."""
        changed = await self._db.execute(
            "UPDATE script_desks SET status = 'expired', settled_at = ? "
            "WHERE match_id = ? AND status = 'open'",
            (to_db_time(now), match_id),
        )
        return changed == 1
