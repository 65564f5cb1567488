"""LLM desk: what /llm status, /llm usage and /llm models show (never a key's value)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime, timedelta

from bot.services.actor import Actor
from bot.services.lookup import gone
from bot.services.repos import Repos
from engine.errors import NotFound, PermissionDenied
from engine.llm.base import LLMProvider
from engine.llm.config import LLMSettings, ProviderKind
from engine.llm.factory import DEFAULT_KEY_ENV
from engine.llm.wrappers import day_start
from engine.models import Federation, Frozen
from engine.ports import Clock
from storage.llm_calls import LLMCallRepo, UsageRow

MODELS_DEADLINE_S = 4.0
USAGE_DAYS = 30
MAX_MODELS_SHOWN = 15


class ProviderStatus(Frozen):
    name: str
    kind: str
    default_model: str | None
    ready: bool
    problem: str | None = None  # why it cannot be used (never a secret)


class LLMStatus(Frozen):
    default_provider: str
    default_model: str
    roles: dict[str, str]
    providers: tuple[ProviderStatus, ...]
    daily_budget_usd: float
    spent_today_usd: float


class LLMUsage(Frozen):
    federation: Federation | None
    days: int
    rows: tuple[UsageRow, ...]

    @property
    def total_cost(self) -> float:
        return sum(r.cost_usd for r in self.rows)

    @property
    def total_calls(self) -> int:
        return sum(r.calls for r in self.rows)


class ProviderModels(Frozen):
    provider: str
    models: tuple[str, ...] = ()
    problem: str | None = None


class LLMModels(Frozen):
    aliases: dict[str, str]  # alias -> "provider/model"
    providers: tuple[ProviderModels, ...]


def split_sources(source: object) -> tuple[Mapping[str, LLMProvider], Mapping[str, Exception]]:
    """The bot's ``providers`` may be a mapping of providers or an object holding
    ``providers`` and ``failures`` (the LLM wiring); anything else means none were built."""
    if isinstance(source, Mapping):
        return source, {}
    providers = getattr(source, "providers", None)
    failures = getattr(source, "failures", None)
    return (
        providers if isinstance(providers, Mapping) else {},
        failures if isinstance(failures, Mapping) else {},
    )


def _problem(error: Exception) -> str:
    return str(getattr(error, "user_message", None) or error).splitlines()[0][:200]


class LLMDesk:
    def __init__(
        self,
        settings: LLMSettings,
        repos: Repos,
        clock: Clock,
        env: Mapping[str, str],
        providers: Mapping[str, LLMProvider] | None = None,
        failures: Mapping[str, Exception] | None = None,
    ) -> None:
        self._settings = settings
        self._repos = repos
        self._clock = clock
        self._env = env
        self._providers = dict(providers or {})
        self._failures = dict(failures or {})
        self._calls = LLMCallRepo(repos.db)

    def _provider_status(self, name: str) -> ProviderStatus:
        config = self._settings.providers[name]
        problem = None
        if name in self._failures:
            problem = _problem(self._failures[name])
        elif config.kind is not ProviderKind.OFFLINE and name not in self._providers:
            variable = config.api_key_env or DEFAULT_KEY_ENV.get(config.kind)
            if variable is not None and not self._env.get(variable, "").strip():
                problem = f"no API key ({variable} is not set)"
        return ProviderStatus(
            name=name,
            kind=config.kind.value,
            default_model=config.default_model,
            ready=problem is None,
            problem=problem,
        )

    async def status(self, guild_id: int) -> LLMStatus:
        spent = await self._calls.spent_today(guild_id, day_start(self._clock.now()))
        roles = {
            role.value: config.model or config.provider or "default"
            for role, config in self._settings.roles.items()
        }
        return LLMStatus(
            default_provider=self._settings.default_provider,
            default_model=self._settings.default_model,
            roles=roles,
            providers=tuple(self._provider_status(n) for n in self._settings.providers),
            daily_budget_usd=self._settings.daily_budget_usd,
            spent_today_usd=spent,
        )

    async def usage(self, actor: Actor, federation_id: int | None = None) -> LLMUsage:
        """Admins see the whole server; a federation's promoter may see that federation."""
        since: datetime = day_start(self._clock.now()) - timedelta(days=USAGE_DAYS - 1)
        if federation_id is None:
            if not actor.manage_server:
                raise PermissionDenied(
                    "Only members with Manage Server can see the whole server's usage; "
                    "a promoter can ask for their own federation."
                )
            rows = await self._calls.usage(guild_id=actor.guild_id, since=since)
            return LLMUsage(federation=None, days=USAGE_DAYS, rows=tuple(rows))
        try:
            federation = await self._repos.federations.get_in_guild(actor.guild_id, federation_id)
        except NotFound:
            raise gone("federation") from None
        actor.require_promoter(federation)
        rows = await self._calls.usage(federation_id=federation.id, since=since)
        return LLMUsage(federation=federation, days=USAGE_DAYS, rows=tuple(rows))

    async def models(self) -> LLMModels:
        aliases = {
            alias: f"{entry.provider}/{entry.model}"
            for alias, entry in sorted(self._settings.models.items())
        }
        names = list(self._settings.providers)
        listed = await asyncio.gather(*(self._list(name) for name in names))
        return LLMModels(aliases=aliases, providers=tuple(listed))

    async def _list(self, name: str) -> ProviderModels:
        status = self._provider_status(name)
        provider = self._providers.get(name)
        if provider is None:
            return ProviderModels(provider=name, problem=status.problem or "not available")
        try:
            models = await asyncio.wait_for(provider.list_models(), MODELS_DEADLINE_S)
        except TimeoutError:
            return ProviderModels(provider=name, problem="did not answer in time")
        except Exception as exc:
            return ProviderModels(provider=name, problem=_problem(exc))
        return ProviderModels(provider=name, models=tuple(sorted(models))[:MAX_MODELS_SHOWN])
