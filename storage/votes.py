"""VoteRepo: rolling-rewrite votes (one per segment) and each member's current ballot (0011)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from engine.llm.rewrite import Candidate
from engine.models.base import Frozen
from storage.codec import from_db_time, req_db_time, to_db_time
from storage.database import Database

VOTE_COLUMNS = (
    "id, match_id, segment, channel_id, message_id, candidates_json, opened_at, closes_at, "
    "promoter_pick, closed_at, winner, decided_by"
)


class VoteRecord(Frozen):
    """A segment's vote. Candidate numbers are 1-based, in the order they were posted."""

    id: int
    match_id: int
    segment: int
    channel_id: int
    message_id: int | None = None
    candidates: tuple[Candidate, ...]
    opened_at: datetime
    closes_at: datetime
    promoter_pick: int | None = None
    closed_at: datetime | None = None
    winner: int | None = None
    decided_by: str | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class VoteRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def open(
        self,
        match_id: int,
        segment: int,
        channel_id: int,
        candidates: Sequence[Candidate],
        opened_at: datetime,
        closes_at: datetime,
    ) -> tuple[VoteRecord, bool]:
        """The segment's vote and whether this call created it (False: it existed already,
        e.g. the segment is replayed after a restart)."""
        payload = json.dumps([c.model_dump(mode="json") for c in candidates])
        row_id = await self._db.write(
            lambda conn: (
                conn.execute(
                    "INSERT INTO rewrite_votes (match_id, segment, channel_id, candidates_json, "
                    "opened_at, closes_at) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (match_id, segment) DO NOTHING",
                    (
                        match_id,
                        segment,
                        channel_id,
                        payload,
                        to_db_time(opened_at),
                        to_db_time(closes_at),
                    ),
                ).rowcount
            )
        )
        found = await self._one("match_id = ? AND segment = ?", (match_id, segment))
        assert found is not None
        return found, row_id == 1

    async def set_message(self, vote_id: int, message_id: int) -> None:
        await self._db.execute(
            "UPDATE rewrite_votes SET message_id = ? WHERE id = ?", (message_id, vote_id)
        )

    async def get(self, vote_id: int) -> VoteRecord | None:
        return await self._one("id = ?", (vote_id,))

    async def by_message(self, message_id: int) -> VoteRecord | None:
        return await self._one("message_id = ?", (message_id,))

    async def open_votes(self, match_id: int | None = None) -> list[VoteRecord]:
        """Votes not closed yet, oldest first (all of them, or one match's)."""
        if match_id is None:
            return await self._many("closed_at IS NULL", ())
        return await self._many("closed_at IS NULL AND match_id = ?", (match_id,))

    async def for_match(self, match_id: int) -> list[VoteRecord]:
        return await self._many("match_id = ?", (match_id,))

    async def cast(self, vote_id: int, user_id: int, choice: int | None, at: datetime) -> bool:
        """Sets a member's current choice (None withdraws it) while the vote is open."""
        changed = await self._db.execute(
            "INSERT INTO rewrite_ballots (vote_id, user_id, choice, cast_at) "
            "SELECT ?, ?, ?, ? WHERE EXISTS "
            "(SELECT 1 FROM rewrite_votes WHERE id = ? AND closed_at IS NULL) "
            "ON CONFLICT (vote_id, user_id) DO UPDATE SET choice = excluded.choice, "
            "cast_at = excluded.cast_at",
            (vote_id, user_id, choice, to_db_time(at), vote_id),
        )
        return changed == 1

    async def choice_of(self, vote_id: int, user_id: int) -> int | None:
        value = await self._db.fetchvalue(
            "SELECT choice FROM rewrite_ballots WHERE vote_id = ? AND user_id = ?",
            (vote_id, user_id),
        )
        return None if value is None else int(value)

    async def ballots(self, vote_id: int) -> dict[int, int]:
        """user id -> current choice, withdrawn ballots left out."""
        rows = await self._db.fetchall(
            "SELECT user_id, choice FROM rewrite_ballots WHERE vote_id = ? AND choice IS NOT NULL",
            (vote_id,),
        )
        return {int(r[0]): int(r[1]) for r in rows}

    async def set_promoter_pick(self, vote_id: int, pick: int | None) -> None:
        await self._db.execute(
            "UPDATE rewrite_votes SET promoter_pick = ? WHERE id = ? AND closed_at IS NULL",
            (pick, vote_id),
        )

    async def close(self, vote_id: int, winner: int, decided_by: str, at: datetime) -> bool:
        """Compare-and-set: True if this call closed the vote."""
        changed = await self._db.execute(
            "UPDATE rewrite_votes SET closed_at = ?, winner = ?, decided_by = ? "
            "WHERE id = ? AND closed_at IS NULL",
            (to_db_time(at), winner, decided_by, vote_id),
        )
        return changed == 1

    async def _one(self, where: str, params: tuple[object, ...]) -> VoteRecord | None:
        found = await self._many(where, params)
        return found[0] if found else None

    async def _many(self, where: str, params: tuple[object, ...]) -> list[VoteRecord]:
        rows = await self._db.fetchall(
            f"SELECT {VOTE_COLUMNS} FROM rewrite_votes WHERE {where} ORDER BY id", params
        )
        return [_vote(row) for row in rows]


def _vote(row: sqlite3.Row) -> VoteRecord:
    return VoteRecord(
        id=row[0],
        match_id=row[1],
        segment=row[2],
        channel_id=row[3],
        message_id=row[4],
        candidates=tuple(Candidate.model_validate(c) for c in json.loads(row[5])),
        opened_at=req_db_time(row[6]),
        closes_at=req_db_time(row[7]),
        promoter_pick=row[8],
        closed_at=from_db_time(row[9]),
        winner=row[10],
        decided_by=row[11],
    )
