"""Subprocess for the kill -9 test: enqueues a match's ticks and posts them through an Outbox
to a fake channel that appends each message to a file (deduping by nonce, as Discord does)."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from bot.clock import SystemClock
from bot.live.outbox import Outbox
from bot.settings import DiscordSettings
from storage.database import Database

CHANNEL = 900


class FileChannel:
    def __init__(self, path: Path) -> None:
        self._path = path

    def _messages(self) -> list[dict]:
        if not self._path.exists():
            return []
        lines = self._path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    async def send(self, channel_id: int, content: str, nonce: str) -> int:
        for message in self._messages():
            if message["nonce"] == nonce:
                return int(message["id"])
        message_id = len(self._messages()) + 1
        line = json.dumps({"id": message_id, "nonce": nonce, "content": content})
        with self._path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
        await asyncio.sleep(0.03)  # widens the window between the post and mark_posted
        return message_id

    async def find(self, channel_id: int, nonce: str, content: str) -> list[int]:
        return [int(m["id"]) for m in reversed(self._messages()) if m["nonce"] == nonce]


async def main(db_path: Path, out_path: Path, match_id: int, count: int) -> None:
    db = await Database.open(db_path, create=False)
    channel = FileChannel(out_path)
    settings = DiscordSettings(messages_per_window=5, window_s=0.5)
    outbox = Outbox(db, channel.send, settings, SystemClock(), find_posted=channel.find)
    await outbox.start()
    for index in range(count):
        await outbox.enqueue(CHANNEL, match_id, index, f"tick {index}")
        await asyncio.sleep(0.02)
    if not await outbox.stop(timeout=60):
        raise SystemExit("the outbox did not drain")
    await db.close()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))
