"""Running real discord.py clients against FakeDiscord: base-URL patching, bot start-up."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from tests.fakes.discord.rig import FakeDiscord


@contextlib.contextmanager
def patched_discord_base(api_base: str, gateway_url: str | None = None) -> Iterator[None]:
    """Point discord.py (this process) at ``api_base`` and restore the defaults afterwards.

    ``gateway_url`` defaults to ``ws://<host:port of api_base>/gateway`` (FakeDiscord's)."""
    if gateway_url is None:
        base = yarl.URL(api_base)
        gateway_url = str(base.with_scheme("ws").with_path("/gateway"))
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeDiscord,
    client: discord.Client,
    *,
    timeout: float = 10.0,  # noqa: ASYNC109 - bounds the whole start-up
) -> AsyncIterator[discord.Client]:
    """Start ``client`` against ``fake`` over REST + gateway and wait for its ``on_ready``.

    Build the client with ``guild_ready_timeout=0.05`` (discord.py waits that long after the
    last GUILD_CREATE before ``on_ready``; the default is 2 s). On exit the client is closed,
    which closes its HTTP session and websocket."""
    with patched_discord_base(fake.api_base, fake.gateway_url):
        runner = asyncio.create_task(client.start(fake.token), name="fake-discord-client")

        async def ready() -> None:
            await fake.wait_until_ready(timeout)
            await client.wait_until_ready()

        waiter = asyncio.create_task(ready())
        try:
            done, _ = await asyncio.wait(
                {runner, waiter}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if runner in done:
                runner.result()
                raise RuntimeError("the client stopped before it was ready")
            if waiter not in done:
                raise TimeoutError(f"the client was not ready within {timeout} s")
            waiter.result()
            yield client
        finally:
            waiter.cancel()
            if not client.is_closed():
                await client.close()
            await asyncio.wait({runner}, timeout=timeout)
            if runner.done() and not runner.cancelled() and runner.exception() is not None:
                fake.handler_errors.append(runner.exception() or RuntimeError("client failed"))


@contextlib.asynccontextmanager
async def logged_in_client(
    fake: FakeDiscord, client: discord.Client
) -> AsyncIterator[discord.Client]:
    """Log ``client`` in over REST only (runs ``setup_hook``) and load the fake's guilds into
    its cache, without a websocket. Pair with :func:`feed_interaction`."""
    with patched_discord_base(fake.api_base, fake.gateway_url):
        await client.login(fake.token)
        try:
            for guild_data in fake.guild_create_payloads():
                client._connection._add_guild_from_data(guild_data)  # type: ignore[arg-type]
            yield client
        finally:
            await client.close()


def feed_interaction(fake: FakeDiscord, client: discord.Client, payload: dict) -> None:
    """Register ``payload`` with the fake and parse it with the client's real
    ``ConnectionState.parse_interaction_create`` (no gateway framing)."""
    fake.register_interaction(payload)
    client._connection.parse_interaction_create(payload)  # type: ignore[arg-type]
