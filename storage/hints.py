"""HintRepo: promoter guidance scoped to a federation, show, match or wrestler."""

from __future__ import annotations

import builtins
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from engine.errors import NotFound
from engine.models import Hint, HintScope
from storage.codec import from_db_time, opt_db_time, req_db_time, to_db_time, validated
from storage.database import Database

_COLUMNS = "id, federation_id, scope, target_id, text, author_user_id, created_at, expires_at"


class HintRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        federation_id: int,
        scope: HintScope,
        target_id: int,
        text: str,
        author_user_id: int,
        now: datetime,
        expires_at: datetime | None = None,
    ) -> Hint:
        draft = validated(
            Hint,
            id=0,
            federation_id=federation_id,
            scope=scope,
            target_id=target_id,
            text=text,
            author_user_id=author_user_id,
            created_at=now,
            expires_at=expires_at,
        )
        async with self._db.transaction() as conn:
            if (
                await self._db.fetchone("SELECT 1 FROM federations WHERE id = ?", (federation_id,))
                is None
            ):
                raise NotFound(f"no federation #{federation_id}")
            async with conn.execute(
                "INSERT INTO hints (federation_id, scope, target_id, text, author_user_id, "
                "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    federation_id,
                    draft.scope.value,
                    target_id,
                    draft.text,
                    author_user_id,
                    to_db_time(now),
                    opt_db_time(expires_at),
                ),
            ) as cursor:
                new_id = cursor.lastrowid
        assert new_id is not None
        return draft.model_copy(update={"id": new_id})

    async def get(self, hint_id: int) -> Hint:
        row = await self._db.fetchone(f"SELECT {_COLUMNS} FROM hints WHERE id = ?", (hint_id,))
        if row is None:
            raise NotFound(f"no hint #{hint_id}")
        return _hint(row)

    async def list(self, federation_id: int) -> builtins.list[Hint]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM hints WHERE federation_id = ? ORDER BY created_at, id",
            (federation_id,),
        )
        return [_hint(row) for row in rows]

    async def active_for(
        self,
        federation_id: int,
        show_id: int | None,
        match_id: int | None,
        wrestler_ids: Sequence[int],
        now: datetime,
    ) -> builtins.list[Hint]:
        """Unexpired hints that apply: the federation's, the show's, the match's and those of
        the given wrestlers, oldest first."""
        targets: builtins.list[tuple[str, int]] = [(HintScope.FEDERATION.value, federation_id)]
        if show_id is not None:
            targets.append((HintScope.SHOW.value, show_id))
        if match_id is not None:
            targets.append((HintScope.MATCH.value, match_id))
        targets.extend((HintScope.WRESTLER.value, wid) for wid in wrestler_ids)
        pairs = " OR ".join("(scope = ? AND target_id = ?)" for _ in targets)
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM hints WHERE federation_id = ? AND ({pairs}) "
            "AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at, id",
            (federation_id, *(value for pair in targets for value in pair), to_db_time(now)),
        )
        return [_hint(row) for row in rows]

    async def delete(self, hint_id: int) -> None:
        if not await self._db.execute("DELETE FROM hints WHERE id = ?", (hint_id,)):
            raise NotFound(f"no hint #{hint_id}")


def _hint(row: sqlite3.Row) -> Hint:
    return Hint(
        id=row["id"],
        federation_id=row["federation_id"],
        scope=HintScope(row["scope"]),
        target_id=row["target_id"],
        text=row["text"],
        author_user_id=row["author_user_id"],
        created_at=req_db_time(row["created_at"]),
        expires_at=from_db_time(row["expires_at"]),
    )
