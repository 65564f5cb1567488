"""End to end: `llmfed bot` as a subprocess against FakeDiscord. A weekly show stored in the
database comes due a few seconds after start-up; the scheduler fires it; its two matches
play live in threads; members vote on the rolling-rewrite segment with number reactions;
the vote is tallied into canon; the show's results are posted."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import App
from bot.clock import SystemClock
from bot.discord.vote_tally import NUMBER_EMOJIS
from bot.publishers.terminal import SilentPublisher
from bot.settings import Settings, StorageSettings
from engine.models import NarrativeMode, WeeklySchedule
from tests.e2e.bot_process import bot_env, start_bot, until
from tests.fakes.discord.rig import FakeDiscord

LEAD_S = 12  # the show starts this long after the league is stored (bot start-up fits in)


async def _store_league(db_path: Path, fake: FakeDiscord) -> tuple[int, datetime]:
    settings = Settings(storage=StorageSettings(path=str(db_path)))
    app = await App.open(settings, SystemClock(), SilentPublisher(), db_path=db_path)
    try:
        player = int(fake.guild.player["id"])
        league = app.league
        federation = await league.create_federation(fake.guild.guild_id, "Cron Wrestling", player)
        a = await league.create_wrestler(federation.id, "Alpha Ace", player)
        b = await league.create_wrestler(federation.id, "Bravo Brute", player)
        c = await league.create_wrestler(federation.id, "Chaos Kid", player)
        starts = (datetime.now(UTC) + timedelta(seconds=LEAD_S)).replace(microsecond=0)
        show = await app.shows.create(
            federation.id,
            "Fight Night",
            WeeklySchedule(day=starts.weekday(), at=starts.time(), timezone="UTC"),
            channel_id=fake.guild.channel_ids["general"],
        )
        await app.matches.book(federation.id, a.id, b.id, show_id=show.id, seed=11)
        await app.matches.book(
            federation.id,
            c.id,
            a.id,
            show_id=show.id,
            seed=12,
            mode=NarrativeMode.ROLLING_REWRITE,
            main_event=True,
        )
        return show.id, starts
    finally:
        await app.close()


def _row(db_path: Path, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
    with sqlite3.connect(db_path, timeout=5) as conn:
        return conn.execute(sql, params).fetchone()


async def test_a_scheduled_show_fires_plays_live_tallies_a_vote_and_posts_results(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "show.db"
    async with FakeDiscord() as fake:
        show_id, starts = await _store_league(db_path, fake)
        env = bot_env(
            fake,
            db_path,
            {
                "LLMFED_ENGINE__TICK_INTERVAL_S": "0.1",
                "LLMFED_ENGINE__REWRITE_SEGMENT_TICKS": "50",  # one vote, at the bell
                "LLMFED_DISCORD__VOTE_WINDOW_S": "6",
                "LLMFED_SCHEDULER__LIVE_TICK_CHECK_S": "0.1",
            },
        )
        process = await start_bot(env, tmp_path)
        general = fake.guild.channel_ids["general"]
        try:
            await fake.wait_until_ready(timeout=30)
            assert _row(db_path, "SELECT status FROM shows WHERE id = ?", (show_id,)) == (
                "scheduled",
            )
            ballot = await until(
                lambda: _row(
                    db_path,
                    "SELECT id, channel_id, message_id, candidates_json FROM rewrite_votes "
                    "WHERE message_id IS NOT NULL",
                ),
                LEAD_S + 40,
                "the rewrite vote to be posted",
            )
            assert datetime.now(UTC) >= starts  # it aired on schedule, not before
            vote_id, channel_id, message_id, _ = ballot
            bot_id = str(fake.bot_user["id"])
            await until(
                lambda: sum(bot_id in u for u in fake.reactions(message_id).values()) >= 2,
                10,
                "the bot's number reactions",
            )
            for user in (fake.guild.owner["id"], fake.ids.next()):
                await fake.add_user_reaction(channel_id, message_id, user, NUMBER_EMOJIS[1])
            await fake.add_user_reaction(channel_id, message_id, fake.ids.next(), NUMBER_EMOJIS[0])
            closed = await until(
                lambda: _row(
                    db_path,
                    "SELECT winner, decided_by FROM rewrite_votes "
                    "WHERE id = ? AND closed_at IS NOT NULL",
                    (vote_id,),
                ),
                30,
                "the vote to close",
            )
            assert closed == (2, "votes")
            await until(
                lambda: _row(
                    db_path,
                    # A weekly show is a series: after airing it is scheduled again, rated.
                    "SELECT 1 FROM shows WHERE id = ? AND status = 'scheduled' "
                    "AND rating IS NOT NULL",
                    (show_id,),
                ),
                40,
                "the show to finish",
            )
            results = await until(
                lambda: [m for m in fake.channel_messages(general) if "is over" in m["content"]],
                15,
                "the show's results",
            )
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
        log_tail = output.decode(errors="replace")[-4000:]
        assert process.returncode == 0, log_tail
        assert results[0]["embeds"] and "Fight Night" in results[0]["embeds"][0]["title"]
        statuses = _row(
            db_path, "SELECT group_concat(status) FROM matches WHERE show_id = ?", (show_id,)
        )
        assert statuses == ("finished,finished",), log_tail
        threads = fake.threads(general)
        assert len(threads) == 2, log_tail
        assert channel_id in {int(t["id"]) for t in threads}  # the vote ran in a match thread
        assert _row(db_path, "SELECT rating FROM shows WHERE id = ?", (show_id,))[0] is not None  # type: ignore[index]
        canon = _row(
            db_path,
            "SELECT writer, votes FROM rewrite_candidates WHERE canon = 1",
        )
        assert canon is not None and canon[1] == 2
        pinned = [m for m in fake.channel_messages(channel_id) if m.get("pinned")]
        assert pinned and canon[0] in pinned[0]["embeds"][0]["title"]
