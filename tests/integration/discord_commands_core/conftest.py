"""Fixtures: a FakeDiscord with two servers and the real LLMFedBot over a real SQLite file.

``fake`` and ``h`` come from tests/integration/conftest.py; this folder picks the core harness.
"""

from __future__ import annotations

import pytest

from tests.integration.discord_commands_core.core_support import running_harness
from tests.integration.discord_harness import HarnessStarter


@pytest.fixture
def start_harness() -> HarnessStarter:
    return running_harness
