"""LLMCallRepo (the LLM call trace, usage aggregates) and RewriteRepo (rewrite candidates)."""

from __future__ import annotations

import json
import sqlite3
import statistics
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from engine.errors import StorageError
from engine.llm.base import CallRecord, LLMUsage
from engine.models.base import Frozen
from storage.codec import req_db_time, to_db_time
from storage.database import Database

CALL_COLUMNS = (
    "operation, provider, model, guild_id, federation_id, match_id, tick, prompt, raw_reply, "
    "parsed_json, error, fallback_reason, latency_s, tokens_in, tokens_out, tokens_cached, "
    "cost_usd, at"
)
# A call made for a match is filed under the match's federation when the caller did not say.
INSERT_CALL = (
    f"INSERT INTO llm_calls ({CALL_COLUMNS}) VALUES (?, ?, ?, ?, "
    "coalesce(?, (SELECT federation_id FROM matches WHERE id = ?)), "
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class UsageRow(Frozen):
    """Aggregates for one provider/model/operation."""

    provider: str
    model: str
    operation: str
    calls: int
    tokens_in: int
    tokens_out: int
    tokens_cached: int
    cost_usd: float
    errors: int
    fallbacks: int
    p50_latency_s: float


class RewriteCandidateRow(Frozen):
    match_id: int
    segment: int
    first_tick: int
    last_tick: int
    writer: str
    model: str
    text: str
    dropped_reason: str | None = None
    votes: int = 0
    canon: bool = False


class LLMCallRepo:
    """Implements engine.llm.base.CallRecorder over the llm_calls table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, call: CallRecord) -> None:
        """One INSERT per call (the tick's hot path pays for nothing else)."""
        row = (
            call.operation,
            call.provider,
            call.model,
            call.guild_id,
            call.federation_id,
            call.match_id,
            call.match_id,
            call.tick,
            call.prompt,
            call.raw_reply,
            None if call.parsed is None else json.dumps(call.parsed, default=str),
            call.error,
            call.fallback_reason,
            call.latency_s,
            call.usage.tokens_in,
            call.usage.tokens_out,
            call.usage.tokens_cached,
            call.cost_usd,
            to_db_time(call.at),
        )
        try:
            # db.write: one thread hop (the statement and its commit), not three.
            await self._db.write(lambda conn: conn.execute(INSERT_CALL, row))
        except sqlite3.Error as exc:
            raise StorageError(f"could not record the LLM call: {exc}") from exc

    async def spent_today(self, guild_id: int, day_start: datetime) -> float:
        value = await self._db.fetchvalue(
            "SELECT coalesce(sum(cost_usd), 0) FROM llm_calls WHERE guild_id = ? AND at >= ?",
            (guild_id, to_db_time(day_start)),
        )
        return float(value or 0.0)

    async def for_match(self, match_id: int) -> list[CallRecord]:
        """Every call made for a match, by tick then time (calls without a tick first)."""
        rows = await self._db.fetchall(
            f"SELECT {CALL_COLUMNS} FROM llm_calls WHERE match_id = ? "
            "ORDER BY coalesce(tick, 0), id",
            (match_id,),
        )
        return [_call(row) for row in rows]

    async def usage(
        self,
        federation_id: int | None = None,
        guild_id: int | None = None,
        since: datetime | None = None,
    ) -> list[UsageRow]:
        clauses: list[str] = []
        params: list[Any] = []
        if federation_id is not None:
            clauses.append("federation_id = ?")
            params.append(federation_id)
        if guild_id is not None:
            clauses.append("guild_id = ?")
            params.append(guild_id)
        if since is not None:
            clauses.append("at >= ?")
            params.append(to_db_time(since))
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = await self._db.fetchall(
            "SELECT provider, model, operation, count(*), sum(tokens_in), sum(tokens_out), "
            "sum(tokens_cached), sum(cost_usd), sum(error IS NOT NULL), "
            "sum(fallback_reason IS NOT NULL), group_concat(latency_s) "
            f"FROM llm_calls {where} GROUP BY provider, model, operation "
            "ORDER BY provider, model, operation",
            params,
        )
        return [
            UsageRow(
                provider=r[0],
                model=r[1],
                operation=r[2],
                calls=r[3],
                tokens_in=r[4] or 0,
                tokens_out=r[5] or 0,
                tokens_cached=r[6] or 0,
                cost_usd=r[7] or 0.0,
                errors=r[8] or 0,
                fallbacks=r[9] or 0,
                p50_latency_s=statistics.median(float(x) for x in str(r[10]).split(",")),
            )
            for r in rows
        ]


class RewriteRepo:
    """Rolling-rewrite candidates per segment, the dropped ones with their reasons, and canon."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def save_segment(self, rows: Sequence[RewriteCandidateRow]) -> None:
        await self._db.executemany(
            "INSERT INTO rewrite_candidates (match_id, segment, first_tick, last_tick, writer, "
            "model, text, dropped_reason, votes, canon) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.match_id,
                    r.segment,
                    r.first_tick,
                    r.last_tick,
                    r.writer,
                    r.model,
                    r.text,
                    r.dropped_reason,
                    r.votes,
                    int(r.canon),
                )
                for r in rows
            ],
        )

    async def for_match(self, match_id: int) -> list[RewriteCandidateRow]:
        rows = await self._db.fetchall(
            "SELECT match_id, segment, first_tick, last_tick, writer, model, text, "
            "dropped_reason, votes, canon FROM rewrite_candidates WHERE match_id = ? "
            "ORDER BY segment, id",
            (match_id,),
        )
        return [
            RewriteCandidateRow(
                match_id=r[0],
                segment=r[1],
                first_tick=r[2],
                last_tick=r[3],
                writer=r[4],
                model=r[5],
                text=r[6],
                dropped_reason=r[7],
                votes=r[8],
                canon=bool(r[9]),
            )
            for r in rows
        ]


def _call(row: sqlite3.Row) -> CallRecord:
    return CallRecord(
        operation=row[0],
        provider=row[1],
        model=row[2],
        guild_id=row[3],
        federation_id=row[4],
        match_id=row[5],
        tick=row[6],
        prompt=row[7],
        raw_reply=row[8],
        parsed=None if row[9] is None else json.loads(row[9]),
        error=row[10],
        fallback_reason=row[11],
        latency_s=row[12],
        usage=LLMUsage(tokens_in=row[13], tokens_out=row[14], tokens_cached=row[15]),
        cost_usd=row[16],
        at=req_db_time(row[17]),
    )
