"""MatchRepo: bookings, the live-match record (ticks, engine requests) and finishing.

It is the engine's MatchStore: ``record_tick`` is one transaction that accepts only the next
tick, so a tick is never duplicated or skipped, and ``load_progress`` resumes from it.
"""

from __future__ import annotations

import builtins
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from engine.errors import InvalidInput, InvalidState, NotFound
from engine.models import (
    DomainEvent,
    Match,
    MatchSetup,
    MatchState,
    MatchStatus,
    NarrativeMode,
    Stipulation,
    TickResult,
)
from engine.models.tick import EngineRequest
from storage.codec import revalidated, to_db_time, validated
from storage.database import Database
from storage.events import INSERT_EVENT, event_row
from storage.match_rows import (
    REQUEST_COLUMNS,
    TICK_COLUMNS,
    engine_request,
    match_row,
    match_state,
    request_row,
    result_json,
    tick_result,
)
from storage.tick_writes import TickWrite

RECENT_NARRATIONS = 5
_COLUMNS = (
    "id, federation_id, show_id, stipulation, mode, booked_winner_id, championship_id, seed, "
    "max_ticks, status, result_json, rating, channel_id, thread_id, message_id, created_at"
)


class MatchRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        federation_id: int,
        participant_ids: Sequence[int],
        seed: int,
        now: datetime,
        stipulation: Stipulation = Stipulation.STANDARD,
        mode: NarrativeMode = NarrativeMode.TICK,
        booked_winner_id: int | None = None,
        championship_id: int | None = None,
        show_id: int | None = None,
        max_ticks: int = 50,
    ) -> Match:
        draft = validated(
            Match,
            id=0,
            federation_id=federation_id,
            participant_ids=tuple(participant_ids),
            seed=seed,
            stipulation=stipulation,
            mode=mode,
            booked_winner_id=booked_winner_id,
            championship_id=championship_id,
            show_id=show_id,
            max_ticks=max_ticks,
            created_at=now,
        )
        async with self._db.transaction() as conn:
            await self._check_booking(draft)
            async with conn.execute(
                "INSERT INTO matches (federation_id, show_id, stipulation, mode, "
                "booked_winner_id, championship_id, seed, max_ticks, status, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?)",
                (
                    federation_id,
                    show_id,
                    draft.stipulation.value,
                    draft.mode.value,
                    booked_winner_id,
                    championship_id,
                    seed,
                    max_ticks,
                    to_db_time(now),
                ),
            ) as cursor:
                new_id = cursor.lastrowid
            await conn.executemany(
                "INSERT INTO match_participants (match_id, slot, wrestler_id) VALUES (?, ?, ?)",
                [(new_id, slot, wid) for slot, wid in enumerate(draft.participant_ids)],
            )
        assert new_id is not None
        return draft.model_copy(update={"id": new_id})

    async def get(self, match_id: int) -> Match:
        found = await self._load("id = ?", (match_id,))
        if not found:
            raise NotFound(f"no match #{match_id}")
        return found[0]

    async def list(
        self, federation_id: int, status: MatchStatus | None = None
    ) -> builtins.list[Match]:
        if status is None:
            return await self._load("federation_id = ?", (federation_id,))
        return await self._load("federation_id = ? AND status = ?", (federation_id, status.value))

    async def live(self) -> builtins.list[Match]:
        """Every live match of every server: what a restart must resume."""
        return await self._load("status = 'live'", ())

    async def update(self, match: Match) -> Match:
        """Saves the booking, status, result, rating and Discord ids. Starting goes through
        ``start`` (it stores the setup); participants and seed never change."""
        match = revalidated(match)
        async with self._db.transaction() as conn:
            current = await self.get(match.id)
            if match.participant_ids != current.participant_ids or match.seed != current.seed:
                raise InvalidInput("a match's participants and seed cannot change")
            if match.status is MatchStatus.LIVE and current.status is not MatchStatus.LIVE:
                raise InvalidState(f"match #{match.id} must be started, not updated to live")
            if match.status is MatchStatus.BOOKED and current.status is not MatchStatus.BOOKED:
                raise InvalidState(f"match #{match.id} is {current.status.value}")
            await self._check_booking(match)
            await conn.execute(
                "UPDATE matches SET show_id = ?, stipulation = ?, mode = ?, booked_winner_id = ?, "
                "championship_id = ?, max_ticks = ?, status = ?, result_json = ?, rating = ?, "
                "channel_id = ?, thread_id = ?, message_id = ? WHERE id = ?",
                (
                    match.show_id,
                    match.stipulation.value,
                    match.mode.value,
                    match.booked_winner_id,
                    match.championship_id,
                    match.max_ticks,
                    match.status.value,
                    result_json(match.result),
                    match.rating,
                    match.channel_id,
                    match.thread_id,
                    match.message_id,
                    match.id,
                ),
            )
            return await self.get(match.id)

    async def start(self, match_id: int, setup: MatchSetup) -> Match:
        """Booked -> live, freezing the setup (the sheets as they are now) for resume.

        One round trip to the writer: matches start while others are live, and a transaction
        held open across awaits on a busy event loop would hold every tick commit behind it."""
        setup_json = setup.model_dump_json()
        sheet_ids = sorted(sheet.id for sheet in setup.sheets)

        def go_live(conn: sqlite3.Connection) -> None:
            row = conn.execute("SELECT status, seed FROM matches WHERE id = ?", (match_id,))
            found = row.fetchone()
            if found is None:
                raise NotFound(f"no match #{match_id}")
            if found[0] != MatchStatus.BOOKED.value:
                raise InvalidState(f"match #{match_id} is {found[0]}, not booked")
            participants = conn.execute(
                "SELECT wrestler_id FROM match_participants WHERE match_id = ?", (match_id,)
            )
            if (
                setup.match_id != match_id
                or sheet_ids != sorted(part[0] for part in participants)
                or setup.seed != found[1]
            ):
                raise InvalidInput(f"the setup does not belong to match #{match_id}")
            conn.execute(
                "UPDATE matches SET status = 'live', setup_json = ?, last_tick = 0, "
                "posted_tick = 0 WHERE id = ?",
                (setup_json, match_id),
            )

        await self._db.write(go_live)
        return await self.get(match_id)

    async def setup(self, match_id: int) -> MatchSetup:
        row = await self._db.fetchone("SELECT setup_json FROM matches WHERE id = ?", (match_id,))
        if row is None:
            raise NotFound(f"no match #{match_id}")
        if row["setup_json"] is None:
            raise InvalidState(f"match #{match_id} has not started")
        return MatchSetup.model_validate_json(row["setup_json"])

    async def record_tick(
        self,
        match: Match,
        tick: TickResult,
        state: MatchState,
        requests: Sequence[EngineRequest],
        events: Sequence[DomainEvent],
    ) -> None:
        """One transaction: the tick, its engine requests (upserted), its events and the
        match's state pointer. Only the next tick of a live match is accepted."""
        if (
            tick.match_id != match.id
            or state.setup.match_id != match.id
            or any(request.match_id != match.id for request in requests)
        ):
            raise InvalidInput(f"the tick does not belong to match #{match.id}")
        if tick.time_index != state.time_index:
            raise InvalidInput("the tick and the state are from different times")
        tick_row = (
            match.id,
            tick.time_index,
            tick.tick_id,
            tick.actor_id,
            "[" + ",".join(a.model_dump_json() for a in tick.applied_actions) + "]",
            state.model_dump_json(exclude={"setup"}),
            tick.narration,
            tick.phase.value,
            tick.heat,
        )
        await self._db.write(
            TickWrite(
                match.id,
                tick.time_index,
                tick_row,
                tuple(request_row(request, state.setup) for request in requests),
                tuple(event_row(event) for event in events),
            )
        )

    async def load_progress(self, match_id: int) -> tuple[MatchState, builtins.list[str]] | None:
        """The last committed state (rebuilt on the frozen setup) and the last narrations,
        oldest first; None if the match has no tick yet."""
        row = await self._db.fetchone(
            "SELECT m.setup_json, t.state_json FROM matches m JOIN match_ticks t "
            "ON t.match_id = m.id AND t.time_index = m.last_tick WHERE m.id = ?",
            (match_id,),
        )
        if row is None:
            await self.get(match_id)  # NotFound for a missing match; None for no tick yet
            return None
        setup = MatchSetup.model_validate_json(row["setup_json"])
        state = match_state(row["state_json"], setup)
        narrations = await self._db.fetchall(
            "SELECT narration FROM match_ticks WHERE match_id = ? AND narration != '' "
            "ORDER BY time_index DESC LIMIT ?",
            (match_id, RECENT_NARRATIONS),
        )
        return state, [r["narration"] for r in reversed(narrations)]

    async def set_narration(self, match_id: int, time_index: int, narration: str) -> None:
        """Narration written after the tick was committed (narrators may be slow)."""
        changed = await self._db.execute(
            "UPDATE match_ticks SET narration = ? WHERE match_id = ? AND time_index = ?",
            (narration, match_id, time_index),
        )
        if not changed:
            raise NotFound(f"match #{match_id} has no tick {time_index}")

    async def mark_posted(self, match_id: int, time_index: int) -> None:
        """The publisher delivered every tick up to ``time_index`` (never moves backwards)."""
        await self._db.execute(
            "UPDATE matches SET posted_tick = max(posted_tick, ?) WHERE id = ? AND ? <= last_tick",
            (time_index, match_id, time_index),
        )

    async def posted_tick(self, match_id: int) -> int:
        value = await self._db.fetchvalue(
            "SELECT posted_tick FROM matches WHERE id = ?", (match_id,)
        )
        if value is None:
            raise NotFound(f"no match #{match_id}")
        return int(value)

    async def ticks(
        self, match_id: int, offset: int = 0, limit: int | None = None
    ) -> builtins.list[TickResult]:
        rows = await self._db.fetchall(
            f"SELECT {TICK_COLUMNS} FROM match_ticks WHERE match_id = ? "
            "ORDER BY time_index LIMIT ? OFFSET ?",
            (match_id, -1 if limit is None else limit, offset),
        )
        if not rows:
            return []
        setup = await self.setup(match_id)
        return [tick_result(row, setup) for row in rows]

    async def tick_count(self, match_id: int) -> int:
        return int(
            await self._db.fetchvalue(
                "SELECT count(*) FROM match_ticks WHERE match_id = ?", (match_id,)
            )
        )

    async def requests(self, match_id: int) -> builtins.list[EngineRequest]:
        rows = await self._db.fetchall(
            f"SELECT {REQUEST_COLUMNS} FROM engine_requests WHERE match_id = ? "
            "ORDER BY due_tick, request_id",
            (match_id,),
        )
        if not rows:
            return []
        setup = await self.setup(match_id)
        return [engine_request(row, setup) for row in rows]

    async def finish(
        self, match: Match, state: MatchState, rating: float, events: Sequence[DomainEvent]
    ) -> Match:
        """Live -> finished with the result and rating, plus the events, in one transaction.
        The final tick must already be recorded."""
        if state.result is None:
            raise InvalidState(f"match #{match.id} has no result yet")
        event_rows = [event_row(event) for event in events]
        async with self._db.transaction() as conn:
            async with conn.execute(
                "UPDATE matches SET status = 'finished', result_json = ?, rating = ? "
                "WHERE id = ? AND status = 'live' AND last_tick = ?",
                (result_json(state.result), rating, match.id, state.time_index),
            ) as cursor:
                changed = cursor.rowcount
            if changed != 1:
                current = await self._pointer(match.id)
                if current["status"] != "live":
                    raise InvalidState(f"match #{match.id} is {current['status']}, not live")
                raise InvalidState(
                    f"match #{match.id} has ticks up to {current['last_tick']}, "
                    f"but finished at {state.time_index}"
                )
            if event_rows:
                await conn.executemany(INSERT_EVENT, event_rows)
            return await self.get(match.id)

    async def cancel(self, match_id: int) -> Match:
        async with self._db.transaction() as conn:
            match = await self.get(match_id)
            if match.status not in (MatchStatus.BOOKED, MatchStatus.LIVE):
                raise InvalidState(f"match #{match_id} is already {match.status.value}")
            await conn.execute("UPDATE matches SET status = 'cancelled' WHERE id = ?", (match_id,))
            return match.model_copy(update={"status": MatchStatus.CANCELLED})

    async def _pointer(self, match_id: int) -> sqlite3.Row:
        row = await self._db.fetchone(
            "SELECT status, last_tick FROM matches WHERE id = ?", (match_id,)
        )
        if row is None:
            raise NotFound(f"no match #{match_id}")
        return row

    async def _check_booking(self, match: Match) -> None:
        """Wrestlers, title and show must all belong to the match's federation."""
        fed = match.federation_id
        if await self._db.fetchone("SELECT 1 FROM federations WHERE id = ?", (fed,)) is None:
            raise NotFound(f"no federation #{fed}")
        a, b = match.participant_ids
        if a == b:
            raise InvalidInput("a wrestler cannot wrestle themselves")
        found = await self._db.fetchall(
            "SELECT id FROM wrestlers WHERE federation_id = ? AND id IN (?, ?)", (fed, a, b)
        )
        missing = {a, b} - {row["id"] for row in found}
        if missing:
            raise NotFound(f"no wrestler #{min(missing)} in this federation")
        if match.booked_winner_id is not None and match.booked_winner_id not in (a, b):
            raise InvalidInput("the booked winner must be in the match")
        for table, ref, noun in (
            ("championships", match.championship_id, "title"),
            ("shows", match.show_id, "show"),
        ):
            if (
                ref is not None
                and await self._db.fetchone(
                    f"SELECT 1 FROM {table} WHERE id = ? AND federation_id = ?", (ref, fed)
                )
                is None
            ):
                raise NotFound(f"no {noun} #{ref} in this federation")

    async def _load(self, where: str, params: tuple[Any, ...]) -> builtins.list[Match]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM matches WHERE {where} ORDER BY id", params
        )
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        participants: dict[int, builtins.list[int]] = defaultdict(builtins.list)
        for part in await self._db.fetchall(
            "SELECT match_id, wrestler_id FROM match_participants WHERE match_id IN "
            f"({', '.join('?' * len(ids))}) ORDER BY match_id, slot",
            ids,
        ):
            participants[part["match_id"]].append(part["wrestler_id"])
        return [match_row(row, participants[row["id"]]) for row in rows]
