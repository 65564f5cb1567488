"""WrestlerRepo: wrestlers (character sheets), unique by name within their federation.
Reads go through the Database's read cache; every write drops what it changes."""

from __future__ import annotations

import builtins
import json
import sqlite3
from datetime import datetime
from typing import Any

from engine.errors import Conflict, InvalidInput, NotFound
from engine.models import (
    Alignment,
    ControllerKind,
    LLMConfig,
    Record,
    Role,
    Stats,
    StylePreset,
    Wrestler,
)
from storage.codec import (
    from_db_time,
    name_key,
    opt_db_time,
    revalidated,
    to_db_time,
    validated,
)
from storage.database import Database
from storage.read_cache import (
    Key,
    federation_tag,
    held_by_key,
    wrestler_key,
    wrestlers_in_guild_key,
)

_COLUMNS = (
    "w.id, w.federation_id, w.owner_user_id, w.name, w.role, w.gimmick, w.alignment, w.style, "
    "w.power, w.technique, w.agility, w.charisma, w.toughness, w.finisher, w.signatures_json, "
    "w.popularity, w.momentum, w.controller, w.llm_json, w.wins, w.losses, w.draws, w.streak, "
    "w.injured_until, w.created_at"
)
_FIELDS = (
    "owner_user_id, name, name_key, role, gimmick, alignment, style, power, technique, agility, "
    "charisma, toughness, finisher, signatures_json, popularity, momentum, controller, llm_json, "
    "wins, losses, draws, streak, injured_until"
)
_RESERVED = frozenset({"id", "federation_id", "name", "created_at"})


def _in_federation_key(federation_id: int) -> Key:
    return ("wrestlers.in_federation", federation_id)


class WrestlerRepo:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache = db.cache

    async def create(self, federation_id: int, name: str, now: datetime, **fields: Any) -> Wrestler:
        """``fields`` are any other Wrestler fields (gimmick, stats, controller, ...)."""
        reserved = _RESERVED & fields.keys()
        if reserved:
            raise InvalidInput(f"cannot set {', '.join(sorted(reserved))} when creating")
        draft = validated(
            Wrestler, id=0, federation_id=federation_id, name=name, created_at=now, **fields
        )
        async with self._db.transaction() as conn:
            guild_id = await self._guild_of(federation_id)
            await self._refuse_duplicate(federation_id, draft.name, None)
            placeholders = ", ".join("?" * (len(_values(draft)) + 2))
            async with conn.execute(
                f"INSERT INTO wrestlers (federation_id, {_FIELDS}, created_at) "
                f"VALUES ({placeholders})",
                (federation_id, *_values(draft), to_db_time(now)),
            ) as cursor:
                new_id = cursor.lastrowid
            self._forget(federation_id, guild_id)
        assert new_id is not None
        return draft.model_copy(update={"id": new_id})

    async def get(self, wrestler_id: int) -> Wrestler:
        return await self._cache.read(
            wrestler_key(wrestler_id),
            lambda: self._load_one(wrestler_id),
            lambda wrestler: (federation_tag(wrestler.federation_id),),
        )

    async def get_many(self, wrestler_ids: builtins.list[int]) -> builtins.list[Wrestler]:
        """In the order asked; NotFound if any is missing."""
        return [await self.get(wrestler_id) for wrestler_id in wrestler_ids]

    async def by_name(self, federation_id: int, name: str) -> Wrestler | None:
        if self._db.in_transaction:  # checks before a write read the file itself
            row = await self._db.fetchone(
                f"SELECT {_COLUMNS} FROM wrestlers w WHERE w.federation_id = ? AND w.name_key = ?",
                (federation_id, name_key(name)),
            )
            return None if row is None else _wrestler(row)
        wanted = name_key(name)
        for wrestler in await self._in_federation(federation_id):
            if name_key(wrestler.name) == wanted:
                return wrestler
        return None

    async def list(self, federation_id: int) -> builtins.list[Wrestler]:
        """Ordered by name (ASCII case-insensitively), then id."""
        return builtins.list(await self._in_federation(federation_id))

    async def list_in_guild(self, guild_id: int) -> builtins.list[Wrestler]:
        return builtins.list(await self._in_guild(guild_id))

    async def search(self, guild_id: int, text: str, limit: int = 25) -> builtins.list[Wrestler]:
        """Case-insensitive substring match across the server, prefix matches first."""
        key = name_key(text)
        found = [(name_key(w.name).find(key), w) for w in await self._in_guild(guild_id)]
        # A stable sort keeps the list's name, id order within prefix and other matches.
        ranked = sorted((hit for hit in found if hit[0] >= 0), key=lambda hit: hit[0] != 0)
        return [wrestler for _, wrestler in (ranked if limit < 0 else ranked[:limit])]

    async def _in_federation(self, federation_id: int) -> tuple[Wrestler, ...]:
        return await self._cache.read(
            _in_federation_key(federation_id),
            lambda: self._load_many("w.federation_id = ?", federation_id),
            lambda _: (federation_tag(federation_id),),
        )

    async def _in_guild(self, guild_id: int) -> tuple[Wrestler, ...]:
        return await self._cache.read(
            wrestlers_in_guild_key(guild_id),
            lambda: self._load_many(
                "w.federation_id IN (SELECT id FROM federations WHERE guild_id = ?)", guild_id
            ),
        )

    async def _load_one(self, wrestler_id: int) -> Wrestler:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM wrestlers w WHERE w.id = ?", (wrestler_id,)
        )
        if row is None:
            raise NotFound(f"no wrestler #{wrestler_id}")
        return _wrestler(row)

    async def _load_many(self, where: str, owner_id: int) -> tuple[Wrestler, ...]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM wrestlers w WHERE {where} ORDER BY w.name, w.id",
            (owner_id,),
        )
        return tuple(_wrestler(row) for row in rows)

    async def _guild_of(self, federation_id: int) -> int:
        guild_id = await self._db.fetchvalue(
            "SELECT guild_id FROM federations WHERE id = ?", (federation_id,)
        )
        if guild_id is None:
            raise NotFound(f"no federation #{federation_id}")
        return int(guild_id)

    def _forget(self, federation_id: int, guild_id: int, *keys: Key) -> None:
        """Drop the roster lists a change in this federation touches, and ``keys``."""
        self._cache.invalidate(
            _in_federation_key(federation_id), wrestlers_in_guild_key(guild_id), *keys
        )

    async def update(self, wrestler: Wrestler) -> Wrestler:
        """Saves every field except the federation and creation time."""
        wrestler = revalidated(wrestler)
        async with self._db.transaction() as conn:
            current = await self.get(wrestler.id)
            await self._refuse_duplicate(current.federation_id, wrestler.name, wrestler.id)
            assignments = ", ".join(f"{field.strip()} = ?" for field in _FIELDS.split(","))
            await conn.execute(
                f"UPDATE wrestlers SET {assignments} WHERE id = ?",
                (*_values(wrestler), wrestler.id),
            )
            guild_id = await self._guild_of(current.federation_id)
            self._forget(current.federation_id, guild_id, wrestler_key(wrestler.id))
            return await self.get(wrestler.id)

    async def delete(self, wrestler_id: int) -> None:
        """Refuses while the wrestler is on an unfinished match or holds a title."""
        async with self._db.transaction() as conn:
            wrestler = await self.get(wrestler_id)
            booked = await self._db.fetchone(
                "SELECT m.id, m.status FROM matches m "
                "JOIN match_participants p ON p.match_id = m.id "
                "WHERE p.wrestler_id = ? AND m.status IN ('booked', 'live') "
                "ORDER BY m.status = 'live' DESC, m.id LIMIT 1",
                (wrestler_id,),
            )
            if booked is not None:
                where = "is wrestling in" if booked["status"] == "live" else "is booked in"
                raise Conflict(f"{wrestler.name} {where} match #{booked['id']}; cancel it first")
            title = await self._db.fetchvalue(
                "SELECT c.name FROM championships c JOIN title_reigns r "
                "ON r.championship_id = c.id AND r.lost_at IS NULL "
                "JOIN title_reign_holders h ON h.reign_id = r.id WHERE h.wrestler_id = ? "
                "LIMIT 1",
                (wrestler_id,),
            )
            if title is not None:
                raise Conflict(f"{wrestler.name} holds the {title}; vacate it first")
            await conn.execute("DELETE FROM wrestlers WHERE id = ?", (wrestler_id,))
            guild_id = await self._guild_of(wrestler.federation_id)
            self._forget(
                wrestler.federation_id,
                guild_id,
                wrestler_key(wrestler_id),
                held_by_key(wrestler_id),
            )

    async def _refuse_duplicate(self, federation_id: int, name: str, own_id: int | None) -> None:
        existing = await self.by_name(federation_id, name)
        if existing is not None and existing.id != own_id:
            raise Conflict(f"a wrestler named {existing.name} already exists in this federation")


