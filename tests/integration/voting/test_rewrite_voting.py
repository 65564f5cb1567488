"""Rolling-rewrite votes through the real bot: number reactions from FakeDiscord members."""

from __future__ import annotations

import asyncio

from bot.discord.vote_tally import NUMBER, OVERRIDE, PROMOTER, RATING, VOTES
from engine.models import Match
from storage.llm_calls import RewriteCandidateRow, RewriteRepo
from tests.fakes.discord.payloads_interactions import InteractionBuilder, Option, option
from tests.integration.discord_commands_core.core_support import EPHEMERAL
from tests.integration.discord_commands_match.match_support import League, MatchHarness
from tests.integration.voting.voting_support import booked_in_general, start_vote


def _members(h: MatchHarness, count: int) -> list[int]:
    return [h.fake.ids.next() for _ in range(count)]


async def test_ballot_shows_each_candidate_with_its_writer_and_bot_numbers(
    h: MatchHarness, league: League
) -> None:
    match = await booked_in_general(h, league)
    run = await start_vote(h, match)
    assert run.vote is not None and run.vote.message_id is not None
    ballot = h.fake.message(run.vote.message_id)
    titles = [e["title"] for e in ballot["embeds"]]
    assert len(titles) == 3
    assert "ringside-veteran" in titles[0] and "hype-poet" in titles[1]
    bot_id = str(h.fake.bot_user["id"])
    assert all(users == [bot_id] for users in h.fake.reactions(run.vote.message_id).values())
    assert await run.ballots() == {}  # the bot's own numbers are not votes
    await run.end_window()


async def test_latest_reaction_is_the_vote_and_removing_it_withdraws(
    h: MatchHarness, league: League
) -> None:
    match = await booked_in_general(h, league)
    run = await start_vote(h, match)
    changer, withdrawer, keeper, doubler = _members(h, 4)
    await run.react_counted(changer, 1)
    await run.react_counted(changer, 2)  # changed vote: 2 now
    await run.react_counted(withdrawer, 3)
    await run.react_counted(withdrawer, 3, add=False)  # withdrawn
    await run.react_counted(keeper, 3)
    await run.react_counted(keeper, 1)
    await run.react(keeper, 3, add=False)  # removing an older reaction keeps the latest
    await run.react_counted(doubler, 2)
    await run.react_counted(doubler, 2)  # a double vote is still one vote
    await asyncio.sleep(0.2)
    assert await run.ballots() == {changer: 2, keeper: 1, doubler: 2}
    decision = await run.end_window()
    assert decision is not None
    assert decision.counts == (1, 2, 0)
    assert (decision.winner, decision.decided_by) == (2, VOTES)


async def test_bot_reactions_and_late_reactions_never_count(
    h: MatchHarness, league: League
) -> None:
    match = await booked_in_general(h, league)
    run = await start_vote(h, match)
    early, late_a, late_b = _members(h, 3)
    await run.react_counted(early, 1)
    await run.react(h.fake.bot_user["id"], 2)
    run.clock.advance(h.app.settings.discord.vote_window_s + 1)  # the window is over
    await run.react(late_a, 2)
    await run.react(late_b, 2)
    await asyncio.sleep(0.3)
    assert await run.ballots() == {early: 1}
    decision = await asyncio.wait_for(run.task, 10)
    assert decision is not None and decision.counts == (1, 0, 0) and decision.winner == 1
    vote = await run.desk.votes.get(run.vote.id)  # type: ignore[union-attr]
    assert vote is not None and not vote.is_open


async def test_tie_goes_to_the_promoters_pick(h: MatchHarness, league: League) -> None:
    match = await booked_in_general(h, league)
    run = await start_vote(h, match)
    promoter = int(h.fake.guild.player["id"])  # owns the federation
    (member,) = _members(h, 1)
    await run.react_counted(member, 1)
    await run.react_counted(promoter, 3)
    decision = await run.end_window()
    assert decision is not None and decision.counts == (1, 0, 1)
    assert (decision.winner, decision.decided_by) == (3, PROMOTER)


