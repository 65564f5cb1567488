"""Which finished live matches never had their results posted (a crash between the bell and
the results embed): finished, with a thread, and no ``live.results_posted`` event."""

from __future__ import annotations

from storage.database import Database

RESULTS_POSTED = "live.results_posted"


async def unposted_results(db: Database) -> list[int]:
    """The ids of finished matches with a thread whose results were never posted, oldest first."""
    rows = await db.fetchall(
        "SELECT m.id FROM matches m WHERE m.status = 'finished' AND m.thread_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM events e WHERE e.match_id = m.id AND e.kind = ?) "
        "ORDER BY m.id",
        (RESULTS_POSTED,),
    )
    return [int(row["id"]) for row in rows]


async def settled_tick_count(db: Database, match_id: int) -> int:
    """How many of the match's ticks the outbox has posted or given up on."""
    done = await db.fetchvalue(
        "SELECT count(*) FROM outbox WHERE match_id = ? "
        "AND (message_id IS NOT NULL OR dropped_reason IS NOT NULL)",
        (match_id,),
    )
    return int(done)
