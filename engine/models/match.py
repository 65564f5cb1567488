"""Matches: the booking (Match) and the per-tick ground truth (MatchState)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from engine.models.base import Frozen
from engine.models.enums import (
    ActionId,
    FinishMethod,
    MatchStatus,
    NarrativeMode,
    Phase,
    Stipulation,
    Tier,
)
from engine.models.league import Wrestler

Gauge = Annotated[int, Field(ge=0, le=100)]


class MatchResult(Frozen):
    winner_ids: tuple[int, ...] = ()
    loser_ids: tuple[int, ...] = ()
    method: FinishMethod
    tick: int = Field(ge=0)
    finisher_move: str | None = None

    @property
    def is_draw(self) -> bool:
        return not self.winner_ids


class Match(Frozen):
    """A booked match. Participants are 1v1 for now (tag and triple threat come later)."""

    id: int
    federation_id: int
    show_id: int | None = None
    participant_ids: tuple[int, int]
    stipulation: Stipulation = Stipulation.STANDARD
    mode: NarrativeMode = NarrativeMode.TICK
    booked_winner_id: int | None = None
    championship_id: int | None = None
    seed: int = Field(ge=0, lt=2**63)
    max_ticks: int = Field(default=50, ge=5, le=500)
    status: MatchStatus = MatchStatus.BOOKED
    result: MatchResult | None = None
    rating: float | None = None
    channel_id: int | None = None
    thread_id: int | None = None
    message_id: int | None = None
    created_at: datetime | None = None


class WrestlerState(Frozen):
    wrestler_id: int
    health: Gauge = 100
    stamina: Gauge = 100
    momentum: Gauge = 20
    last_actions: tuple[ActionId, ...] = ()
    warnings: int = Field(default=0, ge=0)
    kicked_out: int = Field(default=0, ge=0)

    @property
    def damage(self) -> int:
        return 100 - self.health


class MatchTally(Frozen):
    """Running totals the star rating and the balance report read."""

    near_falls: int = 0
    signatures: int = 0
    finishers: int = 0
    comebacks: int = 0
    taunts_landed: int = 0
    rests: int = 0
    repeats: int = 0
    heat_sum: float = 0.0
    heat_peak: float = 0.0
    action_counts: dict[str, int] = Field(default_factory=dict)
    injuries: dict[int, int] = Field(default_factory=dict)  # wrestler id -> weeks out


class MatchSetup(Frozen):
    """What does not change during a match; kept out of per-tick snapshots."""

    match_id: int
    seed: int
    stipulation: Stipulation = Stipulation.STANDARD
    max_ticks: int = 50
    booked_winner_id: int | None = None
    tier: Tier = Tier.INDIE
    title_match: bool = False
    sheets: tuple[Wrestler, ...]

    def sheet(self, wrestler_id: int) -> Wrestler:
        for sheet in self.sheets:
            if sheet.id == wrestler_id:
                return sheet
        raise KeyError(wrestler_id)


class MatchState(Frozen):
    setup: MatchSetup
    time_index: int = Field(default=0, ge=0)
    wrestlers: tuple[WrestlerState, ...]
    heat: float = Field(default=30.0, ge=0.0, le=100.0)
    phase: Phase = Phase.OPENING
    next_actor_id: int
    initiative_streak: int = Field(default=0, ge=0)
    counter_open_for: int | None = None
    after_finisher_on: int | None = None
    tally: MatchTally = MatchTally()
    result: MatchResult | None = None

    @property
    def finished(self) -> bool:
        return self.result is not None

    def wrestler(self, wrestler_id: int) -> WrestlerState:
        for w in self.wrestlers:
            if w.wrestler_id == wrestler_id:
                return w
        raise KeyError(wrestler_id)

    def opponent_of(self, wrestler_id: int) -> WrestlerState:
        for w in self.wrestlers:
            if w.wrestler_id != wrestler_id:
                return w
        raise KeyError(wrestler_id)

    def snapshot(self) -> dict[str, object]:
        """The dynamic part of the state, as persisted with every tick."""
        return self.model_dump(mode="json", exclude={"setup"})
