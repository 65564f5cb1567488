"""FeudRepo: heat between two wrestlers, stored once per pair (lower id first)."""

from __future__ import annotations

from engine.errors import InvalidInput, NotFound
from engine.models import Frozen
from storage.database import Database

MAX_FEUD_HEAT = 100.0


class Feud(Frozen):
    wrestler_low_id: int
    wrestler_high_id: int
    heat: float


class FeudRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add_heat(self, a: int, b: int, delta: float) -> float:
        """Adds (or removes) heat between a and b, in either order; kept within 0-100."""
        low, high = _pair(a, b)
        async with self._db.transaction() as conn:
            found = await self._db.fetchall(
                "SELECT id FROM wrestlers WHERE id IN (?, ?)", (low, high)
            )
            missing = {low, high} - {row["id"] for row in found}
            if missing:
                raise NotFound(f"no wrestler #{min(missing)}")
            # The update adds the raw delta: excluded.heat is already clamped.
            await conn.execute(
                "INSERT INTO feuds (wrestler_low_id, wrestler_high_id, heat) "
                "VALUES (?, ?, max(0.0, min(?, ?))) ON CONFLICT DO UPDATE SET "
                "heat = max(0.0, min(?, heat + ?))",
                (low, high, MAX_FEUD_HEAT, delta, MAX_FEUD_HEAT, delta),
            )
            return await self.heat(low, high)

    async def heat(self, a: int, b: int) -> float:
        low, high = _pair(a, b)
        value = await self._db.fetchvalue(
            "SELECT heat FROM feuds WHERE wrestler_low_id = ? AND wrestler_high_id = ?",
            (low, high),
        )
        return 0.0 if value is None else float(value)

    async def top(self, federation_id: int, limit: int = 10) -> list[Feud]:
        """The hottest feuds of a federation, hottest first."""
        rows = await self._db.fetchall(
            "SELECT f.wrestler_low_id, f.wrestler_high_id, f.heat FROM feuds f "
            "JOIN wrestlers w ON w.id = f.wrestler_low_id "
            "WHERE w.federation_id = ? AND f.heat > 0 "
            "ORDER BY f.heat DESC, f.wrestler_low_id, f.wrestler_high_id LIMIT ?",
            (federation_id, limit),
        )
        return [Feud(wrestler_low_id=r[0], wrestler_high_id=r[1], heat=r[2]) for r in rows]


def _pair(a: int, b: int) -> tuple[int, int]:
    if a == b:
        raise InvalidInput("a feud needs two different wrestlers")
    return (a, b) if a < b else (b, a)
