"""The crowd: members' reactions on a live match message add a little heat to the next tick.

Each reaction adds ``per_reaction`` heat; at most ``cap`` waits for any one tick (the rest is
cheering into the void); a member counts at most once per ``cooldown_s`` per match. The heat
is handed to the engine step as an explicit input when the next tick is played.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from engine.models import DomainEvent, Match

COOLDOWN_S = 60.0


@dataclass
class _MatchCrowd:
    pending: float = 0.0
    seen: int = 0  # reactions received, counted or not
    last_counted: dict[int, float] = field(default_factory=dict)


class CrowdMeter:
    def __init__(
        self,
        per_reaction: float,
        cap: float,
        monotonic: Callable[[], float],
        cooldown_s: float = COOLDOWN_S,
    ) -> None:
        self._per_reaction = per_reaction
        self._cap = cap
        self._monotonic = monotonic
        self._cooldown_s = cooldown_s
        self._matches: dict[int, _MatchCrowd] = {}

    def react(self, match_id: int, user_id: int) -> float:
        """A member reacted: the heat it adds to the next tick (0.0 if it does not count)."""
        crowd = self._matches.setdefault(match_id, _MatchCrowd())
        crowd.seen += 1
        now = self._monotonic()
        last = crowd.last_counted.get(user_id)
        if last is not None and now - last < self._cooldown_s:
            return 0.0
        added = round(min(self._per_reaction, max(0.0, self._cap - crowd.pending)), 6)
        if added <= 0:
            return 0.0
        crowd.last_counted[user_id] = now
        crowd.pending = round(crowd.pending + added, 6)
        self._forget_old(crowd, now)
        return added

    def take(self, match_id: int) -> float:
        """The heat waiting for the match's next tick; the window starts over."""
        crowd = self._matches.get(match_id)
        if crowd is None:
            return 0.0
        pending, crowd.pending = crowd.pending, 0.0
        return pending

    def give_back(self, match_id: int, heat: float) -> None:
        """A tick that took the heat failed before it was recorded: keep it for the next."""
        if heat > 0:
            crowd = self._matches.setdefault(match_id, _MatchCrowd())
            crowd.pending = min(self._cap, crowd.pending + heat)

    def pending(self, match_id: int) -> float:
        crowd = self._matches.get(match_id)
        return 0.0 if crowd is None else crowd.pending

    def seen(self, match_id: int) -> int:
        crowd = self._matches.get(match_id)
        return 0 if crowd is None else crowd.seen

    def drop(self, match_id: int) -> None:
        self._matches.pop(match_id, None)

    def _forget_old(self, crowd: _MatchCrowd, now: float) -> None:
        if len(crowd.last_counted) > 64:
            crowd.last_counted = {
                user: at for user, at in crowd.last_counted.items() if now - at < self._cooldown_s
            }


def reaction_event(
    match: Match, tick: int, user_id: int, emoji: str, heat: float, at: datetime
) -> DomainEvent:
    """The record of a reaction that added ``heat`` before ``tick``."""
    return DomainEvent(
        kind="crowd.reaction",
        federation_id=match.federation_id,
        match_id=match.id,
        tick=tick,
        actor_user_id=user_id,
        at=at,
        payload={"emoji": emoji[:64], "heat": heat},
    )
