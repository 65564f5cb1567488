"""FederationRepo: federations, unique by name (case-insensitively) within a Discord server.
Reads go through the Database's read cache; every write drops what it changes."""

from __future__ import annotations

import builtins
import sqlite3
from datetime import datetime

from engine.errors import Conflict, NotFound
from engine.models import Federation, LLMConfig, Tier
from storage.codec import name_key, req_db_time, revalidated, to_db_time, validated
from storage.database import Database
from storage.read_cache import Key, federation_tag, held_by_key, wrestlers_in_guild_key

_COLUMNS = (
    "id, guild_id, name, description, tier, owner_user_id, announce_channel_id, llm_json, "
    "created_at"
)


def _federation_key(federation_id: int) -> Key:
    return ("federation.get", federation_id)


def _guild_key(guild_id: int) -> Key:
    return ("federations.in_guild", guild_id)


class FederationRepo:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache = db.cache

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
            self._cache.invalidate(_guild_key(guild_id))
        assert new_id is not None
        return draft.model_copy(update={"id": new_id})

    async def get(self, federation_id: int) -> Federation:
        return await self._cache.read(
            _federation_key(federation_id),
            lambda: self._load_one(federation_id),
            lambda federation: (federation_tag(federation.id),),
        )

    async def get_in_guild(self, guild_id: int, federation_id: int) -> Federation:
        """Like get, but a federation of another server is reported as missing."""
        missing = NotFound(f"no federation #{federation_id} in this server")
        try:
            federation = await self.get(federation_id)
        except NotFound:
            raise missing from None
        if federation.guild_id != guild_id:
            raise missing
        return federation

    async def by_name(self, guild_id: int, name: str) -> Federation | None:
        if self._db.in_transaction:  # checks before a write read the file itself
            row = await self._db.fetchone(
                f"SELECT {_COLUMNS} FROM federations WHERE guild_id = ? AND name_key = ?",
                (guild_id, name_key(name)),
            )
            return None if row is None else _federation(row)
        wanted = name_key(name)
        for federation in await self._in_guild(guild_id):
            if name_key(federation.name) == wanted:
                return federation
        return None

    async def list(self, guild_id: int) -> builtins.list[Federation]:
        """Ordered by name (ASCII case-insensitively), then id."""
        return builtins.list(await self._in_guild(guild_id))

    async def search(self, guild_id: int, text: str, limit: int = 25) -> builtins.list[Federation]:
        """Case-insensitive substring match, names starting with the text first."""
        key = name_key(text)
        found = [(name_key(f.name).find(key), f) for f in await self._in_guild(guild_id)]
        # A stable sort keeps the list's name, id order within prefix and other matches.
        ranked = sorted((hit for hit in found if hit[0] >= 0), key=lambda hit: hit[0] != 0)
        return [federation for _, federation in (ranked if limit < 0 else ranked[:limit])]

    async def _in_guild(self, guild_id: int) -> tuple[Federation, ...]:
        return await self._cache.read(_guild_key(guild_id), lambda: self._load_guild(guild_id))

    async def _load_one(self, federation_id: int) -> Federation:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM federations WHERE id = ?", (federation_id,)
        )
        if row is None:
            raise NotFound(f"no federation #{federation_id}")
        return _federation(row)

    async def _load_guild(self, guild_id: int) -> tuple[Federation, ...]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM federations WHERE guild_id = ? ORDER BY name, id",
            (guild_id,),
        )
        return tuple(_federation(row) for row in rows)

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
            self._cache.invalidate(_federation_key(federation.id), _guild_key(current.guild_id))
            return await self.get(federation.id)

    async def delete(self, federation_id: int, force: bool = False) -> None:
        """Refuses while wrestlers remain unless forced; forced, everything under it goes."""
        async with self._db.transaction() as conn:
            federation = await self.get(federation_id)
            roster = [
                row[0]
                for row in await self._db.fetchall(
                    "SELECT id FROM wrestlers WHERE federation_id = ?", (federation_id,)
                )
            ]
            if roster and not force:
                noun = "wrestler" if len(roster) == 1 else "wrestlers"
                raise Conflict(
                    f"{federation.name} still has {len(roster)} {noun}; use force to delete "
                    "everything in it"
                )
            await conn.execute("DELETE FROM federations WHERE id = ?", (federation_id,))
            # The cascade took its wrestlers, titles and their reigns with it.
            self._cache.invalidate(
                federation_tag(federation_id),
                _guild_key(federation.guild_id),
                wrestlers_in_guild_key(federation.guild_id),
                *(held_by_key(wrestler_id) for wrestler_id in roster),
            )

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
