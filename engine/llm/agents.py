"""LLM-backed agents: the controller that picks actions, the narrator, and promo exchanges."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from engine.llm.base import LLMProvider
from engine.llm.errors import LLMError
from engine.llm.operations import choose_action, narrate, promo_line
from engine.llm.operations.calling import call_parsed
from engine.llm.prompting import safe_output
from engine.models.base import Frozen
from engine.models.enums import ControllerKind
from engine.models.league import Wrestler
from engine.models.match import MatchState
from engine.models.show import PromoLine
from engine.models.tick import AgentActionResponse, EventContext, TickResult
from engine.narration.offline import OfflineNarrator
from engine.narration.promo import promo_line_heat
from engine.ports import Narrator


class AgentEvent(Frozen):
    """What happened to one agent call, for traces and the promoter's fallback notices."""

    operation: str
    outcome: Literal["ok", "repaired", "fallback", "failed"]
    reason: str | None = None
    match_id: int | None = None
    tick: int | None = None
    wrestler_id: int | None = None


AgentHook = Callable[[AgentEvent], None]


def emit(hook: AgentHook | None, **fields: Any) -> None:
    """Tell the hook what happened to a call; the event is only built when someone listens."""
    if hook is not None:
        hook(AgentEvent(**fields))


class LLMController:
    """Implements engine.ports.Controller with the choose_action operation.

    Failures raise a typed LLMError (its ``reason`` is what the runner records) and the runner
    falls back to the offline policy; an invalid reply gets one repair attempt first. An
    unknown action id is not a failure: it goes to the RuleBook, which substitutes a legal move.
    ``last_reason`` keeps the latest failure or repair note (one controller per wrestler)."""

    kind = ControllerKind.LLM

    def __init__(
        self,
        provider: LLMProvider,
        model: str,
        *,
        temperature: float = 0.7,
        deadline_s: float = 8.0,
        guild_id: int | None = None,
        on_event: AgentHook | None = None,
    ) -> None:
        self.provider = provider
        self.model = model
        self.temperature = temperature
        self.deadline_s = deadline_s
        self.guild_id = guild_id
        self.on_event = on_event
        self.last_reason: str | None = None

    async def decide(self, context: EventContext) -> AgentActionResponse:
        request = choose_action.build_request(
            context,
            self.model,
            temperature=self.temperature,
            deadline_s=self.deadline_s,
            guild_id=self.guild_id,
        ).model_copy(update={"match_id": context.match_id, "tick": context.tick + 1})
        event = {
            "operation": choose_action.OPERATION,
            "match_id": context.match_id,
            "tick": context.tick,
            "wrestler_id": context.actor.id,
        }
        try:
            parsed = await call_parsed(self.provider, request, choose_action.parse)
        except LLMError as exc:
            self.last_reason = exc.reason
            emit(self.on_event, outcome="failed", reason=exc.reason, **event)
            raise
        self.last_reason = parsed.repaired_from and f"repaired: {parsed.repaired_from}"
        outcome: Literal["ok", "repaired"] = "repaired" if parsed.repaired_from else "ok"
        emit(self.on_event, outcome=outcome, reason=self.last_reason, **event)
        return parsed.value.to_response()


class LLMNarrator:
    """Implements engine.ports.Narrator with the narrate operation; on any LLMError it tells
    the tick with the offline narrator instead and records why in ``last_reason``."""

    def __init__(
        self,
        provider: LLMProvider,
        model: str,
        *,
        fallback: Narrator | None = None,
        temperature: float = 0.9,
        deadline_s: float = 8.0,
        guild_id: int | None = None,
        on_event: AgentHook | None = None,
    ) -> None:
        self.provider = provider
        self.model = model
        self.fallback: Narrator = fallback or OfflineNarrator()
        self.temperature = temperature
        self.deadline_s = deadline_s
        self.guild_id = guild_id
        self.on_event = on_event
        self.last_reason: str | None = None

    async def narrate(
        self, before: MatchState, tick: TickResult, after: MatchState, recent: Sequence[str]
    ) -> str:
        request = narrate.build_request(
            narrate.narrate_input(before, tick, after, recent),
            self.model,
            temperature=self.temperature,
            deadline_s=self.deadline_s,
            guild_id=self.guild_id,
        ).model_copy(update={"match_id": tick.match_id, "tick": tick.time_index})
        event = {
            "operation": narrate.OPERATION,
            "match_id": tick.match_id,
            "tick": tick.time_index,
            "wrestler_id": tick.actor_id,
        }
        try:
            parsed = await call_parsed(self.provider, request, narrate.parse)
        except LLMError as exc:
            self.last_reason = exc.reason
            emit(self.on_event, outcome="fallback", reason=exc.reason, **event)
            text = await self.fallback.narrate(before, tick, after, recent)
            return safe_output(text, narrate.MAX_CHARS)
        self.last_reason = None
        emit(
            self.on_event,
            outcome="repaired" if parsed.repaired_from else "ok",
            reason=parsed.repaired_from,
            **event,
        )
        return safe_output(parsed.value.text, narrate.MAX_CHARS)


