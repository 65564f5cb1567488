"""The fake vendor server as a subprocess (``python -m tests.fakes.fake_llm_server``), scripted
over its control endpoints, answering the real SDK."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from llmprov_http_support import request_for

from engine.llm.config import ProviderKind, ProviderSettings
from engine.llm.errors import LLMRateLimited
from engine.llm.providers.clients import openai_client
from engine.llm.providers.openai import OpenAIProvider
from tests.fakes.fake_llm_server import ok, rate_limited

REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
async def subprocess_server() -> AsyncIterator[str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.fakes.fake_llm_server",
        "--port",
        "0",
        cwd=REPO_ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
        base_url = line.decode().strip().rsplit(" ", 1)[-1]
        assert base_url.startswith("http://127.0.0.1:")
        yield base_url
    finally:
        process.terminate()
        await process.wait()


@pytest.mark.slow
async def test_subprocess_server_is_scriptable_over_http(subprocess_server: str) -> None:
    base_url = subprocess_server
    async with aiohttp.ClientSession() as session:
        behaviours = [rate_limited(retry_after=7).to_json(), ok({"action_id": "pin"}).to_json()]
        async with session.post(f"{base_url}/_control/queue", json=behaviours) as response:
            assert (await response.json()) == {"queued": 2}

        settings = ProviderSettings(kind=ProviderKind.OPENAI, sdk_max_retries=0)
        provider = OpenAIProvider(openai_client("sk-x", f"{base_url}/v1", settings, 5.0))
        try:
            with pytest.raises(LLMRateLimited) as raised:
                await provider.complete(request_for())
            assert raised.value.retry_after == 7
            response_ok = await provider.complete(request_for())
        finally:
            await provider.aclose()
        assert response_ok.parsed == {"action_id": "pin"}

        async with session.get(f"{base_url}/_control/log") as response:
            log = await response.json()
    paths = [r["path"] for r in log["requests"]]
    assert paths == ["/v1/chat/completions", "/v1/chat/completions"]
    assert log["requests"][0]["body"]["model"] == "fake-small"