def _values(w: Wrestler) -> tuple[Any, ...]:
    """Column values in _FIELDS order."""
    return (
        w.owner_user_id,
        w.name,
        name_key(w.name),
        w.role.value,
        w.gimmick,
        w.alignment.value,
        w.style.value,
        w.stats.power,
        w.stats.technique,
        w.stats.agility,
        w.stats.charisma,
        w.stats.toughness,
        w.finisher,
        json.dumps(list(w.signatures)),
        w.popularity,
        w.momentum,
        w.controller.value,
        w.llm.model_dump_json(),
        w.record.wins,
        w.record.losses,
        w.record.draws,
        w.record.streak,
        opt_db_time(w.injured_until),
    )


def _wrestler(row: sqlite3.Row) -> Wrestler:
    return Wrestler(
        id=row["id"],
        federation_id=row["federation_id"],
        owner_user_id=row["owner_user_id"],
        name=row["name"],
        role=Role(row["role"]),
        gimmick=row["gimmick"],
        alignment=Alignment(row["alignment"]),
        style=StylePreset(row["style"]),
        stats=Stats(
            power=row["power"],
            technique=row["technique"],
            agility=row["agility"],
            charisma=row["charisma"],
            toughness=row["toughness"],
        ),
        finisher=row["finisher"],
        signatures=tuple(json.loads(row["signatures_json"])),
        popularity=row["popularity"],
        momentum=row["momentum"],
        controller=ControllerKind(row["controller"]),
        llm=LLMConfig.model_validate_json(row["llm_json"]),
        record=Record(
            wins=row["wins"], losses=row["losses"], draws=row["draws"], streak=row["streak"]
        ),
        injured_until=from_db_time(row["injured_until"]),
        created_at=from_db_time(row["created_at"]),
    )
