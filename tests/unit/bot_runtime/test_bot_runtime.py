"""The serving process's GC tuning: startup objects frozen, young collections rarer."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from bot.discord.run import run_bot
from bot.runtime import YOUNG_THRESHOLD, tune_gc_for_serving


@pytest.fixture
def restored_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_tuning_freezes_what_survived_startup_after_collecting_garbage(restored_gc: None) -> None:
    _, middle, old = gc.get_threshold()
    survivor = [Cycle()]
    Cycle()  # garbage in a cycle: collected before the freeze, not frozen forever
    gc.unfreeze()

    tune_gc_for_serving()

    assert gc.get_threshold() == (YOUNG_THRESHOLD, middle, old)
    assert gc.get_freeze_count() > 0
    # The survivor is frozen (no longer among the objects collections scan), the garbage gone.
    assert not any(type(obj) is Cycle for obj in gc.get_objects())
    assert survivor[0].me is survivor[0]


async def test_only_the_bot_process_tunes_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[bool] = []

    class Recorder:
        def __init__(self, settings: object, *, tune_runtime: bool = False) -> None:
            built.append(tune_runtime)

    async def fake_serve(bot: object, token: str) -> int:
        return 0

    monkeypatch.setattr("bot.discord.run.LLMFedBot", Recorder)
    monkeypatch.setattr("bot.discord.run.serve", fake_serve)
    monkeypatch.setattr("discord.utils.setup_logging", lambda **kwargs: None)

    assert await run_bot(object(), {"DISCORD_TOKEN": "token"}) == 0  # type: ignore[arg-type]
    assert built == [True]
