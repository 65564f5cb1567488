"""Memoising pure functions of immutable engine values by identity, for the per-tick hot path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

KeyT = TypeVar("KeyT")
ValueT = TypeVar("ValueT")


class IdentityMemo(Generic[KeyT, ValueT]):
    """``build(key)`` remembered per key *object*, for frozen models that a match hands over
    unchanged every tick (its setup, its character sheets).

    ``functools.lru_cache`` would hash the model on every call, and a frozen pydantic model's
    hash walks all its fields each time; looking up ``id(key)`` is constant and cheap. Each
    entry holds the key itself, so an id cannot be reused by another object while its entry
    lives, and an equal but distinct object simply gets its own entry. Oldest entries go first
    once ``size`` is reached; size it above the number of objects in use at once (live matches
    times what each keys on), or every lookup misses."""

    def __init__(self, build: Callable[[KeyT], ValueT], size: int = 4096) -> None:
        if size < 1:
            raise ValueError("an IdentityMemo needs room for at least one entry")
        self._build = build
        self._size = size
        self._entries: dict[int, tuple[KeyT, ValueT]] = {}

    def __call__(self, key: KeyT) -> ValueT:
        entry = self._entries.get(id(key))
        if entry is not None and entry[0] is key:
            return entry[1]
        value = self._build(key)
        if len(self._entries) >= self._size:
            del self._entries[next(iter(self._entries))]
        self._entries[id(key)] = (key, value)
        return value

    def __len__(self) -> int:
        return len(self._entries)
