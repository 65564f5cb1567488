"""ShowRepo: weekly shows and their ordered card of segments, and the promos on them."""

from __future__ import annotations

import builtins
import json
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, time
from typing import Any

from engine.errors import Conflict, InvalidInput, NotFound
from engine.models import (
    MatchStatus,
    Promo,
    PromoLine,
    Segment,
    SegmentKind,
    Show,
    ShowStatus,
    WeeklySchedule,
)
from storage.codec import from_db_time, name_key, revalidated, to_db_time, validated
from storage.database import Database

_SHOW_COLUMNS = (
    "s.id, s.federation_id, s.name, s.schedule_day, s.schedule_time, s.schedule_timezone, "
    "s.channel_id, s.status, s.rating, s.created_at"
)
_PROMO_COLUMNS = (
    "id, federation_id, show_id, rounds, status, lines_json, heat, rating, seed, created_at"
)


class ShowRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        federation_id: int,
        name: str,
        now: datetime,
        schedule: WeeklySchedule | None = None,
        channel_id: int | None = None,
    ) -> Show:
        draft = validated(
            Show,
            id=0,
            federation_id=federation_id,
            name=name,
            schedule=schedule,
            channel_id=channel_id,
            created_at=now,
        )
        async with self._db.transaction() as conn:
            await _require(self._db, "federations", federation_id, "federation")
            await self._refuse_duplicate(federation_id, draft.name, None)
            async with conn.execute(
                "INSERT INTO shows (federation_id, name, name_key, schedule_day, schedule_time, "
                "schedule_timezone, channel_id, status, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    federation_id,
                    draft.name,
                    name_key(draft.name),
                    *_schedule_values(schedule),
                    channel_id,
                    draft.status.value,
                    to_db_time(now),
                ),
            ) as cursor:
                new_id = cursor.lastrowid
        assert new_id is not None
        return draft.model_copy(update={"id": new_id})

    async def get(self, show_id: int) -> Show:
        shows = await self._load("s.id = ?", (show_id,))
        if not shows:
            raise NotFound(f"no show #{show_id}")
        return shows[0]

    async def by_name(self, federation_id: int, name: str) -> Show | None:
        shows = await self._load(
            "s.federation_id = ? AND s.name_key = ?", (federation_id, name_key(name))
        )
        return shows[0] if shows else None

    async def list(self, federation_id: int) -> builtins.list[Show]:
        return await self._load("s.federation_id = ?", (federation_id,))

    async def search(self, guild_id: int, text: str, limit: int = 25) -> builtins.list[Show]:
        key = name_key(text)
        return await self._load(
            "s.id IN (SELECT s2.id FROM shows s2 JOIN federations f ON f.id = s2.federation_id "
            "WHERE f.guild_id = ? AND instr(s2.name_key, ?) > 0 ORDER BY s2.name LIMIT ?)",
            (guild_id, key, limit),
        )

    async def scheduled(self) -> builtins.list[Show]:
        """Every show with a weekly schedule that is not cancelled: the scheduler's jobs."""
        return await self._load("s.schedule_day IS NOT NULL AND s.status != 'cancelled'", ())

    async def add_segment(
        self,
        show_id: int,
        kind: SegmentKind,
        match_id: int | None = None,
        promo_id: int | None = None,
        main_event: bool = False,
    ) -> Show:
        """Appends a segment to the end of the card."""
        if (kind is SegmentKind.MATCH) != (match_id is not None) or (kind is SegmentKind.PROMO) != (
            promo_id is not None
        ):
            raise InvalidInput(f"a {kind.value} segment needs exactly a {kind.value}")
        async with self._db.transaction() as conn:
            show = await self.get(show_id)
            table, ref = ("matches", match_id) if match_id is not None else ("promos", promo_id)
            assert ref is not None
            owner = await self._db.fetchvalue(
                f"SELECT federation_id FROM {table} WHERE id = ?", (ref,)
            )
            if owner != show.federation_id:
                raise NotFound(f"no {kind.value} #{ref} in this federation")
            if any(s.match_id == match_id and s.promo_id == promo_id for s in show.card):
                raise Conflict(f"that {kind.value} is already on {show.name}")
            position = max((s.position for s in show.card), default=-1) + 1
            await conn.execute(
                "INSERT INTO segments (show_id, position, kind, match_id, promo_id, main_event) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (show_id, position, kind.value, match_id, promo_id, int(main_event)),
            )
            await conn.execute(f"UPDATE {table} SET show_id = ? WHERE id = ?", (show_id, ref))
            return await self.get(show_id)

    async def update(self, show: Show) -> Show:
        """Saves name, schedule, channel, status, rating and the card (order included)."""
        show = revalidated(show)
        if len({s.position for s in show.card}) != len(show.card):
            raise InvalidInput("two segments of a card cannot share a position")
        async with self._db.transaction() as conn:
            current = await self.get(show.id)
            await self._refuse_duplicate(current.federation_id, show.name, show.id)
            await conn.execute(
                "UPDATE shows SET name = ?, name_key = ?, schedule_day = ?, schedule_time = ?, "
                "schedule_timezone = ?, channel_id = ?, status = ?, rating = ? WHERE id = ?",
                (
                    show.name,
                    name_key(show.name),
                    *_schedule_values(show.schedule),
                    show.channel_id,
                    show.status.value,
                    show.rating,
                    show.id,
                ),
            )
            if show.card != current.card:
                await conn.execute("DELETE FROM segments WHERE show_id = ?", (show.id,))
                await conn.executemany(
                    "INSERT INTO segments (show_id, position, kind, match_id, promo_id, "
                    "main_event) VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (
                            show.id,
                            s.position,
                            s.kind.value,
                            s.match_id,
                            s.promo_id,
                            int(s.main_event),
                        )
                        for s in show.card
                    ],
                )
            return await self.get(show.id)

    async def delete(self, show_id: int) -> None:
        """The card goes with it; its matches and promos stay, unattached."""
        async with self._db.transaction() as conn:
            await self.get(show_id)
            await conn.execute("DELETE FROM segments WHERE show_id = ?", (show_id,))
            await conn.execute("DELETE FROM shows WHERE id = ?", (show_id,))

    async def create_promo(
        self,
        federation_id: int,
        participant_ids: Sequence[int],
        rounds: int,
        seed: int,
        now: datetime,
        show_id: int | None = None,
    ) -> Promo:
        draft = validated(
            Promo,
            id=0,
            federation_id=federation_id,
            show_id=show_id,
            participant_ids=tuple(participant_ids),
            rounds=rounds,
            seed=seed,
            created_at=now,
        )
        if len(set(draft.participant_ids)) != len(draft.participant_ids):
            raise InvalidInput("a promo needs different wrestlers")
        async with self._db.transaction() as conn:
            await _require(self._db, "federations", federation_id, "federation")
            marks = ", ".join("?" * len(draft.participant_ids))
            found = await self._db.fetchall(
                f"SELECT id FROM wrestlers WHERE federation_id = ? AND id IN ({marks})",
                (federation_id, *draft.participant_ids),
            )
            missing = set(draft.participant_ids) - {row["id"] for row in found}
            if missing:
                raise NotFound(f"no wrestler #{min(missing)} in this federation")
            if (
                show_id is not None
                and await self._db.fetchvalue(
                    "SELECT federation_id FROM shows WHERE id = ?", (show_id,)
                )
                != federation_id
            ):
                raise NotFound(f"no show #{show_id} in this federation")
            async with conn.execute(
                "INSERT INTO promos (federation_id, show_id, rounds, status, seed, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (federation_id, show_id, rounds, draft.status.value, seed, to_db_time(now)),
            ) as cursor:
                new_id = cursor.lastrowid
            await conn.executemany(
                "INSERT INTO promo_participants (promo_id, slot, wrestler_id) VALUES (?, ?, ?)",
                [(new_id, slot, wid) for slot, wid in enumerate(draft.participant_ids)],
            )
        assert new_id is not None
        return draft.model_copy(update={"id": new_id})

    async def get_promo(self, promo_id: int) -> Promo:
        row = await self._db.fetchone(
            f"SELECT {_PROMO_COLUMNS} FROM promos WHERE id = ?", (promo_id,)
        )
        if row is None:
            raise NotFound(f"no promo #{promo_id}")
        ids = await self._db.fetchall(
            "SELECT wrestler_id FROM promo_participants WHERE promo_id = ? ORDER BY slot",
            (promo_id,),
        )
        return _promo(row, [r["wrestler_id"] for r in ids])

    async def update_promo(self, promo: Promo) -> Promo:
        """Saves status, lines, heat, rating and show (participants never change)."""
        promo = revalidated(promo)
        async with self._db.transaction() as conn:
            current = await self.get_promo(promo.id)
            if promo.participant_ids != current.participant_ids:
                raise InvalidInput("a promo's participants cannot change")
            lines = json.dumps([line.model_dump(mode="json") for line in promo.lines])
            await conn.execute(
                "UPDATE promos SET show_id = ?, rounds = ?, status = ?, lines_json = ?, "
                "heat = ?, rating = ? WHERE id = ?",
                (
                    promo.show_id,
                    promo.rounds,
                    promo.status.value,
                    lines,
                    promo.heat,
                    promo.rating,
                    promo.id,
                ),
            )
            return await self.get_promo(promo.id)

    async def _refuse_duplicate(self, federation_id: int, name: str, own_id: int | None) -> None:
        existing = await self.by_name(federation_id, name)
        if existing is not None and existing.id != own_id:
            raise Conflict(f"a show named {existing.name} already exists in this federation")

    async def _load(self, where: str, params: tuple[Any, ...]) -> builtins.list[Show]:
        rows = await self._db.fetchall(
            f"SELECT {_SHOW_COLUMNS} FROM shows s WHERE {where} ORDER BY s.name, s.id", params
        )
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        cards: dict[int, builtins.list[Segment]] = defaultdict(builtins.list)
        for seg in await self._db.fetchall(
            "SELECT show_id, position, kind, match_id, promo_id, main_event FROM segments "
            f"WHERE show_id IN ({', '.join('?' * len(ids))}) ORDER BY show_id, position",
            ids,
        ):
            cards[seg["show_id"]].append(
                Segment(
                    position=seg["position"],
                    kind=SegmentKind(seg["kind"]),
                    match_id=seg["match_id"],
                    promo_id=seg["promo_id"],
                    main_event=bool(seg["main_event"]),
                )
            )
        return [_show(row, cards[row["id"]]) for row in rows]


