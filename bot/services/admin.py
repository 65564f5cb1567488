"""League administration use cases: federation and wrestler info, lists, edits, deletion and
release, title info. Callers check permissions; this module keeps the data consistent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.services.repos import Repos
from bot.services.text import clean_name, clean_text
from engine.errors import InvalidInput, NotFound
from engine.models import (
    Alignment,
    Championship,
    ControllerKind,
    DomainEvent,
    Federation,
    LLMConfig,
    Stats,
    StylePreset,
    Tier,
    Wrestler,
)
from engine.ports import Clock

MODEL_NAME_MAX = 60

# Starting stats per style: the same 250-point budget, tilted toward what the style does.
STYLE_STATS: dict[StylePreset, Stats] = {
    StylePreset.POWERHOUSE: Stats(power=70, technique=45, agility=35, charisma=45, toughness=55),
    StylePreset.TECHNICIAN: Stats(power=45, technique=70, agility=45, charisma=40, toughness=50),
    StylePreset.HIGH_FLYER: Stats(power=35, technique=50, agility=70, charisma=50, toughness=45),
    StylePreset.BRAWLER: Stats(power=60, technique=40, agility=40, charisma=45, toughness=65),
    StylePreset.SHOWMAN: Stats(power=45, technique=45, agility=50, charisma=70, toughness=40),
    StylePreset.ALL_ROUNDER: Stats(),
}


@dataclass(frozen=True)
class FederationInfo:
    federation: Federation
    wrestler_count: int
    titles: list[Championship]
    holder_names: dict[int, str]


@dataclass(frozen=True)
class WrestlerInfo:
    wrestler: Wrestler
    federation: Federation
    titles: list[Championship]


@dataclass(frozen=True)
class TitleInfo:
    title: Championship
    federation: Federation
    holder_names: dict[int, str]


class AdminService:
    def __init__(self, repos: Repos, clock: Clock) -> None:
        self._repos = repos
        self._clock = clock

    async def _event(
        self, kind: str, federation_id: int | None, actor: int | None, **payload: Any
    ) -> None:
        await self._repos.events.append(
            DomainEvent(
                kind=kind,
                federation_id=federation_id,
                actor_user_id=actor,
                at=self._clock.now(),
                payload=payload,
            )
        )

    async def _names(self, wrestler_ids: set[int]) -> dict[int, str]:
        names: dict[int, str] = {}
        for wrestler_id in sorted(wrestler_ids):
            try:
                names[wrestler_id] = (await self._repos.wrestlers.get(wrestler_id)).name
            except NotFound:
                names[wrestler_id] = f"#{wrestler_id}"
        return names

    # --- federations ---------------------------------------------------------------------

    async def federations(self, guild_id: int) -> list[Federation]:
        return await self._repos.federations.list(guild_id)

    async def roster_counts(self, guild_id: int) -> dict[int, int]:
        counts: dict[int, int] = {}
        for wrestler in await self._repos.wrestlers.list_in_guild(guild_id):
            counts[wrestler.federation_id] = counts.get(wrestler.federation_id, 0) + 1
        return counts

    async def federation_info(self, federation: Federation) -> FederationInfo:
        wrestlers = await self._repos.wrestlers.list(federation.id)
        titles = await self._repos.titles.list(federation.id)
        holders = {h for t in titles for h in t.holder_ids}
        return FederationInfo(federation, len(wrestlers), titles, await self._names(holders))

    async def edit_federation(
        self,
        federation: Federation,
        actor_user_id: int,
        *,
        name: str | None = None,
        description: str | None = None,
        tier: Tier | None = None,
        announce_channel_id: int | None = None,
    ) -> Federation:
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = clean_name(name, "federation name")
        if description is not None:
            changes["description"] = clean_text(description, 300, "description")
        if tier is not None:
            changes["tier"] = tier
        if announce_channel_id is not None:
            changes["announce_channel_id"] = announce_channel_id
        if not changes:
            raise InvalidInput("Nothing to change: give at least one option to edit.")
        async with self._repos.db.transaction():
            current = await self._repos.federations.get(federation.id)
            updated = await self._repos.federations.update(current.model_copy(update=changes))
            await self._event(
                "federation.edited", federation.id, actor_user_id, fields=sorted(changes)
            )
        return updated

    async def delete_federation(
        self, federation: Federation, actor_user_id: int, *, force: bool = False
    ) -> None:
        async with self._repos.db.transaction():
            live = await self._repos.matches.list(federation.id)
            if any(m.status.value == "live" for m in live):
                raise InvalidInput(
                    f"{federation.name} has a match in progress; wait for it to finish."
                )
            await self._repos.federations.delete(federation.id, force=force)
            await self._event(
                "federation.deleted",
                None,
                actor_user_id,
                deleted_federation_id=federation.id,
                name=federation.name,
            )

    # --- wrestlers -----------------------------------------------------------------------

    async def wrestlers(
        self, guild_id: int, federation: Federation | None = None
    ) -> list[Wrestler]:
        if federation is not None:
            return await self._repos.wrestlers.list(federation.id)
        return await self._repos.wrestlers.list_in_guild(guild_id)

    async def wrestler_info(self, wrestler: Wrestler) -> WrestlerInfo:
        federation = await self._repos.federations.get(wrestler.federation_id)
        titles = await self._repos.titles.titles_held_by(wrestler.id)
        return WrestlerInfo(wrestler, federation, titles)

    async def federation_of(self, wrestler: Wrestler) -> Federation:
        return await self._repos.federations.get(wrestler.federation_id)

    async def edit_wrestler(
        self,
        wrestler: Wrestler,
        actor_user_id: int,
        *,
        gimmick: str | None = None,
        alignment: Alignment | None = None,
        finisher: str | None = None,
        controller: ControllerKind | None = None,
        model: str | None = None,
        known_models: Sequence[str] | None = None,
    ) -> Wrestler:
        changes: dict[str, Any] = {}
        if gimmick is not None:
            changes["gimmick"] = clean_text(gimmick, 300, "gimmick")
        if alignment is not None:
            changes["alignment"] = alignment
        if finisher is not None:
            changes["finisher"] = clean_name(finisher, "finisher", min_length=1)
        if controller is not None:
            changes["controller"] = controller
        if model is not None:
            cleaned = clean_name(model, "model", min_length=1, max_length=MODEL_NAME_MAX)
            if known_models is not None and cleaned not in known_models:
                raise InvalidInput(
                    f"Unknown model {cleaned}: use one of {', '.join(known_models)}."
                )
            changes["llm"] = wrestler.llm.model_copy(update={"model": cleaned})
        if not changes:
            raise InvalidInput("Nothing to change: give at least one option to edit.")
        async with self._repos.db.transaction():
            current = await self._repos.wrestlers.get(wrestler.id)
            if "llm" in changes:
                changes["llm"] = LLMConfig.model_validate(
                    current.llm.model_dump() | {"model": changes["llm"].model}
                )
            updated = await self._repos.wrestlers.update(current.model_copy(update=changes))
            await self._event(
                "wrestler.edited",
                current.federation_id,
                actor_user_id,
                wrestler_id=wrestler.id,
                fields=sorted(changes),
            )
        return updated

    async def release_wrestler(self, wrestler: Wrestler, actor_user_id: int) -> None:
        async with self._repos.db.transaction():
            await self._repos.wrestlers.delete(wrestler.id)
            await self._event(
                "wrestler.released",
                wrestler.federation_id,
                actor_user_id,
                wrestler_id=wrestler.id,
                name=wrestler.name,
            )

    # --- titles --------------------------------------------------------------------------

    async def title_info(self, title: Championship) -> TitleInfo:
        federation = await self._repos.federations.get(title.federation_id)
        holders = {h for reign in title.lineage for h in reign.holder_ids}
        return TitleInfo(title, federation, await self._names(holders))


def starting_stats(style: StylePreset) -> Stats:
    return STYLE_STATS.get(style, Stats())
