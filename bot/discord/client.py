"""LLMFedBot: the discord.py Bot that opens the app, loads every cog in cogs/ and syncs."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import pkgutil
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import discord
import yarl
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.app import App
from bot.clock import SystemClock
from bot.discord.tree import LLMFedTree
from bot.publishers.terminal import SilentPublisher
from bot.runtime import tune_for_serving
from bot.services.admin import AdminService
from bot.services.lookup import GuildLookup
from bot.settings import Settings
from engine.ports import Clock

log = logging.getLogger(__name__)

COGS_PACKAGE = "cogs"
AppFactory = Callable[[Settings], Awaitable[App]]


def minimal_intents() -> discord.Intents:
    """Guilds (channels, threads) and reactions (the crowd, part 2); no message content."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_reactions = True
    return intents


def cog_modules(package: str = COGS_PACKAGE) -> list[str]:
    """Every module in the cogs package, found on disk (bot never imports cogs statically)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return []
    found = pkgutil.iter_modules(list(spec.submodule_search_locations))
    return sorted(f"{package}.{m.name}" for m in found if not m.name.startswith("_"))


class LLMFedBot(commands.Bot):
    """``app`` may be an open App or a factory that opens one in ``setup_hook``."""

    def __init__(
        self,
        settings: Settings,
        app: App | AppFactory | None = None,
        *,
        providers: Any = None,
        clock: Clock | None = None,
        sync_commands: bool = True,
        tune_runtime: bool = False,
        **discord_kwargs: Any,
    ) -> None:
        """``tune_runtime``: tune the process for serving once set up (bot/runtime.py); for
        the `llmfed bot` process, not for a bot living in someone else's process (tests)."""
        discord_kwargs.setdefault("intents", minimal_intents())
        discord_kwargs.setdefault("allowed_mentions", discord.AllowedMentions.none())
        discord_kwargs.setdefault("tree_cls", LLMFedTree)
        discord_kwargs.setdefault("help_command", None)
        super().__init__(command_prefix=commands.when_mentioned, **discord_kwargs)
        self.settings = settings
        self.providers = providers
        self.clock: Clock = clock or SystemClock()
        self.sync_commands = sync_commands
        self.tune_runtime = tune_runtime
        self.stopping = False
        self._given_app = app if isinstance(app, App) else None
        self._app_factory: AppFactory | None = None if isinstance(app, App) else app
        self._app: App | None = self._given_app
        self._lookup: GuildLookup | None = None
        self._admin: AdminService | None = None
        self._background: set[asyncio.Task[Any]] = set()
        if self._app is not None:
            self._wire(self._app)

    # --- the app -------------------------------------------------------------------------

    @property
    def app(self) -> App:
        if self._app is None:
            raise RuntimeError("the app is not open yet (setup_hook has not run)")
        return self._app

    @property
    def lookup(self) -> GuildLookup | None:
        return self._lookup

    @property
    def admin(self) -> AdminService:
        if self._admin is None:
            raise RuntimeError("the app is not open yet (setup_hook has not run)")
        return self._admin

    def _wire(self, app: App) -> None:
        self._lookup = GuildLookup(app.repos)
        self._admin = AdminService(app.repos, app.clock)

    async def _open_app(self) -> App:
        if self._app_factory is not None:
            return await self._app_factory(self.settings)
        return await App.open(self.settings, self.clock, SilentPublisher())

    # --- start-up ------------------------------------------------------------------------

    async def login(self, token: str) -> None:
        if self.settings.discord.api_base:
            # a test double or proxy: REST goes there, and setup_hook asks it for the gateway
            Route.BASE = self.settings.discord.api_base.rstrip("/")
        await super().login(token)

    async def setup_hook(self) -> None:
        if self.settings.discord.api_base:
            url = (await self.http.get_bot_gateway())[1]
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        if self._app is None:
            self._app = await self._open_app()
            self._wire(self._app)
        for module in cog_modules():
            await self.load_extension(module)
        if self.sync_commands:
            await self.sync_app_commands()
        if self.tune_runtime:
            tune_for_serving()

    async def sync_app_commands(self) -> list[discord.app_commands.AppCommand]:
        """To the dev guild when configured (instant), otherwise globally (up to an hour)."""
        dev_guild_id = self.settings.discord.dev_guild_id
        if dev_guild_id is not None:
            guild = discord.Object(dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %s", len(synced), dev_guild_id)
            return synced
        synced = await self.tree.sync()
        log.info("synced %d commands globally", len(synced))
        return synced

    # --- background work (matches running to the end, part 1) ---------------------------

    def spawn(self, coro: Coroutine[Any, Any, Any], *, name: str) -> asyncio.Task[Any]:
        """A task the bot owns: logged if it fails, cancelled by ``close``."""
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._background.add(task)
        task.add_done_callback(self._background_done)
        return task

    def _background_done(self, task: asyncio.Task[Any]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task %s failed", task.get_name(), exc_info=task.exception())

    @property
    def background_tasks(self) -> frozenset[asyncio.Task[Any]]:
        return frozenset(self._background)

    # --- shutdown ------------------------------------------------------------------------

    async def close(self) -> None:
        """Stop taking work, stop background tasks at their next await (every tick is one
        transaction, so a tick is either recorded or not), close Discord, then the app."""
        self.stopping = True
        tasks = list(self._background)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=10)
        await super().close()
        if self._app is not None and self._given_app is None:
            app, self._app = self._app, None
            await app.close()
