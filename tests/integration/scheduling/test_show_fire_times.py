"""Weekly fire times in the show's timezone, across DST changes, and APScheduler agreeing."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.scheduling.shows import cron_trigger
from bot.scheduling.times import last_fire_time, next_fire_time, shifted_earlier
from engine.models import WeeklySchedule

MONDAY_8PM_BERLIN = WeeklySchedule(day=0, at=time(20, 0), timezone="Europe/Berlin")
MONDAY_8PM_NEW_YORK = WeeklySchedule(day=0, at=time(20, 0), timezone="America/New_York")


def test_the_same_local_slot_is_a_different_instant_per_timezone() -> None:
    after = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)  # a Wednesday
    berlin = next_fire_time(MONDAY_8PM_BERLIN, after)
    new_york = next_fire_time(MONDAY_8PM_NEW_YORK, after)
    assert berlin == datetime(2026, 6, 8, 18, 0, tzinfo=UTC)  # CEST, UTC+2
    assert new_york == datetime(2026, 6, 9, 0, 0, tzinfo=UTC)  # EDT, UTC-4, next UTC day
    assert new_york - berlin == timedelta(hours=6)


@pytest.mark.parametrize(
    ("schedule", "before_switch", "after_switch"),
    [
        # Europe leaves summer time on Sun 25 Oct 2026; the US on Sun 1 Nov 2026.
        (
            MONDAY_8PM_BERLIN,
            datetime(2026, 10, 19, 18, tzinfo=UTC),
            datetime(2026, 10, 26, 19, tzinfo=UTC),
        ),
        (
            MONDAY_8PM_NEW_YORK,
            datetime(2026, 10, 27, 0, tzinfo=UTC),
            datetime(2026, 11, 3, 1, tzinfo=UTC),
        ),
    ],
    ids=["berlin-autumn", "new-york-autumn"],
)
def test_local_time_stays_8pm_across_the_autumn_switch(
    schedule: WeeklySchedule, before_switch: datetime, after_switch: datetime
) -> None:
    assert next_fire_time(schedule, before_switch - timedelta(days=1)) == before_switch
    assert next_fire_time(schedule, before_switch) == after_switch  # strictly after
    zone = ZoneInfo(schedule.timezone)
    for fire in (before_switch, after_switch):
        assert fire.astimezone(zone).time() == time(20, 0)
        assert fire.astimezone(zone).weekday() == 0
    assert after_switch - before_switch == timedelta(days=7, hours=1)


def test_spring_switch_week_is_an_hour_shorter() -> None:
    # The US starts summer time on Sun 8 Mar 2026.
    first = next_fire_time(MONDAY_8PM_NEW_YORK, datetime(2026, 3, 1, tzinfo=UTC))
    second = next_fire_time(MONDAY_8PM_NEW_YORK, first)
    assert second - first == timedelta(days=7, hours=-1)
    assert second.astimezone(ZoneInfo("America/New_York")).time() == time(20, 0)


def test_last_fire_time_is_the_latest_occurrence_not_after_now() -> None:
    occurrence = datetime(2026, 10, 26, 19, tzinfo=UTC)
    assert last_fire_time(MONDAY_8PM_BERLIN, occurrence) == occurrence
    assert last_fire_time(MONDAY_8PM_BERLIN, occurrence - timedelta(seconds=1)) == datetime(
        2026, 10, 19, 18, tzinfo=UTC
    )
    assert last_fire_time(MONDAY_8PM_BERLIN, occurrence + timedelta(days=6)) == occurrence


def test_a_missing_local_time_on_the_spring_switch_day_maps_past_the_gap() -> None:
    sunday_0230 = WeeklySchedule(day=6, at=time(2, 30), timezone="Europe/Berlin")
    fire = next_fire_time(sunday_0230, datetime(2026, 3, 28, tzinfo=UTC))
    assert fire == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST: 02:30 never happens


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"])
def test_apscheduler_cron_trigger_agrees_for_a_year_of_weeks(zone: str) -> None:
    schedule = WeeklySchedule(day=4, at=time(20, 0), timezone=zone)
    trigger = cron_trigger(schedule)
    ours = theirs = datetime(2026, 1, 1, tzinfo=UTC)
    previous = None
    for _ in range(60):
        ours = next_fire_time(schedule, ours)
        fired = trigger.get_next_fire_time(previous, theirs)
        assert fired is not None
        assert fired == ours
        assert fired.astimezone(ZoneInfo(zone)).time() == time(20, 0)
        previous, theirs = fired, fired


def test_reminder_slot_wraps_backwards_across_midnight_and_the_week() -> None:
    monday_0030 = WeeklySchedule(day=0, at=time(0, 30), timezone="Europe/Berlin")
    reminder = shifted_earlier(monday_0030, 3600)
    assert (reminder.day, reminder.at) == (6, time(23, 30))
    assert shifted_earlier(MONDAY_8PM_BERLIN, 90 * 60).at == time(18, 30)
