"""LLM settings parse from the config.toml [llm] block; model resolution follows the chain."""

from __future__ import annotations

import tomllib

import pytest
from pydantic import ValidationError

from engine.errors import InvalidInput
from engine.llm.config import (
    LLMRole,
    LLMSettings,
    ModelOptions,
    ModelPrice,
    ProviderKind,
    StructuredMode,
    resolve_model,
)
from engine.models.league import LLMConfig

# The block proposed for config.toml (kept in sync with the report).
CONFIG_TOML = """
[llm]
default_provider = "offline"    # no keys, no network: `llmfed demo` works out of the box
default_model = "offline"
daily_budget_usd = 2.0          # per guild; resets at 00:00 UTC
deadline_s = 8.0                # per call, retries included
max_output_tokens = 300

# [llm.roles.narrator]          # role defaults sit between a wrestler's override and the
# model = "haiku"               # federation's default: agent, narrator, writer, promo, booker

[llm.providers.offline]
kind = "offline"
default_model = "offline"

[llm.providers.anthropic]
kind = "anthropic"
api_key_env = "ANTHROPIC_API_KEY"   # the variable's NAME; the key itself only in the env
default_model = "claude-haiku-4-5"
max_concurrency = 4
call_limit_per_match = 400
structured = "native"               # output_config json_schema; "tool" = forced tool call

[llm.providers.openai]
kind = "openai"
api_key_env = "OPENAI_API_KEY"
default_model = "gpt-5-mini"
max_concurrency = 4
call_limit_per_match = 400
structured = "native"               # response_format json_schema, strict

[llm.providers.ollama]
kind = "openai_compatible"          # also vLLM, LM Studio, OpenRouter (with api_key_env)
base_url = "http://127.0.0.1:11434/v1"
default_model = "llama3.2"
max_concurrency = 1
structured = "prompt"               # plain text + strict parse of the JSON object

[llm.models.haiku]
provider = "anthropic"
model = "claude-haiku-4-5"
reasoning = "disabled"
price = { input_per_mtok = 1.0, output_per_mtok = 5.0, cached_input_per_mtok = 0.10 }

[llm.models.sonnet]
provider = "anthropic"
model = "claude-sonnet-4-5"
reasoning = "disabled"
price = { input_per_mtok = 3.0, output_per_mtok = 15.0, cached_input_per_mtok = 0.30 }

[llm.models.gpt-mini]
provider = "openai"
model = "gpt-5-mini"
reasoning = "minimal"
temperature = false                 # reasoning models accept only the default temperature
price = { input_per_mtok = 0.25, output_per_mtok = 2.0, cached_input_per_mtok = 0.025 }

[llm.models.llama]
provider = "ollama"
model = "llama3.2"
"""


@pytest.fixture
def settings() -> LLMSettings:
    return LLMSettings.model_validate(tomllib.loads(CONFIG_TOML)["llm"])


def test_config_block_parses(settings: LLMSettings) -> None:
    assert settings.default_provider == "offline"
    assert settings.providers["ollama"].kind is ProviderKind.OPENAI_COMPATIBLE
    assert settings.providers["ollama"].structured is StructuredMode.PROMPT
    assert settings.providers["anthropic"].api_key_env == "ANTHROPIC_API_KEY"
    assert settings.models["gpt-mini"].price == ModelPrice(
        input_per_mtok=0.25, output_per_mtok=2.0, cached_input_per_mtok=0.025
    )
    assert settings.model_options("openai") == {
        "gpt-5-mini": ModelOptions(reasoning="minimal", temperature=False)
    }
    assert settings.price("anthropic", "claude-haiku-4-5").output_per_mtok == 5.0
    assert settings.price("anthropic", "unknown-model") == ModelPrice()


def test_empty_llm_section_means_offline() -> None:
    settings = LLMSettings()
    assert resolve_model(None, None, None, settings) == ("offline", "offline")


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"default_provider": "nope"}, "default_provider"),
        ({"models": {"x": {"provider": "nope", "model": "m"}}}, "models.x.provider"),
        (
            {"models": {"x": {"provider": "offline", "model": "m", "reasoning": "low"}}},
            "models.x.reasoning",
        ),
        ({"providers": {"offline": {"kind": "offline", "max_concurrency": 0}}}, "max_concurrency"),
        (
            {
                "providers": {
                    "offline": {"kind": "offline"},
                    "o": {"kind": "openai", "structured": "tool"},
                }
            },
            "tool",
        ),
        (
            {"providers": {"offline": {"kind": "offline"}, "l": {"kind": "openai_compatible"}}},
            "base_url",
        ),
        (
            {"providers": {"offline": {"kind": "offline", "api_key_env": "sk-abc def"}}},
            "api_key_env",
        ),
        ({"deadlin_s": 3}, "deadlin_s"),
    ],
)
def test_bad_settings_are_rejected_naming_the_key(change: dict[str, object], named: str) -> None:
    with pytest.raises(ValidationError) as raised:
        LLMSettings.model_validate(change)
    assert named in str(raised.value)


def test_wrestler_override_wins_and_aliases_expand(settings: LLMSettings) -> None:
    wrestler = LLMConfig(model="sonnet")
    role = LLMConfig(model="haiku")
    federation = LLMConfig(model="gpt-mini")
    assert resolve_model(wrestler, role, federation, settings) == (
        "anthropic",
        "claude-sonnet-4-5",
    )


def test_role_default_then_federation_then_config(settings: LLMSettings) -> None:
    empty = LLMConfig()
    assert resolve_model(empty, LLMConfig(model="haiku"), LLMConfig(model="llama"), settings) == (
        "anthropic",
        "claude-haiku-4-5",
    )
    assert resolve_model(empty, None, LLMConfig(model="llama"), settings) == ("ollama", "llama3.2")
    assert resolve_model(empty, None, LLMConfig(), settings) == ("offline", "offline")


def test_bare_model_takes_the_provider_named_further_down(settings: LLMSettings) -> None:
    wrestler = LLMConfig(model="gpt-5")
    federation = LLMConfig(provider="openai")
    assert resolve_model(wrestler, None, federation, settings) == ("openai", "gpt-5")


def test_provider_only_uses_its_default_model(settings: LLMSettings) -> None:
    assert resolve_model(LLMConfig(provider="ollama"), None, None, settings) == (
        "ollama",
        "llama3.2",
    )


def test_offline_provider_always_means_the_offline_model(settings: LLMSettings) -> None:
    assert resolve_model(LLMConfig(provider="offline", model="gpt-5"), None, None, settings) == (
        "offline",
        "offline",
    )


def test_unknown_provider_is_a_player_safe_error(settings: LLMSettings) -> None:
    with pytest.raises(InvalidInput, match="Unknown LLM provider 'mystery'"):
        resolve_model(LLMConfig(provider="mystery"), None, None, settings)


def test_provider_without_default_model_needs_a_model() -> None:
    settings = LLMSettings.model_validate(
        {"providers": {"offline": {"kind": "offline"}, "openai": {"kind": "openai"}}}
    )
    with pytest.raises(InvalidInput, match="no default model"):
        resolve_model(LLMConfig(provider="openai"), None, None, settings)


def test_role_defaults_are_looked_up_by_role(settings: LLMSettings) -> None:
    with_role = settings.model_copy(update={"roles": {LLMRole.NARRATOR: LLMConfig(model="haiku")}})
    assert with_role.role_default(LLMRole.NARRATOR) == LLMConfig(model="haiku")
    assert with_role.role_default(LLMRole.AGENT) is None