@dataclass(frozen=True)
class PromoAgent:
    """The LLM that speaks for one promo participant."""

    provider: LLMProvider
    model: str
    temperature: float = 0.9
    deadline_s: float = 8.0


class PromoSpeaker:
    """Produces promo lines for a cast: the participant's LLM when it has one, else (or on any
    LLMError) the offline promo writer. Callable as the promo runner's ``speak`` function."""

    def __init__(
        self,
        cast: Sequence[Wrestler],
        *,
        rounds: int,
        seed: int,
        agents: Mapping[int, PromoAgent] | None = None,
        hints: Sequence[str] = (),
        guild_id: int | None = None,
        on_event: AgentHook | None = None,
    ) -> None:
        self.cast = tuple(cast)
        self.rounds = rounds
        self.seed = seed
        self.agents = dict(agents or {})
        self.hints = tuple(hints)
        self.guild_id = guild_id
        self.on_event = on_event
        self.fallbacks: list[str] = []

    async def __call__(
        self,
        speaker: Wrestler,
        opponent: Wrestler,
        round_index: int,
        previous: Sequence[PromoLine],
    ) -> str:
        data = promo_line.PromoLineInput(
            cast=self.cast,
            speaker_id=speaker.id,
            opponent_id=opponent.id,
            round_index=round_index,
            rounds=self.rounds,
            previous=tuple(previous),
            hints=self.hints,
            seed=self.seed,
        )
        agent = self.agents.get(speaker.id)
        if agent is not None:
            request = promo_line.build_request(
                data,
                agent.model,
                temperature=agent.temperature,
                deadline_s=agent.deadline_s,
                guild_id=self.guild_id,
            )
            try:
                parsed = await call_parsed(agent.provider, request, promo_line.parse)
            except LLMError as exc:
                self.fallbacks.append(f"round {round_index + 1}, {speaker.name}: {exc.reason}")
                emit(
                    self.on_event,
                    operation=promo_line.OPERATION,
                    outcome="fallback",
                    reason=exc.reason,
                    wrestler_id=speaker.id,
                )
            else:
                emit(
                    self.on_event,
                    operation=promo_line.OPERATION,
                    outcome="repaired" if parsed.repaired_from else "ok",
                    reason=parsed.repaired_from,
                    wrestler_id=speaker.id,
                )
                return safe_output(parsed.value.line, promo_line.MAX_CHARS)
        seed = promo_line.line_seed(self.seed, round_index, speaker.id)
        return safe_output(promo_line.offline_line(data, seed), promo_line.MAX_CHARS)


class PromoExchange(Frozen):
    lines: tuple[PromoLine, ...]
    fallbacks: tuple[str, ...] = ()  # "round 2, Name: reason" for every line the LLM missed


async def promo_exchange(
    participants: Sequence[Wrestler],
    *,
    rounds: int,
    seed: int,
    agents: Mapping[int, PromoAgent] | None = None,
    hints: Sequence[str] = (),
    guild_id: int | None = None,
    on_event: AgentHook | None = None,
) -> PromoExchange:
    """A promo as a multi-agent conversation: every round each participant answers the lines
    so far, addressing the next participant in order."""
    if len(participants) < 2:
        raise ValueError("a promo needs at least two wrestlers")
    speak = PromoSpeaker(
        participants,
        rounds=rounds,
        seed=seed,
        agents=agents,
        hints=hints,
        guild_id=guild_id,
        on_event=on_event,
    )
    lines: list[PromoLine] = []
    for round_index in range(rounds):
        for position, speaker in enumerate(participants):
            opponent = participants[(position + 1) % len(participants)]
            text = await speak(speaker, opponent, round_index, lines)
            lines.append(
                PromoLine(
                    round=round_index,
                    speaker_id=speaker.id,
                    text=text,
                    heat_delta=promo_line_heat(speaker, text, round_index),
                )
            )
    return PromoExchange(lines=tuple(lines), fallbacks=tuple(speak.fallbacks))
