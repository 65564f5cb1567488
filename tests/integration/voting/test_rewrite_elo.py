"""A whole rolling_rewrite match through the bot: every segment voted in Discord, the canon
recorded in rewrite_candidates and the writers' Elo moved by it."""

from __future__ import annotations

import asyncio

from bot.discord.desks import desks_of
from bot.discord.vote_tally import NUMBER_EMOJIS
from bot.discord.voting import votes_of
from bot.services.leaderboards import START_RATING
from engine.models import MatchStatus
from storage.llm_calls import RewriteRepo
from tests.integration.discord_commands_match.match_support import League, MatchHarness
from tests.integration.voting.voting_support import booked_in_general, eventually

FAVOURITE = "hype-poet"


async def _crowd(h: MatchHarness, match_id: int, voter: int) -> int:
    """Votes for the favourite writer in every ballot, then lets the window run out."""
    desk = votes_of(h.bot)
    handled: set[int] = set()
    bot_id = str(h.fake.bot_user["id"])
    while True:
        for vote in await desk.votes.open_votes(match_id):
            if vote.id in handled or vote.message_id is None:
                continue
            reactions = h.fake.reactions(vote.message_id)
            if sum(bot_id in users for users in reactions.values()) < len(vote.candidates):
                continue
            number = next(n for n, c in enumerate(vote.candidates, 1) if c.writer == FAVOURITE)
            await h.fake.add_user_reaction(
                vote.channel_id, vote.message_id, voter, NUMBER_EMOJIS[number - 1]
            )
            vote_id, wanted = vote.id, number

            async def counted(vote_id: int = vote_id, wanted: int = wanted) -> bool:
                return await desk.votes.choice_of(vote_id, voter) == wanted

            await eventually(counted)
            h.app.clock.advance(h.app.settings.discord.vote_window_s + 1)  # type: ignore[attr-defined]
            handled.add(vote.id)
        await asyncio.sleep(0.02)


async def test_voted_segments_become_canon_and_move_writer_elo(
    h: MatchHarness, league: League
) -> None:
    match = await booked_in_general(h, league)
    crowd = asyncio.create_task(_crowd(h, match.id, h.fake.ids.next()))
    try:
        await h.app.matches.start(match.id)
        finished = await asyncio.wait_for(h.app.matches.play(match.id), 60)
    finally:
        crowd.cancel()
    assert finished.status is MatchStatus.FINISHED
    votes = await votes_of(h.bot).votes.for_match(match.id)
    rows = await RewriteRepo(h.app.db).for_match(match.id)
    segments = {r.segment for r in rows}
    assert len(votes) == len(segments) >= 2
    for segment in segments:
        canon = [r for r in rows if r.segment == segment and r.canon]
        assert [c.writer for c in canon] == [FAVOURITE]
        assert canon[0].votes == 1
    board = await h.app.db.fetchall("SELECT count(*) FROM rewrite_candidates")
    assert board[0][0] == len(rows)  # saved once per segment, never twice
    writers = await desks_of(h.bot).leaderboards.writers(h.guild_id)
    ratings = {r.writer: r.rating for r in writers.server}
    assert ratings[FAVOURITE] > START_RATING
    assert all(r < START_RATING for w, r in ratings.items() if w != FAVOURITE)
