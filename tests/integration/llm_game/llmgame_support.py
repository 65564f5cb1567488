"""Helpers for the LLM game tests: a fake vendor server that answers each operation sensibly
by default, settings pointing the real SDK clients at it, and an App over a real SQLite file."""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = str(Path(__file__).resolve().parents[3])
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from bot.app import App  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.llm_wiring import wiring  # noqa: E402
from bot.publishers.terminal import SilentPublisher  # noqa: E402
from bot.settings import Settings  # noqa: E402
from engine.models import ControllerKind, Match  # noqa: E402
from tests.fakes.fake_llm_server import Behaviour, FakeLLMServer, ok  # noqa: E402

KEY = "sk-game-test-0b1c2d3e"
ACTIONS = ("strike", "grapple", "technical", "pin", "strike", "submission")


class GameFakeServer(FakeLLMServer):
    """Queued behaviours first; otherwise a valid answer for whichever operation asked."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._actions = itertools.cycle(ACTIONS)

    def _next(self) -> Behaviour:
        if self.state.queue:
            return super()._next()
        self.state.counter += 1
        body = json.dumps(self.state.requests[-1].body)
        if "ActionChoice" in body:
            return ok({"action_id": next(self._actions), "target_id": None, "intent": "go"})
        if "NarrationReply" in body:
            return ok({"text": "The crowd rises as the action spills across the ring."})
        if "PromoLineReply" in body:
            return ok({"line": "You are standing in my ring, and that was your first mistake."})
        return self.state.default

    def completions(self) -> list[dict[str, Any]]:
        paths = ("/v1/chat/completions", "/v1/messages")
        return [r.body for r in self.state.requests if r.path in paths]


def game_settings(
    server: FakeLLMServer,
    vendor: str,
    *,
    narrator_offline: bool = True,
    budget: float = 2.0,
    deadline_s: float = 2.0,
    priced: bool = False,
) -> Settings:
    base_url = server.base_url if vendor == "anthropic" else server.openai_base_url
    price = {"input_per_mtok": 1000.0, "output_per_mtok": 1000.0} if priced else {}
    llm: dict[str, Any] = {
        "default_provider": vendor,
        "default_model": "fake-small",
        "daily_budget_usd": budget,
        "deadline_s": deadline_s,
        "providers": {
            "offline": {"kind": "offline", "default_model": "offline"},
            vendor: {
                "kind": vendor,
                "base_url": base_url,
                "api_key_env": "GAME_TEST_KEY",
                "default_model": "fake-small",
                "sdk_max_retries": 0,
                "max_concurrency": 8,
            },
        },
        "models": {"small": {"provider": vendor, "model": "fake-small", "price": price}},
    }
    if narrator_offline:
        llm["roles"] = {"narrator": {"provider": "offline"}}
    return Settings.model_validate(
        {
            "engine": {"decision_deadline_s": deadline_s + 0.5, "narration_deadline_s": 3.0},
            "llm": llm,
        }
    )


async def open_game(settings: Settings, db_path: Path, env: dict[str, str] | None = None) -> App:
    clock = SystemClock()
    keys = {"GAME_TEST_KEY": KEY} if env is None else env
    return await App.open(
        settings, clock, SilentPublisher(), db_path=db_path, llm=wiring(settings, clock, env=keys)
    )


async def book_match(
    app: App,
    *,
    a_llm: bool = True,
    b_llm: bool = True,
    gimmick: str = "A powerhouse who never backs down.",
    guild_id: int = 77,
    seed: int = 5,
    **book: Any,
) -> Match:
    federation = await app.league.create_federation(guild_id, f"Fed {guild_id}-{seed}", 1)
    ids = []
    for name, llm in (("Atlas Grimm", a_llm), ("Ruby Vex", b_llm)):
        controller = ControllerKind.LLM if llm else ControllerKind.OFFLINE
        wrestler = await app.league.create_wrestler(
            federation.id, name, 1, gimmick=gimmick, alignment="face", controller=controller
        )
        ids.append(wrestler.id)
    return await app.matches.book(federation.id, ids[0], ids[1], seed=seed, **book)
