"""The shape of a bot-harness starter, as the integration conftests pass them to fixture ``h``."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from tests.fakes.discord.rig import FakeDiscord

# (fake, SQLite path) -> an async context manager that yields the started harness.
HarnessStarter = Callable[[FakeDiscord, Path], AbstractAsyncContextManager[Any]]
