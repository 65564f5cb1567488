"""Leaderboards: wrestlers by record and by popularity; rewrite writers by Elo from votes."""

from __future__ import annotations

from bot.services.lookup import gone
from bot.services.repos import Repos
from engine.errors import NotFound
from engine.models import Federation, Frozen, Wrestler
from storage.writer_ratings import SegmentVote, WriterResultsRepo

START_RATING = 1500.0
K_FACTOR = 24.0
BOARD_SIZE = 10


class WrestlerBoard(Frozen):
    federation: Federation | None
    by_record: tuple[Wrestler, ...]
    by_popularity: tuple[Wrestler, ...]


class WriterRating(Frozen):
    writer: str
    rating: float
    wins: int = 0
    losses: int = 0


class WriterBoard(Frozen):
    server: tuple[WriterRating, ...]
    everywhere: tuple[WriterRating, ...]


def expected_score(rating: float, opponent: float) -> float:
    return 1.0 / (1.0 + 10 ** ((opponent - rating) / 400.0))


def elo_table(votes: list[SegmentVote], k: float = K_FACTOR) -> list[WriterRating]:
    """Every vote is the winner beating each other eligible writer of that segment, in order.
    Best first; equal ratings by name."""
    ratings: dict[str, float] = {}
    wins: dict[str, int] = {}
    losses: dict[str, int] = {}
    for vote in votes:
        for loser in vote.writers:
            if loser == vote.winner:
                continue
            winner_rating = ratings.get(vote.winner, START_RATING)
            loser_rating = ratings.get(loser, START_RATING)
            gain = k * (1.0 - expected_score(winner_rating, loser_rating))
            ratings[vote.winner] = winner_rating + gain
            ratings[loser] = loser_rating - gain
            wins[vote.winner] = wins.get(vote.winner, 0) + 1
            losses[loser] = losses.get(loser, 0) + 1
    table = [
        WriterRating(writer=w, rating=r, wins=wins.get(w, 0), losses=losses.get(w, 0))
        for w, r in ratings.items()
    ]
    return sorted(table, key=lambda row: (-row.rating, row.writer))


def record_key(wrestler: Wrestler) -> tuple[float, int, int, str]:
    """More wins first, then the better win share, then popularity; names break ties."""
    record = wrestler.record
    played = record.wins + record.losses + record.draws
    share = record.wins / played if played else 0.0
    return (-record.wins, -round(share * 1000), -wrestler.popularity, wrestler.name.casefold())


class Leaderboards:
    def __init__(self, repos: Repos) -> None:
        self._repos = repos
        self._writers = WriterResultsRepo(repos.db)

    async def wrestlers(
        self, guild_id: int, federation_id: int | None = None, size: int = BOARD_SIZE
    ) -> WrestlerBoard:
        federation = None
        if federation_id is not None:
            try:
                federation = await self._repos.federations.get_in_guild(guild_id, federation_id)
            except NotFound:
                raise gone("federation") from None
            roster = await self._repos.wrestlers.list(federation.id)
        else:
            roster = await self._repos.wrestlers.list_in_guild(guild_id)
        by_record = sorted(roster, key=record_key)[:size]
        by_popularity = sorted(roster, key=lambda w: (-w.popularity, w.name.casefold()))[:size]
        return WrestlerBoard(
            federation=federation, by_record=tuple(by_record), by_popularity=tuple(by_popularity)
        )

    async def writers(self, guild_id: int, size: int = BOARD_SIZE) -> WriterBoard:
        server = elo_table(await self._writers.segment_votes(guild_id))[:size]
        everywhere = elo_table(await self._writers.segment_votes(None))[:size]
        return WriterBoard(server=tuple(server), everywhere=tuple(everywhere))
