"""A tiny real discord.py bot used to exercise the fake Discord rig end to end."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands


class AgainView(discord.ui.View):
    """One button that rewrites the message it sits on (an UPDATE_MESSAGE response)."""

    def __init__(self) -> None:
        super().__init__(timeout=60)

    @discord.ui.button(label="Again", custom_id="ping:again", style=discord.ButtonStyle.primary)
    async def again(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.edit_message(
            content=f"again by {interaction.user.name}", view=None
        )


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    comment: discord.ui.TextInput = discord.ui.TextInput(label="Comment", custom_id="comment")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.comment.value}", ephemeral=True)


class PingCog(commands.GroupCog, group_name="ping", group_description="Ping the rig"):
    """``/ping pong``, ``/ping thread``, ``/ping feedback`` and ``/ping admin reset``."""

    admin = app_commands.Group(name="admin", description="Admin tools")

    def __init__(self, bot: RigBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="pong", description="Answer with text")
    @app_commands.describe(text="What to say")
    async def pong(self, interaction: discord.Interaction, text: str) -> None:
        if text == "fail":
            raise app_commands.AppCommandError("the rig was told to fail")
        await interaction.response.send_message(f"pong: {text}", view=AgainView())

    @pong.autocomplete("text")
    async def pong_text(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f"{current}{n}", value=f"{current}{n}") for n in (1, 2)]

    @app_commands.command(name="thread", description="Open a match thread")
    async def thread(self, interaction: discord.Interaction, title: str) -> None:
        await interaction.response.defer(thinking=True)
        assert isinstance(interaction.channel, discord.TextChannel)
        starter = await interaction.channel.send(f"Match: {title}")
        match_thread = await starter.create_thread(name=title)
        await match_thread.send("The bell rings!")
        await match_thread.edit(archived=True)
        await interaction.followup.send(f"thread {match_thread.id} ready")

    @app_commands.command(name="feedback", description="Open the feedback form")
    async def feedback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(FeedbackModal())

    @admin.command(name="reset", description="Reset a member")
    async def reset(self, interaction: discord.Interaction, member: discord.Member) -> None:
        perms = interaction.permissions.manage_guild
        await interaction.response.send_message(
            f"reset {member.display_name} in {member.guild.name} (manage_guild={perms})",
            ephemeral=True,
        )

    async def cog_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await interaction.response.send_message(f"Error: {error}", ephemeral=True)

    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        self.bot.reactions.put_nowait(payload)


class RigBot(commands.Bot):
    def __init__(self, dev_guild_id: int) -> None:
        intents = discord.Intents.default()
        intents.members = True  # exercises the REQUEST_GUILD_MEMBERS chunking at start-up
        super().__init__(command_prefix="!", intents=intents, guild_ready_timeout=0.05)
        self.dev_guild = discord.Object(dev_guild_id)
        self.reactions: asyncio.Queue[discord.RawReactionActionEvent] = asyncio.Queue()

    async def setup_hook(self) -> None:
        await self.add_cog(PingCog(self), guild=self.dev_guild)


def make_rig_bot(dev_guild_id: int) -> RigBot:
    return RigBot(dev_guild_id)
