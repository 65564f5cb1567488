"""IdentityMemo: values remembered per key object, never handed to a different object."""

from __future__ import annotations

import pytest

from engine.memo import IdentityMemo
from engine.models.enums import Alignment
from engine.models.league import Wrestler


class Key:
    def __init__(self, label: str) -> None:
        self.label = label


def counting_memo(size: int) -> tuple[IdentityMemo[Key, str], list[str]]:
    built: list[str] = []

    def build(key: Key) -> str:
        built.append(key.label)
        return f"value of {key.label}"

    return IdentityMemo(build, size=size), built


def test_the_same_object_is_built_once() -> None:
    memo, built = counting_memo(4)
    key = Key("a")

    assert [memo(key) for _ in range(3)] == ["value of a"] * 3
    assert built == ["a"]


def test_an_equal_but_distinct_object_gets_its_own_value() -> None:
    sheet = Wrestler(id=1, federation_id=1, name="Ace", alignment=Alignment.FACE)
    twin = sheet.model_copy()
    memo: IdentityMemo[Wrestler, int] = IdentityMemo(id, size=4)

    assert sheet == twin
    assert memo(sheet) == id(sheet)
    assert memo(twin) == id(twin) != id(sheet)
    assert len(memo) == 2


def test_the_oldest_entry_goes_first_when_full() -> None:
    memo, built = counting_memo(2)
    a, b, c = Key("a"), Key("b"), Key("c")
    memo(a), memo(b), memo(c)  # a is evicted
    memo(b), memo(c)
    memo(a)

    assert built == ["a", "b", "c", "a"]
    assert len(memo) == 2


def test_a_reused_id_never_returns_a_stale_value() -> None:
    # With room for one entry, every new key evicts the last; CPython hands freed ids out
    # again at once, so new objects often share an evicted one's id.
    memo, _ = counting_memo(1)
    for index in range(200):
        key = Key(str(index))
        assert memo(key) == f"value of {index}"
        del key


def test_a_memo_needs_room() -> None:
    with pytest.raises(ValueError, match="at least one entry"):
        IdentityMemo(str, size=0)
