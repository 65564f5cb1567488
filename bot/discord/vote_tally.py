"""Rewrite-vote rules as pure functions: number emojis, counting ballots, breaking ties."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from engine.models.base import Frozen

NUMBER_EMOJIS = ("1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟")
MAX_CANDIDATES = len(NUMBER_EMOJIS)  # also Discord's limit of 10 embeds per message

VOTES = "votes"
PROMOTER = "promoter's pick"
RATING = "higher-rated writer"
NUMBER = "lowest number"
OVERRIDE = "promoter override"


class Decision(Frozen):
    winner: int  # 1-based candidate number
    counts: tuple[int, ...]
    decided_by: str


def _bare(emoji: str) -> str:
    # Clients send keycaps with or without the variation selector.
    return emoji.replace("\ufe0f", "")


def number_of(emoji: str, candidates: int) -> int | None:
    """The candidate number an emoji stands for, if it is one of the vote's numbers."""
    bare = _bare(emoji)
    for number, known in enumerate(NUMBER_EMOJIS[:candidates], 1):
        if _bare(known) == bare:
            return number
    return None


def count(ballots: Mapping[int, int], candidates: int) -> tuple[int, ...]:
    """Votes per candidate from each member's current choice."""
    counts = [0] * candidates
    for choice in ballots.values():
        if 1 <= choice <= candidates:
            counts[choice - 1] += 1
    return tuple(counts)


def decide(
    counts: Sequence[int],
    ratings: Sequence[float],
    *,
    promoter_pick: int | None = None,
    override: int | None = None,
) -> Decision:
    """Most votes wins. A tie goes to the promoter's pick (if it is among the leaders), else
    to the leader whose writer has the higher rating, else to the lowest number. An override
    beats everything."""
    if not counts or len(ratings) != len(counts):
        raise ValueError("one rating per candidate, at least one candidate")
    frozen = tuple(counts)
    if override is not None and 1 <= override <= len(counts):
        return Decision(winner=override, counts=frozen, decided_by=OVERRIDE)
    best = max(counts)
    leaders = [n for n, votes in enumerate(counts, 1) if votes == best]
    if len(leaders) == 1:
        return Decision(winner=leaders[0], counts=frozen, decided_by=VOTES)
    if promoter_pick in leaders:
        return Decision(winner=promoter_pick, counts=frozen, decided_by=PROMOTER)
    top = max(ratings[n - 1] for n in leaders)
    rated = [n for n in leaders if ratings[n - 1] == top]
    if len(rated) == 1:
        return Decision(winner=rated[0], counts=frozen, decided_by=RATING)
    return Decision(winner=min(rated), counts=frozen, decided_by=NUMBER)
