"""ShowOccurrenceRepo: which weekly show occurrences ran, were missed, or got a Discord event.

One row per (show, scheduled start). Settling an occurrence is a compare-and-set, so a show
occurrence runs at most once however the scheduler, the start-up catch-up and restarts race.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from storage.codec import to_db_time
from storage.database import Database


class Outcome(StrEnum):
    RAN = "ran"
    MISSED = "missed"


class ShowOccurrenceRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def settle(self, show_id: int, due_at: datetime, outcome: Outcome, now: datetime) -> bool:
        """Records the outcome of the occurrence starting at ``due_at``. True if this call
        settled it; False if it was already settled (then nothing changes). Joins the
        caller's transaction when one is open."""
        changed = await self._db.execute(
            "INSERT INTO show_occurrences (show_id, due_at, outcome, settled_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (show_id, due_at) DO UPDATE SET "
            "outcome = excluded.outcome, settled_at = excluded.settled_at "
            "WHERE show_occurrences.outcome IS NULL",
            (show_id, to_db_time(due_at), outcome.value, to_db_time(now)),
        )
        return changed == 1

    async def outcome(self, show_id: int, due_at: datetime) -> Outcome | None:
        value = await self._db.fetchvalue(
            "SELECT outcome FROM show_occurrences WHERE show_id = ? AND due_at = ?",
            (show_id, to_db_time(due_at)),
        )
        return None if value is None else Outcome(value)

    async def record_event_created(self, show_id: int, due_at: datetime, now: datetime) -> bool:
        """True if this call recorded it; False if an event already exists for it."""
        changed = await self._db.execute(
            "INSERT INTO show_occurrences (show_id, due_at, event_created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (show_id, due_at) DO UPDATE SET event_created_at = "
            "excluded.event_created_at WHERE show_occurrences.event_created_at IS NULL",
            (show_id, to_db_time(due_at), to_db_time(now)),
        )
        return changed == 1

    async def event_created(self, show_id: int, due_at: datetime) -> bool:
        value = await self._db.fetchvalue(
            "SELECT event_created_at FROM show_occurrences WHERE show_id = ? AND due_at = ?",
            (show_id, to_db_time(due_at)),
        )
        return value is not None