async def _require(db: Database, table: str, row_id: int, noun: str) -> None:
    if await db.fetchone(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)) is None:
        raise NotFound(f"no {noun} #{row_id}")


def _schedule_values(schedule: WeeklySchedule | None) -> tuple[Any, Any, Any]:
    if schedule is None:
        return (None, None, None)
    return (schedule.day, schedule.at.isoformat(), schedule.timezone)


def _show(row: sqlite3.Row, card: builtins.list[Segment]) -> Show:
    schedule = None
    if row["schedule_day"] is not None:
        schedule = WeeklySchedule(
            day=row["schedule_day"],
            at=time.fromisoformat(row["schedule_time"]),
            timezone=row["schedule_timezone"],
        )
    return Show(
        id=row["id"],
        federation_id=row["federation_id"],
        name=row["name"],
        schedule=schedule,
        channel_id=row["channel_id"],
        status=ShowStatus(row["status"]),
        card=tuple(card),
        rating=row["rating"],
        created_at=from_db_time(row["created_at"]),
    )


def _promo(row: sqlite3.Row, participant_ids: builtins.list[int]) -> Promo:
    return Promo(
        id=row["id"],
        federation_id=row["federation_id"],
        show_id=row["show_id"],
        participant_ids=tuple(participant_ids),
        rounds=row["rounds"],
        status=MatchStatus(row["status"]),
        lines=tuple(PromoLine.model_validate(line) for line in json.loads(row["lines_json"])),
        heat=row["heat"],
        rating=row["rating"],
        seed=row["seed"],
        created_at=from_db_time(row["created_at"]),
    )
