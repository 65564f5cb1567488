"""Restart mid-match (a new bot on the same database and FakeDiscord): the match resumes from
its last committed tick, finishes, and every tick is posted exactly once, in order."""

from __future__ import annotations

from pathlib import Path

from engine.models import MatchStatus
from tests.fakes.discord.rig import FakeDiscord
from tests.integration.live_matches.live_support import running_live, until


async def test_a_restart_mid_match_resumes_without_duplicate_posts(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    db = tmp_path / "llmfed.db"
    async with running_live(fake, db, tick_interval_s=0.5) as first:
        league = await first.seed()
        match_id = await first.book(league)
        await first.start(match_id)
        thread_id = await first.thread_of(match_id)
        await until(lambda: len(first.thread_messages(thread_id)) >= 3)
        await first.live.outbox.abort()  # the posting side dies mid-stream
        cut = await first.app.repos.matches.tick_count(match_id)

    async with running_live(fake, db, tick_interval_s=0.5) as second:
        resumed = await second.app.repos.matches.get(match_id)
        assert resumed.status is MatchStatus.LIVE or second.live.get(match_id) is None
        assert second.live.get(match_id) is not None  # resumed at start-up
        await until(lambda: second.live.get(match_id) is None, timeout=60)
        ticks = await second.app.repos.matches.ticks(match_id)

    assert len(ticks) > cut
    lines = [
        line
        for message in fake.channel_messages(thread_id)
        if message["content"]
        for line in message["content"].split("\n")
    ]
    assert lines == [t.narration for t in ticks]
    assert fake.channel_messages(thread_id)[-1]["embeds"][0]["title"].startswith("Result")
