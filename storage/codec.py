"""Conversions between engine values and SQLite columns: timestamps, name keys, validation."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from engine.errors import InvalidInput

ModelT = TypeVar("ModelT", bound=BaseModel)


def to_db_time(value: datetime) -> str:
    """ISO-8601 UTC with a fixed width, so that text comparison in SQL orders correctly."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput("timestamps must be timezone-aware")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def opt_db_time(value: datetime | None) -> str | None:
    return None if value is None else to_db_time(value)


def from_db_time(value: str | None) -> datetime | None:
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def req_db_time(value: str) -> datetime:
    parsed = from_db_time(value)
    assert parsed is not None
    return parsed


def name_key(name: str) -> str:
    """The comparison key of a player-chosen name: Unicode case folding, not just ASCII."""
    return " ".join(name.casefold().split())


def validated(model: type[ModelT], **fields: Any) -> ModelT:
    """Build a model, turning a validation failure into one player-safe line."""
    try:
        return model(**fields)
    except ValidationError as exc:
        raise InvalidInput(describe(exc)) from exc


def revalidated(value: ModelT) -> ModelT:
    """Check a value again: ``model_copy(update=...)`` skips validation, callers use it."""
    return validated(type(value), **value.model_dump())


def describe(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "value"
    return f"invalid {where}: {first['msg']}"
