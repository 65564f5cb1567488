"""What the match, promo, show, promoter, LLM and leaderboard cogs reach for: the caller as an
Actor, the desks (services) built once per open app, and the registry of background runs."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.app import App, running_app
from bot.discord.permissions import has_manage_server
from bot.services.actor import Actor
from bot.services.hint_desk import HintDesk
from bot.services.leaderboards import Leaderboards
from bot.services.llm_desk import LLMDesk, split_sources
from bot.services.match_desk import MatchDesk
from bot.services.show_desk import ShowDesk
from engine.errors import InvalidInput, InvalidState

_ATTRIBUTE = "llmfed_desks"


def here(client: discord.Client, interaction: discord.Interaction) -> discord.PartialMessageable:
    """The command's channel, for posting later (a result outlives the interaction token)."""
    if interaction.channel_id is None:
        raise InvalidInput("LLMFed commands only work inside a server.")
    return client.get_partial_messageable(interaction.channel_id, guild_id=interaction.guild_id)


def actor_of(interaction: discord.Interaction) -> Actor:
    if interaction.guild_id is None:
        raise InvalidInput("LLMFed commands only work inside a server.")
    return Actor(
        user_id=interaction.user.id,
        guild_id=interaction.guild_id,
        manage_server=has_manage_server(interaction.permissions),
    )


@dataclass
class LiveRuns:
    """Matches and shows playing out in the background (part 1: to the end, then a result
    post). One run per match or show; a match on a running show belongs to that show."""

    tasks: dict[str, asyncio.Task[Any]] = field(default_factory=dict)

    def running(self, kind: str, ref: int | None) -> bool:
        task = self.tasks.get(f"{kind}:{ref}")
        return task is not None and not task.done()

    def refuse_if_running(self, match_id: int, show_id: int | None) -> None:
        if self.running("match", match_id):
            raise InvalidState(f"Match #{match_id} is being played right now.")
        if show_id is not None and self.running("show", show_id):
            raise InvalidState(f"Match #{match_id} is part of a show that is running now.")

    def start(
        self, bot: discord.Client, kind: str, ref: int, work: Coroutine[Any, Any, Any]
    ) -> asyncio.Task[Any]:
        key = f"{kind}:{ref}"
        spawn = getattr(bot, "spawn", None)
        if spawn is not None:
            task: asyncio.Task[Any] = spawn(work, name=f"llmfed-{kind}-{ref}")
        else:  # pragma: no cover - a bare discord.Client in a test
            task = asyncio.get_running_loop().create_task(work, name=f"llmfed-{kind}-{ref}")
        self.tasks[key] = task
        task.add_done_callback(lambda done: self._forget(key, done))
        return task

    def _forget(self, key: str, task: asyncio.Task[Any]) -> None:
        if self.tasks.get(key) is task:
            del self.tasks[key]

    async def stop(self, kind: str, ref: int) -> None:
        task = self.tasks.get(f"{kind}:{ref}")
        if task is not None and not task.done():
            task.cancel()
            await asyncio.wait({task}, timeout=10)

    async def wait_idle(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109 - tests, bench
        pending = {t for t in self.tasks.values() if not t.done()}
        if pending:
            await asyncio.wait(pending, timeout=timeout)


class Desks:
    """The services of one open App (rebuilt if the bot reopens its app)."""

    def __init__(self, app: App, providers: object) -> None:
        self.app = app
        self.matches = MatchDesk(app.repos, app.clock, app.matches)
        self.shows = ShowDesk(app.repos, app.clock, app.shows, app.promos)
        self.hints = HintDesk(app.repos, app.clock)
        self.leaderboards = Leaderboards(app.repos)
        built, failures = split_sources(providers)
        self.llm = LLMDesk(app.settings.llm, app.repos, app.clock, os.environ, built, failures)
        self.runs = LiveRuns()

    @property
    def tick_delay_s(self) -> float:
        return self.app.settings.engine.tick_interval_s


def desks_of(client: discord.Client) -> Desks:
    """The bot's Desks, made on first use for its current app."""
    app = running_app(client)
    desks = getattr(client, _ATTRIBUTE, None)
    if not isinstance(desks, Desks) or desks.app is not app:
        desks = Desks(app, getattr(client, "providers", None))
        setattr(client, _ATTRIBUTE, desks)
    return desks
