"""Rolling-rewrite segments of a live match: when one closes, its telling, and its canon post."""

from __future__ import annotations

from engine.models import Match, MatchState, TickResult
from engine.runner.rewrites import RewriteTools, SegmentOutcome, rewrite_segment_of
from storage.votes import VoteRepo


def segment_closes(state: MatchState, tick: TickResult, tools: RewriteTools) -> bool:
    """A segment closes every ``segment_ticks`` ticks and at the bell."""
    return state.finished or not tick.time_index % tools.segment_ticks


async def tell_segment(
    match: Match, state: MatchState, segment: list[TickResult], tools: RewriteTools
) -> SegmentOutcome:
    """The writers' tellings of the segment and its canon, saved when the tools save."""
    outcome = await rewrite_segment_of(match, state, segment, tools)
    if tools.save_segment is not None:
        await tools.save_segment(outcome)
    return outcome


async def decided_by_vote(votes: VoteRepo, match_id: int, segment: int) -> bool:
    """Whether a closed Discord vote chose the segment's canon (the vote desk posts it)."""
    return any(
        vote.segment == segment and not vote.is_open for vote in await votes.for_match(match_id)
    )


def canon_post(outcome: SegmentOutcome) -> str:
    canon = outcome.canon
    return f"📜 Segment {outcome.segment}, as told by {canon.writer}:\n{canon.text}"
