"""End to end: `llmfed bot` as a subprocess against FakeDiscord plays a match live in a thread;
after a few ticks are posted the bot is killed with SIGKILL and started again on the same
database. The match resumes and finishes: every tick's narration is in the thread exactly
once and in order, the results embed is posted once and the thread is archived."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from pathlib import Path
from typing import Any

from bot.app import App
from bot.clock import SystemClock
from bot.publishers.terminal import SilentPublisher
from bot.settings import Settings, StorageSettings
from tests.e2e.bot_process import bot_env, start_bot, until
from tests.fakes.discord.payloads_interactions import option, subcommand
from tests.fakes.discord.rig import FakeDiscord

TICKS_BEFORE_KILL = 4
TICK_COUNT = "SELECT count(*) FROM match_ticks WHERE match_id = ?"


async def _store_league(db_path: Path, fake: FakeDiscord) -> int:
    settings = Settings(storage=StorageSettings(path=str(db_path)))
    app = await App.open(settings, SystemClock(), SilentPublisher(), db_path=db_path)
    try:
        player = int(fake.guild.player["id"])
        federation = await app.league.create_federation(fake.guild.guild_id, "Kill Nine", player)
        a = await app.league.create_wrestler(federation.id, "Alpha Ace", player)
        b = await app.league.create_wrestler(federation.id, "Bravo Brute", player)
        match = await app.matches.book(federation.id, a.id, b.id, seed=21)
        return match.id
    finally:
        await app.close()


def _rows(db_path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db_path, timeout=5) as conn:
        return conn.execute(sql, params).fetchall()


class Bot:
    """A `llmfed bot` process whose output is collected line by line as it runs."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self._reader = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def start(cls, env: dict[str, str], cwd: Path) -> Bot:
        return cls(await start_bot(env, cwd))

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for line in self.process.stdout:
            self.lines.append(line.decode(errors="replace"))

    def said(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    async def end(self, sig: signal.Signals) -> int:
        if self.process.returncode is None:
            self.process.send_signal(sig)
        code = await asyncio.wait_for(self.process.wait(), timeout=30)
        await asyncio.wait_for(self._reader, timeout=10)
        return code

    @property
    def log_tail(self) -> str:
        return "".join(self.lines)[-4000:]


def _results(fake: FakeDiscord, thread_id: int) -> list[dict]:
    return [
        m
        for m in fake.channel_messages(thread_id)
        if any(e.get("title", "").startswith("Result") for e in m.get("embeds") or [])
    ]


async def test_kill_9_mid_match_then_restart_posts_every_tick_once(tmp_path: Path) -> None:
    db_path = tmp_path / "live.db"
    async with FakeDiscord() as fake:
        match_id = await _store_league(db_path, fake)
        env = bot_env(
            fake,
            db_path,
            {
                "LLMFED_ENGINE__TICK_INTERVAL_S": "0.3",
                "LLMFED_SCHEDULER__LIVE_TICK_CHECK_S": "0.05",
            },
        )
        first = await Bot.start(env, tmp_path)
        second: Bot | None = None
        general = fake.guild.channel_ids["general"]
        try:
            guild = fake.guild.guild_id
            await until(lambda: first.said("live matches ready"), 30, "the live desk")
            start = fake.interactions.slash(
                "match",
                subcommand("start", option("match", str(match_id))),
                command_id=fake.command_id("match", guild),
                command_guild_id=guild,
            )
            await fake.dispatch("INTERACTION_CREATE", start)
            thread = await until(lambda: fake.threads(general), 30, "the match thread")
            thread_id = int(thread[0]["id"])
            await until(
                lambda: len(fake.channel_messages(thread_id)) >= TICKS_BEFORE_KILL,
                30,
                "some ticks to be posted",
            )
            assert await first.end(signal.SIGKILL) == -signal.SIGKILL
            (cut,) = _rows(db_path, TICK_COUNT, (match_id,))
            await until(lambda: not fake.ready_sessions, 15, "the killed bot's session to drop")

            second = await Bot.start(env, tmp_path)
            await until(lambda: _results(fake, thread_id), 90, "the results embed")
            await until(
                lambda: fake.channel(thread_id)["thread_metadata"]["archived"],
                15,
                "the thread to be archived",
            )
        finally:
            await first.end(signal.SIGKILL)
            code = await second.end(signal.SIGTERM) if second is not None else None
        assert second is not None
        log_tail = second.log_tail
        assert code == 0, log_tail
        assert second.said("resumed 1 live match(es)"), log_tail

        narrations = [
            row[0]
            for row in _rows(
                db_path,
                "SELECT narration FROM match_ticks WHERE match_id = ? ORDER BY time_index",
                (match_id,),
            )
        ]
        assert cut[0] < len(narrations), "the kill came after the match had ended"
        (status,) = _rows(db_path, "SELECT status FROM matches WHERE id = ?", (match_id,))
        assert status == ("finished",), log_tail
        posted = [
            line
            for message in fake.channel_messages(thread_id)
            if message["content"]
            for line in message["content"].split("\n")
        ]
        assert posted == narrations, log_tail
        assert len(_results(fake, thread_id)) == 1
        assert fake.channel_messages(thread_id)[-1] == _results(fake, thread_id)[0]
