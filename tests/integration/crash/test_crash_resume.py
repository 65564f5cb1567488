"""Kill -9 mid-match, restart, and the match finishes with every tick exactly once."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import App
from bot.clock import ManualClock
from bot.publishers.terminal import SilentPublisher
from bot.settings import Settings
from engine.models import MatchStatus, Stats

WORKER = Path(__file__).with_name("crash_worker.py")
ROOT = Path(__file__).resolve().parents[3]


async def _book(db_path: Path) -> int:
    app = await App.open(
        Settings(),
        ManualClock(datetime(2026, 1, 1, tzinfo=UTC)),
        SilentPublisher(),
        db_path=db_path,
    )
    try:
        federation = await app.league.create_federation(1, "Crash Test Wrestling", 1)
        a = await app.league.create_wrestler(
            federation.id, "Durable Dan", 1, stats=Stats(toughness=90)
        )
        b = await app.league.create_wrestler(
            federation.id, "Resilient Rae", 1, stats=Stats(toughness=90)
        )
        match = await app.matches.book(federation.id, a.id, b.id, seed=424242)
        return match.id
    finally:
        await app.close()


def _tick_indices(db_path: Path, match_id: int) -> list[int]:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT time_index FROM match_ticks WHERE match_id = ? ORDER BY time_index",
            (match_id,),
        ).fetchall()
    return [r[0] for r in rows]


def _spawn(db_path: Path, match_id: int, delay: float) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(db_path), str(match_id), str(delay)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
async def test_sigkill_mid_match_then_resume_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    db_path = tmp_path / "crash.db"
    match_id = await _book(db_path)

    worker = _spawn(db_path, match_id, 0.05)
    deadline = time.monotonic() + 30
    # Another process writes the file: there is no in-process event to wait on, so poll it.
    while time.monotonic() < deadline and len(_tick_indices(db_path, match_id)) < 5:  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    assert worker.returncode == -signal.SIGKILL
    before = _tick_indices(db_path, match_id)
    assert len(before) >= 5, "the worker should have committed ticks before the kill"

    resumed = _spawn(db_path, match_id, 0.0)
    _, stderr = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, stderr.decode()

    after = _tick_indices(db_path, match_id)
    assert after[: len(before)] == before
    assert after == list(range(1, len(after) + 1)), "ticks must be contiguous, none twice"
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        status, result = conn.execute(
            "SELECT status, result_json FROM matches WHERE id = ?", (match_id,)
        ).fetchone()
    assert status == MatchStatus.FINISHED.value
    assert result is not None
