"""Rows of ``rewrite_candidates`` built from a segment's tellings: votes, canon, dropped ones."""

from __future__ import annotations

from engine.llm.rewrite import Candidate
from engine.runner.rewrites import SegmentOutcome
from storage.llm_calls import RewriteCandidateRow


def candidate_row(
    match_id: int, segment: int, first: int, last: int, c: Candidate, votes: int, canon: bool
) -> RewriteCandidateRow:
    return RewriteCandidateRow(
        match_id=match_id,
        segment=segment,
        first_tick=first,
        last_tick=last,
        writer=c.writer,
        model=c.model,
        text=c.text,
        votes=votes,
        canon=canon,
    )


def segment_rows(outcome: SegmentOutcome) -> list[RewriteCandidateRow]:
    """The segment's candidates (votes, canon) and dropped tellings (with why)."""
    first, last = outcome.ticks[0].time_index, outcome.ticks[-1].time_index
    rows = [
        candidate_row(outcome.match_id, outcome.segment, first, last, c, votes, c is outcome.canon)
        for c, votes in zip(outcome.round.candidates, outcome.votes, strict=True)
    ]
    rows += [
        RewriteCandidateRow(
            match_id=outcome.match_id,
            segment=outcome.segment,
            first_tick=first,
            last_tick=last,
            writer=d.writer,
            model=d.model,
            text=d.text,
            dropped_reason="; ".join(d.reasons),
        )
        for d in outcome.round.dropped
    ]
    return rows
