"""TickScheduler: who acts next (round robin; a wrestler on a roll may steal initiative)."""

from __future__ import annotations

import random

from engine.models.match import WrestlerState

MAX_STOLEN = 1  # a wrestler may act at most twice in a row


class TickScheduler:
    def first_actor(self, wrestler_ids: tuple[int, ...], rng: random.Random) -> int:
        return rng.choice(wrestler_ids)

    def next_actor(
        self,
        wrestlers: tuple[WrestlerState, ...],
        acted_id: int,
        landed: bool,
        streak: int,
        rng: random.Random,
    ) -> int:
        """Round robin, unless the wrestler who just landed a move is well ahead on momentum."""
        momentum = {w.wrestler_id: w.momentum for w in wrestlers}
        ids = [w.wrestler_id for w in wrestlers]
        following = ids[(ids.index(acted_id) + 1) % len(ids)]
        if landed and streak < MAX_STOLEN:
            lead = momentum[acted_id] - momentum[following]
            if lead >= 25 and rng.random() < min(0.35, (lead - 15) / 100):
                return acted_id
        return following
