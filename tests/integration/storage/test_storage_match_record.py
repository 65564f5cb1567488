"""MatchRepo: booking, the per-tick record and resume, finishing, and federation cascades."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

import storage.database
from engine.errors import Conflict, InvalidInput, InvalidState, NotFound, StorageError
from engine.models import (
    DomainEvent,
    HintScope,
    MatchSetup,
    MatchStatus,
    SegmentKind,
    Stipulation,
    TitleReign,
)
from engine.rules.step import initial_state
from storage import Database, MatchRepo
from storage.batch import run_batch
from tests.integration.storage.tick_support import Roster, play, start_match

NOW = datetime(2025, 3, 1, 20, 0, tzinfo=UTC)


async def test_booking_validates_and_round_trips(repos, roster: Roster) -> None:
    fed, ace, bo = roster
    title = await repos.titles.create(fed.id, "World Title", NOW)
    show = await repos.shows.create(fed.id, "Monday Mayhem", NOW)
    match = await repos.matches.create(
        fed.id,
        (ace.id, bo.id),
        seed=2**62,
        now=NOW,
        stipulation=Stipulation.NO_DQ,
        booked_winner_id=bo.id,
        championship_id=title.id,
        show_id=show.id,
        max_ticks=30,
    )
    assert await repos.matches.get(match.id) == match
    assert match.status is MatchStatus.BOOKED
    assert await repos.matches.list(fed.id, MatchStatus.BOOKED) == [match]
    assert await repos.matches.live() == []
    with pytest.raises(InvalidInput):
        await repos.matches.create(fed.id, (ace.id, ace.id), seed=1, now=NOW)
    with pytest.raises(InvalidInput):
        await repos.matches.create(fed.id, (ace.id, bo.id), seed=1, now=NOW, booked_winner_id=9999)
    away = await repos.federations.create(2, "Away Federation", 1, NOW)
    stranger = await repos.wrestlers.create(away.id, "Stranger Danger", NOW)
    with pytest.raises(NotFound, match="in this federation"):
        await repos.matches.create(fed.id, (ace.id, stranger.id), seed=1, now=NOW)
    with pytest.raises(NotFound):
        await repos.matches.get(9999)
    updated = await repos.matches.update(match.model_copy(update={"thread_id": 77}))
    assert updated.thread_id == 77
    with pytest.raises(InvalidState, match="started"):
        await repos.matches.update(match.model_copy(update={"status": MatchStatus.LIVE}))


async def test_start_freezes_the_setup_and_refuses_twice(repos, roster: Roster) -> None:
    match, state = await start_match(repos, roster)
    assert match.status is MatchStatus.LIVE
    assert await repos.matches.setup(match.id) == state.setup
    assert await repos.matches.live() == [match]
    assert await repos.matches.load_progress(match.id) is None  # no tick yet
    with pytest.raises(InvalidState):
        await repos.matches.start(match.id, state.setup)
    fed, ace, bo = roster
    other = await repos.matches.create(fed.id, (ace.id, bo.id), seed=5, now=NOW)
    with pytest.raises(InvalidInput):
        await repos.matches.start(other.id, state.setup)  # another match's setup


async def test_ten_ticks_survive_a_reopen_and_resume_exactly(
    repos, roster: Roster, db_path
) -> None:
    match, state = await start_match(repos, roster)
    played = play(match, state, 10)
    assert len(played) == 10
    for tick, after, requests, events in played:
        await repos.matches.record_tick(match, tick, after, requests, events)
    await repos.db.close()

    reopened = await Database.open(db_path, create=False)
    try:
        matches = MatchRepo(reopened)
        loaded = await matches.load_progress(match.id)
        assert loaded is not None
        state_back, recent = loaded
        assert state_back == played[-1][1]
        assert recent == [t.narration for t, _, _, _ in played[-5:]]
        assert await matches.ticks(match.id) == [t for t, _, _, _ in played]
        assert await matches.ticks(match.id, offset=8, limit=5) == [t for t, *_ in played[8:]]
        assert await matches.requests(match.id) == [r for _, _, rs, _ in played for r in rs]
        # the resumed state plays on exactly as an uninterrupted match would
        assert play(match, state_back, 5) == play(match, played[-1][1], 5)
    finally:
        await reopened.close()


async def test_a_tick_is_never_duplicated_or_skipped(repos, roster: Roster) -> None:
    match, state = await start_match(repos, roster)
    played = play(match, state, 3)
    first, second, third = played
    await repos.matches.record_tick(match, *first)
    with pytest.raises(Conflict, match="already has tick 1"):
        await repos.matches.record_tick(match, *first)
    with pytest.raises(InvalidState, match="skips ahead"):
        await repos.matches.record_tick(match, *third)
    await repos.matches.record_tick(match, *second)
    assert [t.time_index for t in await repos.matches.ticks(match.id)] == [1, 2]
    assert len(await repos.events.list(match_id=match.id)) == 2  # refused ticks left no events
    with pytest.raises(InvalidInput):  # tick and state from different times
        await repos.matches.record_tick(match, first[0], third[1], [], [])


async def test_concurrent_ticks_commit_together_but_fail_alone(
    repos, roster: Roster, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch_sizes: list[int] = []

    def spying_run_batch(works, path, conn):  # type: ignore[no-untyped-def]
        batch_sizes.append(len(works))
        return run_batch(works, path, conn)

    monkeypatch.setattr(storage.database, "run_batch", spying_run_batch)
    runs = [await start_match(repos, roster, seed=s) for s in (1, 2, 3)]
    plans = [play(m, s, 2) for m, s in runs]
    (m1, _), (m2, _), (m3, _) = runs
    results = await asyncio.gather(
        repos.matches.record_tick(m1, *plans[0][0]),
        repos.matches.record_tick(m2, *plans[1][1]),  # skips tick 1: refused
        repos.matches.record_tick(m3, *plans[2][0]),
        repos.matches.record_tick(m3, *plans[2][0]),  # duplicate: refused
        return_exceptions=True,
    )
    assert results[0] is None and results[2] is None
    assert isinstance(results[1], InvalidState) and isinstance(results[3], Conflict)
    assert await repos.matches.tick_count(m1.id) == 1
    assert await repos.matches.tick_count(m2.id) == 0
    assert await repos.matches.tick_count(m3.id) == 1
    assert len(await repos.events.list(kind="match.tick")) == 2
    assert max(batch_sizes) > 1  # some of them really shared one transaction


async def test_a_failed_tick_leaves_nothing_behind(repos, roster: Roster) -> None:
    match, state = await start_match(repos, roster)
    ((tick, after, requests, _),) = play(match, state, 1)
    bad_event = DomainEvent(kind="match.tick", federation_id=9999, match_id=match.id)
    with pytest.raises(StorageError, match="FOREIGN KEY"):
        await repos.matches.record_tick(match, tick, after, requests, [bad_event])
    assert await repos.matches.load_progress(match.id) is None
    assert await repos.matches.requests(match.id) == []
    await repos.matches.record_tick(match, tick, after, requests, [])  # tick 1 is still next


async def test_finish_records_result_rating_and_events_once(repos, roster: Roster) -> None:
    match, state = await start_match(repos, roster)
    played = play(match, state, 60)
    final = played[-1][1]
    assert final.finished
    with pytest.raises(InvalidState, match="has no result"):
        await repos.matches.finish(match, played[0][1], 3.0, [])
    for entry in played[:-1]:
        await repos.matches.record_tick(match, *entry)
    with pytest.raises(InvalidState, match="ticks up to"):
        await repos.matches.finish(match, final, 3.5, [])
    await repos.matches.record_tick(match, *played[-1])
    done_event = DomainEvent(kind="match.finished", match_id=match.id, at=NOW)
    finished = await repos.matches.finish(match, final, 3.75, [done_event])
    assert finished.status is MatchStatus.FINISHED
    assert finished.result == final.result and finished.rating == 3.75
    assert await repos.matches.get(match.id) == finished
    with pytest.raises(InvalidState, match="finished"):
        await repos.matches.finish(match, final, 3.75, [])
    with pytest.raises(InvalidState):
        await repos.matches.record_tick(match, *played[-1])
    assert await repos.events.list(kind="match.finished") == [done_event]


async def test_narration_and_posting_pointer(repos, roster: Roster) -> None:
    match, state = await start_match(repos, roster)
    played = play(match, state, 3)
    for entry in played:
        await repos.matches.record_tick(match, *entry)
    await repos.matches.set_narration(match.id, 2, "A rewritten call.")
    assert (await repos.matches.ticks(match.id))[1].narration == "A rewritten call."
    with pytest.raises(NotFound):
        await repos.matches.set_narration(match.id, 9, "Nope.")
    await repos.matches.mark_posted(match.id, 2)
    await repos.matches.mark_posted(match.id, 1)  # never moves backwards
    await repos.matches.mark_posted(match.id, 7)  # nor past what is recorded
    assert await repos.matches.posted_tick(match.id) == 2


async def _row_counts(db: Database) -> dict[str, int]:
    tables = [
        row[0]
        for row in await db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'schema_migrations' ORDER BY name"
        )
    ]
    return {t: int(await db.fetchvalue(f'SELECT count(*) FROM "{t}"')) for t in tables}


async def _fill(repos, guild: int, name: str) -> None:
    """A federation with something in every table storage owns."""
    fed = await repos.federations.create(guild, name, 1, NOW)
    ace = await repos.wrestlers.create(fed.id, "Ace Alpha", NOW)
    bo = await repos.wrestlers.create(fed.id, "Bo Bravo", NOW)
    title = await repos.titles.create(fed.id, "World Title", NOW)
    show = await repos.shows.create(fed.id, "Weekly Show", NOW)
    match = await repos.matches.create(
        fed.id, (ace.id, bo.id), seed=3, now=NOW, championship_id=title.id, show_id=show.id
    )
    await repos.titles.save(
        title.model_copy(
            update={
                "lineage": (TitleReign(holder_ids=(ace.id,), won_at=NOW, won_in_match_id=match.id),)
            }
        )
    )
    setup = MatchSetup(match_id=match.id, seed=3, sheets=(ace, bo))
    match = await repos.matches.start(match.id, setup)
    for entry in play(match, initial_state(setup), 3):
        await repos.matches.record_tick(match, *entry)
    promo = await repos.shows.create_promo(fed.id, (ace.id, bo.id), rounds=2, seed=1, now=NOW)
    await repos.shows.add_segment(show.id, SegmentKind.MATCH, match_id=match.id)
    await repos.shows.add_segment(show.id, SegmentKind.PROMO, promo_id=promo.id)
    await repos.hints.create(
        fed.id, HintScope.WRESTLER, ace.id, "Be bold.", 1, NOW, expires_at=NOW + timedelta(days=1)
    )
    await repos.feuds.add_heat(ace.id, bo.id, 10.0)
    await repos.events.append(DomainEvent(kind="federation.created", federation_id=fed.id))


async def test_forced_federation_delete_leaves_no_orphan_rows(repos) -> None:
    await _fill(repos, 1, "Survivor Federation")
    survivor_only = await _row_counts(repos.db)
    await _fill(repos, 1, "Doomed Federation")
    doomed = await repos.federations.by_name(1, "doomed federation")
    both = await _row_counts(repos.db)
    owned = {
        "federations",
        "wrestlers",
        "championships",
        "title_reigns",
        "title_reign_holders",
        "shows",
        "segments",
        "matches",
        "match_participants",
        "match_ticks",
        "engine_requests",
        "promos",
        "promo_participants",
        "hints",
        "feuds",
        "events",
    }
    assert all(both[t] > survivor_only[t] > 0 for t in owned)
    with pytest.raises(Conflict, match="use force"):
        await repos.federations.delete(doomed.id)
    assert await _row_counts(repos.db) == both
    await repos.federations.delete(doomed.id, force=True)
    assert await _row_counts(repos.db) == survivor_only
    violations = await repos.db.fetchall("PRAGMA foreign_key_check")
    assert violations == []
