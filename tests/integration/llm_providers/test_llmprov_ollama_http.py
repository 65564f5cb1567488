"""Ollama extras over HTTP: local tags and a streamed pull with progress."""

from __future__ import annotations

import aiohttp
import pytest

from engine.llm.errors import LLMUnavailable
from engine.llm.providers.ollama import OllamaAdmin, PullProgress, native_base_url
from tests.fakes.fake_llm_server import FakeLLMServer, PullScript


def test_native_base_url_strips_the_openai_suffix() -> None:
    assert native_base_url("http://127.0.0.1:11434/v1/") == "http://127.0.0.1:11434"
    assert native_base_url("http://gpu-box:11434") == "http://gpu-box:11434"


async def test_list_tags(fake_server: FakeLLMServer) -> None:
    fake_server.ollama_tags = ("llama3.2:latest", "qwen3:0.6b")
    admin = OllamaAdmin(fake_server.openai_base_url)
    assert await admin.list_tags() == ["llama3.2:latest", "qwen3:0.6b"]


async def test_pull_streams_progress_until_success(fake_server: FakeLLMServer) -> None:
    fake_server.pull = PullScript(layer_sizes=(1000, 300), steps=4, step_delay_s=0.01)
    async with aiohttp.ClientSession() as session:
        admin = OllamaAdmin(fake_server.base_url, session=session)
        events = [event async for event in admin.pull("qwen3:0.6b")]

    assert events[0].status == "pulling manifest"
    assert events[-1].done
    layers: dict[str, list[PullProgress]] = {}
    for event in events:
        if event.digest is not None:
            layers.setdefault(event.digest, []).append(event)
    assert len(layers) == 2
    for progress in layers.values():
        fractions = [p.fraction for p in progress]
        assert fractions == sorted(fractions)  # type: ignore[type-var]
        assert fractions[0] == 0.0 and fractions[-1] == 1.0
    [sent] = fake_server.requests_to("/api/pull")
    assert sent.body == {"model": "qwen3:0.6b", "stream": True}


async def test_pull_of_an_unknown_model_raises_with_ollamas_message(
    fake_server: FakeLLMServer,
) -> None:
    admin = OllamaAdmin(fake_server.base_url)
    seen: list[PullProgress] = []
    with pytest.raises(LLMUnavailable, match="file does not exist"):
        async for event in admin.pull("no-such-model"):
            seen.append(event)
    assert [e.status for e in seen] == ["pulling manifest"]


async def test_unreachable_ollama_is_unavailable() -> None:
    admin = OllamaAdmin("http://127.0.0.1:9/v1", timeout_s=2.0)
    with pytest.raises(LLMUnavailable):
        await admin.list_tags()
    with pytest.raises(LLMUnavailable):
        async for _ in admin.pull("llama3.2"):
            pass
