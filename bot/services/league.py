"""League use cases: federations, wrestlers and championships (create, read, edit, delete)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from bot.services.repos import Repos
from bot.services.text import clean_name, clean_text
from engine.errors import InvalidInput
from engine.models import (
    Championship,
    DomainEvent,
    Federation,
    LLMConfig,
    Tier,
    TitleReign,
    Wrestler,
)
from engine.ports import Clock


def _invalid(exc: ValidationError) -> InvalidInput:
    error = exc.errors()[0]
    field = ".".join(str(p) for p in error["loc"]) or "value"
    return InvalidInput(f"{field}: {error['msg']}")


class LeagueService:
    def __init__(self, repos: Repos, clock: Clock) -> None:
        self._repos = repos
        self._clock = clock

    async def create_federation(
        self,
        guild_id: int,
        name: str,
        owner_user_id: int,
        *,
        description: str = "",
        tier: Tier = Tier.INDIE,
        announce_channel_id: int | None = None,
        llm: LLMConfig | None = None,
    ) -> Federation:
        now = self._clock.now()
        async with self._repos.db.transaction():
            federation = await self._repos.federations.create(
                guild_id,
                clean_name(name, "federation name"),
                owner_user_id,
                now,
                description=clean_text(description, 300, "description"),
                tier=tier,
                announce_channel_id=announce_channel_id,
                llm=llm or LLMConfig(),
            )
            await self._repos.events.append(
                DomainEvent(
                    kind="federation.created",
                    federation_id=federation.id,
                    actor_user_id=owner_user_id,
                    at=now,
                    payload={"name": federation.name},
                )
            )
        return federation

    async def create_wrestler(
        self, federation_id: int, name: str, owner_user_id: int, **fields: Any
    ) -> Wrestler:
        now = self._clock.now()
        if "gimmick" in fields:
            fields["gimmick"] = clean_text(fields["gimmick"], 300, "gimmick")
        if "finisher" in fields:
            fields["finisher"] = clean_name(fields["finisher"], "finisher", min_length=1)
        try:
            Wrestler(
                id=0,
                federation_id=federation_id,
                name=clean_name(name, "wrestler name"),
                owner_user_id=owner_user_id,
                **fields,
            )
        except ValidationError as exc:
            raise _invalid(exc) from None
        async with self._repos.db.transaction():
            wrestler = await self._repos.wrestlers.create(
                federation_id,
                clean_name(name, "wrestler name"),
                now,
                owner_user_id=owner_user_id,
                **fields,
            )
            await self._repos.events.append(
                DomainEvent(
                    kind="wrestler.created",
                    federation_id=federation_id,
                    actor_user_id=owner_user_id,
                    at=now,
                    payload={"wrestler_id": wrestler.id, "name": wrestler.name},
                )
            )
        return wrestler

    async def create_title(
        self, federation_id: int, name: str, holder_ids: Sequence[int] = ()
    ) -> Championship:
        now = self._clock.now()
        async with self._repos.db.transaction():
            title = await self._repos.titles.create(
                federation_id, clean_name(name, "title name"), now
            )
            if holder_ids:
                title = await self._repos.titles.save(
                    title.model_copy(
                        update={"lineage": (TitleReign(holder_ids=tuple(holder_ids), won_at=now),)}
                    )
                )
            await self._repos.events.append(
                DomainEvent(
                    kind="title.created",
                    federation_id=federation_id,
                    at=now,
                    payload={"title_id": title.id, "name": title.name},
                )
            )
        return title
