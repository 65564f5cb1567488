"""Narrative modes around MatchRunner: rolling_rewrite segments and full_rewrite scripts."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field

from engine.controllers.offline import OfflineController
from engine.llm.operations import offline_registry
from engine.llm.operations.write_match_script import MatchScript
from engine.llm.providers.offline import OfflineProvider
from engine.llm.rewrite import Candidate, RewriteRound, Writer, pick_by_stand_in_vote, rewrite_round
from engine.llm.rewrite import stand_in_votes as _stand_in_votes
from engine.llm.script import FullRewriteOutcome, ScriptWriter
from engine.models.enums import ControllerKind
from engine.models.league import Wrestler
from engine.models.match import Match, MatchSetup, MatchState
from engine.models.tick import AgentActionResponse, EventContext, TickResult
from engine.ports import Controller, Publisher
from engine.runner.match_runner import MatchRunner

DEFAULT_PERSONAS = (
    ("ringside-veteran", "A gravel-voiced veteran announcer: short, punchy calls."),
    ("hype-poet", "An excitable poet of the squared circle: vivid and dramatic."),
)

Pick = Callable[[Sequence[Candidate], int], Awaitable[tuple[Candidate, list[int]]]]


async def stand_in_pick(candidates: Sequence[Candidate], seed: int) -> tuple[Candidate, list[int]]:
    """The CLI's picker: a deterministic stand-in crowd votes (Discord swaps in reactions)."""
    return pick_by_stand_in_vote(candidates, seed), _stand_in_votes(candidates, seed)


def offline_writers() -> list[Writer]:
    """Two house personas on the offline provider: rolling_rewrite works with no keys."""
    provider = OfflineProvider(offline_registry())
    return [
        Writer(name=n, provider=provider, model="offline", persona=p) for n, p in DEFAULT_PERSONAS
    ]


@dataclass(frozen=True)
class SegmentOutcome:
    match_id: int
    segment: int
    ticks: tuple[TickResult, ...]
    round: RewriteRound
    canon: Candidate
    votes: tuple[int, ...]


SaveSegment = Callable[[SegmentOutcome], Awaitable[None]]


@dataclass(frozen=True)
class SourcedScript:
    """A full_rewrite script obtained some other way than a ScriptWriter (a player's modal):
    who wrote it, the outcome, and what the match is told (describe_full_rewrite if None)."""

    writer: str
    outcome: FullRewriteOutcome
    notice: str | None = None


ScriptSource = Callable[[Match, MatchSetup], Awaitable[SourcedScript]]


@dataclass
class RewriteTools:
    """What the narrative modes need from the application (ports, so Discord can swap them)."""

    writers_for: Callable[[Match], Sequence[Writer]] = lambda _: offline_writers()
    script_writer_for: Callable[[Match], ScriptWriter] | None = None
    pick: Pick = stand_in_pick
    save_segment: SaveSegment | None = None
    segment_ticks: int = 8
    guild_for: Callable[[Match], int | None] = lambda _: None
    outsiders_for: Callable[[Match], Sequence[str]] = lambda _: ()
    # A picker per match and segment (Discord posts the vote in the match's thread).
    pick_for: Callable[[Match, int], Pick] | None = None
    # Replaces script_writer_for when set (a player writes the script in Discord).
    script_source: ScriptSource | None = None


def render_segment(outcome: SegmentOutcome) -> str:
    """The candidates, the dropped ones with why, and the pick, as plain text."""
    first, last = outcome.ticks[0].time_index, outcome.ticks[-1].time_index
    lines = [f"REWRITE segment {outcome.segment} (ticks {first}-{last}):"]
    for number, (candidate, votes) in enumerate(
        zip(outcome.round.candidates, outcome.votes, strict=True), 1
    ):
        mark = " [canon]" if candidate is outcome.canon else ""
        lines.append(f"  {number}. {candidate.writer} ({votes} votes){mark}: {candidate.text}")
    for dropped in outcome.round.dropped:
        lines.append(f"  dropped {dropped.writer}: {'; '.join(dropped.reasons)}")
    return "\n".join(lines)


