"""Player control: a wrestler whose controller is ``player`` is played by its owner's buttons.

On the wrestler's turn the thread gets one message that mentions only the owner, with one
button per possible action (custom ids ``llmfed:act:{request_id}:{action}``, handled by a
persistent dynamic item, so buttons keep working after a restart). Only the owner may press;
others get an ephemeral refusal. No answer before the deadline: the runner's fallback decides
and the thread says so. The pending request lives in engine_requests (see player_requests).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.live.player_requests import PendingRequests
from engine.models import (
    AgentActionResponse,
    ControllerKind,
    EngineRequest,
    EventContext,
    MatchSetup,
    RequestStatus,
)

log = logging.getLogger(__name__)

CUSTOM_ID_PREFIX = "llmfed:act:"
BUTTONS_PER_ROW = 5
PostPrompt = Callable[[int, str, discord.ui.View, int], Awaitable[int]]
"""(thread id, content, view, owner id) -> the prompt message's id."""
PostNotice = Callable[[int, str], Awaitable[None]]


def action_custom_id(request_id: str, action: str) -> str:
    return f"{CUSTOM_ID_PREFIX}{request_id}:{action}"


class PlayerTurns:
    """The open player turns of this process, and the answers given to them."""

    def __init__(
        self,
        requests: PendingRequests,
        post_prompt: PostPrompt,
        post_notice: PostNotice,
        turn_s: float,
    ) -> None:
        self.requests = requests
        self._post_prompt = post_prompt
        self._post_notice = post_notice
        self.turn_s = turn_s
        self._waiting: dict[str, asyncio.Future[AgentActionResponse]] = {}

    def controller(self, thread_id: int, setup: MatchSetup) -> PlayerController:
        return PlayerController(self, thread_id, setup)

    def waiting(self, request_id: str) -> bool:
        return request_id in self._waiting

    async def press(self, request_id: str, action: str, user_id: int) -> str:
        """A button press: the reply for the presser (always ephemeral)."""
        owner = await self._owner(request_id)
        if owner is None:
            return "That turn is over."
        if owner != user_id:
            return "Only this wrestler's owner can choose their move."
        response = AgentActionResponse(action_id=action[:40], intent="chosen by the owner")
        if not await self.requests.answer(request_id, response):
            return "Too late: that turn is over."
        future = self._waiting.get(request_id)
        if future is not None and not future.done():
            future.set_result(response)
        return f"You chose **{action.replace('_', ' ')}**."

    async def _owner(self, request_id: str) -> int | None:
        return await self.requests.owner(request_id)

    async def decide(
        self, thread_id: int, setup: MatchSetup, context: EventContext
    ) -> AgentActionResponse:
        request = EngineRequest(
            request_id=context.request_id,
            match_id=context.match_id,
            agent_id=context.actor.id,
            due_tick=context.tick + 1,
            deadline_s=self.turn_s,
            controller=ControllerKind.PLAYER,
            context=context,
        )
        await self.requests.open(request, setup)
        status, answered = await self.requests.status(request.request_id)
        if status is RequestStatus.ANSWERED and answered is not None:
            return answered  # pressed while the bot was down
        future: asyncio.Future[AgentActionResponse] = asyncio.get_running_loop().create_future()
        self._waiting[request.request_id] = future
        owner = context.actor.owner_user_id
        try:
            await self._post_prompt(thread_id, _prompt(context), action_view(context), owner)
            try:
                async with asyncio.timeout(self.turn_s):
                    return await future
            except TimeoutError:
                reason = f"{context.actor.name}'s owner did not answer within {self.turn_s:g}s"
                if await self.requests.expire(request.request_id, reason):
                    await self._notice(
                        thread_id,
                        f"⏱️ No answer from {context.actor.name}'s "
                        "corner in time: the house policy decides.",
                    )
                    raise
                status, answered = await self.requests.status(request.request_id)
                if answered is not None:
                    return answered
                raise
        finally:
            self._waiting.pop(request.request_id, None)

    async def _notice(self, thread_id: int, text: str) -> None:
        try:
            await self._post_notice(thread_id, text)
        except discord.HTTPException:
            log.warning("could not tell thread %s that a turn timed out", thread_id)


class PlayerController:
    """engine.ports.Controller for one player-controlled wrestler in one thread."""

    kind = ControllerKind.PLAYER

    def __init__(self, turns: PlayerTurns, thread_id: int, setup: MatchSetup) -> None:
        self._turns = turns
        self._thread_id = thread_id
        self._setup = setup

    async def decide(self, context: EventContext) -> AgentActionResponse:
        return await self._turns.decide(self._thread_id, self._setup, context)


def _prompt(context: EventContext) -> str:
    me, them = context.actor_state, context.opponent_state
    return (
        f"<@{context.actor.owner_user_id}> your move as **{context.actor.name}** "
        f"(tick {context.tick + 1}, {context.phase.value}): health {me.health}, stamina "
        f"{me.stamina}, momentum {me.momentum} — {context.opponent.name}: health {them.health}, "
        f"momentum {them.momentum}."
    )


def action_view(context: EventContext) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for index, possible in enumerate(context.possible_actions[:25]):
        label = f"{possible.action_id.value.replace('_', ' ')} ({possible.success_chance:.0%})"
        view.add_item(
            discord.ui.Button(
                label=label[:80],
                style=discord.ButtonStyle.primary,
                custom_id=action_custom_id(context.request_id, possible.action_id.value),
                row=index // BUTTONS_PER_ROW,
            )
        )
    return view


TurnsOf = Callable[[discord.Client], "PlayerTurns | None"]


def action_button_class(turns_of: TurnsOf) -> type[discord.ui.DynamicItem[Any]]:
    """The persistent handler of every action button (register with bot.add_dynamic_items)."""

    class ActionButton(
        discord.ui.DynamicItem[discord.ui.Button[Any]],
        template=re.compile(r"llmfed:act:(?P<request_id>m\d+-t\d+-w\d+):(?P<action>[a-z_]+)"),
    ):
        def __init__(self, request_id: str, action: str) -> None:
            super().__init__(
                discord.ui.Button(custom_id=action_custom_id(request_id, action), label=action)
            )
            self.request_id = request_id
            self.action = action

        @classmethod
        async def from_custom_id(
            cls,
            interaction: discord.Interaction[Any],
            item: discord.ui.Item[Any],
            match: re.Match[str],
            /,
        ) -> ActionButton:
            return cls(match["request_id"], match["action"])

        async def callback(self, interaction: discord.Interaction[Any]) -> None:
            turns = turns_of(interaction.client)
            if turns is None:
                reply = "The bot is still starting; try again in a moment."
            else:
                reply = await turns.press(self.request_id, self.action, interaction.user.id)
            await interaction.response.send_message(reply, ephemeral=True)

    return ActionButton
