"""The application container: opens the database and wires repositories and services."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.llm_wiring import LLMWiring
from bot.services.league import LeagueService
from bot.services.matches import MatchService
from bot.services.promos import PromoService
from bot.services.repos import Repos
from bot.services.shows import ShowService
from bot.settings import Settings
from engine.controllers.offline import OfflineController
from engine.errors import InvalidState
from engine.models import Wrestler
from engine.ports import Clock, Controller, Narrator, Publisher
from storage.database import Database


def offline_controllers(_: Wrestler) -> Controller:
    return OfflineController()


class App:
    """Everything a front end (CLI, Discord bot) needs. Close it when done."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        clock: Clock,
        publisher: Publisher,
        controller_for: Callable[[Wrestler], Controller] = offline_controllers,
        narrator: Narrator | None = None,
        llm: Callable[[Repos], LLMWiring] | None = None,
    ) -> None:
        self.settings = settings
        self.db = db
        self.clock = clock
        self.repos = Repos(db)
        # The LLM layer (bot/llm_wiring.py): when given, it supplies controllers, narrator,
        # promo voices and rewrite writers; without it everything plays offline.
        self.llm = llm(self.repos) if llm is not None else None
        if self.llm is not None:
            controller_for = self.llm.controller_for
            narrator = narrator or self.llm.narrator()
        self.league = LeagueService(self.repos, clock)
        self.matches = MatchService(
            self.repos,
            clock,
            publisher,
            controller_for,
            narrator=narrator,
            max_ticks=settings.engine.max_ticks,
            decision_deadline_s=settings.engine.decision_deadline_s,
            narration_deadline_s=settings.engine.narration_deadline_s,
            prepare_match=self.llm.prepare_match if self.llm else None,
            rewrites=self.llm.rewrite_tools() if self.llm else None,
        )
        self.promos = PromoService(
            self.repos,
            clock,
            publisher,
            agents_for=self.llm.promo_agents if self.llm else None,
            prepare_federation=self.llm.prepare_federation if self.llm else None,
        )
        self.shows = ShowService(self.repos, clock, publisher, self.matches, self.promos)

    @classmethod
    async def open(
        cls,
        settings: Settings,
        clock: Clock,
        publisher: Publisher,
        *,
        db_path: str | Path | None = None,
        create: bool = True,
        **kwargs: object,
    ) -> App:
        db = await Database.open(db_path or settings.storage.path, create=create)
        return cls(settings, db, clock, publisher, **kwargs)  # type: ignore[arg-type]

    async def close(self) -> None:
        if self.llm is not None:
            await self.llm.aclose()
        await self.db.close()


def running_app(client: object) -> App:
    """The App a bot client has open; InvalidState while the bot is still starting."""
    try:
        app = getattr(client, "app", None)
    except RuntimeError:  # LLMFedBot.app before setup_hook has opened it
        app = None
    if not isinstance(app, App):
        raise InvalidState("The bot is still starting; try again in a moment.")
    return app
