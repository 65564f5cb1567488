"""Rolling-rewrite voting in Discord: the picker port behind RewriteTools.pick_for.

After a segment, the candidates are posted in the match's thread (one embed each, writer
named) and the bot adds number reactions 1..N to the ballot (the last of those messages).
While the window (``discord.vote_window_s``) is open a member's vote is their latest number
reaction; removing it withdraws it; the bot's own reactions, other bots' and late ones never
count. Ballots live in ``rewrite_ballots`` so a vote interrupted by a restart is still
tallied. Ties: the promoter's pick (the federation owner's own number reaction) -> the
higher-rated writer (per-server Elo) -> the lowest number. The promoter may close early or
override. The winner is posted and pinned as canon; the segment's candidates with their
votes and canon go to ``rewrite_candidates`` so writer Elo follows.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Sequence
from datetime import timedelta

import discord

from bot.app import App, running_app
from bot.discord.ballot import ballot_chunks, candidate_embeds
from bot.discord.embeds import new_embed, safe
from bot.discord.vote_tally import NUMBER_EMOJIS, Decision, count, decide, number_of
from bot.services.actor import Actor
from bot.services.leaderboards import START_RATING, elo_table
from engine.errors import InvalidInput, InvalidState, NotFound
from engine.llm.rewrite import Candidate
from engine.models import DomainEvent, Match
from engine.runner.rewrites import Pick, RewriteTools, SegmentOutcome, stand_in_pick
from storage.llm_calls import RewriteRepo
from storage.rewrite_rows import candidate_row, segment_rows
from storage.votes import VoteRecord, VoteRepo
from storage.writer_ratings import WriterResultsRepo

log = logging.getLogger(__name__)

_ATTRIBUTE = "llmfed_votes"
POLL_S = 0.5


class VoteDesk:
    """One per open App. ``client`` posts and pins; everything else goes through the App."""

    def __init__(self, client: discord.Client, app: App) -> None:
        self.client = client
        self.app = app
        self.votes = VoteRepo(app.db)
        self._rewrites = RewriteRepo(app.db)
        self._writers = WriterResultsRepo(app.db)
        self._closed: dict[int, asyncio.Event] = {}
        self._waiters: set[asyncio.Task[Decision | None]] = set()

    @property
    def window_s(self) -> float:
        return self.app.settings.discord.vote_window_s

    # --- wiring ----------------------------------------------------------------------------

    def install(self, tools: RewriteTools) -> RewriteTools:
        """The app's rewrite tools with Discord votes as the picker and an idempotent save."""
        inner = tools.save_segment

        async def save(outcome: SegmentOutcome) -> None:
            if await self._segment_saved(outcome.match_id, outcome.segment):
                return
            if inner is not None:
                await inner(outcome)
            else:
                await self.save_outcome(outcome)

        return dataclasses.replace(tools, pick_for=self.picker_for, save_segment=save)

    def picker_for(self, match: Match, segment: int) -> Pick:
        async def pick(candidates: Sequence[Candidate], seed: int) -> tuple[Candidate, list[int]]:
            decision = await self.run_vote(match.id, segment, candidates)
            if decision is None:  # nowhere to post: the stand-in crowd decides
                return await stand_in_pick(candidates, seed)
            counts = list(decision.counts)
            counts += [0] * (len(candidates) - len(counts))  # past the 10 numbers: unvoted
            return candidates[decision.winner - 1], counts

        return pick

    # --- a vote's life ---------------------------------------------------------------------

    async def channel_for(self, match: Match) -> int | None:
        """The match's thread, else its channel, the show's channel, the federation's."""
        if match.thread_id or match.channel_id:
            return match.thread_id or match.channel_id
        if match.show_id is not None:
            show = await self.app.repos.shows.get(match.show_id)
            if show.channel_id is not None:
                return show.channel_id
        federation = await self.app.repos.federations.get(match.federation_id)
        return federation.announce_channel_id

    async def run_vote(
        self, match_id: int, segment: int, candidates: Sequence[Candidate]
    ) -> Decision | None:
        """Posts the vote, waits for its window (or an early close) and returns the result.
        None when the match has no channel to vote in."""
        match = await self.app.repos.matches.get(match_id)
        channel_id = await self.channel_for(match)
        if channel_id is None or not candidates:
            return None
        candidates = list(candidates)[: len(NUMBER_EMOJIS)]
        now = self.app.clock.now()
        vote, created = await self.votes.open(
            match_id, segment, channel_id, candidates, now, now + timedelta(seconds=self.window_s)
        )
        if not vote.is_open:
            return await self.decision_of(vote)
        if created or vote.message_id is None:
            vote = await self._post_ballot(vote)
        await self.wait(vote)
        return await self.close(vote.id)

    async def _post_ballot(self, vote: VoteRecord) -> VoteRecord:
        channel = self.client.get_partial_messageable(vote.channel_id)
        numbers = len(vote.candidates)
        closes = int(vote.closes_at.timestamp())
        header = (
            f"**Rewrite vote: segment {vote.segment} of match #{vote.match_id}.** React with "
            f"{NUMBER_EMOJIS[0]}-{NUMBER_EMOJIS[numbers - 1]} below: your latest number is "
            f"your vote, removing it withdraws it. Voting closes <t:{closes}:R>."
        )
        message: discord.Message | None = None
        for index, chunk in enumerate(ballot_chunks(candidate_embeds(vote.candidates))):
            message = await channel.send(
                header if index == 0 else None,
                embeds=chunk,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        assert message is not None
        await self.votes.set_message(vote.id, message.id)
        for emoji in NUMBER_EMOJIS[:numbers]:
            await message.add_reaction(emoji)
        found = await self.votes.get(vote.id)
        assert found is not None
        return found

    async def wait(self, vote: VoteRecord) -> None:
        """Until the window ends (by the app clock) or someone closes the vote."""
        closed = self._closed.setdefault(vote.id, asyncio.Event())
        while not closed.is_set():
            remaining = (vote.closes_at - self.app.clock.now()).total_seconds()
            if remaining <= 0:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(closed.wait(), min(remaining, POLL_S))

    async def on_reaction(self, payload: discord.RawReactionActionEvent) -> bool:
        """A number reaction added or removed on a ballot. True if it changed a vote."""
        me = self.client.user
        if payload.user_id == (me.id if me is not None else None):
            return False
        if payload.member is not None and payload.member.bot:
            return False
        vote = await self.votes.by_message(payload.message_id)
        if vote is None or not vote.is_open:
            return False
        now = self.app.clock.now()
        if now > vote.closes_at:
            return False
        number = number_of(str(payload.emoji), len(vote.candidates))
        if number is None:
            return False
        added = payload.event_type == "REACTION_ADD"
        choice: int | None = number
        if not added:
            if await self.votes.choice_of(vote.id, payload.user_id) != number:
                return False  # an older reaction: the latest one still stands
            choice = None
        if not await self.votes.cast(vote.id, payload.user_id, choice, now):
            return False
        match = await self.app.repos.matches.get(vote.match_id)
        federation = await self.app.repos.federations.get(match.federation_id)
        if payload.user_id == federation.owner_user_id:
            await self.votes.set_promoter_pick(vote.id, choice)
        await self.app.repos.events.append(
            DomainEvent(
                kind="vote.cast" if choice is not None else "vote.withdrawn",
                federation_id=match.federation_id,
                match_id=match.id,
                actor_user_id=payload.user_id,
                at=now,
                payload={"segment": vote.segment, "choice": choice},
            )
        )
        return True

    async def close(self, vote_id: int, override: int | None = None) -> Decision:
        """Tallies and closes the vote (once), records it, and posts and pins the canon."""
        vote = await self.votes.get(vote_id)
        if vote is None:
            raise NotFound("That vote no longer exists.")
        if not vote.is_open:
            return await self.decision_of(vote)
        counts = count(await self.votes.ballots(vote.id), len(vote.candidates))
        decision = decide(
            counts,
            await self.ratings(vote),
            promoter_pick=vote.promoter_pick,
            override=override,
        )
        now = self.app.clock.now()
        if not await self.votes.close(vote.id, decision.winner, decision.decided_by, now):
            found = await self.votes.get(vote.id)
            assert found is not None
            return await self.decision_of(found)
        self._closed.setdefault(vote.id, asyncio.Event()).set()
        match = await self.app.repos.matches.get(vote.match_id)
        winner = vote.candidates[decision.winner - 1]
        await self.app.repos.events.append(
            DomainEvent(
                kind="vote.closed",
                federation_id=match.federation_id,
                match_id=match.id,
                at=now,
                payload={
                    "segment": vote.segment,
                    "winner": decision.winner,
                    "writer": winner.writer,
                    "counts": list(decision.counts),
                    "decided_by": decision.decided_by,
                },
            )
        )
        await self._announce_canon(vote, decision)
        return decision

    async def decision_of(self, vote: VoteRecord) -> Decision:
        counts = count(await self.votes.ballots(vote.id), len(vote.candidates))
        if vote.winner is None:
            raise InvalidState("That vote is still open.")
        return Decision(winner=vote.winner, counts=counts, decided_by=vote.decided_by or "")

    async def ratings(self, vote: VoteRecord) -> list[float]:
        """Each candidate's writer rating on this server (1500 for a newcomer)."""
        match = await self.app.repos.matches.get(vote.match_id)
        federation = await self.app.repos.federations.get(match.federation_id)
        table = {
            row.writer: row.rating
            for row in elo_table(await self._writers.segment_votes(federation.guild_id))
        }
        return [table.get(c.writer, START_RATING) for c in vote.candidates]

    async def _announce_canon(self, vote: VoteRecord, decision: Decision) -> None:
        winner = vote.candidates[decision.winner - 1]
        votes = decision.counts[decision.winner - 1]
        embed = new_embed(
            f"Canon: segment {vote.segment}, by {winner.writer}", safe(winner.text, 4000)
        )
        embed.set_footer(
            text=f"#{decision.winner} with {votes} vote{'s' if votes != 1 else ''} "
            f"({decision.decided_by})"
        )
        channel = self.client.get_partial_messageable(vote.channel_id)
        try:
            message = await channel.send(
                embed=embed, allowed_mentions=discord.AllowedMentions.none()
            )
            await message.pin(reason="rolling-rewrite canon")
        except discord.HTTPException as exc:
            log.warning("could not post or pin the canon of match %s: %s", vote.match_id, exc)

    # --- the promoter ----------------------------------------------------------------------

    async def promoter_close(
        self, actor: Actor, match_id: int, override: int | None = None
    ) -> tuple[VoteRecord, Decision]:
        """Closes the match's oldest open vote now, with ``override`` as the winner if given."""
        try:
            match = await self.app.repos.matches.get(match_id)
            federation = await self.app.repos.federations.get_in_guild(
                actor.guild_id, match.federation_id
            )
        except NotFound:
            raise NotFound("That match is not in this server.") from None
        actor.require_promoter(federation)
        open_votes = await self.votes.open_votes(match_id)
        if not open_votes:
            raise InvalidState(f"Match #{match_id} has no rewrite vote open right now.")
        vote = open_votes[0]
        if override is not None and not 1 <= override <= len(vote.candidates):
            raise InvalidInput(f"Pick a candidate from 1 to {len(vote.candidates)}.")
        return vote, await self.close(vote.id, override)

    # --- restarts and records --------------------------------------------------------------

    async def resume(self) -> int:
        """At start-up: overdue votes are tallied now, open ones close when their window
        ends. Returns how many votes were resumed."""
        pending = await self.votes.open_votes()
        for vote in pending:
            task = asyncio.get_running_loop().create_task(
                self._finish_later(vote), name=f"llmfed-vote-{vote.id}"
            )
            self._waiters.add(task)
            task.add_done_callback(self._waiters.discard)
        return len(pending)

    async def _finish_later(self, vote: VoteRecord) -> Decision | None:
        await self.wait(vote)
        try:
            decision = await self.close(vote.id)
            if not await self._segment_saved(vote.match_id, vote.segment):
                await self._save_closed(vote, decision)
        except Exception:  # a lost tally must not take the bot down; it is logged
            log.exception("could not close vote %s after a restart", vote.id)
            return None
        return decision

    async def stop(self) -> None:
        for task in list(self._waiters):
            task.cancel()
        if self._waiters:
            await asyncio.wait(list(self._waiters), timeout=5)

    async def _segment_saved(self, match_id: int, segment: int) -> bool:
        return bool(
            await self.app.db.fetchvalue(
                "SELECT 1 FROM rewrite_candidates WHERE match_id = ? AND segment = ? LIMIT 1",
                (match_id, segment),
            )
        )

    async def save_outcome(self, outcome: SegmentOutcome) -> None:
        """The segment's candidates (votes, canon) and dropped tellings (with why)."""
        await self._rewrites.save_segment(segment_rows(outcome))

    async def _save_closed(self, vote: VoteRecord, decision: Decision) -> None:
        size = self.app.settings.engine.rewrite_segment_ticks
        first, last = (vote.segment - 1) * size + 1, vote.segment * size
        winner = decision.winner
        counted = enumerate(zip(vote.candidates, decision.counts, strict=True), 1)
        await self._rewrites.save_segment(
            [
                candidate_row(vote.match_id, vote.segment, first, last, c, n_votes, n == winner)
                for n, (c, n_votes) in counted
            ]
        )


def votes_of(client: discord.Client) -> VoteDesk:
    """The bot's VoteDesk for its current app, made on first use."""
    app = running_app(client)
    desk = getattr(client, _ATTRIBUTE, None)
    if not isinstance(desk, VoteDesk) or desk.app is not app:
        desk = VoteDesk(client, app)
        setattr(client, _ATTRIBUTE, desk)
    return desk
