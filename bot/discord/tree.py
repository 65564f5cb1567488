"""LLMFedTree: the command tree; on_error turns every failure into a specific ephemeral reply."""

from __future__ import annotations

import logging
import secrets

import discord
from discord import app_commands

from engine.errors import GameError

log = logging.getLogger(__name__)

MAX_REPLY = 1900


def game_error_of(error: BaseException) -> GameError | None:
    """The GameError behind ``error`` (commands and transformers wrap what they raise)."""
    seen: BaseException | None = error
    for _ in range(5):
        if seen is None:
            return None
        if isinstance(seen, GameError):
            return seen
        seen = getattr(seen, "original", None) or seen.__cause__
    return None


def error_text(error: BaseException) -> tuple[str, bool]:
    """The player-facing text for ``error`` and whether it was expected (no logging needed)."""
    game = game_error_of(error)
    if game is not None:
        return discord.utils.escape_markdown(game.message)[:MAX_REPLY], True
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works inside a server.", True
    if isinstance(error, app_commands.MissingPermissions):
        missing = ", ".join(p.replace("_", " ") for p in error.missing_permissions)
        return f"You need the {missing} permission for that.", True
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down: try again in {error.retry_after:.0f} s.", True
    if isinstance(error, app_commands.TransformerError):
        return f"That {error.type.name} value is not valid here.", True
    if isinstance(error, app_commands.CommandNotFound):
        return "That command no longer exists; Discord may still be updating its list.", True
    if isinstance(error, app_commands.CommandSignatureMismatch):
        return "That command changed; please try again in a minute.", True
    if isinstance(error, app_commands.CheckFailure):
        return "You cannot use this command here.", True
    error_id = secrets.token_hex(4)
    return f"Something went wrong (error id `{error_id}`). The bot's host can look it up.", False


async def send_ephemeral(interaction: discord.Interaction, text: str) -> None:
    """Reply, or follow up when the interaction was already answered or deferred."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not deliver an error reply for interaction %s", interaction.id)


class LLMFedTree(app_commands.CommandTree):
    """Guild-only commands; a bot that is shutting down takes no new work."""

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        stopping = getattr(interaction.client, "stopping", False)
        if stopping and interaction.type is not discord.InteractionType.autocomplete:
            await send_ephemeral(interaction, "The bot is restarting; try again in a minute.")
            return False
        if interaction.guild_id is None:
            if interaction.type is not discord.InteractionType.autocomplete:
                await send_ephemeral(interaction, "LLMFed commands only work inside a server.")
            return False
        return True

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError, /
    ) -> None:
        text, expected = error_text(error)
        if not expected:
            error_id = text.split("`")[1]
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error("error %s in /%s", error_id, command, exc_info=error)
        if interaction.type is discord.InteractionType.autocomplete:
            return  # an autocomplete has no message to answer with
        await send_ephemeral(interaction, text)
