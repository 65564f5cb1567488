"""Pure helpers of the Discord core: error texts, permissions, embed text, cog discovery."""

from __future__ import annotations

from datetime import UTC, datetime

import discord
import pytest
from discord import app_commands

from bot.discord.client import cog_modules, minimal_intents
from bot.discord.embeds import cap, safe, stars_text, stat_bar
from bot.discord.permissions import is_promoter
from bot.discord.tree import error_text
from engine.errors import NotFound, PermissionDenied
from engine.models import Federation

FED = Federation(
    id=1,
    guild_id=10,
    name="Home Fed",
    owner_user_id=42,
    created_at=datetime(2026, 1, 1, tzinfo=UTC),
)


def test_game_errors_behind_transformer_errors_keep_their_message() -> None:
    cause = NotFound("That wrestler no longer exists (or belongs to another server).")
    wrapped = app_commands.TransformerError(
        "7", discord.AppCommandOptionType.string, app_commands.Transformer()
    )
    wrapped.__cause__ = cause

    text, expected = error_text(wrapped)

    assert expected and text.startswith("That wrestler no longer exists")


def test_unexpected_errors_get_an_error_id_and_no_details() -> None:
    text, expected = error_text(app_commands.AppCommandError("secret stack detail"))

    assert not expected
    assert "error id" in text and "secret" not in text


def test_markdown_in_game_error_messages_is_escaped() -> None:
    text, _ = error_text(PermissionDenied("only **owner** may"))

    assert text == "only \\*\\*owner\\*\\* may"


@pytest.mark.parametrize(
    ("perms", "user_id", "allowed"),
    [
        (discord.Permissions.none(), 42, True),
        (discord.Permissions(manage_guild=True), 7, True),
        (discord.Permissions(administrator=True), 7, True),
        (discord.Permissions(send_messages=True), 7, False),
        (None, 7, False),
    ],
)
def test_promoter_is_owner_or_manage_server(
    perms: discord.Permissions | None, user_id: int, allowed: bool
) -> None:
    assert is_promoter(perms, user_id, FED) is allowed


def test_stat_bar_clamps_and_scales() -> None:
    assert stat_bar(50) == "█████░░░░░ 50"
    assert stat_bar(130) == "██████████ 100"
    assert stat_bar(-5) == "░░░░░░░░░░ 0"


def test_stars_text() -> None:
    assert stars_text(3.5) == "★★★½"
    assert stars_text(0) == "DUD"
    assert stars_text(None) == "unrated"


def test_safe_escapes_masked_links_and_caps() -> None:
    assert safe("[click](http://x)") == "\\[click\\]\\(http://x\\)"
    assert safe("   ") == "—"
    assert len(cap("x" * 300, 256)) == 256


def test_cog_discovery_finds_every_core_cog() -> None:
    found = cog_modules()

    assert {"cogs.federation", "cogs.wrestler", "cogs.title", "cogs.help", "cogs.admin"} <= set(
        found
    )
    assert all(not name.split(".")[-1].startswith("_") for name in found)


def test_intents_are_minimal() -> None:
    intents = minimal_intents()

    assert intents.guilds and not intents.message_content and not intents.members
