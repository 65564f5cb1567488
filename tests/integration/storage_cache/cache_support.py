"""Helpers for the read-cache tests: a real SQLite file with the league repositories over it, a
seeded federation, and a counter of the database reads each step makes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from engine.models import Championship, Federation, TitleReign, Wrestler
from storage import Database, FederationRepo, TitleRepo, WrestlerRepo

NOW = datetime(2025, 5, 1, 20, 0, tzinfo=UTC)
GUILD = 7
NO_POLLING = 3600.0


@dataclass
class Reads:
    """Counts Database.fetchone/fetchall/fetchvalue calls: a warm cache makes none."""

    count: int = 0
    sql: list[str] = field(default_factory=list)

    def install(self, db: Database) -> None:
        for name in ("fetchone", "fetchall", "fetchvalue"):
            original = getattr(db, name)

            async def counted(sql: str, *args: Any, _original: Any = original) -> Any:
                self.count += 1
                self.sql.append(sql)
                return await _original(sql, *args)

            setattr(db, name, counted)

    def take(self) -> int:
        """Reads since the last take."""
        seen, self.count = self.count, 0
        self.sql.clear()
        return seen


@dataclass
class League:
    db: Database
    federations: FederationRepo
    wrestlers: WrestlerRepo
    titles: TitleRepo
    reads: Reads
    federation: Federation
    ace: Wrestler
    bo: Wrestler
    belt: Championship


async def open_league(path: Path, **options: Any) -> League:
    db = await Database.open(path, **options)
    federations, wrestlers, titles = FederationRepo(db), WrestlerRepo(db), TitleRepo(db)
    federation = await federations.create(GUILD, "Apex Wrestling", 100, NOW)
    ace = await wrestlers.create(federation.id, "Ace Alpha", NOW, owner_user_id=200)
    bo = await wrestlers.create(federation.id, "Bo Bravo", NOW, owner_user_id=201)
    belt = await titles.create(federation.id, "Apex Title", NOW)
    belt = await titles.save(
        belt.model_copy(update={"lineage": (TitleReign(holder_ids=(ace.id,), won_at=NOW),)})
    )
    reads = Reads()
    reads.install(db)
    return League(db, federations, wrestlers, titles, reads, federation, ace, bo, belt)


async def warm(league: League) -> None:
    """Every cached read the two info commands and their autocomplete make."""
    lg = league
    await lg.federations.get(lg.federation.id)
    await lg.federations.get_in_guild(GUILD, lg.federation.id)
    await lg.federations.list(GUILD)
    await lg.federations.search(GUILD, "apex")
    await lg.federations.by_name(GUILD, "Apex Wrestling")
    for wrestler in (lg.ace, lg.bo):
        await lg.wrestlers.get(wrestler.id)
        await lg.titles.titles_held_by(wrestler.id)
    await lg.wrestlers.list(lg.federation.id)
    await lg.wrestlers.list_in_guild(GUILD)
    await lg.wrestlers.search(GUILD, "a")
    await lg.wrestlers.by_name(lg.federation.id, "Ace Alpha")
    await lg.titles.get(lg.belt.id)
    await lg.titles.list(lg.federation.id)
    lg.reads.take()
