"""ShowScheduler: weekly shows, their reminders and the live-tick job on an APScheduler 3 loop.

The database is the source of truth. The scheduler holds only a MemoryJobStore, rebuilt at
start-up (and whenever shows change) under stable ids ``show:{id}``, ``reminder:{id}`` and
``live-ticks``. Because a memory job store forgets what was missed while the bot was down,
``catch_up`` decides at start-up: a show whose last due time is within the misfire grace
runs now, an older one is marked MISSED and announced. Each occurrence is settled once in
``show_occurrences`` (a compare-and-set), so the cron job, the catch-up and restarts never run
the same occurrence twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.scheduling.times import last_fire_time, next_fire_time, shifted_earlier
from bot.settings import SchedulerSettings
from engine.errors import GameError, NotFound, PermissionDenied
from engine.models import Show, ShowStatus, WeeklySchedule
from engine.ports import Clock
from storage.database import Database
from storage.live import Outcome, ShowOccurrenceRepo
from storage.shows import ShowRepo

log = logging.getLogger(__name__)

LIVE_TICKS_JOB = "live-ticks"
_SKIPPED = (ShowStatus.CANCELLED, ShowStatus.LIVE)


def show_job_id(show_id: int) -> str:
    return f"show:{show_id}"


def reminder_job_id(show_id: int) -> str:
    return f"reminder:{show_id}"


def late_job_id(show_id: int) -> str:
    return f"show-late:{show_id}"


class ShowCallbacks(Protocol):
    """What the scheduler asks the bot to do; the bot wires these to Discord."""

    async def run_show(self, show: Show, due_at: datetime) -> None:
        """Run the card in order, each segment live, then post results and rating."""

    async def remind(self, show: Show, starts_at: datetime) -> None:
        """Post the card ahead of the show."""

    async def announce(self, show: Show, text: str) -> None:
        """Post a notice about the show (e.g. that it was missed)."""

    async def create_scheduled_event(self, show: Show, starts_at: datetime) -> None:
        """Create the Discord scheduled event; raise PermissionDenied without Manage Events."""

    async def advance_due_matches(self) -> None:
        """Advance every live match whose next tick is due."""


def cron_trigger(schedule: WeeklySchedule) -> CronTrigger:
    return CronTrigger(
        day_of_week=schedule.day,  # APScheduler 3: 0 = Monday, as in WeeklySchedule
        hour=schedule.at.hour,
        minute=schedule.at.minute,
        second=schedule.at.second,
        timezone=ZoneInfo(schedule.timezone),
    )


class ShowScheduler:
    def __init__(
        self,
        scheduler: AsyncIOScheduler,
        db: Database,
        callbacks: ShowCallbacks,
        settings: SchedulerSettings,
        clock: Clock,
    ) -> None:
        self._scheduler = scheduler
        self._db = db
        self._shows = ShowRepo(db)
        self._occurrences = ShowOccurrenceRepo(db)
        self._callbacks = callbacks
        self._settings = settings
        self._clock = clock

    @property
    def grace(self) -> timedelta:
        return timedelta(seconds=self._settings.misfire_grace_s)

    async def start(self) -> None:
        """For setup_hook (after the scheduler is started): jobs from the database, the
        start-up catch-up, and a Discord event for each show's next occurrence."""
        shows = await self._shows.scheduled()
        self.rebuild(shows)
        now = self._clock.now()
        await self.catch_up(now)
        for show in shows:
            await self.ensure_next_event(show, now)

    async def refresh(self) -> None:
        """After a show is created, rescheduled or cancelled."""
        await self.start()

    def rebuild(self, shows: Iterable[Show]) -> None:
        """Replaces the jobs with the given shows' (idempotent: stable ids, no duplicates) and
        removes the jobs of shows no longer scheduled."""
        wanted: set[str] = {LIVE_TICKS_JOB}
        common = {
            "replace_existing": True,
            "coalesce": True,
            "max_instances": 1,
            # None would mean "no limit" to APScheduler, so a zero grace becomes one second.
            "misfire_grace_time": max(1, self._settings.misfire_grace_s),
        }
        for show in shows:
            if show.schedule is None or show.status is ShowStatus.CANCELLED:
                continue
            self._scheduler.add_job(
                self.run_due,
                cron_trigger(show.schedule),
                args=[show.id],
                id=show_job_id(show.id),
                name=f"show {show.name}",
                **common,
            )
            wanted.add(show_job_id(show.id))
            if self._settings.reminder_before_s > 0:
                reminder = shifted_earlier(show.schedule, self._settings.reminder_before_s)
                self._scheduler.add_job(
                    self.remind,
                    cron_trigger(reminder),
                    args=[show.id],
                    id=reminder_job_id(show.id),
                    name=f"reminder {show.name}",
                    **common,
                )
                wanted.add(reminder_job_id(show.id))
        self._scheduler.add_job(
            self.advance_live_matches,
            IntervalTrigger(seconds=self._settings.live_tick_check_s),
            id=LIVE_TICKS_JOB,
            name="advance live matches",
            **common,
        )
        for job in self._scheduler.get_jobs():
            if job.id.startswith(("show:", "reminder:")) and job.id not in wanted:
                job.remove()

    async def catch_up(self, now: datetime) -> dict[int, Outcome]:
        """Settles each show's last due occurrence that has not run: within the misfire grace
        it is queued to run now (job ``show-late:{id}``); otherwise the show is marked MISSED
        and announced. Returns the decision per show id."""
        decisions: dict[int, Outcome] = {}
        for show in await self._shows.scheduled():
            if show.schedule is None or show.status in _SKIPPED:
                continue
            due = last_fire_time(show.schedule, now)
            if show.created_at is not None and due < show.created_at:
                continue
            if await self._occurrences.outcome(show.id, due) is not None:
                continue
            if now - due <= self.grace:
                self._scheduler.add_job(
                    self.run_occurrence,
                    DateTrigger(run_date=now),
                    args=[show.id, due],
                    id=late_job_id(show.id),
                    replace_existing=True,
                    misfire_grace_time=None,
                )
                decisions[show.id] = Outcome.RAN
            elif await self._mark_missed(show, due, now):
                decisions[show.id] = Outcome.MISSED
        return decisions

    async def run_due(self, show_id: int) -> bool:
        """The weekly cron job: runs the occurrence that is due now, if within grace."""
        show = await self._current(show_id)
        if show is None or show.schedule is None:
            return False
        now = self._clock.now()
        due = last_fire_time(show.schedule, now)
        if now - due > self.grace:
            log.warning(
                "show %s fired %s after its start; leaving it to catch-up", show_id, now - due
            )
            return False
        return await self.run_occurrence(show_id, due)

    async def run_occurrence(self, show_id: int, due_at: datetime) -> bool:
        """Runs the occurrence starting at ``due_at`` unless it was already settled."""
        show = await self._current(show_id)
        if show is None:
            return False
        now = self._clock.now()
        if not await self._occurrences.settle(show_id, due_at, Outcome.RAN, now):
            return False
        try:
            await self._callbacks.run_show(show, due_at)
        except Exception:  # a failed show must not stop the scheduler; the bot reports it
            log.exception("show %s (%s) failed", show.name, show_id)
        await self.ensure_next_event(show, self._clock.now())
        return True

    async def remind(self, show_id: int) -> None:
        show = await self._current(show_id)
        if show is None or show.schedule is None:
            return
        starts_at = next_fire_time(show.schedule, self._clock.now())
        try:
            await self._callbacks.remind(show, starts_at)
        except Exception:  # a lost reminder is not worth stopping the scheduler for
            log.exception("reminder for show %s failed", show_id)

    async def advance_live_matches(self) -> None:
        try:
            await self._callbacks.advance_due_matches()
        except Exception:  # the next interval tries again
            log.exception("advancing live matches failed")

    async def ensure_next_event(self, show: Show, now: datetime) -> bool:
        """Creates the Discord scheduled event for the show's next occurrence, once. Without
        Manage Events it logs a notice and carries on. True if an event was created."""
        if show.schedule is None or show.status is ShowStatus.CANCELLED:
            return False
        starts_at = next_fire_time(show.schedule, now)
        if await self._occurrences.event_created(show.id, starts_at):
            return False
        try:
            await self._callbacks.create_scheduled_event(show, starts_at)
        except PermissionDenied as exc:
            log.info("no Discord event for %s: %s", show.name, exc)
            return False
        except GameError as exc:
            log.warning("could not create the Discord event for %s: %s", show.name, exc)
            return False
        await self._occurrences.record_event_created(show.id, starts_at, now)
        return True

    async def _mark_missed(self, show: Show, due: datetime, now: datetime) -> bool:
        async with self._db.transaction():
            if not await self._occurrences.settle(show.id, due, Outcome.MISSED, now):
                return False
            show = await self._shows.update(show.model_copy(update={"status": ShowStatus.MISSED}))
        assert show.schedule is not None
        local = due.astimezone(ZoneInfo(show.schedule.timezone))
        text = (
            f"{show.name} was due {local:%a %d %b %H:%M} ({show.schedule.timezone}) while "
            "LLMFed was offline, so it was missed."
        )
        try:
            await self._callbacks.announce(show, text)
        except Exception:  # the MISSED status is saved; the notice is best effort
            log.exception("announcing missed show %s failed", show.id)
        return True

    async def _current(self, show_id: int) -> Show | None:
        try:
            show = await self._shows.get(show_id)
        except NotFound:
            return None
        return None if show.status in _SKIPPED else show
