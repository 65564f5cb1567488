"""Base class for the engine's immutable value types."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """An immutable, strictly-shaped value: unknown fields are rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")
