"""Fixtures for the provider tests: a running fake vendor server, settings that point the real
SDK clients at it, a real-time clock and an in-memory call recorder."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from llmprov_http_support import SECRET, ListRecorder, SystemClock

from engine.llm.base import LLMProvider
from engine.llm.config import LLMSettings
from engine.llm.factory import build_provider
from tests.fakes.fake_llm_server import FakeLLMServer


@pytest.fixture
async def fake_server() -> AsyncIterator[FakeLLMServer]:
    async with FakeLLMServer(required_key=SECRET) as server:
        yield server


@pytest.fixture
def recorder() -> ListRecorder:
    return ListRecorder()


@pytest.fixture
def clock() -> SystemClock:
    return SystemClock()


SettingsFactory = Callable[..., LLMSettings]


@pytest.fixture
def settings_for(fake_server: FakeLLMServer) -> SettingsFactory:
    """Settings with one provider named like its vendor, pointed at the fake server;
    keyword arguments override that provider's settings; ``llm`` overrides the top level."""

    def make(vendor: str, llm: dict[str, Any] | None = None, **provider: Any) -> LLMSettings:
        base_url = fake_server.base_url if vendor == "anthropic" else fake_server.openai_base_url
        kind = "openai_compatible" if vendor == "ollama" else vendor
        provider_settings: dict[str, Any] = {
            "kind": kind,
            "base_url": base_url,
            "api_key_env": "TEST_LLM_KEY",
            "default_model": "fake-small",
            "sdk_max_retries": 0,
        }
        provider_settings.update(provider)
        data: dict[str, Any] = {
            "providers": {"offline": {"kind": "offline"}, vendor: provider_settings},
            "models": {
                "small": {
                    "provider": vendor,
                    "model": "fake-small",
                    "price": {
                        "input_per_mtok": 1.0,
                        "output_per_mtok": 5.0,
                        "cached_input_per_mtok": 0.1,
                    },
                }
            },
        }
        data.update(llm or {})
        return LLMSettings.model_validate(data)

    return make


@pytest.fixture
async def build(recorder: ListRecorder, clock: SystemClock) -> AsyncIterator[Callable[..., Any]]:
    """build(name, settings, env=None) -> the factory's fully wrapped provider (closed after)."""
    built: list[LLMProvider] = []

    def make(name: str, settings: LLMSettings, env: dict[str, str] | None = None) -> LLMProvider:
        keys = {"TEST_LLM_KEY": SECRET} if env is None else env
        provider = build_provider(name, settings, keys, recorder, clock)
        built.append(provider)
        return provider

    yield make
    for provider in built:
        await provider.aclose()
