"""A rolling-rewrite match played live with Discord votes: each segment's canon appears once
in the thread (the vote desk's pinned canon; the live desk does not repeat it)."""

from __future__ import annotations

import asyncio
import re

from engine.models import NarrativeMode
from storage.votes import VoteRepo
from tests.integration.live_matches.live_support import LiveHarness

CANON = re.compile(r"Canon: segment (\d+)")


async def test_each_segments_canon_is_posted_once(h: LiveHarness) -> None:
    league = await h.seed()
    match = await h.app.matches.book(
        league.federation.id,
        league.atlas.id,
        league.ruby.id,
        seed=7,
        mode=NarrativeMode.ROLLING_REWRITE,
    )
    await h.start(match.id)
    thread_id = await h.thread_of(match.id)
    window = h.app.settings.discord.vote_window_s
    while h.live.get(match.id) is not None:  # every vote window passes at once
        h.app.clock.advance(window + 1)  # type: ignore[attr-defined]
        await asyncio.sleep(0.1)
    closed = [v for v in await VoteRepo(h.app.db).for_match(match.id) if not v.is_open]

    messages = h.thread_messages(thread_id)
    titles = [e["title"] for m in messages for e in m.get("embeds") or []]
    segments = [int(found[1]) for t in titles if (found := CANON.match(t))]
    assert closed and sorted(segments) == sorted(v.segment for v in closed)
    assert len(segments) == len(set(segments))  # each canon once
    assert not [m for m in messages if m["content"].startswith("📜 Segment")]
