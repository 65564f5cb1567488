"""Wires the LLM layer into the game: providers built once per process, controllers, narrator,
promo agents and writers resolved per match from wrestler, role, federation and config."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from bot.services.repos import Repos
from bot.settings import Settings
from engine.controllers.offline import OfflineController
from engine.llm.agents import LLMController, LLMNarrator, PromoAgent
from engine.llm.base import CallRecorder, LLMProvider, LLMRequest, LLMResponse
from engine.llm.config import LLMRole, ProviderKind, resolve_model
from engine.llm.errors import LLMBudgetExceeded, LLMError
from engine.llm.factory import build_providers
from engine.llm.rewrite import Writer
from engine.llm.script import LLMScriptWriter, OfflineScriptWriter, ScriptWriter
from engine.llm.wrappers import day_start
from engine.models import DomainEvent, Federation, Match, MatchState, Wrestler
from engine.models.enums import ControllerKind
from engine.models.league import LLMConfig
from engine.models.tick import AgentActionResponse, EventContext, TickResult
from engine.narration.offline import OfflineNarrator
from engine.ports import Clock, Controller, Narrator
from engine.runner.rewrites import DEFAULT_PERSONAS, RewriteTools, SegmentOutcome, offline_writers
from storage.llm_calls import LLMCallRepo, RewriteRepo
from storage.rewrite_rows import segment_rows

log = logging.getLogger(__name__)

BUDGET_EVENT = "llm.budget_exceeded"
DEADLINE_MARGIN = 0.05  # the provider's own timeout fires first, so the trace records it


class CallClock:
    """The app's now() (budget days, call times) with a real monotonic clock: latencies and
    deadlines are real even when the app runs on a manual clock (the demo's fixed date)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def now(self) -> datetime:
        return self._clock.now()

    def monotonic(self) -> float:
        return time.monotonic()


class BudgetNotices:
    """Appends ONE ``llm.budget_exceeded`` event per guild per UTC day (the promoter is told
    once), checking the event log so a restart does not repeat it."""

    def __init__(self, repos: Repos, clock: Clock) -> None:
        self._repos = repos
        self._clock = clock
        self._told: set[tuple[int, datetime]] = set()

    async def exceeded(self, guild_id: int, federation_id: int | None, reason: str) -> None:
        today = day_start(self._clock.now())
        key = (guild_id, today)
        if key in self._told:
            return
        self._told.add(key)
        already = await self._repos.db.fetchvalue(
            "SELECT 1 FROM events WHERE kind = ? AND at >= ? "
            "AND json_extract(payload_json, '$.guild_id') = ? LIMIT 1",
            (BUDGET_EVENT, today.isoformat(timespec="microseconds"), guild_id),
        )
        if already:
            return
        await self._repos.events.append(
            DomainEvent(
                kind=BUDGET_EVENT,
                federation_id=federation_id,
                at=self._clock.now(),
                payload={"guild_id": guild_id, "reason": reason},
            )
        )


class GameFacing:
    """The outermost wrapper the game sees: a request names its match (writers do not say),
    the provider's deadline is trimmed a little so that its own timeout (recorded in the
    trace) beats the caller's, and a refused budget is reported once per guild and day."""

    def __init__(self, inner: LLMProvider, wiring: LLMWiring, match_id: int | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self._wiring = wiring
        self._match_id = match_id

    def for_match(self, match_id: int) -> GameFacing:
        return GameFacing(self.inner, self._wiring, match_id)

    async def complete(self, request: LLMRequest) -> LLMResponse:
        update: dict[str, object] = {
            "deadline_s": max(0.05, request.deadline_s * (1 - DEADLINE_MARGIN))
        }
        if request.match_id is None and self._match_id is not None:
            update["match_id"] = self._match_id
        try:
            return await self.inner.complete(request.model_copy(update=update))
        except LLMBudgetExceeded as exc:
            if request.guild_id is not None:
                await self._wiring.budget_exceeded(request, exc)
            raise

    async def list_models(self) -> list[str]:
        return await self.inner.list_models()

    async def aclose(self) -> None:
        await self.inner.aclose()


class BrokenProviderController:
    """An llm wrestler whose provider could not be built: every decision fails with the build
    error, so the runner plays the offline policy and records why on the engine request."""

    kind = ControllerKind.LLM

    def __init__(self, error: LLMError) -> None:
        self.error = error

    async def decide(self, context: EventContext) -> AgentActionResponse:
        raise self.error


class LLMWiring:
    """Providers (factory-built once, with the storage recorder and the app clock) and the
    agents the services need. Federations are resolved through the repos when a match or
    promo starts and cached, because controllers are asked for synchronously every tick."""

    def __init__(
        self,
        settings: Settings,
        repos: Repos,
        clock: Clock,
        *,
        env: Mapping[str, str] | None = None,
        providers: Mapping[str, LLMProvider] | None = None,
        recorder: CallRecorder | None = None,
    ) -> None:
        self.settings = settings
        self.llm = settings.llm
        self.repos = repos
        self.clock = clock
        self.recorder: CallRecorder = recorder or LLMCallRepo(repos.db)
        self.rewrite_repo = RewriteRepo(repos.db)
        self.failures: dict[str, LLMError] = {}
        if providers is None:
            built, self.failures = build_providers(
                self.llm, os.environ if env is None else env, self.recorder, CallClock(clock)
            )
        else:
            built = dict(providers)
        self.providers = {name: GameFacing(p, self) for name, p in built.items()}
        self._notices = BudgetNotices(repos, clock)
        self._federations: dict[int, Federation] = {}
        self._guild_federation: dict[int, int] = {}
        self._controllers: dict[tuple[int, str, str], Controller] = {}
        self._offline_narrator = OfflineNarrator()
        decision = settings.engine.decision_deadline_s
        self.decision_deadline_s = min(self.llm.deadline_s, decision * 0.95)
        self.narration_deadline_s = min(
            self.llm.deadline_s, settings.engine.narration_deadline_s * 0.95
        )

    # --- per match / federation ----------------------------------------------------------
    async def prepare_federation(self, federation_id: int) -> Federation:
        federation = self._federations.get(federation_id)
        if federation is None:
            federation = await self.repos.federations.get(federation_id)
            self._federations[federation_id] = federation
            self._guild_federation.setdefault(federation.guild_id, federation_id)
        return federation

    async def prepare_match(self, match: Match) -> None:
        """Resolve the federation once per match start (controllers are asked every tick)."""
        await self.prepare_federation(match.federation_id)

    def guild_of(self, federation_id: int) -> int | None:
        federation = self._federations.get(federation_id)
        return None if federation is None else federation.guild_id

    def resolve(
        self, role: LLMRole, federation_id: int | None, wrestler_llm: LLMConfig | None = None
    ) -> tuple[str, str]:
        federation = self._federations.get(federation_id) if federation_id is not None else None
        return resolve_model(
            wrestler_llm,
            self.llm.role_default(role),
            federation.llm if federation else None,
            self.llm,
        )

    def _temperature(self, role: LLMRole, wrestler_llm: LLMConfig | None, default: float) -> float:
        for level in (wrestler_llm, self.llm.role_default(role)):
            if level is not None and level.temperature is not None:
                return level.temperature
        return default

    def is_offline(self, provider: str) -> bool:
        settings = self.llm.providers.get(provider)
        return settings is not None and settings.kind is ProviderKind.OFFLINE

    # --- ports -----------------------------------------------------------------------------
    def controller_for(self, wrestler: Wrestler) -> Controller:
        """offline -> the offline policy. player -> the offline policy too until the Discord
        buttons land. llm -> an LLMController on the resolved provider/model; a provider that
        could not be built makes every decision fall back, with the build error as reason."""
        if wrestler.controller is not ControllerKind.LLM:
            return OfflineController()
        provider_name, model = self.resolve(LLMRole.AGENT, wrestler.federation_id, wrestler.llm)
        key = (wrestler.id, provider_name, model)
        controller = self._controllers.get(key)
        if controller is None:
            controller = self._build_controller(wrestler, provider_name, model)
            self._controllers[key] = controller
        return controller

    def _build_controller(self, wrestler: Wrestler, provider_name: str, model: str) -> Controller:
        provider = self.providers.get(provider_name)
        if provider is None:
            failure = self.failures.get(provider_name) or LLMError(
                f"provider {provider_name} is not configured"
            )
            return BrokenProviderController(failure)
        return LLMController(
            provider,
            model,
            temperature=self._temperature(LLMRole.AGENT, wrestler.llm, 0.7),
            deadline_s=self.decision_deadline_s,
            guild_id=self.guild_of(wrestler.federation_id),
        )

    def narrator(self) -> Narrator:
        return WiredNarrator(self)

    def narrator_for(self, federation_id: int) -> Narrator:
        provider_name, model = self.resolve(LLMRole.NARRATOR, federation_id)
        provider = self.providers.get(provider_name)
        if provider is None or self.is_offline(provider_name):
            return self._offline_narrator
        return LLMNarrator(
            provider,
            model,
            fallback=self._offline_narrator,
            temperature=self._temperature(LLMRole.NARRATOR, None, 0.9),
            deadline_s=self.narration_deadline_s,
            guild_id=self.guild_of(federation_id),
        )

    def promo_agents(self, cast: Sequence[Wrestler]) -> dict[int, PromoAgent]:
        """LLM voices for the llm-controlled participants (the others speak offline lines)."""
        agents: dict[int, PromoAgent] = {}
        for wrestler in cast:
            if wrestler.controller is not ControllerKind.LLM:
                continue
            provider_name, model = self.resolve(LLMRole.PROMO, wrestler.federation_id, wrestler.llm)
            provider = self.providers.get(provider_name)
            if provider is None:
                continue
            agents[wrestler.id] = PromoAgent(
                provider,
                model,
                temperature=self._temperature(LLMRole.PROMO, wrestler.llm, 0.9),
                deadline_s=self.llm.deadline_s,
            )
        return agents

    def writers_for(self, match: Match) -> list[Writer]:
        """The rewrite writers: the default personas on the writer role's model (offline
        unless a writer role, federation or config default names a provider)."""
        provider_name, model = self.resolve(LLMRole.WRITER, match.federation_id)
        provider = self.providers.get(provider_name)
        if provider is None or self.is_offline(provider_name):
            return offline_writers()
        facing = self.providers[provider_name].for_match(match.id)
        return [
            Writer(
                name=f"{name}@{model}",
                provider=facing,
                model=model,
                persona=persona,
                deadline_s=max(self.llm.deadline_s, 20.0),
            )
            for name, persona in DEFAULT_PERSONAS
        ]

    def script_writer_for(self, match: Match) -> ScriptWriter:
        provider_name, model = self.resolve(LLMRole.WRITER, match.federation_id)
        if provider_name not in self.providers or self.is_offline(provider_name):
            return OfflineScriptWriter()
        return LLMScriptWriter(
            self.providers[provider_name].for_match(match.id),
            model,
            guild_id=self.guild_of(match.federation_id),
        )

    def rewrite_tools(self) -> RewriteTools:
        return RewriteTools(
            writers_for=self.writers_for,
            script_writer_for=self.script_writer_for,
            save_segment=self.save_segment,
            segment_ticks=self.settings.engine.rewrite_segment_ticks,
            guild_for=lambda match: self.guild_of(match.federation_id),
        )

    async def save_segment(self, outcome: SegmentOutcome) -> None:
        await self.rewrite_repo.save_segment(segment_rows(outcome))

    async def budget_exceeded(self, request: LLMRequest, exc: LLMBudgetExceeded) -> None:
        if exc.fallback.value != "offline_for_day" or request.guild_id is None:
            return
        federation_id = self._guild_federation.get(request.guild_id)
        await self._notices.exceeded(request.guild_id, federation_id, exc.reason)

    async def aclose(self) -> None:
        for provider in self.providers.values():
            try:
                await provider.aclose()
            except LLMError as exc:
                log.warning("closing %s failed: %s", provider.name, exc.reason)


class WiredNarrator:
    """The match narrator: per federation, the narrator role's model, else the offline one."""

    def __init__(self, wiring: LLMWiring) -> None:
        self._wiring = wiring

    async def narrate(
        self, before: MatchState, tick: TickResult, after: MatchState, recent: Sequence[str]
    ) -> str:
        federation_id = before.setup.sheets[0].federation_id
        narrator = self._wiring.narrator_for(federation_id)
        return await narrator.narrate(before, tick, after, recent)


def wiring(
    settings: Settings,
    clock: Clock,
    *,
    env: Mapping[str, str] | None = None,
    providers: Mapping[str, LLMProvider] | None = None,
) -> Callable[[Repos], LLMWiring]:
    """What App(llm=...) takes: builds the wiring once the repositories exist."""
    return lambda repos: LLMWiring(settings, repos, clock, env=env, providers=providers)
