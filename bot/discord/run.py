"""`llmfed bot`: run the Discord bot until SIGINT/SIGTERM, then shut down cleanly (exit 0)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Mapping

import discord

from bot.discord.client import LLMFedBot
from bot.settings import Settings
from engine.errors import GameError

TOKEN_ENV = "DISCORD_TOKEN"
log = logging.getLogger(__name__)


class BotStartError(GameError):
    """The bot cannot start: no token, a rejected token, a missing privileged intent."""


def token_from(env: Mapping[str, str]) -> str:
    token = env.get(TOKEN_ENV, "").strip()
    if not token:
        raise BotStartError(
            f"{TOKEN_ENV} is not set: put your bot token in it (see README, "
            "'Run it in your Discord server')"
        )
    return token


async def serve(bot: LLMFedBot, token: str) -> int:
    """Runs ``bot`` until it stops or a signal arrives; a signal means a clean exit 0."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    runner = asyncio.create_task(bot.start(token), name="llmfed-bot")
    stopper = asyncio.create_task(stop.wait(), name="llmfed-signal")
    try:
        done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stopper in done:
            log.info("signal received: finishing work in flight and closing")
        await bot.close()
        await asyncio.wait({runner}, timeout=30)
        if runner.done() and not runner.cancelled():
            error = runner.exception()
            if isinstance(error, discord.LoginFailure):
                raise BotStartError("Discord rejected the token in DISCORD_TOKEN") from error
            if isinstance(error, discord.PrivilegedIntentsRequired):
                raise BotStartError(
                    "Discord refused an intent; check the bot's settings"
                ) from error
            if error is not None:
                raise error
        return 0
    finally:
        stopper.cancel()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


async def run_bot(settings: Settings, env: Mapping[str, str] | None = None) -> int:
    token = token_from(os.environ if env is None else env)
    discord.utils.setup_logging(level=logging.INFO)
    return await serve(LLMFedBot(settings, tune_runtime=True), token)
