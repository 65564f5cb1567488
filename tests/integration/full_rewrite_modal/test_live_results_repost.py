"""A crash between the bell and the results embed: at the next start-up the results (with
the chart) are posted once and the thread is archived; later start-ups post nothing more."""

from __future__ import annotations

from pathlib import Path

from bot.live.matches import LiveMatch
from engine.models import MatchStatus
from tests.fakes.discord.rig import FakeDiscord
from tests.integration.live_matches.live_support import running_live, until


def _results(fake: FakeDiscord, thread_id: int) -> list[dict]:
    return [
        m
        for m in fake.channel_messages(thread_id)
        if any(e["title"].startswith("Result") for e in m.get("embeds") or [])
    ]


async def test_results_lost_in_a_crash_are_posted_once_at_start_up(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    db = tmp_path / "llmfed.db"
    async with running_live(fake, db) as first:

        async def crash_before_results(entry: LiveMatch, rating: float) -> None:
            """The process dies after the bell was committed, before the results went out."""

        first.live._post_results = crash_before_results  # type: ignore[method-assign]
        league = await first.seed()
        match_id = await first.book(league)
        await first.start(match_id)
        thread_id = await first.thread_of(match_id)
        await until(lambda: first.live.get(match_id) is None, timeout=60)
        finished = await first.app.repos.matches.get(match_id)
    assert finished.status is MatchStatus.FINISHED and _results(fake, thread_id) == []
    assert not fake.channel(thread_id)["thread_metadata"]["archived"]

    async with running_live(fake, db) as second:
        posted = await until(lambda: _results(fake, thread_id), timeout=30)
        await until(lambda: fake.channel(thread_id)["thread_metadata"]["archived"])
        events = await second.app.repos.events.list(match_id=match_id, kind="live.results_posted")
    (results,) = posted
    assert results["embeds"][0]["title"] == f"Result — match #{match_id}: Atlas Grimm vs Ruby Vex"
    assert results["attachments"]  # the momentum/heat chart
    assert len(events) == 1
    narration = [m for m in fake.channel_messages(thread_id) if m["content"]]
    assert narration and int(narration[-1]["id"]) < int(results["id"])  # ticks, then results

    async with running_live(fake, db) as third:
        assert await third.live.post_missing_results() == []
    assert len(_results(fake, thread_id)) == 1
