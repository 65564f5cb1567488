"""Fixtures: the real LLMFedBot over a real SQLite file, driven through FakeDiscord.

``fake`` and ``h`` come from tests/integration/conftest.py; this folder picks the core harness
over its own database file.
"""

from __future__ import annotations

import pytest

from tests.integration.discord_commands_core.core_support import running_harness
from tests.integration.discord_harness import HarnessStarter


@pytest.fixture
def start_harness() -> HarnessStarter:
    return running_harness


@pytest.fixture
def harness_db_name() -> str:
    return "perf.db"
