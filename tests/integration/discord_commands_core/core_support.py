"""Helpers for driving the real LLMFedBot through FakeDiscord: build slash/autocomplete
payloads for the synced commands, dispatch them and read back the callback the bot made."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.app import App
from bot.clock import ManualClock
from bot.discord.client import LLMFedBot
from bot.publishers.terminal import SilentPublisher
from bot.settings import DiscordSettings, Settings
from tests.fakes.discord.clients import running_bot
from tests.fakes.discord.payloads_core import Snowflakes
from tests.fakes.discord.payloads_guild import dev_guild, user
from tests.fakes.discord.payloads_interactions import InteractionBuilder, Option, subcommand
from tests.fakes.discord.rig import FakeDiscord
from tests.fakes.discord.wire import RecordedRequest

EPHEMERAL = 64
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def two_guild_fake() -> FakeDiscord:
    ids = Snowflakes()
    bot_user = user(ids.next(), "LLMFed", bot=True)
    guilds = [
        dev_guild(ids, bot_user=bot_user),
        dev_guild(ids, bot_user=bot_user, name="Other Server"),
    ]
    return FakeDiscord(ids=ids, bot_user=bot_user, guilds=guilds)


@dataclasses.dataclass
class Harness:
    fake: FakeDiscord
    bot: LLMFedBot
    app: App

    @property
    def guild_id(self) -> int:
        return self.fake.guild.guild_id

    @property
    def player(self) -> InteractionBuilder:
        """The guild's player: no Manage Server."""
        return self.fake.interactions

    @property
    def owner(self) -> InteractionBuilder:
        """The guild owner (every permission)."""
        return self.fake.interactions.as_user(self.fake.guild.owner)

    def stranger(self) -> InteractionBuilder:
        """A member with @everyone permissions only, who owns nothing."""
        return self.fake.interactions.as_user(user(self.fake.ids.next(), "stranger"))

    def other_guild(self) -> InteractionBuilder:
        other = self.fake.guilds[1]
        return dataclasses.replace(self.fake.interactions, guild=other, actor=other.owner)

    def slash(
        self,
        builder: InteractionBuilder,
        group: str,
        sub: str | None,
        *options: Option,
        guild_scoped: bool = True,
    ) -> dict:
        guild_id = self.guild_id if guild_scoped else None
        command_id = self.fake.command_id(group, self.guild_id)
        opts = (subcommand(sub, *options),) if sub else options
        return builder.slash(group, *opts, command_id=command_id, command_guild_id=guild_id)

    def autocomplete(
        self, builder: InteractionBuilder, group: str, sub: str, *options: Option
    ) -> dict:
        command_id = self.fake.command_id(group, self.guild_id)
        return builder.autocomplete(
            group,
            subcommand(sub, *options),
            command_id=command_id,
            command_guild_id=self.guild_id,
        )

    async def send(self, payload: dict) -> RecordedRequest:
        """Dispatches over the gateway; returns the interaction callback the bot made."""
        await self.fake.dispatch("INTERACTION_CREATE", payload)
        return await self.fake.wait_for_request(
            "POST", rf"/interactions/{payload['id']}/[^/]+/callback"
        )

    async def run(
        self, builder: InteractionBuilder, group: str, sub: str | None, *options: Option
    ) -> dict[str, Any]:
        """The callback body of a slash command."""
        call = await self.send(self.slash(builder, group, sub, *options))
        return call.json

    async def followup(self, payload: dict) -> RecordedRequest:
        return await self.fake.wait_for_request(
            "POST", rf"/webhooks/{self.fake.application_id}/{payload['token']}"
        )


def is_ephemeral(body: dict[str, Any]) -> bool:
    return bool(int(body.get("data", {}).get("flags", 0)) & EPHEMERAL)


def content(body: dict[str, Any]) -> str:
    return str(body.get("data", {}).get("content") or "")


def embed(body: dict[str, Any], index: int = 0) -> dict[str, Any]:
    embeds = body.get("data", {}).get("embeds") or []
    assert len(embeds) > index, f"no embed in {body}"
    return dict(embeds[index])


def field(embed_data: dict[str, Any], name: str) -> str:
    for item in embed_data.get("fields", []):
        if item["name"] == name:
            return str(item["value"])
    raise AssertionError(f"no field {name!r} in {embed_data.get('fields')}")


def test_settings(dev_guild_id: int, db_path: Path) -> Settings:
    return Settings(
        discord=DiscordSettings(dev_guild_id=dev_guild_id), storage={"path": str(db_path)}
    )  # type: ignore[arg-type]


@contextlib.asynccontextmanager
async def running_harness(fake: FakeDiscord, db_path: Path) -> AsyncIterator[Harness]:
    settings = test_settings(fake.guild.guild_id, db_path)
    app = await App.open(settings, ManualClock(START), SilentPublisher(), db_path=db_path)
    bot = LLMFedBot(settings, app, guild_ready_timeout=0.05)
    try:
        async with running_bot(fake, bot):
            yield Harness(fake, bot, app)
    finally:
        await app.close()
