"""Fixtures for the LLM game tests: the fake vendor server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from llmgame_support import KEY, GameFakeServer


@pytest.fixture
async def fake() -> AsyncIterator[GameFakeServer]:
    async with GameFakeServer(required_key=KEY) as server:
        yield server
