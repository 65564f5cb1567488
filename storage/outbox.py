"""OutboxRepo: the table of tick narration waiting to be posted to Discord, exactly once.

A row's life: enqueued (pending) -> claimed with a nonce just before the send -> posted with
the message id the send returned (or dropped, when the channel refuses it for good). Several
rows posted as one coalesced message share its nonce and message id.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from engine.models import Frozen
from storage.codec import from_db_time, to_db_time
from storage.database import Database

_COLUMNS = "id, channel_id, match_id, time_index, text, nonce, message_id"


class OutboxEntry(Frozen):
    id: int
    channel_id: int
    match_id: int
    time_index: int
    text: str
    nonce: str | None = None
    message_id: int | None = None


class OutboxRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def enqueue(
        self, channel_id: int, match_id: int, time_index: int, text: str, now: datetime
    ) -> int | None:
        """Adds a tick's narration; joins the caller's transaction when one is open, so the
        tick and its post commit together. The row id, or None when this (match, tick) is
        already queued: a tick is never enqueued twice."""
        async with (
            self._db.transaction() as conn,
            conn.execute(
                "INSERT INTO outbox (channel_id, match_id, time_index, text, enqueued_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (match_id, time_index) DO NOTHING",
                (channel_id, match_id, time_index, text, to_db_time(now)),
            ) as cursor,
        ):
            return cursor.lastrowid if cursor.rowcount == 1 else None

    async def pending(self, channel_id: int, limit: int | None = None) -> list[OutboxEntry]:
        """Unclaimed, unposted rows of a channel, oldest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM outbox WHERE channel_id = ? AND message_id IS NULL "
            "AND dropped_reason IS NULL AND nonce IS NULL ORDER BY id LIMIT ?",
            (channel_id, -1 if limit is None else limit),
        )
        return [_entry(row) for row in rows]

    async def claimed(self, channel_id: int) -> list[OutboxEntry]:
        """Rows claimed for a send whose result was never recorded, oldest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM outbox WHERE channel_id = ? AND message_id IS NULL "
            "AND dropped_reason IS NULL AND nonce IS NOT NULL ORDER BY id",
            (channel_id,),
        )
        return [_entry(row) for row in rows]

    async def channels_with_work(self) -> list[int]:
        rows = await self._db.fetchall(
            "SELECT DISTINCT channel_id FROM outbox "
            "WHERE message_id IS NULL AND dropped_reason IS NULL ORDER BY channel_id"
        )
        return [int(row[0]) for row in rows]

    async def claim(self, ids: Sequence[int], nonce: str, now: datetime) -> None:
        """Records, before the send, that these rows are about to go out under ``nonce``."""
        await self._db.executemany(
            "UPDATE outbox SET nonce = ?, claimed_at = ? WHERE id = ? AND message_id IS NULL",
            [(nonce, to_db_time(now), row_id) for row_id in ids],
        )

    async def mark_posted(self, ids: Sequence[int], message_id: int, now: datetime) -> None:
        """All of ``ids`` posted as ``message_id``, in one transaction."""
        await self._db.executemany(
            "UPDATE outbox SET message_id = ?, posted_at = ? WHERE id = ?",
            [(message_id, to_db_time(now), row_id) for row_id in ids],
        )

    async def mark_dropped(self, ids: Sequence[int], reason: str) -> None:
        await self._db.executemany(
            "UPDATE outbox SET dropped_reason = ? WHERE id = ? AND message_id IS NULL",
            [(reason[:200], row_id) for row_id in ids],
        )

    async def is_recorded(self, message_id: int) -> bool:
        """True if some row was already marked posted as ``message_id``."""
        row = await self._db.fetchone("SELECT 1 FROM outbox WHERE message_id = ?", (message_id,))
        return row is not None

    async def recent_post_times(self, channel_id: int, limit: int) -> list[datetime]:
        """When the channel's last ``limit`` sends happened, oldest first: one time per
        message (however many rows it carried), counting claimed sends that may have gone
        out before a crash. Lets a restart honour the rate limit."""
        rows = await self._db.fetchall(
            "SELECT max(coalesce(posted_at, claimed_at)) AS at FROM outbox "
            "WHERE channel_id = ? AND nonce IS NOT NULL GROUP BY nonce ORDER BY at DESC LIMIT ?",
            (channel_id, limit),
        )
        times = [from_db_time(row["at"]) for row in rows]
        return sorted(t for t in times if t is not None)

    async def posted(self, match_id: int) -> list[OutboxEntry]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM outbox WHERE match_id = ? AND message_id IS NOT NULL "
            "ORDER BY time_index",
            (match_id,),
        )
        return [_entry(row) for row in rows]


def _entry(row: sqlite3.Row) -> OutboxEntry:
    return OutboxEntry(
        id=row["id"],
        channel_id=row["channel_id"],
        match_id=row["match_id"],
        time_index=row["time_index"],
        text=row["text"],
        nonce=row["nonce"],
        message_id=row["message_id"],
    )
