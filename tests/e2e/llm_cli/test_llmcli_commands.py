"""`llmfed simulate --provider openai --base-url ...`, `llmfed trace` and `llmfed models` as
subprocesses against the fake vendor server running in the test process."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "tests" / "integration" / "llm_game"))

from llmgame_support import GameFakeServer  # noqa: E402

LLMFED = str(Path(sys.executable).with_name("llmfed"))
KEY = "test-key"


@pytest.fixture
async def fake() -> AsyncIterator[GameFakeServer]:
    async with GameFakeServer(required_key=KEY) as server:
        yield server


async def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        LLMFED,
        *args,
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=90)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@pytest.mark.slow
async def test_simulate_on_an_openai_compatible_server_then_trace(
    fake: GameFakeServer, tmp_path: Path
) -> None:
    db = str(tmp_path / "sim.db")
    code, out, err = await run(
        "simulate",
        "Atlas Grimm",
        "Ruby Vex",
        "--provider",
        "openai",
        "--base-url",
        fake.openai_base_url,
        "--db",
        db,
        env={"OPENAI_API_KEY": KEY},
    )
    assert code == 0, err
    assert "Atlas Grimm" in out and "Ruby Vex" in out
    bodies = fake.completions()
    decisions = [b for b in bodies if "ActionChoice" in str(b)]
    narrations = [b for b in bodies if "NarrationReply" in str(b)]
    assert decisions and narrations
    assert "The crowd rises as the action spills across the ring." in out

    code, trace_out, err = await run("trace", "1", "--db", db)
    assert code == 0, err
    assert "choose_action" in trace_out and "narrate" in trace_out
    assert f"{len(bodies)} LLM calls, 0 failed" in trace_out.replace("\n", " ")


@pytest.mark.slow
async def test_simulate_without_the_key_is_one_clear_line(fake: GameFakeServer) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    process = await asyncio.create_subprocess_exec(
        LLMFED,
        "simulate",
        "Atlas Grimm",
        "Ruby Vex",
        "--provider",
        "openai",
        "--base-url",
        fake.openai_base_url,
        cwd=REPO_ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and "OPENAI_API_KEY" in lines[0]
    assert fake.completions() == []


@pytest.mark.slow
async def test_models_lists_the_servers_models(fake: GameFakeServer) -> None:
    code, out, err = await run(
        "models",
        "--provider",
        "openai",
        env={
            "OPENAI_API_KEY": KEY,
            "LLMFED_LLM__PROVIDERS__OPENAI__BASE_URL": fake.openai_base_url,
        },
    )
    assert code == 0, err
    assert "fake-small" in out and "fake-large" in out
    assert fake.requests_to("/v1/models")


@pytest.mark.slow
async def test_models_pull_streams_progress_from_ollama(fake: GameFakeServer) -> None:
    env = {"LLMFED_LLM__PROVIDERS__OLLAMA__BASE_URL": fake.openai_base_url}
    code, out, err = await run("models", "pull", "llama3.2", "--provider", "ollama", env=env)
    assert code == 0, err
    assert "pulled llama3.2" in out
    code, out, err = await run("models", "pull", "no-such-model", "--provider", "ollama", env=env)
    assert code == 2
    assert "no-such-model" in err and "does not exist" in err
