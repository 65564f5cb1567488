"""Fixtures: FakeDiscord and the real LLMFedBot playing a full_rewrite match live.

``fake`` and ``h`` come from tests/integration/conftest.py; full-rewrite matches are played on
the live harness.
"""

from __future__ import annotations

import pytest

from tests.integration.discord_harness import HarnessStarter
from tests.integration.live_matches.live_support import running_live


@pytest.fixture
def start_harness() -> HarnessStarter:
    return running_live
