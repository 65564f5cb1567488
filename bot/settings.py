"""Settings: config.toml defaults, LLMFED_SECTION__KEY environment overrides, one-line errors."""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.errors import GameError
from engine.llm.config import LLMSettings

ENV_PREFIX = "LLMFED_"
CONFIG_ENV = "LLMFED_CONFIG"


class SettingsError(GameError):
    """A bad setting: the message names the key."""


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StorageSettings(_Section):
    path: str = "llmfed.db"


class EngineSettings(_Section):
    max_ticks: int = Field(default=50, ge=5, le=500)
    decision_deadline_s: float = Field(default=8.0, gt=0, le=120)
    narration_deadline_s: float = Field(default=8.0, gt=0, le=120)
    tick_interval_s: float = Field(default=4.0, ge=0, le=300)
    rewrite_segment_ticks: int = Field(default=8, ge=2, le=50)


class DiscordSettings(_Section):
    dev_guild_id: int | None = None
    api_base: str | None = None  # only for tests/proxies: the REST base URL
    messages_per_window: int = Field(default=5, ge=1, le=50)
    window_s: float = Field(default=5.0, gt=0, le=60)
    vote_window_s: float = Field(default=90.0, ge=5, le=3600)
    player_turn_s: float = Field(default=60.0, ge=5, le=900)
    script_deadline_s: float = Field(default=300.0, ge=5, le=3600)
    crowd_heat_per_reaction: float = Field(default=0.5, ge=0, le=5)
    crowd_heat_cap: float = Field(default=5.0, ge=0, le=25)


class SchedulerSettings(_Section):
    misfire_grace_s: int = Field(default=3600, ge=0, le=7 * 24 * 3600)
    reminder_before_s: int = Field(default=3600, ge=0, le=7 * 24 * 3600)
    live_tick_check_s: float = Field(default=1.0, gt=0, le=60)


class Settings(_Section):
    storage: StorageSettings = StorageSettings()
    engine: EngineSettings = EngineSettings()
    discord: DiscordSettings = DiscordSettings()
    scheduler: SchedulerSettings = SchedulerSettings()
    llm: LLMSettings = LLMSettings()


def _env_value(raw: str) -> Any:
    text = raw.strip()
    if text[:1] in "[{":
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return raw
    return raw


def _apply_env(data: dict[str, Any], env: Mapping[str, str]) -> dict[str, Any]:
    for name, raw in env.items():
        if not name.startswith(ENV_PREFIX) or name == CONFIG_ENV or "__" not in name:
            continue
        path = name[len(ENV_PREFIX) :].lower().split("__")
        node = data
        for part in path[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise SettingsError(f"setting {'.'.join(path)}: {part} is not a section")
            node = child
        node[path[-1]] = _env_value(raw)
    return data


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    key = ".".join(str(p) for p in error["loc"])
    return f"bad setting {key}: {error['msg']}"


def load_settings(path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Defaults <- config file <- environment. Raises SettingsError naming the bad key."""
    env = os.environ if env is None else env
    config_path = Path(path) if path else Path(env.get(CONFIG_ENV, "config.toml"))
    data: dict[str, Any] = {}
    if config_path.is_file():
        try:
            data = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"cannot read {config_path}: {exc}") from exc
    elif path or CONFIG_ENV in env:
        raise SettingsError(f"config file {config_path} does not exist")
    data = _apply_env(data, env)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(_first_error(exc)) from exc
