"""TitleRepo: championships and their lineage (one row per reign, holders in their own table).
Lookups by id, per federation and by holder go through the Database's read cache; every write
drops what it changes."""

from __future__ import annotations

import builtins
import sqlite3
from collections import defaultdict
from datetime import datetime

from engine.errors import Conflict, NotFound
from engine.models import Championship, TitleReign
from storage.codec import (
    from_db_time,
    name_key,
    opt_db_time,
    req_db_time,
    revalidated,
    to_db_time,
    validated,
)
from storage.database import Database
from storage.read_cache import Key, federation_tag, held_by_key, title_tag


def _title_key(championship_id: int) -> Key:
    return ("title.get", championship_id)


def _in_federation_key(federation_id: int) -> Key:
    return ("titles.in_federation", federation_id)


def _tags(titles: tuple[Championship, ...]) -> builtins.list[Key]:
    """Each title's own tag and its federation's, so that dropping either drops the entry."""
    return [tag for t in titles for tag in (title_tag(t.id), federation_tag(t.federation_id))]


class TitleRepo:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache = db.cache

    async def create(self, federation_id: int, name: str, now: datetime) -> Championship:
        draft = validated(
            Championship, id=0, federation_id=federation_id, name=name, created_at=now
        )
        async with self._db.transaction() as conn:
            if (
                await self._db.fetchone("SELECT 1 FROM federations WHERE id = ?", (federation_id,))
                is None
            ):
                raise NotFound(f"no federation #{federation_id}")
            await self._refuse_duplicate(federation_id, draft.name, None)
            async with conn.execute(
                "INSERT INTO championships (federation_id, name, name_key, created_at) "
                "VALUES (?, ?, ?, ?)",
                (federation_id, draft.name, name_key(draft.name), to_db_time(now)),
            ) as cursor:
                new_id = cursor.lastrowid
            self._cache.invalidate(_in_federation_key(federation_id))
        assert new_id is not None
        return draft.model_copy(update={"id": new_id})

    async def get(self, championship_id: int) -> Championship:
        return await self._cache.read(
            _title_key(championship_id),
            lambda: self._load_one(championship_id),
            lambda title: _tags((title,)),
        )

    async def _load_one(self, championship_id: int) -> Championship:
        titles = await self._load("c.id = ?", (championship_id,))
        if not titles:
            raise NotFound(f"no title #{championship_id}")
        return titles[0]

    async def by_name(self, federation_id: int, name: str) -> Championship | None:
        titles = await self._load(
            "c.federation_id = ? AND c.name_key = ?", (federation_id, name_key(name))
        )
        return titles[0] if titles else None

    async def list(self, federation_id: int) -> builtins.list[Championship]:
        titles = await self._cache.read(
            _in_federation_key(federation_id),
            lambda: self._load_tuple("c.federation_id = ?", (federation_id,)),
            lambda _: (federation_tag(federation_id),),
        )
        return builtins.list(titles)

    async def search(
        self, guild_id: int, text: str, limit: int = 25
    ) -> builtins.list[Championship]:
        key = name_key(text)
        return await self._load(
            "c.id IN (SELECT c2.id FROM championships c2 JOIN federations f "
            "ON f.id = c2.federation_id WHERE f.guild_id = ? AND instr(c2.name_key, ?) > 0 "
            "ORDER BY c2.name LIMIT ?)",
            (guild_id, key, limit),
        )

    async def titles_held_by(self, wrestler_id: int) -> builtins.list[Championship]:
        """Titles whose current (unfinished) reign includes the wrestler."""
        titles = await self._cache.read(
            held_by_key(wrestler_id),
            lambda: self._load_tuple(
                "c.id IN (SELECT r.championship_id FROM title_reigns r JOIN title_reign_holders "
                "h ON h.reign_id = r.id WHERE r.lost_at IS NULL AND h.wrestler_id = ?)",
                (wrestler_id,),
            ),
            _tags,
        )
        return builtins.list(titles)

    async def save(self, championship: Championship) -> Championship:
        """Saves the name and replaces the whole lineage."""
        championship = revalidated(championship)
        async with self._db.transaction() as conn:
            current = await self.get(championship.id)
            await self._refuse_duplicate(current.federation_id, championship.name, championship.id)
            await conn.execute(
                "UPDATE championships SET name = ?, name_key = ? WHERE id = ?",
                (championship.name, name_key(championship.name), championship.id),
            )
            await conn.execute(
                "DELETE FROM title_reigns WHERE championship_id = ?", (championship.id,)
            )
            for position, reign in enumerate(championship.lineage):
                async with conn.execute(
                    "INSERT INTO title_reigns (championship_id, position, won_at, lost_at, "
                    "defences, won_in_match_id) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        championship.id,
                        position,
                        to_db_time(reign.won_at),
                        opt_db_time(reign.lost_at),
                        reign.defences,
                        reign.won_in_match_id,
                    ),
                ) as cursor:
                    reign_id = cursor.lastrowid
                await conn.executemany(
                    "INSERT INTO title_reign_holders (reign_id, slot, wrestler_id) "
                    "VALUES (?, ?, ?)",
                    [(reign_id, slot, holder) for slot, holder in enumerate(reign.holder_ids)],
                )
            # Former holders' answers carry the title's tag; new holders' may not yet.
            holders = {h for reign in championship.lineage for h in reign.holder_ids}
            self._cache.invalidate(
                title_tag(championship.id),
                _in_federation_key(current.federation_id),
                *(held_by_key(holder) for holder in sorted(holders)),
            )
            return await self.get(championship.id)

    async def delete(self, championship_id: int) -> None:
        async with self._db.transaction() as conn:
            title = await self.get(championship_id)
            await conn.execute("DELETE FROM championships WHERE id = ?", (championship_id,))
            self._cache.invalidate(
                title_tag(championship_id), _in_federation_key(title.federation_id)
            )

    async def _refuse_duplicate(self, federation_id: int, name: str, own_id: int | None) -> None:
        existing = await self.by_name(federation_id, name)
        if existing is not None and existing.id != own_id:
            raise Conflict(f"a title named {existing.name} already exists in this federation")

    async def _load_tuple(self, where: str, params: tuple[object, ...]) -> tuple[Championship, ...]:
        return tuple(await self._load(where, params))

    async def _load(self, where: str, params: tuple[object, ...]) -> builtins.list[Championship]:
        titles = await self._db.fetchall(
            f"SELECT c.id, c.federation_id, c.name, c.created_at FROM championships c "
            f"WHERE {where} ORDER BY c.name, c.id",
            params,
        )
        if not titles:
            return []
        ids = [row["id"] for row in titles]
        marks = ", ".join("?" * len(ids))
        reigns = await self._db.fetchall(
            "SELECT r.id, r.championship_id, r.won_at, r.lost_at, r.defences, r.won_in_match_id "
            f"FROM title_reigns r WHERE r.championship_id IN ({marks}) "
            "ORDER BY r.championship_id, r.position",
            ids,
        )
        holders: dict[int, builtins.list[int]] = defaultdict(builtins.list)
        for row in await self._db.fetchall(
            "SELECT h.reign_id, h.wrestler_id FROM title_reign_holders h JOIN title_reigns r "
            f"ON r.id = h.reign_id WHERE r.championship_id IN ({marks}) "
            "ORDER BY h.reign_id, h.slot",
            ids,
        ):
            holders[row["reign_id"]].append(row["wrestler_id"])
        lineage: dict[int, builtins.list[TitleReign]] = defaultdict(builtins.list)
        for row in reigns:
            lineage[row["championship_id"]].append(_reign(row, holders[row["id"]]))
        return [_championship(row, lineage[row["id"]]) for row in titles]


def _reign(row: sqlite3.Row, holder_ids: builtins.list[int]) -> TitleReign:
    return TitleReign(
        holder_ids=tuple(holder_ids),
        won_at=req_db_time(row["won_at"]),
        lost_at=from_db_time(row["lost_at"]),
        defences=row["defences"],
        won_in_match_id=row["won_in_match_id"],
    )


def _championship(row: sqlite3.Row, lineage: builtins.list[TitleReign]) -> Championship:
    return Championship(
        id=row["id"],
        federation_id=row["federation_id"],
        name=row["name"],
        lineage=tuple(lineage),
        created_at=from_db_time(row["created_at"]),
    )
