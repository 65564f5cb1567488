"""ShowScheduler over a real AsyncIOScheduler: jobs, rebuilds, catch-up, reminders, events."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import ManualClock
from bot.scheduling.shows import LIVE_TICKS_JOB, ShowScheduler, late_job_id
from bot.settings import SchedulerSettings
from engine.models import ShowStatus
from storage.database import Database
from storage.live import Outcome, ShowOccurrenceRepo
from storage.shows import ShowRepo
from tests.integration.scheduling.scheduling_support import RecordingCallbacks, weekly_show

# Monday 8 Jun 2026, 20:00 in Berlin (CEST).
BERLIN_DUE = datetime(2026, 6, 8, 18, 0, tzinfo=UTC)
SETTINGS = SchedulerSettings(misfire_grace_s=3600, reminder_before_s=3600, live_tick_check_s=2)


def _scheduler(
    sched: AsyncIOScheduler,
    db: Database,
    callbacks: RecordingCallbacks,
    clock: ManualClock,
    settings: SchedulerSettings = SETTINGS,
) -> ShowScheduler:
    return ShowScheduler(sched, db, callbacks, settings, clock)


async def test_rebuild_holds_one_job_per_id_with_local_fire_times(
    db: Database, federation_id: int, scheduler: AsyncIOScheduler
) -> None:
    berlin = await weekly_show(db, federation_id, "Monday Mayhem", 0, time(20), "Europe/Berlin")
    ny = await weekly_show(db, federation_id, "Friday Frenzy", 4, time(20), "America/New_York")
    shows = _scheduler(scheduler, db, RecordingCallbacks(), ManualClock(BERLIN_DUE))
    for _ in range(3):
        shows.rebuild(await ShowRepo(db).scheduled())

    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert sorted(jobs) == sorted(
        [
            f"show:{berlin.id}",
            f"reminder:{berlin.id}",
            f"show:{ny.id}",
            f"reminder:{ny.id}",
            LIVE_TICKS_JOB,
        ]
    )
    for show, zone, weekday in ((berlin, "Europe/Berlin", 0), (ny, "America/New_York", 4)):
        job, reminder = jobs[f"show:{show.id}"], jobs[f"reminder:{show.id}"]
        assert isinstance(job.trigger, CronTrigger)
        local = job.next_run_time.astimezone(ZoneInfo(zone))
        assert (local.weekday(), local.time()) == (weekday, time(20, 0))
        assert str(job.trigger.timezone) == zone
        assert job.coalesce and job.max_instances == 1
        assert job.misfire_grace_time == SETTINGS.misfire_grace_s
        assert job.args == (show.id,)
        # Away from a DST switch the reminder is exactly reminder_before_s ahead.
        assert job.next_run_time - reminder.next_run_time == timedelta(hours=1)
    ticks = jobs[LIVE_TICKS_JOB]
    assert isinstance(ticks.trigger, IntervalTrigger)
    assert ticks.trigger.interval == timedelta(seconds=2)


async def test_rebuild_drops_jobs_of_cancelled_shows(
    db: Database, federation_id: int, scheduler: AsyncIOScheduler
) -> None:
    keep = await weekly_show(db, federation_id, "Keeper Show", 2, time(19), "UTC")
    gone = await weekly_show(db, federation_id, "Gone Show", 3, time(19), "UTC")
    shows = _scheduler(scheduler, db, RecordingCallbacks(), ManualClock(BERLIN_DUE))
    shows.rebuild(await ShowRepo(db).scheduled())
    await ShowRepo(db).update(gone.model_copy(update={"status": ShowStatus.CANCELLED}))
    shows.rebuild(await ShowRepo(db).scheduled())
    assert {job.id for job in scheduler.get_jobs()} == {
        f"show:{keep.id}",
        f"reminder:{keep.id}",
        LIVE_TICKS_JOB,
    }


async def test_restart_rebuilds_the_same_jobs_without_duplicates(
    db: Database, federation_id: int
) -> None:
    await weekly_show(db, federation_id, "Monday Mayhem", 0, time(20), "Europe/Berlin")
    seen: list[list[tuple[str, datetime]]] = []
    for _ in range(2):  # two process lifetimes, each with its own scheduler
        sched = AsyncIOScheduler(timezone="UTC")
        sched.start(paused=True)
        try:
            clock = ManualClock(BERLIN_DUE - timedelta(days=2))
            await _scheduler(sched, db, RecordingCallbacks(), clock).start()
            await _scheduler(sched, db, RecordingCallbacks(), clock).start()
            seen.append(
                sorted(
                    (j.id, j.next_run_time if j.id != LIVE_TICKS_JOB else None)
                    for j in sched.get_jobs()
                )
            )
        finally:
            sched.shutdown(wait=False)
    assert seen[0] == seen[1]
    assert len(seen[0]) == 3


async def test_a_show_missed_within_grace_runs_at_start_up_once(
    db: Database, federation_id: int, scheduler: AsyncIOScheduler
) -> None:
    show = await weekly_show(db, federation_id, "Monday Mayhem", 0, time(20), "Europe/Berlin")
    callbacks = RecordingCallbacks()
    clock = ManualClock(BERLIN_DUE + timedelta(minutes=50))
    shows = _scheduler(scheduler, db, callbacks, clock)

    assert await shows.catch_up(clock.now()) == {show.id: Outcome.RAN}
    job = scheduler.get_job(late_job_id(show.id))
    assert job is not None and job.args == (show.id, BERLIN_DUE)
    scheduler.resume()  # let APScheduler itself fire the start-up run
    for _ in range(200):
        if callbacks.runs:
            break
        await asyncio.sleep(0.01)
    assert callbacks.runs == [(show.id, BERLIN_DUE)]

    # A second start-up (or the weekly job firing late) does not run it again.
    assert await shows.catch_up(clock.now()) == {}
    assert await shows.run_due(show.id) is False
    assert callbacks.runs == [(show.id, BERLIN_DUE)]
    assert callbacks.announcements == []


async def test_a_show_missed_beyond_grace_is_marked_missed_and_announced_once(
    db: Database, federation_id: int, scheduler: AsyncIOScheduler
) -> None:
    show = await weekly_show(db, federation_id, "Monday Mayhem", 0, time(20), "Europe/Berlin")
    callbacks = RecordingCallbacks()
    clock = ManualClock(BERLIN_DUE + timedelta(hours=1, seconds=1))
    shows = _scheduler(scheduler, db, callbacks, clock)

    assert await shows.catch_up(clock.now()) == {show.id: Outcome.MISSED}
    assert (await ShowRepo(db).get(show.id)).status is ShowStatus.MISSED
    assert await ShowOccurrenceRepo(db).outcome(show.id, BERLIN_DUE) is Outcome.MISSED
    assert len(callbacks.announcements) == 1
    announced_id, text = callbacks.announcements[0]
    assert announced_id == show.id and "Monday Mayhem" in text and "20:00" in text
    assert callbacks.runs == []
    assert scheduler.get_job(late_job_id(show.id)) is None

    restarted = _scheduler(scheduler, db, callbacks, clock)
    assert await restarted.catch_up(clock.now()) == {}
    assert len(callbacks.announcements) == 1


async def test_catch_up_ignores_shows_created_after_their_last_slot(
    db: Database, federation_id: int, scheduler: AsyncIOScheduler
) -> None:
    created = BERLIN_DUE + timedelta(hours=3)
    await weekly_show(db, federation_id, "Brand New", 0, time(20), "Europe/Berlin", created)
    callbacks = RecordingCallbacks()
    shows = _scheduler(scheduler, db, callbacks, ManualClock(created + timedelta(days=1)))
    assert await shows.catch_up(created + timedelta(days=1)) == {}
    assert callbacks.announcements == []


async def test_the_weekly_job_runs_the_due_occurrence_once(
    db: Database, federation_id: int, scheduler: AsyncIOScheduler
) -> None:
    show = await weekly_show(db, federation_id, "Monday Mayhem", 0, time(20), "Europe/Berlin")
    callbacks = RecordingCallbacks()
    clock = ManualClock(BERLIN_DUE + timedelta(seconds=2))
    shows = _scheduler(scheduler, db, callbacks, clock)
    assert await shows.run_due(show.id) is True
    assert await shows.run_due(show.id) is False
    assert callbacks.runs == [(show.id, BERLIN_DUE)]
    # After the show, the event for next week's occurrence is created.
    assert callbacks.events == [(show.id, BERLIN_DUE + timedelta(days=7))]


async def test_reminder_carries_the_coming_start_time(
    db: Database, federation_id: int, scheduler: AsyncIOScheduler
) -> None:
    show = await weekly_show(db, federation_id, "Monday Mayhem", 0, time(20), "Europe/Berlin")
    callbacks = RecordingCallbacks()
    shows = _scheduler(scheduler, db, callbacks, ManualClock(BERLIN_DUE - timedelta(hours=1)))
    await shows.remind(show.id)
    assert callbacks.reminders == [(show.id, BERLIN_DUE)]


async def test_scheduled_event_is_created_once_and_degrades_without_manage_events(
    db: Database, federation_id: int, scheduler: AsyncIOScheduler, caplog: pytest.LogCaptureFixture
) -> None:
    show = await weekly_show(db, federation_id, "Monday Mayhem", 0, time(20), "Europe/Berlin")
    clock = ManualClock(BERLIN_DUE - timedelta(days=2))

    denied = RecordingCallbacks(can_manage_events=False)
    with caplog.at_level(logging.INFO, logger="bot.scheduling.shows"):
        await _scheduler(scheduler, db, denied, clock).start()
    assert denied.events == []
    assert any("Manage Events" in record.getMessage() for record in caplog.records)

    allowed = RecordingCallbacks()
    await _scheduler(scheduler, db, allowed, clock).start()
    await _scheduler(scheduler, db, allowed, clock).start()
    assert allowed.events == [(show.id, BERLIN_DUE)]


async def test_the_interval_job_advances_live_matches(db: Database, federation_id: int) -> None:
    callbacks = RecordingCallbacks()
    sched = AsyncIOScheduler(timezone="UTC")
    sched.start()
    try:
        fast = SchedulerSettings(live_tick_check_s=0.05)
        _scheduler(sched, db, callbacks, ManualClock(BERLIN_DUE), fast).rebuild([])
        for _ in range(300):
            if callbacks.ticks >= 3:
                break
            await asyncio.sleep(0.01)
    finally:
        sched.shutdown(wait=False)
    assert callbacks.ticks >= 3
