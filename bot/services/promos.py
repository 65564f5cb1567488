"""Promo use cases: book a promo segment and play it (agents trade lines; heat follows)."""

from __future__ import annotations

import itertools
import random
import secrets
from collections.abc import Awaitable, Callable, Mapping, Sequence

from bot.services.repos import Repos
from engine.errors import InvalidInput, InvalidState
from engine.llm.agents import PromoAgent, PromoSpeaker
from engine.models import DomainEvent, MatchStatus, Promo, PromoLine, SegmentKind, Wrestler
from engine.narration.promo import offline_promo_line, promo_line_heat
from engine.ports import Clock, Publisher
from engine.runner.promo_runner import run_promo

PromoAgents = Callable[[Sequence[Wrestler]], Mapping[int, PromoAgent]]


class PromoService:
    def __init__(
        self,
        repos: Repos,
        clock: Clock,
        publisher: Publisher,
        *,
        agents_for: PromoAgents | None = None,
        prepare_federation: Callable[[int], Awaitable[object]] | None = None,
    ) -> None:
        self._repos = repos
        self._clock = clock
        self._publisher = publisher
        self._agents_for = agents_for
        self._prepare_federation = prepare_federation

    async def book(
        self,
        federation_id: int,
        participant_ids: Sequence[int],
        rounds: int = 3,
        show_id: int | None = None,
        seed: int | None = None,
    ) -> Promo:
        if len(set(participant_ids)) != len(participant_ids) or len(participant_ids) < 2:
            raise InvalidInput("a promo needs two or more different wrestlers")
        if not 1 <= rounds <= 6:
            raise InvalidInput("a promo lasts 1 to 6 rounds")
        for wrestler_id in participant_ids:
            sheet = await self._repos.wrestlers.get(wrestler_id)
            if sheet.federation_id != federation_id:
                raise InvalidInput(f"{sheet.name} is not on this federation's roster")
        now = self._clock.now()
        async with self._repos.db.transaction():
            promo = await self._repos.shows.create_promo(
                federation_id,
                tuple(participant_ids),
                rounds,
                seed if seed is not None else secrets.randbits(63),
                now,
                show_id=show_id,
            )
            if show_id is not None:
                await self._repos.shows.add_segment(show_id, SegmentKind.PROMO, promo_id=promo.id)
        return promo

    async def get(self, promo_id: int) -> Promo:
        return await self._repos.shows.get_promo(promo_id)

    async def play(self, promo_id: int) -> Promo:
        promo = await self._repos.shows.get_promo(promo_id)
        if promo.status is not MatchStatus.BOOKED:
            raise InvalidState(f"promo #{promo_id} is {promo.status}")
        federation = await self._repos.federations.get(promo.federation_id)
        speakers = [await self._repos.wrestlers.get(i) for i in promo.participant_ids]
        rng = random.Random(promo.seed)
        names = " and ".join(s.name for s in speakers)
        await self._publisher.text(f"PROMO: {names} go face to face.")

        if self._prepare_federation is not None:
            await self._prepare_federation(promo.federation_id)
        agents = dict(self._agents_for(speakers)) if self._agents_for else {}
        llm_speak = (
            PromoSpeaker(
                speakers,
                rounds=promo.rounds,
                seed=promo.seed,
                agents=agents,
                guild_id=federation.guild_id,
            )
            if agents
            else None
        )

        async def speak(
            speaker: Wrestler, opponent: Wrestler, round_index: int, previous: Sequence[PromoLine]
        ) -> str:
            if llm_speak is not None and speaker.id in agents:
                return await llm_speak(speaker, opponent, round_index, previous)
            return offline_promo_line(speaker, opponent, round_index, previous, rng)

        async def publish(line: PromoLine, speaker: Wrestler) -> None:
            await self._publisher.text(f'{speaker.name}: "{line.text}"')

        outcome = await run_promo(
            speakers, promo.rounds, speak, promo_line_heat, federation.tier, publish
        )
        finished = promo.model_copy(
            update={
                "status": MatchStatus.FINISHED,
                "lines": outcome.lines,
                "heat": outcome.heat,
                "rating": outcome.rating,
            }
        )
        async with self._repos.db.transaction():
            await self._repos.shows.update_promo(finished)
            ids = list(promo.participant_ids)
            for a, b in itertools.pairwise(ids):
                await self._repos.feuds.add_heat(a, b, outcome.feud_heat_delta)
            await self._repos.events.append(
                DomainEvent(
                    kind="promo.finished",
                    federation_id=promo.federation_id,
                    at=self._clock.now(),
                    payload={"promo_id": promo.id, "rating": outcome.rating, "heat": outcome.heat},
                )
            )
            if llm_speak is not None and llm_speak.fallbacks:
                await self._repos.events.append(
                    DomainEvent(
                        kind="promo.fallback",
                        federation_id=promo.federation_id,
                        at=self._clock.now(),
                        payload={"promo_id": promo.id, "fallbacks": list(llm_speak.fallbacks)},
                    )
                )
        return finished
