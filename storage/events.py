"""EventLog: the append-only audit trail of domain events (the events table)."""

from __future__ import annotations

import builtins
import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from engine.models import DomainEvent
from storage.codec import from_db_time, opt_db_time
from storage.database import Database

# An event without its own time is stamped by SQLite: the audit trail always has a time.
EVENT_COLUMNS = "kind, federation_id, match_id, tick, actor_user_id, payload_json, at"
EVENT_VALUES = "(?, ?, ?, ?, ?, ?, coalesce(?, strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now')))"
INSERT_EVENT = f"INSERT INTO events ({EVENT_COLUMNS}) VALUES {EVENT_VALUES}"


def event_row(event: DomainEvent) -> tuple[Any, ...]:
    return (
        event.kind,
        event.federation_id,
        event.match_id,
        event.tick,
        event.actor_user_id,
        json.dumps(event.payload, separators=(",", ":"), default=str),
        opt_db_time(event.at),
    )


class EventLog:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def append(self, event: DomainEvent) -> int:
        """Appends inside the caller's transaction when one is open; returns the event id."""
        row = event_row(event)
        new_id: int | None = await self._db.write(
            lambda conn: conn.execute(INSERT_EVENT, row).lastrowid
        )
        assert new_id is not None
        return new_id

    async def append_many(self, events: Iterable[DomainEvent]) -> None:
        await self._db.executemany(INSERT_EVENT, [event_row(event) for event in events])

    async def list(
        self,
        match_id: int | None = None,
        federation_id: int | None = None,
        kind: str | None = None,
        limit: int = 100,
    ) -> builtins.list[DomainEvent]:
        """The latest ``limit`` matching events, oldest first. ``kind`` ending in '.' is a
        prefix ("match." gives every match event)."""
        clauses: builtins.list[str] = []
        params: builtins.list[Any] = []
        if match_id is not None:
            clauses.append("match_id = ?")
            params.append(match_id)
        if federation_id is not None:
            clauses.append("federation_id = ?")
            params.append(federation_id)
        if kind is not None and kind.endswith("."):
            clauses.append("substr(kind, 1, ?) = ?")
            params.extend([len(kind), kind])
        elif kind is not None:
            clauses.append("kind = ?")
            params.append(kind)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = await self._db.fetchall(
            f"SELECT kind, federation_id, match_id, tick, actor_user_id, payload_json, at "
            f"FROM events {where} ORDER BY id DESC LIMIT ?",
            (*params, limit),
        )
        return [_event(row) for row in reversed(rows)]


def _event(row: sqlite3.Row) -> DomainEvent:
    return DomainEvent(
        kind=row["kind"],
        federation_id=row["federation_id"],
        match_id=row["match_id"],
        tick=row["tick"],
        actor_user_id=row["actor_user_id"],
        payload=json.loads(row["payload_json"]),
        at=from_db_time(row["at"]),
    )
