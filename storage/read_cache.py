"""ReadCache: a bounded LRU of committed league reads, owned by the Database so that every
repository over it can drop what another repository's write changed.

Coherence rules (the repositories follow them; tests in tests/integration/storage_cache/):
- A task inside its own transaction never uses the cache: it reads the connection, so a
  read-modify-write sees the file, not a copy.
- A value is stored only when no transaction was open while it was read and nothing was
  invalidated meanwhile (the ``epoch``): the cache never holds uncommitted or superseded rows,
  so a rollback needs no cleanup.
- Every write drops, by key or by tag, each entry whose answer it may change.
- Another process's commits are noticed by the Database's ``PRAGMA data_version`` watcher,
  which clears everything (see Database.open for the staleness bound).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Iterable
from typing import TypeVar, cast

T = TypeVar("T")
Key = tuple[Hashable, ...]

DEFAULT_CAPACITY = 4096


def federation_tag(federation_id: int) -> Key:
    """On everything inside a federation (its row, roster, titles), dropped when it goes."""
    return ("federation", federation_id)


def wrestler_key(wrestler_id: int) -> Key:
    return ("wrestler", wrestler_id)


def title_tag(title_id: int) -> Key:
    """On a title's own entry and on every titles-held-by answer that includes it."""
    return ("title", title_id)


def wrestlers_in_guild_key(guild_id: int) -> Key:
    return ("wrestlers.in_guild", guild_id)


def held_by_key(wrestler_id: int) -> Key:
    return ("titles_held_by", wrestler_id)


class ReadCache:
    """Key -> value, least recently used first out. Each entry is also findable by its tags;
    ``invalidate`` accepts keys and tags alike (an entry's key is one of its tags)."""

    def __init__(
        self,
        *,
        may_use: Callable[[], bool],
        may_fill: Callable[[], bool],
        capacity: int = DEFAULT_CAPACITY,
    ) -> None:
        if capacity < 1:
            raise ValueError("the cache needs room for at least one entry")
        self._may_use = may_use
        self._may_fill = may_fill
        self._capacity = capacity
        self._entries: OrderedDict[Key, tuple[object, tuple[Key, ...]]] = OrderedDict()
        self._tagged: dict[Key, set[Key]] = {}
        self._epoch = 0
        self.hits = 0
        self.misses = 0

    @property
    def capacity(self) -> int:
        return self._capacity

    @property
    def epoch(self) -> int:
        """Changes on every invalidation; a read that saw it change does not store."""
        return self._epoch

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Key) -> bool:
        return key in self._entries

    async def read(
        self,
        key: Key,
        load: Callable[[], Awaitable[T]],
        tags: Callable[[T], Iterable[Key]] | None = None,
    ) -> T:
        """The cached value for ``key``, or ``load()`` (stored when the rules above allow),
        findable afterwards by ``tags(value)`` too. A warm hit does not await anything."""
        if not self._may_use():
            return await load()
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
            self.hits += 1
            return cast(T, entry[0])
        self.misses += 1
        epoch, fillable = self._epoch, self._may_fill()
        value = await load()
        if fillable and epoch == self._epoch and self._may_fill():
            self._store(key, value, (key, *(tags(value) if tags is not None else ())))
        return value

    def invalidate(self, *tags: Key) -> None:
        """Drop every entry with one of these keys or tags."""
        self._epoch += 1
        for tag in tags:
            for key in list(self._tagged.get(tag, ())):
                self._remove(key)

    def clear(self) -> None:
        self._epoch += 1
        self._entries.clear()
        self._tagged.clear()

    def _store(self, key: Key, value: object, tags: tuple[Key, ...]) -> None:
        if key in self._entries:
            self._remove(key)
        self._entries[key] = (value, tags)
        for tag in tags:
            self._tagged.setdefault(tag, set()).add(key)
        while len(self._entries) > self._capacity:
            self._remove(next(iter(self._entries)))

    def _remove(self, key: Key) -> None:
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        for tag in entry[1]:
            keys = self._tagged.get(tag)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._tagged[tag]
