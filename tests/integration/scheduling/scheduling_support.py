"""Scheduler test helpers: recording callbacks and a scheduled show factory."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from engine.errors import PermissionDenied
from engine.models import Show, WeeklySchedule
from storage.database import Database
from storage.shows import ShowRepo

LONG_AGO = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass
class RecordingCallbacks:
    """A ShowCallbacks that records every call."""

    can_manage_events: bool = True
    runs: list[tuple[int, datetime]] = field(default_factory=list)
    reminders: list[tuple[int, datetime]] = field(default_factory=list)
    announcements: list[tuple[int, str]] = field(default_factory=list)
    events: list[tuple[int, datetime]] = field(default_factory=list)
    ticks: int = 0

    async def run_show(self, show: Show, due_at: datetime) -> None:
        self.runs.append((show.id, due_at))

    async def remind(self, show: Show, starts_at: datetime) -> None:
        self.reminders.append((show.id, starts_at))

    async def announce(self, show: Show, text: str) -> None:
        self.announcements.append((show.id, text))

    async def create_scheduled_event(self, show: Show, starts_at: datetime) -> None:
        if not self.can_manage_events:
            raise PermissionDenied("the bot lacks Manage Events")
        self.events.append((show.id, starts_at))

    async def advance_due_matches(self) -> None:
        self.ticks += 1


async def weekly_show(
    db: Database,
    federation_id: int,
    name: str,
    day: int,
    at: time,
    timezone: str,
    created: datetime = LONG_AGO,
) -> Show:
    schedule = WeeklySchedule(day=day, at=at, timezone=timezone)
    return await ShowRepo(db).create(federation_id, name, created, schedule=schedule)
