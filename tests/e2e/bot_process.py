"""Helpers for the end-to-end tests that run the unmodified `llmfed bot` process against
FakeDiscord: its environment, starting it, and polling for what it should have done."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.fakes.discord.rig import FakeDiscord

REPO = Path(__file__).resolve().parents[2]
LLMFED = Path(sys.executable).parent / "llmfed"


def bot_env(fake: FakeDiscord, db_path: Path, extra: Mapping[str, str] = {}) -> dict[str, str]:
    """This process's environment plus the settings that point the bot at ``fake`` and
    ``db_path``; ``extra`` adds or overrides settings (e.g. faster ticks)."""
    return (
        os.environ
        | {
            "DISCORD_TOKEN": fake.token,
            "LLMFED_CONFIG": str(REPO / "config.toml"),
            "LLMFED_DISCORD__API_BASE": fake.api_base,
            "LLMFED_DISCORD__DEV_GUILD_ID": str(fake.guild.guild_id),
            "LLMFED_STORAGE__PATH": str(db_path),
        }
        | dict(extra)
    )


async def start_bot(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    """`llmfed bot` in ``cwd`` with stdout and stderr merged into one pipe."""
    return await asyncio.create_subprocess_exec(
        str(LLMFED),
        "bot",
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def until(check: Any, timeout: float, what: str) -> Any:  # noqa: ASYNC109
    """The first truthy value of ``check()``, polled for up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)
