"""ConfirmView: Confirm / Cancel buttons only the caller can press; a timeout disables them."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable

import discord

from bot.services.text import escape_markdown
from engine.errors import GameError

CONFIRM_TIMEOUT_S = 60.0


class ConfirmView(discord.ui.View):
    """After ``wait()``: ``confirmed`` is True, False (cancelled) or None (timed out), and
    ``answer(text)`` replaces the prompt through the button press that decided it."""

    def __init__(self, caller_id: int, *, timeout: float = CONFIRM_TIMEOUT_S) -> None:
        super().__init__(timeout=timeout)
        self.caller_id = caller_id
        self.confirmed: bool | None = None
        self._decider: discord.Interaction | None = None
        self._prompt: discord.Interaction | None = None

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.user.id != self.caller_id:
            await interaction.response.send_message(
                "Only the person who ran the command can press these buttons.", ephemeral=True
            )
            return False
        return True

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        self._decide(interaction, True)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        self._decide(interaction, False)

    def _decide(self, interaction: discord.Interaction, confirmed: bool) -> None:
        self.confirmed = confirmed
        self._decider = interaction
        self.stop()

    async def ask(self, interaction: discord.Interaction, prompt: str) -> bool | None:
        """Sends the prompt with the buttons as the reply to ``interaction`` and waits."""
        self._prompt = interaction
        await interaction.response.send_message(prompt, view=self)
        await self.wait()
        return self.confirmed

    async def answer(self, text: str) -> None:
        """Replaces the prompt (buttons removed) with the outcome."""
        if self._decider is not None and not self._decider.response.is_done():
            await self._decider.response.edit_message(content=text, view=None)
        elif self._prompt is not None:
            # the prompt may have been deleted: then there is nothing left to update
            with contextlib.suppress(discord.HTTPException):
                await self._prompt.edit_original_response(content=text, view=None)


async def confirm_then(
    interaction: discord.Interaction,
    prompt: str,
    action: Callable[[], Awaitable[str]],
    *,
    wait_s: float = CONFIRM_TIMEOUT_S,
) -> None:
    """Asks the caller to confirm, then runs ``action`` (its text replaces the prompt). A
    GameError from the action is shown in place of the prompt too."""
    view = ConfirmView(interaction.user.id, timeout=wait_s)
    confirmed = await view.ask(interaction, prompt)
    if confirmed is None:
        await view.answer("Timed out: nothing was changed.")
        return
    if not confirmed:
        await view.answer("Cancelled: nothing was changed.")
        return
    try:
        outcome = await action()
    except GameError as exc:
        await view.answer(f"Nothing was changed: {escape_markdown(exc.message)}")
        return
    except Exception:
        await view.answer("Something went wrong; the error was logged for the bot's host.")
        raise
    await view.answer(outcome)
