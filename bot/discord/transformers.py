"""Option transformers for domain entities: guild-scoped autocomplete in, loaded entity out.

Autocomplete offers up to 25 entities of the caller's server (prefix matches first, then
substring, then close spellings) with the id as the value; ``transform`` accepts that id or
an exact name and loads the entity in the caller's server, or raises NotFound with a message
that says it no longer exists (or belongs to another server)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Any

import discord
from discord import app_commands

from bot.services.lookup import GuildLookup, Suggestion
from engine.errors import GameError, InvalidInput
from engine.models import (
    Alignment,
    Championship,
    ControllerKind,
    Federation,
    Match,
    Show,
    StylePreset,
    Tier,
    Wrestler,
)

log = logging.getLogger(__name__)

MAX_REF_LENGTH = 100


def lookup_of(interaction: discord.Interaction) -> GuildLookup:
    lookup = getattr(interaction.client, "lookup", None)
    if not isinstance(lookup, GuildLookup):
        raise GameError("The bot is still starting; try again in a moment.")
    return lookup


def _guild(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise InvalidInput("LLMFed commands only work inside a server.")
    return interaction.guild_id


def _ref(value: Any, noun: str) -> str:
    text = str(value).strip()
    if not text:
        raise InvalidInput(f"Pick a {noun} from the list.")
    if len(text) > MAX_REF_LENGTH:
        raise InvalidInput(f"That {noun} name is too long.")
    return text


class _EntityTransformer(app_commands.Transformer):
    noun = "entity"

    def _search(
        self, lookup: GuildLookup
    ) -> Callable[[int, str], Awaitable[list[Suggestion]]]:  # pragma: no cover - abstract
        raise NotImplementedError

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: int | float | str, /
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        current = str(value)[:MAX_REF_LENGTH]
        try:
            found = await self._search(lookup_of(interaction))(interaction.guild_id, current)
        except GameError:
            return []
        except Exception:
            log.exception("autocomplete for %s failed", self.noun)
            return []
        return [app_commands.Choice(name=s.label, value=s.value) for s in found[:25]]


class FederationT(_EntityTransformer):
    noun = "federation"

    def _search(self, lookup: GuildLookup) -> Callable[[int, str], Awaitable[list[Suggestion]]]:
        return lookup.suggest_federations

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> Federation:
        return await lookup_of(interaction).federation_ref(
            _guild(interaction), _ref(value, self.noun)
        )


class WrestlerT(_EntityTransformer):
    noun = "wrestler"

    def _search(self, lookup: GuildLookup) -> Callable[[int, str], Awaitable[list[Suggestion]]]:
        return lookup.suggest_wrestlers

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> Wrestler:
        return await lookup_of(interaction).wrestler_ref(
            _guild(interaction), _ref(value, self.noun)
        )


class TitleT(_EntityTransformer):
    noun = "title"

    def _search(self, lookup: GuildLookup) -> Callable[[int, str], Awaitable[list[Suggestion]]]:
        return lookup.suggest_titles

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> Championship:
        return await lookup_of(interaction).title_ref(_guild(interaction), _ref(value, self.noun))


class MatchT(_EntityTransformer):
    noun = "match"

    def _search(self, lookup: GuildLookup) -> Callable[[int, str], Awaitable[list[Suggestion]]]:
        return lookup.suggest_matches

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> Match:
        return await lookup_of(interaction).match_ref(_guild(interaction), _ref(value, self.noun))


class ShowT(_EntityTransformer):
    noun = "show"

    def _search(self, lookup: GuildLookup) -> Callable[[int, str], Awaitable[list[Suggestion]]]:
        return lookup.suggest_shows

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> Show:
        return await lookup_of(interaction).show_ref(_guild(interaction), _ref(value, self.noun))


# Cogs annotate options with these: ``federation: FederationOption``.
FederationOption = app_commands.Transform[Federation, FederationT]
WrestlerOption = app_commands.Transform[Wrestler, WrestlerT]
TitleOption = app_commands.Transform[Championship, TitleT]
MatchOption = app_commands.Transform[Match, MatchT]
ShowOption = app_commands.Transform[Show, ShowT]


class EnumChoice(app_commands.Transformer):
    """A fixed list of choices from a StrEnum, shown in lower case with spaces; a value that
    is not one of them (a stale client, a crafted payload) is a clear InvalidInput."""

    def __init__(self, enum: type[StrEnum], noun: str) -> None:
        self._enum = enum
        self._noun = noun

    @property
    def choices(self) -> list[app_commands.Choice[str]]:  # type: ignore[override]
        return [
            app_commands.Choice(name=member.value.replace("_", " "), value=member.value)
            for member in self._enum
        ]

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> StrEnum:
        try:
            return self._enum(str(value))
        except ValueError:
            allowed = ", ".join(member.value for member in self._enum)
            raise InvalidInput(f"Unknown {self._noun}: pick one of {allowed}.") from None


TierOption = app_commands.Transform[Tier, EnumChoice(Tier, "tier")]
AlignmentOption = app_commands.Transform[Alignment, EnumChoice(Alignment, "alignment")]
StyleOption = app_commands.Transform[StylePreset, EnumChoice(StylePreset, "style")]
ControllerOption = app_commands.Transform[ControllerKind, EnumChoice(ControllerKind, "controller")]
