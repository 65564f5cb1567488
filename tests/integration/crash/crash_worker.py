"""Subprocess body for the crash test: plays one stored match slowly until killed or done."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime

from bot.app import App
from bot.clock import ManualClock
from bot.publishers.terminal import SilentPublisher
from bot.settings import Settings


async def play(db_path: str, match_id: int, delay_s: float) -> None:
    app = await App.open(
        Settings(),
        ManualClock(datetime(2026, 1, 1, tzinfo=UTC)),
        SilentPublisher(),
        db_path=db_path,
        create=False,
    )
    try:
        await app.matches.play(match_id, tick_delay_s=delay_s)
    finally:
        await app.close()


if __name__ == "__main__":
    asyncio.run(play(sys.argv[1], int(sys.argv[2]), float(sys.argv[3])))
