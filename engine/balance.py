"""Balance measurement: many offline standard matches, checked against DESIGN 3's targets."""

from __future__ import annotations

import random
import statistics
from collections import Counter
from collections.abc import Callable

from engine.controllers.offline import choose
from engine.models.base import Frozen
from engine.models.enums import Alignment, Stipulation, StylePreset
from engine.models.league import Stats, Wrestler
from engine.models.match import MatchSetup, MatchState
from engine.rules.context import build_context
from engine.rules.rating import star_rating
from engine.rules.step import RULEBOOK, initial_state, step, tick_rng

STAT_NAMES = ("power", "technique", "agility", "charisma", "toughness")
STRONGER_BY = 10  # per stat: the stronger wrestler's stats sum is 50 higher


class Target(Frozen):
    name: str
    measured: float
    low: float | None = None
    high: float | None = None
    unit: str = ""

    @property
    def passed(self) -> bool:
        return (self.low is None or self.measured >= self.low) and (
            self.high is None or self.measured <= self.high
        )

    @property
    def wanted(self) -> str:
        if self.low is not None and self.high is not None:
            return f"{self.low:g}-{self.high:g}{self.unit}"
        if self.low is not None:
            return f">= {self.low:g}{self.unit}"
        return f"<= {self.high:g}{self.unit}"


class BalanceReport(Frozen):
    matches: int
    targets: tuple[Target, ...]

    @property
    def passed(self) -> bool:
        return all(t.passed for t in self.targets)


def play_offline(setup: MatchSetup) -> MatchState:
    """A whole match with offline agents, no I/O: the pure engine at full speed."""
    state = initial_state(setup)
    while not state.finished:
        context = build_context(state, state.next_actor_id, RULEBOOK)
        decision = choose(context, random.Random(context.decision_seed))
        state, _ = step(
            state, {state.next_actor_id: decision}, tick_rng(setup.seed, state.time_index)
        )
    return state


def matchup(rng: random.Random, match_id: int) -> tuple[MatchSetup, int]:
    """Two random characters, one 50 stat points stronger; returns (setup, stronger id)."""
    base = {name: rng.randint(35, 75) for name in STAT_NAMES}
    strong = {name: value + STRONGER_BY for name, value in base.items()}
    sheets = [
        Wrestler(
            id=wid,
            federation_id=0,
            name=f"Balance {wid}",
            stats=Stats(**stats),
            style=rng.choice(list(StylePreset)),
            alignment=rng.choice(list(Alignment)),
            popularity=rng.randint(20, 80),
        )
        for wid, stats in ((1, strong), (2, base))
    ]
    rng.shuffle(sheets)
    setup = MatchSetup(
        match_id=match_id,
        seed=rng.randrange(2**63),
        stipulation=Stipulation.STANDARD,
        sheets=tuple(sheets),
    )
    return setup, 1


def measure(
    matches: int, seed: int = 0, progress: Callable[[int], None] | None = None
) -> BalanceReport:
    rng = random.Random(seed)
    lengths: list[int] = []
    stars: list[float] = []
    finishers = near_falls = stronger_wins = 0
    actions: Counter[str] = Counter()
    for index in range(matches):
        setup, stronger = matchup(rng, index + 1)
        state = play_offline(setup)
        lengths.append(state.time_index)
        stars.append(star_rating(state))
        finishers += state.tally.finishers > 0
        near_falls += state.tally.near_falls > 0
        stronger_wins += state.result is not None and state.result.winner_ids == (stronger,)
        actions.update(state.tally.action_counts)
        if progress is not None:
            progress(index + 1)
    n = max(1, matches)
    stars.sort()
    total_actions = max(1, sum(actions.values()))
    top_action, top_count = actions.most_common(1)[0] if actions else ("-", 0)
    return BalanceReport(
        matches=matches,
        targets=(
            Target(
                name="matches lasting 15-45 ticks",
                measured=_pct(sum(15 <= x <= 45 for x in lengths), n),
                low=90,
                unit="%",
            ),
            Target(
                name="median match length (ticks)",
                measured=statistics.median(lengths or [0]),
                low=20,
                high=35,
            ),
            Target(
                name="matches where a finisher lands", measured=_pct(finishers, n), low=60, unit="%"
            ),
            Target(name="matches with a near fall", measured=_pct(near_falls, n), low=70, unit="%"),
            Target(
                name="stronger wrestler (+50 stats) wins",
                measured=_pct(stronger_wins, n),
                low=60,
                high=80,
                unit="%",
            ),
            Target(
                name=f"most chosen action share ({top_action})",
                measured=_pct(top_count, total_actions),
                high=35,
                unit="%",
            ),
            Target(
                name="median star rating",
                measured=statistics.median(stars or [0.0]),
                low=2.5,
                high=3.5,
            ),
            Target(
                name="5th percentile star rating (low end of span)",
                measured=_quantile(stars, 0.05),
                low=1.0,
                high=2.0,
            ),
            Target(
                name="95th percentile star rating (high end of span)",
                measured=_quantile(stars, 0.95),
                low=4.0,
                high=5.0,
            ),
        ),
    )


def _pct(count: int, total: int) -> float:
    return round(100.0 * count / total, 1)


def _quantile(ordered: list[float], q: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