async def rewrite_segment_of(
    match: Match, state: MatchState, ticks: Sequence[TickResult], tools: RewriteTools
) -> SegmentOutcome:
    segment = (ticks[0].time_index - 1) // tools.segment_ticks + 1
    seed = state.setup.seed + segment
    done = await rewrite_round(
        ticks,
        state.setup,
        list(tools.writers_for(match)),
        seed=seed,
        outsiders=tools.outsiders_for(match),
        guild_id=tools.guild_for(match),
    )
    pick = tools.pick if tools.pick_for is None else tools.pick_for(match, segment)
    canon, votes = await pick(done.candidates, seed)
    return SegmentOutcome(match.id, segment, tuple(ticks), done, canon, tuple(votes))


async def play_rolling(
    runner: MatchRunner,
    match: Match,
    state: MatchState,
    recent: list[str],
    tools: RewriteTools,
    publisher: Publisher,
    *,
    tick_delay_s: float = 0.0,
    max_ticks: int | None = None,
) -> MatchState:
    """Play tick by tick; every ``segment_ticks`` ticks (and at the bell) writers retell the
    segment, fact-contradicting tellings are dropped, the picker crowns the canon one.
    After a restart the interrupted segment restarts from the resumed tick."""
    pending: list[TickResult] = []
    played = 0
    while not state.finished and (max_ticks is None or played < max_ticks):
        state, tick = await runner.play_tick(match, state, recent)
        pending.append(tick)
        played += 1
        if state.finished or tick.time_index % tools.segment_ticks == 0:
            outcome = await rewrite_segment_of(match, state, pending, tools)
            if tools.save_segment is not None:
                await tools.save_segment(outcome)
            await publisher.text(render_segment(outcome))
            pending = []
        if tick_delay_s and not state.finished:
            await asyncio.sleep(tick_delay_s)
    return state


class ScriptedController:
    """Plays a wrestler's beats of an accepted script in order; the offline policy after."""

    kind = ControllerKind.LLM

    def __init__(self, beats: Sequence[AgentActionResponse]) -> None:
        self._beats = deque(beats)
        self._offline = OfflineController()

    async def decide(self, context: EventContext) -> AgentActionResponse:
        if self._beats:
            return self._beats.popleft()
        return await self._offline.decide(context)


@dataclass
class ScriptedControllers:
    """controller_for with per-wrestler script overrides: the runner's scheduler still picks
    who acts and the step is unchanged, so a scripted match replays like any other."""

    base: Callable[[Wrestler], Controller]
    scripted: dict[int, ScriptedController] = field(default_factory=dict)

    def __call__(self, wrestler: Wrestler) -> Controller:
        return self.scripted.get(wrestler.id) or self.base(wrestler)

    def assign(self, outcome: FullRewriteOutcome) -> None:
        assert outcome.script is not None
        self.assign_script(outcome.script)

    def assign_script(self, script: MatchScript, played: Mapping[int, int] | None = None) -> None:
        """Each wrestler plays their beats in order; ``played`` (wrestler -> ticks they already
        acted, after a restart) skips the beats those ticks used."""
        by_actor: dict[int, list[AgentActionResponse]] = {}
        for beat in script.beats:
            by_actor.setdefault(beat.actor_id, []).append(
                AgentActionResponse(action_id=beat.action_id, intent=beat.move[:200])
            )
        done = played or {}
        for actor, beats in by_actor.items():
            self.scripted[actor] = ScriptedController(beats[done.get(actor, 0) :])

    def release(self, wrestler_ids: Sequence[int]) -> None:
        for wrestler_id in wrestler_ids:
            self.scripted.pop(wrestler_id, None)


def describe_full_rewrite(outcome: FullRewriteOutcome, writer: str) -> str:
    if outcome.script is not None and outcome.reason is None:
        beats = len(outcome.script.beats)
        return f"FULL REWRITE: {writer}'s script ({beats} beats) passed the dry run."
    if outcome.script is not None:
        return f"FULL REWRITE: {writer}'s script accepted ({outcome.reason})."
    return f"FULL REWRITE: {writer}'s script fell back to tick mode: {outcome.reason}"
