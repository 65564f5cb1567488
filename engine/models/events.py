"""Domain events: the append-only audit trail (federation.created, match.tick, vote.cast, ...)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from engine.models.base import Frozen


class DomainEvent(Frozen):
    kind: str = Field(pattern=r"^[a-z_]+\.[a-z_.]+$")
    federation_id: int | None = None
    match_id: int | None = None
    tick: int | None = None
    actor_user_id: int | None = None
    payload: dict[str, Any] = Field(default_factory=dict)
    at: datetime | None = None
