"""Helpers for the voting tests: a match in #general, a vote run in the background, members
reacting through FakeDiscord, and waiting until the bot has taken a reaction in."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from bot.clock import ManualClock
from bot.discord.vote_tally import NUMBER_EMOJIS, Decision
from bot.discord.voting import VoteDesk, votes_of
from engine.llm.rewrite import Candidate
from engine.models import Match, NarrativeMode
from storage.votes import VoteRecord
from tests.integration.discord_commands_match.match_support import League, MatchHarness

WRITERS = ("ringside-veteran", "hype-poet", "house")


def candidates(writers: tuple[str, ...] = WRITERS) -> list[Candidate]:
    return [
        Candidate(writer=w, model="offline", text=f"{w} tells it: a big spot, then a near fall.")
        for w in writers
    ]


async def booked_in_general(
    h: MatchHarness, league: League, mode: NarrativeMode = NarrativeMode.ROLLING_REWRITE
) -> Match:
    match = await h.app.matches.book(
        league.federation.id, league.atlas.id, league.ruby.id, mode=mode, seed=7
    )
    channel_id = h.fake.guild.channel_ids["general"]
    return await h.app.repos.matches.update(match.model_copy(update={"channel_id": channel_id}))


async def eventually(check: Callable[[], Any], timeout: float = 5.0) -> Any:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while True:
        value = await check() if asyncio.iscoroutinefunction(check) else check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


class VoteRun:
    """A vote started in the background, its ballot posted, ready for reactions."""

    def __init__(self, h: MatchHarness, match: Match, task: asyncio.Task[Decision | None]):
        self.h = h
        self.match = match
        self.task = task
        self.vote: VoteRecord | None = None

    @property
    def desk(self) -> VoteDesk:
        return votes_of(self.h.bot)

    @property
    def clock(self) -> ManualClock:
        clock = self.h.app.clock
        assert isinstance(clock, ManualClock)
        return clock

    async def ballot_ready(self, numbers: int) -> VoteRecord:
        async def posted() -> VoteRecord | None:
            votes = await self.desk.votes.for_match(self.match.id)
            if not votes or votes[-1].message_id is None:
                return None
            bot_id = str(self.h.fake.bot_user["id"])
            reactions = self.h.fake.reactions(votes[-1].message_id)
            mine = [e for e, users in reactions.items() if bot_id in users]
            return votes[-1] if len(mine) == numbers else None

        self.vote = await eventually(posted)
        await asyncio.sleep(0.1)  # the bot's own reaction echoes reach the listener
        return self.vote

    async def react(self, user_id: int | str, number: int, *, add: bool = True) -> None:
        assert self.vote is not None and self.vote.message_id is not None
        fake = self.h.fake
        act = fake.add_user_reaction if add else fake.remove_user_reaction
        await act(self.vote.channel_id, self.vote.message_id, user_id, NUMBER_EMOJIS[number - 1])

    async def react_counted(self, user_id: int | str, number: int, *, add: bool = True) -> None:
        """React and wait until the bot recorded the member's new choice."""
        await self.react(user_id, number, add=add)
        assert self.vote is not None
        vote_id = self.vote.id

        async def recorded() -> bool:
            choice = await self.desk.votes.choice_of(vote_id, int(user_id))
            return choice == (number if add else None)

        await eventually(recorded)

    async def ballots(self) -> dict[int, int]:
        assert self.vote is not None
        return await self.desk.votes.ballots(self.vote.id)

    async def end_window(self) -> Decision | None:
        self.clock.advance(self.h.app.settings.discord.vote_window_s + 1)
        return await asyncio.wait_for(self.task, 10)


async def start_vote(
    h: MatchHarness, match: Match, segment: int = 1, writers: tuple[str, ...] = WRITERS
) -> VoteRun:
    desk = votes_of(h.bot)
    task = asyncio.create_task(desk.run_vote(match.id, segment, candidates(writers)))
    run = VoteRun(h, match, task)
    await run.ballot_ready(len(writers))
    return run
