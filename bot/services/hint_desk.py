"""Promoter hints: guidance for a federation, show, match or wrestler, checked and stored."""

from __future__ import annotations

from datetime import timedelta

from bot.services.actor import Actor
from bot.services.lookup import gone
from bot.services.repos import Repos
from bot.services.text import clean_text
from engine.errors import InvalidInput, NotFound
from engine.models import DomainEvent, Federation, Frozen, Hint, HintScope
from engine.ports import Clock

MAX_HINT = 300
MAX_HINT_DAYS = 60


class HintView(Frozen):
    hint: Hint
    federation: Federation
    target: str  # e.g. "wrestler Ruby Vex"


class HintDesk:
    def __init__(self, repos: Repos, clock: Clock) -> None:
        self._repos = repos
        self._clock = clock

    async def target(
        self, guild_id: int, scope: HintScope, target_id: int
    ) -> tuple[Federation, str]:
        """The federation a hint target belongs to, and how to name the target."""
        try:
            if scope is HintScope.FEDERATION:
                federation = await self._repos.federations.get_in_guild(guild_id, target_id)
                return federation, f"federation {federation.name}"
            if scope is HintScope.WRESTLER:
                wrestler = await self._repos.wrestlers.get(target_id)
                owner, label = wrestler.federation_id, f"wrestler {wrestler.name}"
            elif scope is HintScope.SHOW:
                show = await self._repos.shows.get(target_id)
                owner, label = show.federation_id, f"show {show.name}"
            else:
                match = await self._repos.matches.get(target_id)
                owner, label = match.federation_id, f"match #{match.id}"
            return await self._repos.federations.get_in_guild(guild_id, owner), label
        except NotFound:
            raise gone(scope.value) from None

    async def add(
        self,
        actor: Actor,
        scope: HintScope,
        target_id: int,
        text: str,
        days: int | None = None,
    ) -> HintView:
        federation, label = await self.target(actor.guild_id, scope, target_id)
        actor.require_promoter(federation)
        clean = clean_text(text, MAX_HINT, "hint")
        if not clean:
            raise InvalidInput("The hint is empty: say what you want the wrestlers to do.")
        if days is not None and not 1 <= days <= MAX_HINT_DAYS:
            raise InvalidInput(f"A hint lasts 1 to {MAX_HINT_DAYS} days (or leave it open).")
        now = self._clock.now()
        expires = now + timedelta(days=days) if days is not None else None
        async with self._repos.db.transaction():
            hint = await self._repos.hints.create(
                federation.id, scope, target_id, clean, actor.user_id, now, expires_at=expires
            )
            await self._repos.events.append(
                DomainEvent(
                    kind="hint.added",
                    federation_id=federation.id,
                    actor_user_id=actor.user_id,
                    at=now,
                    payload={"hint_id": hint.id, "scope": scope.value, "target": target_id},
                )
            )
        return HintView(hint=hint, federation=federation, target=label)
