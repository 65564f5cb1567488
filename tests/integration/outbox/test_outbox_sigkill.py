"""kill -9 an outbox worker process mid-burst, twice; restarts post every tick exactly once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storage.database import Database
from tests.integration.outbox.outbox_support import book_matches

WORKER = Path(__file__).with_name("outbox_kill_worker.py")
ROOT = Path(__file__).resolve().parents[3]
TICKS = 120


def _spawn(db_path: Path, out_path: Path, match_id: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(db_path), str(out_path), str(match_id), str(TICKS)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _messages(out_path: Path) -> list[dict]:
    if not out_path.exists():
        return []
    return [json.loads(line) for line in out_path.read_text().splitlines() if line.strip()]


def _claimed_unmarked(db_path: Path) -> int:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM outbox WHERE nonce IS NOT NULL AND message_id IS NULL"
        ).fetchone()
    return int(row[0])


def _kill_after(worker: subprocess.Popen[bytes], out_path: Path, messages: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(_messages(out_path)) < messages:
        assert worker.poll() is None, worker.communicate()[1].decode()
        time.sleep(0.005)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    assert worker.returncode == -signal.SIGKILL


@pytest.mark.slow
async def test_sigkill_twice_mid_burst_posts_every_tick_exactly_once(tmp_path: Path) -> None:
    db_path, out_path = tmp_path / "kill.db", tmp_path / "channel.jsonl"
    db = await Database.open(db_path)
    try:
        (match_id,) = await book_matches(db, 1)
    finally:
        await db.close()

    landed_in_window = 0
    for messages in (6, 14):
        _kill_after(_spawn(db_path, out_path, match_id), out_path, messages)
        landed_in_window += _claimed_unmarked(db_path)
    # The kill follows a post by milliseconds, so it lands between send and mark_posted.
    assert landed_in_window, "no kill hit the send/mark window: the test proves less"
    assert len(_messages(out_path)) < TICKS, "the kills should land mid-burst"

    final = _spawn(db_path, out_path, match_id)
    _, stderr = final.communicate(timeout=90)
    assert final.returncode == 0, stderr.decode()

    messages = _messages(out_path)
    assert len({m["nonce"] for m in messages}) == len(messages)
    ticks = [line for m in messages for line in m["content"].split("\n")]
    assert ticks == [f"tick {i}" for i in range(TICKS)]
