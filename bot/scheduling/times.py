"""Weekly fire times in a show's own timezone: the next and the last, across DST changes.

The local wall-clock time is what stays fixed: a Monday 20:00 Europe/Berlin show is 18:00 UTC
in summer and 19:00 UTC in winter. A local time that does not exist on a spring-forward day
is read as the wall-clock time it maps to after the jump (02:30 -> 03:30); an ambiguous one on
a fall-back day means its first occurrence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from engine.models import WeeklySchedule

WEEK = timedelta(days=7)


def _occurrence(schedule: WeeklySchedule, local_day: date) -> datetime:
    zone = ZoneInfo(schedule.timezone)
    wall = datetime.combine(local_day, schedule.at.replace(tzinfo=None), tzinfo=zone)
    # Round-trip through UTC so a non-existent wall time lands on a real instant.
    return wall.astimezone(UTC)


def _candidate(schedule: WeeklySchedule, moment: datetime) -> datetime:
    """The occurrence in the local week of ``moment`` (may be before or after it)."""
    local = moment.astimezone(ZoneInfo(schedule.timezone))
    day = local.date() + timedelta(days=(schedule.day - local.weekday()) % 7)
    return _occurrence(schedule, day)


def next_fire_time(schedule: WeeklySchedule, after: datetime) -> datetime:
    """The first occurrence strictly after ``after`` (timezone-aware), in UTC."""
    _require_aware(after)
    local_day = _candidate(schedule, after).astimezone(ZoneInfo(schedule.timezone)).date()
    for weeks in (-1, 0, 1):
        fire = _occurrence(schedule, local_day + weeks * WEEK)
        if fire > after:
            return fire
    return _occurrence(schedule, local_day + 2 * WEEK)


def last_fire_time(schedule: WeeklySchedule, at_or_before: datetime) -> datetime:
    """The latest occurrence at or before ``at_or_before``, in UTC."""
    _require_aware(at_or_before)
    local_day = _candidate(schedule, at_or_before).astimezone(ZoneInfo(schedule.timezone)).date()
    for weeks in (1, 0, -1):
        fire = _occurrence(schedule, local_day + weeks * WEEK)
        if fire <= at_or_before:
            return fire
    return _occurrence(schedule, local_day - 2 * WEEK)


def shifted_earlier(schedule: WeeklySchedule, seconds: float) -> WeeklySchedule:
    """The same weekly slot ``seconds`` earlier in local wall-clock time (wrapping the week):
    the reminder's slot for a show."""
    minutes_into_week = schedule.day * 24 * 60 + schedule.at.hour * 60 + schedule.at.minute
    start = timedelta(minutes=minutes_into_week, seconds=schedule.at.second) - timedelta(
        seconds=seconds
    )
    start %= WEEK
    day, rest = divmod(int(start.total_seconds()), 24 * 3600)
    at = time(rest // 3600, rest % 3600 // 60, rest % 60)
    return WeeklySchedule(day=day, at=at, timezone=schedule.timezone)


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("fire times need a timezone-aware moment")
