"""Shows: a weekly schedule and an ordered card of match and promo segments."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, StringConstraints, field_validator

from engine.models.base import Frozen
from engine.models.enums import MatchStatus, SegmentKind, ShowStatus


class WeeklySchedule(Frozen):
    """Day 0 = Monday. Time of day is local to ``timezone`` (an IANA name)."""

    day: int = Field(ge=0, le=6)
    at: time
    timezone: str = "UTC"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r}") from exc
        return value


class Segment(Frozen):
    position: int = Field(ge=0)
    kind: SegmentKind
    match_id: int | None = None
    promo_id: int | None = None
    main_event: bool = False


class Show(Frozen):
    id: int
    federation_id: int
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=40)]
    schedule: WeeklySchedule | None = None
    channel_id: int | None = None
    status: ShowStatus = ShowStatus.SCHEDULED
    card: tuple[Segment, ...] = ()
    rating: float | None = None
    created_at: datetime | None = None


class PromoLine(Frozen):
    round: int = Field(ge=0)
    speaker_id: int
    text: str = Field(max_length=400)
    heat_delta: float = 0.0


class Promo(Frozen):
    """A promo segment: two or more wrestlers trade lines for a bounded number of rounds."""

    id: int
    federation_id: int
    show_id: int | None = None
    participant_ids: tuple[int, ...] = Field(min_length=2, max_length=4)
    rounds: int = Field(default=3, ge=1, le=6)
    status: MatchStatus = MatchStatus.BOOKED
    lines: tuple[PromoLine, ...] = ()
    heat: float | None = None
    rating: float | None = None
    seed: int = Field(default=0, ge=0, lt=2**63)
    created_at: datetime | None = None
