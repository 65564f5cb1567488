"""The `llmfed` command line as a user runs it: demo, replay, simulate, balance, backup, and
bad input (one line on stderr, exit code 2, the database file untouched)."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def llmfed(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "COLUMNS": "120",
        "NO_COLOR": "1",
        "LLMFED_CONFIG": str(ROOT / "config.toml"),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def assert_one_line_error(run: subprocess.CompletedProcess[str], *words: str) -> None:
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("llmfed: error: ")
    assert "Traceback" not in run.stderr + run.stdout
    for word in words:
        assert word in lines[0]


@pytest.mark.slow
def test_demo_plays_a_whole_show_the_same_way_twice_and_replays(tmp_path: Path) -> None:
    first = llmfed("demo", "--seed", "7", "--db", str(tmp_path / "one.db"), cwd=tmp_path)
    second = llmfed("demo", "--seed", "7", "--db", str(tmp_path / "two.db"), cwd=tmp_path)

    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "Friday Night Fury" in out and "Show rating" in out
    for stipulation in ("no dq", "submission only", "last man standing"):
        assert stipulation in out
    assert "PROMO" in out and "(main" in out  # the table may wrap "(main event)"
    assert out.count("Result:") == 5  # every match reached a result panel
    # Same seed, same show (the database path is the only difference in the text).
    assert first.stdout.replace("one.db", "X") == second.stdout.replace("two.db", "X")

    with sqlite3.connect(tmp_path / "one.db") as conn:
        match_ids = [row[0] for row in conn.execute("SELECT id FROM matches ORDER BY id")]
    assert len(match_ids) == 5
    for match_id in match_ids:
        replay = llmfed("replay", str(match_id), "--db", str(tmp_path / "one.db"), cwd=tmp_path)
        assert replay.returncode == 0, replay.stdout + replay.stderr
        ticks = re.search(r"(\d+)/(\d+) ticks identical", replay.stdout)
        assert ticks is not None and ticks.group(1) == ticks.group(2) != "0"


def test_a_different_seed_gives_a_different_show(tmp_path: Path) -> None:
    a = llmfed("simulate", "Atlas", "Ruby", "--seed", "1", cwd=tmp_path)
    b = llmfed("simulate", "Atlas", "Ruby", "--seed", "2", cwd=tmp_path)
    assert a.returncode == b.returncode == 0, a.stderr + b.stderr
    assert "Atlas Grimm" in a.stdout and "Ruby Vex" in a.stdout
    assert a.stdout != b.stdout


def test_balance_prints_every_target_with_a_verdict(tmp_path: Path) -> None:
    run = llmfed("balance", "--matches", "40", cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr  # 40 matches may miss a target; it says so
    for target in ("15-45 ticks", "finisher", "near fall", "stronger wrestler", "star rating"):
        assert target in run.stdout
    verdicts = re.findall(r"\b(PASS|FAIL)\b", run.stdout)
    assert len(verdicts) == 9
    assert (run.returncode == 0) == ("FAIL" not in verdicts)


def test_backup_copies_a_live_database(tmp_path: Path) -> None:
    db = tmp_path / "league.db"
    assert llmfed("simulate", "Kid", "Hex", "--db", str(db), cwd=tmp_path).returncode == 0
    backup = llmfed("db", "backup", str(tmp_path / "copy.db"), "--db", str(db), cwd=tmp_path)
    assert backup.returncode == 0, backup.stderr
    with sqlite3.connect(tmp_path / "copy.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM match_ticks").fetchone()[0] > 0


def test_bad_input_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    db = tmp_path / "league.db"
    assert llmfed("simulate", "Kid", "Hex", "--db", str(db), cwd=tmp_path).returncode == 0
    before = db.read_bytes()

    assert_one_line_error(llmfed("replay", "999", "--db", str(db), cwd=tmp_path), "999")
    assert_one_line_error(llmfed("replay", "zero", "--db", str(db), cwd=tmp_path))
    assert_one_line_error(llmfed("demo", "--seed", "-5", cwd=tmp_path), "seed")
    assert_one_line_error(llmfed("demo", "--seed", "banana", cwd=tmp_path), "seed")
    assert_one_line_error(llmfed("simulate", "Nobody", "Hex", cwd=tmp_path), "Nobody")
    assert_one_line_error(
        llmfed("demo", "--db", str(tmp_path / "missing" / "x.db"), cwd=tmp_path), "missing"
    )
    assert_one_line_error(llmfed("replay", "1", "--db", str(tmp_path / "nope.db"), cwd=tmp_path))
    assert db.read_bytes() == before

    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(before[:4096] + b"\x00garbage" * 512)
    damaged = corrupt.read_bytes()
    assert_one_line_error(llmfed("replay", "1", "--db", str(corrupt), cwd=tmp_path))
    assert corrupt.read_bytes() == damaged

    text = tmp_path / "notes.db"
    text.write_text("these are my notes, not a database\n")
    assert_one_line_error(llmfed("replay", "1", "--db", str(text), cwd=tmp_path), "not an SQLite")
    assert text.read_text() == "these are my notes, not a database\n"