async def _history(h: MatchHarness, match: Match, winner: str, loser: str, times: int) -> None:
    repo = RewriteRepo(h.app.db)
    for segment in range(1, times + 1):
        await repo.save_segment(
            [
                RewriteCandidateRow(
                    match_id=match.id,
                    segment=100 + segment,
                    first_tick=1,
                    last_tick=2,
                    writer=name,
                    model="offline",
                    text="t",
                    votes=int(name == winner),
                    canon=name == winner,
                )
                for name in (winner, loser)
            ]
        )


async def test_tie_without_promoter_goes_to_the_higher_rated_writer(
    h: MatchHarness, league: League
) -> None:
    match = await booked_in_general(h, league)
    await _history(h, match, winner="hype-poet", loser="ringside-veteran", times=3)
    run = await start_vote(h, match)
    first, second = _members(h, 2)
    await run.react_counted(first, 1)  # ringside-veteran
    await run.react_counted(second, 2)  # hype-poet, rated higher
    decision = await run.end_window()
    assert decision is not None and (decision.winner, decision.decided_by) == (2, RATING)


async def test_tie_between_equal_writers_goes_to_the_lowest_number(
    h: MatchHarness, league: League
) -> None:
    match = await booked_in_general(h, league)
    run = await start_vote(h, match)
    first, second = _members(h, 2)
    await run.react_counted(first, 3)
    await run.react_counted(second, 2)
    decision = await run.end_window()
    assert decision is not None and (decision.winner, decision.decided_by) == (2, NUMBER)


async def test_winner_is_pinned_as_canon(h: MatchHarness, league: League) -> None:
    match = await booked_in_general(h, league)
    run = await start_vote(h, match)
    (member,) = _members(h, 1)
    await run.react_counted(member, 2)
    await run.end_window()
    general = h.fake.guild.channel_ids["general"]
    pinned = [m for m in h.fake.channel_messages(general) if m.get("pinned")]
    assert len(pinned) == 1
    assert "hype-poet" in pinned[0]["embeds"][0]["title"]
    assert "hype-poet tells it" in pinned[0]["embeds"][0]["description"]


async def _slash(h: MatchHarness, builder: InteractionBuilder, sub: str, *opts: Option) -> dict:
    payload = h.slash(builder, "match", sub, *opts)
    await h.fake.dispatch("INTERACTION_CREATE", payload)
    call = await h.fake.wait_for_request(
        "POST", rf"/interactions/{payload['id']}/[^/]+/callback", timeout=10
    )
    return dict(call.json)


async def test_promoter_overrides_the_crowd_and_others_cannot(
    h: MatchHarness, league: League
) -> None:
    match = await booked_in_general(h, league)
    run = await start_vote(h, match)
    a, b = _members(h, 2)
    await run.react_counted(a, 1)
    await run.react_counted(b, 1)
    refused = await _slash(
        h,
        h.stranger(),
        "vote-override",
        option("match", str(match.id)),
        option("candidate", 3),
    )
    assert refused["data"]["flags"] & EPHEMERAL and "Only the owner" in refused["data"]["content"]
    assert not run.task.done()
    answer = await _slash(
        h, h.player, "vote-override", option("match", str(match.id)), option("candidate", 3)
    )
    assert answer["data"]["flags"] & EPHEMERAL, answer
    decision = await asyncio.wait_for(run.task, 10)  # closed early: no clock advance needed
    assert decision is not None and decision.counts == (2, 0, 0)
    assert (decision.winner, decision.decided_by) == (3, OVERRIDE)


async def test_promoter_closes_a_vote_early(h: MatchHarness, league: League) -> None:
    match = await booked_in_general(h, league)
    run = await start_vote(h, match)
    (member,) = _members(h, 1)
    await run.react_counted(member, 2)
    answer = await _slash(h, h.player, "vote-close", option("match", str(match.id)))
    assert "closed" in answer["data"]["content"], answer
    decision = await asyncio.wait_for(run.task, 10)
    assert decision is not None and decision.winner == 2
    late = _members(h, 1)[0]
    await run.react(late, 1)  # after an early close nothing counts
    await asyncio.sleep(0.2)
    assert await run.ballots() == {member: 2}
    again = await _slash(h, h.player, "vote-close", option("match", str(match.id)))
    assert again["data"]["flags"] & EPHEMERAL and "no rewrite vote open" in again["data"]["content"]
