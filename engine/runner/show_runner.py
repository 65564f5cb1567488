"""The show runner: plays a card in order and rates the show (main event weighted double)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from engine.models.base import Frozen
from engine.models.enums import SegmentKind
from engine.models.show import Segment
from engine.rules.rating import show_rating


class SegmentPlayer(Protocol):
    """Plays one segment to its end and returns its star rating (None: it did not happen,
    e.g. a cancelled match). A segment that already finished returns its stored rating, so a
    show resumed after a restart carries on from where it was."""

    async def play_match(self, match_id: int) -> float | None: ...

    async def play_promo(self, promo_id: int) -> float | None: ...


class SegmentOutcome(Frozen):
    segment: Segment
    rating: float | None


class ShowOutcome(Frozen):
    segments: tuple[SegmentOutcome, ...]
    rating: float


def main_event_index(card: Sequence[Segment]) -> int | None:
    """The flagged main event, else the last match on the card."""
    for index, segment in enumerate(card):
        if segment.main_event:
            return index
    matches = [i for i, s in enumerate(card) if s.kind is SegmentKind.MATCH]
    return matches[-1] if matches else None


async def run_show(card: Sequence[Segment], player: SegmentPlayer) -> ShowOutcome:
    ordered = sorted(card, key=lambda s: s.position)
    outcomes: list[SegmentOutcome] = []
    for segment in ordered:
        if segment.kind is SegmentKind.MATCH and segment.match_id is not None:
            rating = await player.play_match(segment.match_id)
        elif segment.kind is SegmentKind.PROMO and segment.promo_id is not None:
            rating = await player.play_promo(segment.promo_id)
        else:
            raise ValueError(f"segment {segment.position} has nothing to play")
        outcomes.append(SegmentOutcome(segment=segment, rating=rating))
    main = main_event_index(ordered)
    played = [(i, o.rating) for i, o in enumerate(outcomes) if o.rating is not None]
    ratings = [rating for _, rating in played]
    main_played = next((n for n, (i, _) in enumerate(played) if i == main), None)
    return ShowOutcome(segments=tuple(outcomes), rating=show_rating(ratings, main_played))
