"""Writer results: the outcome of every voted rolling-rewrite segment, read from the
rewrite_candidates table (0002), per Discord server or across all of them.

The Elo table itself is derived from these results (bot/services/leaderboards.py), so it
needs no table of its own and can never drift from the votes.
"""

from __future__ import annotations

from collections import defaultdict

from engine.models import Frozen
from storage.database import Database


class SegmentVote(Frozen):
    """One rewritten segment: its eligible (not dropped) writers and which one became canon."""

    match_id: int
    segment: int
    writers: tuple[str, ...]
    winner: str


class WriterResultsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def segment_votes(self, guild_id: int | None = None) -> list[SegmentVote]:
        """Oldest first. A segment counts once it has two or more eligible writers and a
        winner: the canon pick, else the single most-voted candidate (ties count nothing)."""
        params: tuple[int, ...] = ()
        scope = ""
        if guild_id is not None:
            scope = "AND f.guild_id = ?"
            params = (guild_id,)
        rows = await self._db.fetchall(
            "SELECT c.match_id, c.segment, c.writer, c.votes, c.canon FROM rewrite_candidates c "
            "JOIN matches m ON m.id = c.match_id JOIN federations f ON f.id = m.federation_id "
            f"WHERE c.dropped_reason IS NULL {scope} ORDER BY c.match_id, c.segment, c.id",
            params,
        )
        grouped: dict[tuple[int, int], list[tuple[str, int, bool]]] = defaultdict(list)
        for row in rows:
            grouped[(row[0], row[1])].append((row[2], int(row[3]), bool(row[4])))
        votes: list[SegmentVote] = []
        for (match_id, segment), entries in grouped.items():
            writers = tuple(dict.fromkeys(name for name, _, _ in entries))
            winner = _winner(entries)
            if len(writers) >= 2 and winner is not None:
                votes.append(
                    SegmentVote(match_id=match_id, segment=segment, writers=writers, winner=winner)
                )
        return votes


def _winner(entries: list[tuple[str, int, bool]]) -> str | None:
    canon = [name for name, _, is_canon in entries if is_canon]
    if canon:
        return canon[0]
    best = max(votes for _, votes, _ in entries)
    leaders = [name for name, votes, _ in entries if votes == best]
    return leaders[0] if best > 0 and len(leaders) == 1 else None
