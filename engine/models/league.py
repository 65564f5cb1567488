"""League value types: federations, wrestlers, championships and promoter hints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from engine.models.base import Frozen
from engine.models.enums import (
    Alignment,
    ControllerKind,
    HintScope,
    Role,
    StylePreset,
    Tier,
)

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=40)]
StatValue = Annotated[int, Field(ge=1, le=100)]
Percent = Annotated[int, Field(ge=0, le=100)]


class LLMConfig(Frozen):
    """Per-wrestler (or per-federation) LLM overrides; None means inherit."""

    provider: str | None = None
    model: str | None = None
    temperature: float | None = Field(default=None, ge=0.0, le=2.0)
    persona: str | None = Field(default=None, max_length=300)


class Federation(Frozen):
    id: int
    guild_id: int
    name: Name
    description: str = Field(default="", max_length=300)
    tier: Tier = Tier.INDIE
    owner_user_id: int
    announce_channel_id: int | None = None
    llm: LLMConfig = LLMConfig()
    created_at: datetime


class Stats(Frozen):
    power: StatValue = 50
    technique: StatValue = 50
    agility: StatValue = 50
    charisma: StatValue = 50
    toughness: StatValue = 50

    @property
    def total(self) -> int:
        return self.power + self.technique + self.agility + self.charisma + self.toughness

    def get(self, name: str) -> int:
        value: int = getattr(self, name)
        return value

    @property
    def best_offence(self) -> str:
        """The strongest of the offensive stats, used by signature and finisher."""
        return max(("power", "technique", "agility"), key=self.get)


class Record(Frozen):
    wins: int = Field(default=0, ge=0)
    losses: int = Field(default=0, ge=0)
    draws: int = Field(default=0, ge=0)
    streak: int = 0  # positive: winning streak, negative: losing streak

    def __str__(self) -> str:
        return f"{self.wins}-{self.losses}-{self.draws}"


class Wrestler(Frozen):
    id: int
    federation_id: int
    owner_user_id: int = 0
    name: Name
    role: Role = Role.WRESTLER
    gimmick: str = Field(default="", max_length=300)
    alignment: Alignment = Alignment.FACE
    style: StylePreset = StylePreset.ALL_ROUNDER
    stats: Stats = Stats()
    finisher: str = Field(default="Finisher", min_length=1, max_length=40)
    signatures: tuple[str, ...] = Field(default=(), max_length=3)
    popularity: Percent = 30
    momentum: Percent = 50
    controller: ControllerKind = ControllerKind.OFFLINE
    llm: LLMConfig = LLMConfig()
    record: Record = Record()
    injured_until: datetime | None = None
    created_at: datetime | None = None

    def is_injured(self, now: datetime) -> bool:
        return self.injured_until is not None and self.injured_until > now


class TitleReign(Frozen):
    holder_ids: tuple[int, ...]
    won_at: datetime
    lost_at: datetime | None = None
    defences: int = Field(default=0, ge=0)
    won_in_match_id: int | None = None


class Championship(Frozen):
    id: int
    federation_id: int
    name: Name
    lineage: tuple[TitleReign, ...] = ()
    created_at: datetime | None = None

    @property
    def holder_ids(self) -> tuple[int, ...]:
        if self.lineage and self.lineage[-1].lost_at is None:
            return self.lineage[-1].holder_ids
        return ()

    @property
    def is_vacant(self) -> bool:
        return not self.holder_ids


class Hint(Frozen):
    """Promoter guidance. Its text is player data: it is fenced, never obeyed as instructions."""

    id: int
    federation_id: int
    scope: HintScope
    target_id: int
    text: str = Field(min_length=1, max_length=300)
    author_user_id: int
    created_at: datetime
    expires_at: datetime | None = None

    def active(self, now: datetime) -> bool:
        return self.expires_at is None or self.expires_at > now
