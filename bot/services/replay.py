"""Replay: re-run a stored match from its seed and recorded decisions, tick by tick."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.services.repos import Repos
from engine.errors import InvalidState
from engine.rules.step import initial_state, step, tick_rng


@dataclass
class ReplayReport:
    match_id: int
    ticks: int = 0
    identical: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.ticks > 0 and not self.mismatches


async def crowd_heat_by_tick(repos: Repos, match_id: int, ticks: int) -> dict[int, float]:
    """The live crowd's recorded input per tick (on the match.tick events): replay feeds it
    back to the step, as it was an input of the original tick."""
    events = await repos.events.list(match_id=match_id, kind="match.tick", limit=ticks + 10)
    return {
        e.tick: float(e.payload["crowd_heat"])
        for e in events
        if e.tick is not None and e.payload.get("crowd_heat")
    }


async def replay_match(repos: Repos, match_id: int) -> ReplayReport:
    match = await repos.matches.get(match_id)
    ticks = await repos.matches.ticks(match_id)
    if not ticks:
        raise InvalidState(f"match #{match.id} has no recorded ticks to replay")
    setup = await repos.matches.setup(match_id)
    decisions = {r.due_tick: r.response for r in await repos.matches.requests(match_id)}
    crowd = await crowd_heat_by_tick(repos, match_id, len(ticks))
    report = ReplayReport(match_id=match_id)
    state = initial_state(setup)
    for recorded in ticks:
        report.ticks += 1
        if state.finished:
            report.mismatches.append(f"tick {recorded.time_index}: the replay had already ended")
            break
        actor = state.next_actor_id
        state, replayed = step(
            state,
            {actor: decisions.get(recorded.time_index)},
            tick_rng(setup.seed, state.time_index),
            crowd.get(recorded.time_index, 0.0),
        )
        problems = []
        if replayed.time_index != recorded.time_index:
            problems.append(f"index {replayed.time_index} != {recorded.time_index}")
        if replayed.applied_actions != recorded.applied_actions:
            problems.append("different actions")
        if state.snapshot() != recorded.state_snapshot.snapshot():
            problems.append("different state")
        if problems:
            report.mismatches.append(f"tick {recorded.time_index}: " + ", ".join(problems))
        else:
            report.identical += 1
    return report
