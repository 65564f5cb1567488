"""FederationRepo: federations, unique by name (case-insensitively) within a Discord server."""

from __future__ import annotations

import builtins
import sqlite3
from datetime import datetime

from engine.errors import Conflict, NotFound
from engine.models import Federation, LLMConfig, Tier
from storage.codec import name_key, req_db_time, revalidated, to_db_time, validated
from storage.database import Database

_COLUMNS = (
    "id, guild_id, name, description, tier, owner_user_id, announce_channel_id, llm_json, "
    "created_at"
)


class FederationRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        guild_id: int,
        name: str,
        owner_user_id: int,
        now: datetime,
        description: str = "",
        tier: Tier = Tier.INDIE,
        announce_channel_id: int | None = None,
        llm: LLMConfig = LLMConfig(),
    ) -> Federation:
        draft = validated(
            Federation,
            id=0,
            guild_id=guild_id,
            name=name,
            description=description,
            tier=tier,
            owner_user_id=owner_user_id,
            announce_channel_id=announce_channel_id,
            llm=llm,
            created_at=now,
        )
        async with self._db.transaction() as conn:
            await self._refuse_duplicate(guild_id, draft.name, None)
            async with conn.execute(
                "INSERT INTO federations (guild_id, name, name_key, description, tier, "
                "owner_user_id, announce_channel_id, llm_json, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    guild_id,
                    draft.name,
                    name_key(draft.name),
                    draft.description,
                    draft.tier.value,
                    owner_user_id,
                    announce_channel_id,
                    draft.llm.model_dump_json(),
                    to_db_time(now),
                ),
            ) as cursor:
                new_id = cursor.lastrowid
        assert new_id is not None
        return draft.model_copy(update={"id": new_id})

    async def get(self, federation_id: int) -> Federation:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM federations WHERE id = ?", (federation_id,)
        )
        if row is None:
            raise NotFound(f"no federation #{federation_id}")
        return _federation(row)

    async def get_in_guild(self, guild_id: int, federation_id: int) -> Federation:
        """Like get, but a federation of another server is reported as missing."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM federations WHERE id = ? AND guild_id = ?",
            (federation_id, guild_id),
        )
        if row is None:
            raise NotFound(f"no federation #{federation_id} in this server")
        return _federation(row)

    async def by_name(self, guild_id: int, name: str) -> Federation | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM federations WHERE guild_id = ? AND name_key = ?",
            (guild_id, name_key(name)),
        )
        return None if row is None else _federation(row)

    async def list(self, guild_id: int) -> builtins.list[Federation]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM federations WHERE guild_id = ? ORDER BY name, id",
            (guild_id,),
        )
        return [_federation(row) for row in rows]

    async def search(self, guild_id: int, text: str, limit: int = 25) -> builtins.list[Federation]:
        """Case-insensitive substring match, names starting with the text first."""
        key = name_key(text)
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM federations WHERE guild_id = ? AND instr(name_key, ?) > 0 "
            "ORDER BY instr(name_key, ?) != 1, name, id LIMIT ?",
            (guild_id, key, key, limit),
        )
        return [_federation(row) for row in rows]

    async def update(self, federation: Federation) -> Federation:
        """Saves every editable field (not guild or creation time)."""
        federation = revalidated(federation)
        async with self._db.transaction() as conn:
            current = await self.get(federation.id)
            await self._refuse_duplicate(current.guild_id, federation.name, federation.id)
            await conn.execute(
                "UPDATE federations SET name = ?, name_key = ?, description = ?, tier = ?, "
                "owner_user_id = ?, announce_channel_id = ?, llm_json = ? WHERE id = ?",
                (
                    federation.name,
                    name_key(federation.name),
                    federation.description,
                    federation.tier.value,
                    federation.owner_user_id,
                    federation.announce_channel_id,
                    federation.llm.model_dump_json(),
                    federation.id,
                ),
            )
            return await self.get(federation.id)

    async def delete(self, federation_id: int, force: bool = False) -> None:
        """Refuses while wrestlers remain unless forced; forced, everything under it goes."""
        async with self._db.transaction() as conn:
            federation = await self.get(federation_id)
            wrestlers = int(
                await self._db.fetchvalue(
                    "SELECT count(*) FROM wrestlers WHERE federation_id = ?", (federation_id,)
                )
            )
            if wrestlers and not force:
                noun = "wrestler" if wrestlers == 1 else "wrestlers"
                raise Conflict(
                    f"{federation.name} still has {wrestlers} {noun}; use force to delete "
                    "everything in it"
                )
            await conn.execute("DELETE FROM federations WHERE id = ?", (federation_id,))

    async def _refuse_duplicate(self, guild_id: int, name: str, own_id: int | None) -> None:
        existing = await self.by_name(guild_id, name)
        if existing is not None and existing.id != own_id:
            raise Conflict(f"a federation named {existing.name} already exists in this server")


def _federation(row: sqlite3.Row) -> Federation:
    return Federation(
        id=row["id"],
        guild_id=row["guild_id"],
        name=row["name"],
        description=row["description"],
        tier=Tier(row["tier"]),
        owner_user_id=row["owner_user_id"],
        announce_channel_id=row["announce_channel_id"],
        llm=LLMConfig.model_validate_json(row["llm_json"]),
        created_at=req_db_time(row["created_at"]),
    )
