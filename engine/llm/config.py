"""LLM settings (providers, model aliases, prices, budgets) and model resolution."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from engine.errors import InvalidInput
from engine.models.base import Frozen
from engine.models.league import LLMConfig

OFFLINE = "offline"
ENV_VAR_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"


class ProviderKind(StrEnum):
    OFFLINE = "offline"
    ANTHROPIC = "anthropic"
    OPENAI = "openai"
    OPENAI_COMPATIBLE = "openai_compatible"  # Ollama, vLLM, OpenRouter, LM Studio by base_url


class StructuredMode(StrEnum):
    """How a provider is asked for JSON.

    native: the vendor's schema mode (Anthropic output_config json_schema; OpenAI
            response_format json_schema, strict);
    tool:   Anthropic only, a forced tool call whose input_schema is the response schema;
    prompt: plain text, then a strict parse of the first JSON object in the reply."""

    NATIVE = "native"
    TOOL = "tool"
    PROMPT = "prompt"


class LLMRole(StrEnum):
    """What an LLM call is for; each role may have its own default model."""

    AGENT = "agent"  # a wrestler choosing actions
    NARRATOR = "narrator"
    WRITER = "writer"  # rewrites and match scripts
    PROMO = "promo"
    BOOKER = "booker"


class ModelPrice(Frozen):
    """USD per million tokens."""

    input_per_mtok: float = Field(default=0.0, ge=0.0)
    output_per_mtok: float = Field(default=0.0, ge=0.0)
    cached_input_per_mtok: float = Field(default=0.0, ge=0.0)


class ModelOptions(Frozen):
    """Per-model request options a provider needs (keyed by the vendor's model name).

    reasoning: OpenAI ``reasoning_effort`` ("none", "minimal", "low", ...); Anthropic
    "disabled" sends ``thinking={"type": "disabled"}``, "low"/"medium"/"high" send
    ``output_config.effort``. None sends nothing (for models without the option).
    temperature: send the request's temperature (None = the provider's default: OpenAI yes,
    Anthropic no; this Anthropic SDK has no temperature parameter)."""

    reasoning: str | None = None
    temperature: bool | None = None


class ModelAlias(Frozen):
    provider: str
    model: str = Field(min_length=1)
    reasoning: str | None = None
    temperature: bool | None = None
    price: ModelPrice = ModelPrice()

    @property
    def options(self) -> ModelOptions:
        return ModelOptions(reasoning=self.reasoning, temperature=self.temperature)


class ProviderSettings(Frozen):
    kind: ProviderKind
    base_url: str | None = None
    api_key_env: str | None = Field(default=None, pattern=ENV_VAR_PATTERN)  # the NAME of the var
    default_model: str | None = None
    max_concurrency: int = Field(default=4, ge=1, le=256)
    call_limit_per_match: int = Field(default=400, ge=1)
    structured: StructuredMode = StructuredMode.NATIVE
    sdk_max_retries: int = Field(default=1, ge=0, le=1)  # our deadline decides, not the SDK
    retry: bool = True  # one retry of 429/5xx within the deadline (wrappers.Retrying)

    @property
    def supports_json_schema(self) -> bool:
        return self.structured is StructuredMode.NATIVE

    @model_validator(mode="after")
    def _check(self) -> ProviderSettings:
        if self.structured is StructuredMode.TOOL and self.kind is not ProviderKind.ANTHROPIC:
            raise ValueError("structured = 'tool' is only available for kind = 'anthropic'")
        if self.kind is ProviderKind.OPENAI_COMPATIBLE and not self.base_url:
            raise ValueError("an openai_compatible provider needs a base_url")
        return self


def _default_providers() -> dict[str, ProviderSettings]:
    return {OFFLINE: ProviderSettings(kind=ProviderKind.OFFLINE, default_model=OFFLINE)}


class LLMSettings(Frozen):
    default_provider: str = OFFLINE
    default_model: str = OFFLINE
    roles: dict[LLMRole, LLMConfig] = Field(default_factory=dict)
    providers: dict[str, ProviderSettings] = Field(default_factory=_default_providers)
    models: dict[str, ModelAlias] = Field(default_factory=dict)
    daily_budget_usd: float = Field(default=2.0, ge=0.0)  # per guild
    deadline_s: float = Field(default=8.0, gt=0.0, le=120.0)
    max_output_tokens: int = Field(default=300, ge=1, le=8192)

    @model_validator(mode="after")
    def _check_references(self) -> LLMSettings:
        if self.default_provider not in self.providers:
            raise ValueError(f"default_provider {self.default_provider!r} is not in providers")
        for alias, entry in self.models.items():
            if entry.provider not in self.providers:
                raise ValueError(f"models.{alias}.provider {entry.provider!r} is not in providers")
            if entry.reasoning is not None:
                _check_reasoning(self.providers[entry.provider].kind, entry.reasoning, alias)
        for role, config in self.roles.items():
            if config.provider is not None and config.provider not in self.providers:
                raise ValueError(f"roles.{role}.provider {config.provider!r} is not in providers")
        return self

    def role_default(self, role: LLMRole) -> LLMConfig | None:
        return self.roles.get(role)

    def price(self, provider: str, model: str) -> ModelPrice:
        """The price of a vendor model (from the alias naming it); free when not listed."""
        for entry in self.models.values():
            if entry.provider == provider and entry.model == model:
                return entry.price
        return ModelPrice()

    def price_table(self, provider: str) -> dict[str, ModelPrice]:
        """Vendor model name -> price, for one provider."""
        return {e.model: e.price for e in self.models.values() if e.provider == provider}

    def model_options(self, provider: str) -> dict[str, ModelOptions]:
        """Vendor model name -> request options, for one provider."""
        return {e.model: e.options for e in self.models.values() if e.provider == provider}


_REASONING = {
    ProviderKind.OPENAI: {"none", "minimal", "low", "medium", "high", "xhigh", "max"},
    ProviderKind.OPENAI_COMPATIBLE: {"none", "minimal", "low", "medium", "high", "xhigh", "max"},
    ProviderKind.ANTHROPIC: {"disabled", "low", "medium", "high", "xhigh", "max"},
    ProviderKind.OFFLINE: set(),
}


def _check_reasoning(kind: ProviderKind, reasoning: str, alias: str) -> None:
    allowed = _REASONING[kind]
    if reasoning not in allowed:
        choices = ", ".join(sorted(allowed)) or "none for this provider"
        raise ValueError(f"models.{alias}.reasoning {reasoning!r} is not one of: {choices}")


def resolve_model(
    wrestler_llm: LLMConfig | None,
    role_default: LLMConfig | None,
    federation_llm: LLMConfig | None,
    settings: LLMSettings,
) -> tuple[str, str]:
    """(provider name, vendor model) for a call.

    The first level that names a model or a provider wins: wrestler override -> role
    default -> federation default -> config default. A model that is an alias expands to
    the alias's provider and model. A bare model name takes the provider named at the same
    level, else the next provider named further down the chain. A level naming only a
    provider uses that provider's default_model."""
    chain = [c for c in (wrestler_llm, role_default, federation_llm) if c is not None]
    chain.append(LLMConfig(provider=settings.default_provider, model=settings.default_model))
    for index, level in enumerate(chain):
        if level.model is None and level.provider is None:
            continue
        if level.model is not None and level.model in settings.models:
            alias = settings.models[level.model]
            return alias.provider, alias.model
        provider = level.provider or next(
            (c.provider for c in chain[index + 1 :] if c.provider is not None),
            settings.default_provider,
        )
        settings_for = settings.providers.get(provider)
        if settings_for is None:
            raise InvalidInput(f"Unknown LLM provider '{provider}'.")
        model = level.model or settings_for.default_model
        if model is None:
            raise InvalidInput(f"LLM provider '{provider}' has no default model; name a model.")
        if settings_for.kind is ProviderKind.OFFLINE:
            model = OFFLINE
        return provider, model
    return settings.default_provider, settings.default_model  # not reached: the last level is set
