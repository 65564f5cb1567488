"""Fixtures: the real LLMFedBot on a manual clock against FakeDiscord, with a seeded league.

``fake``, ``h`` and ``league`` come from tests/integration/conftest.py; voting runs on the
match harness.
"""

from __future__ import annotations

import pytest

from tests.integration.discord_commands_match.match_support import running_match_harness
from tests.integration.discord_harness import HarnessStarter


@pytest.fixture
def start_harness() -> HarnessStarter:
    return running_match_harness
