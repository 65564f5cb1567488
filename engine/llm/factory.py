"""Builds a ready provider from settings: SDK client, provider, then the wrappers around it."""

from __future__ import annotations

import importlib
from collections.abc import Mapping

from engine.errors import InvalidInput
from engine.llm.base import CallRecorder, LLMProvider
from engine.llm.config import LLMSettings, ProviderKind, ProviderSettings, StructuredMode
from engine.llm.errors import LLMAuthError, LLMError
from engine.llm.providers.offline import OfflineImplementation, OfflineProvider
from engine.llm.wrappers import Budgeted, CallLimited, ConcurrencyLimited, Recording, Retrying
from engine.ports import Clock

DEFAULT_KEY_ENV = {
    ProviderKind.ANTHROPIC: "ANTHROPIC_API_KEY",
    ProviderKind.OPENAI: "OPENAI_API_KEY",
}
DEFAULT_BASE_URL = {
    ProviderKind.ANTHROPIC: "https://api.anthropic.com",
    ProviderKind.OPENAI: "https://api.openai.com/v1",
}
# OpenAI-compatible servers without auth still need a non-empty key for the SDK.
KEYLESS_PLACEHOLDER = "not-needed"


def build_provider(
    name: str,
    settings: LLMSettings,
    env: Mapping[str, str],
    recorder: CallRecorder,
    clock: Clock,
    *,
    offline_registry: Mapping[str, OfflineImplementation] | None = None,
) -> LLMProvider:
    """Recording(Budgeted(CallLimited(Retrying(ConcurrencyLimited(provider))))) for a vendor;
    Recording(OfflineProvider) for offline. Keys come only from ``env``; a missing key raises
    LLMAuthError naming the variable (never its value)."""
    provider_settings = settings.providers.get(name)
    if provider_settings is None:
        raise InvalidInput(f"Unknown LLM provider '{name}'.")
    prices = settings.price_table(name)
    if provider_settings.kind is ProviderKind.OFFLINE:
        registry = offline_registry if offline_registry is not None else _default_registry()
        return Recording(OfflineProvider(registry, name=name), recorder, prices, clock.now)
    provider: LLMProvider = _vendor_provider(name, provider_settings, settings, env)
    provider = ConcurrencyLimited(
        provider, provider_settings.max_concurrency, monotonic=clock.monotonic
    )
    if provider_settings.retry:
        provider = Retrying(provider, monotonic=clock.monotonic)
    provider = CallLimited(provider, provider_settings.call_limit_per_match)
    provider = Budgeted(provider, recorder, prices, settings.daily_budget_usd, clock.now)
    return Recording(provider, recorder, prices, clock.now, monotonic=clock.monotonic)


def build_providers(
    settings: LLMSettings,
    env: Mapping[str, str],
    recorder: CallRecorder,
    clock: Clock,
    *,
    offline_registry: Mapping[str, OfflineImplementation] | None = None,
) -> tuple[dict[str, LLMProvider], dict[str, LLMError]]:
    """Every configured provider that can be built, and why the others could not."""
    built: dict[str, LLMProvider] = {}
    failed: dict[str, LLMError] = {}
    for name in settings.providers:
        try:
            built[name] = build_provider(
                name, settings, env, recorder, clock, offline_registry=offline_registry
            )
        except LLMError as exc:
            failed[name] = exc
    return built, failed


def api_key(name: str, provider_settings: ProviderSettings, env: Mapping[str, str]) -> str:
    """The provider's key from ``env``. Keyless OpenAI-compatible servers get a placeholder."""
    variable = provider_settings.api_key_env or DEFAULT_KEY_ENV.get(provider_settings.kind)
    if variable is None:
        return KEYLESS_PLACEHOLDER
    key = env.get(variable, "").strip()
    if not key:
        raise LLMAuthError(
            f"{name}: environment variable {variable} is not set",
            user_message=f"The AI provider '{name}' has no API key ({variable} is not set).",
        )
    return key


def _vendor_provider(
    name: str, provider_settings: ProviderSettings, settings: LLMSettings, env: Mapping[str, str]
) -> LLMProvider:
    # SDKs are imported here, inside the function, so offline-only set-ups never load them;
    # the provider modules are the only ones that import the SDK packages.
    key = api_key(name, provider_settings, env)
    kind = provider_settings.kind
    base_url = provider_settings.base_url or DEFAULT_BASE_URL.get(kind)
    options = settings.model_options(name)
    if kind is ProviderKind.ANTHROPIC:
        from engine.llm.providers.anthropic import AnthropicProvider
        from engine.llm.providers.clients import anthropic_client

        client = anthropic_client(key, base_url, provider_settings, settings.deadline_s)
        return AnthropicProvider(
            client, name, structured=provider_settings.structured, model_options=options
        )
    from engine.llm.providers.clients import openai_client
    from engine.llm.providers.openai import OpenAIProvider

    client_openai = openai_client(key, base_url, provider_settings, settings.deadline_s)
    return OpenAIProvider(
        client_openai,
        name,
        json_schema=provider_settings.structured is StructuredMode.NATIVE,
        model_options=options,
        legacy_max_tokens=kind is ProviderKind.OPENAI_COMPATIBLE,
    )


def _default_registry() -> Mapping[str, OfflineImplementation]:
    try:
        operations = importlib.import_module("engine.llm.operations")
    except ImportError:
        return {}
    registry: Mapping[str, OfflineImplementation] = operations.offline_registry()
    return registry
