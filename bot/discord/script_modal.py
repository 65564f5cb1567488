"""The "Submit script" button of a live full_rewrite match and the modal it opens.

The button's custom id is ``llmfed:script:{match_id}``, answered by a persistent dynamic item,
so it keeps working after a restart. Only the promoter or the match's named writer may press
it (others are refused, ephemerally); the modal takes the script as text (see
``bot.live.script_text``) and the reply (accepted, or the numbered problems) is ephemeral.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import discord

from bot.discord.permissions import has_manage_server
from engine.errors import GameError

if TYPE_CHECKING:
    from bot.live.script_desk import ScriptDesks

log = logging.getLogger(__name__)

CUSTOM_ID_PREFIX = "llmfed:script:"
SCRIPT_MAX_CHARS = 4000
STARTING = "The bot is still starting; try again in a moment."
DesksOf = Callable[[discord.Client], "ScriptDesks | None"]


def script_custom_id(match_id: int) -> str:
    return f"{CUSTOM_ID_PREFIX}{match_id}"


def script_view(match_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(
            label="Submit script",
            emoji="📝",
            style=discord.ButtonStyle.primary,
            custom_id=script_custom_id(match_id),
        )
    )
    return view


class ScriptModal(discord.ui.Modal):
    script: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Script: one beat per line, then the finish",
        custom_id="script",
        style=discord.TextStyle.paragraph,
        placeholder="Atlas Grimm: grapple - powerbomb\n...\nfinish: Atlas Grimm by pinfall",
        max_length=SCRIPT_MAX_CHARS,
        required=True,
    )

    def __init__(self, desks: ScriptDesks, match_id: int) -> None:
        super().__init__(
            title=f"Script for match #{match_id}"[:45],
            custom_id=f"llmfed:script-modal:{match_id}",
            timeout=None,
        )
        self.desks = desks
        self.match_id = match_id

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        try:
            reply = await self.desks.submit(
                self.match_id,
                interaction.user.id,
                interaction.user.display_name,
                has_manage_server(interaction.permissions),
                self.script.value,
            )
            text = reply.text
        except GameError as exc:
            text = exc.message
        await interaction.response.send_message(
            text[:2000], ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )


def script_button_class(desks_of: DesksOf) -> type[discord.ui.DynamicItem[Any]]:
    """The persistent handler of every "Submit script" button (bot.add_dynamic_items)."""

    class ScriptButton(
        discord.ui.DynamicItem[discord.ui.Button[Any]],
        template=re.compile(r"llmfed:script:(?P<match_id>\d+)"),
    ):
        def __init__(self, match_id: int) -> None:
            super().__init__(
                discord.ui.Button(custom_id=script_custom_id(match_id), label="Submit script")
            )
            self.match_id = match_id

        @classmethod
        async def from_custom_id(
            cls,
            interaction: discord.Interaction[Any],
            item: discord.ui.Item[Any],
            match: re.Match[str],
            /,
        ) -> ScriptButton:
            return cls(int(match["match_id"]))

        async def callback(self, interaction: discord.Interaction[Any]) -> None:
            desks = desks_of(interaction.client)
            if desks is None:
                await interaction.response.send_message(STARTING, ephemeral=True)
                return
            try:
                refused = await desks.refusal(
                    self.match_id, interaction.user.id, has_manage_server(interaction.permissions)
                )
            except GameError as exc:
                refused = exc.message
            if refused is not None:
                await interaction.response.send_message(refused, ephemeral=True)
                return
            await interaction.response.send_modal(ScriptModal(desks, self.match_id))

    return ScriptButton
