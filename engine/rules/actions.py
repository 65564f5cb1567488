"""The action table: every action an agent can be offered, as data (DESIGN 3)."""

from __future__ import annotations

from engine.models.base import Frozen
from engine.models.enums import ActionId, Alignment, Stipulation

BEST_STAT = "best"


class ActionSpec(Frozen):
    id: ActionId
    description: str
    main_stat: str | None  # a Stats field, BEST_STAT, or None (no contest)
    defence_stat: str | None
    stamina: int  # cost; negative recovers
    damage: tuple[int, int] = (0, 0)
    momentum_win: int = 0
    momentum_lose: int = 0
    min_momentum: int = 0
    accuracy: float = 0.0  # added to the base success chance
    heat: float = 0.0  # crowd reaction when it lands
    forbidden_in: frozenset[Stipulation] = frozenset()
    only_in: frozenset[Stipulation] | None = None
    alignments: frozenset[Alignment] | None = None
    big_spot: bool = False  # may injure; may start a ten-count in last man standing


ACTIONS: dict[ActionId, ActionSpec] = {
    spec.id: spec
    for spec in (
        ActionSpec(
            id=ActionId.STRIKE,
            description="punches, chops and kicks",
            main_stat="power",
            defence_stat="toughness",
            stamina=3,
            damage=(4, 8),
            momentum_win=7,
            momentum_lose=-2,
            accuracy=0.12,
            heat=0.8,
        ),
        ActionSpec(
            id=ActionId.GRAPPLE,
            description="slams and suplexes",
            main_stat="power",
            defence_stat="power",
            stamina=6,
            damage=(7, 12),
            momentum_win=10,
            momentum_lose=-4,
            heat=1.4,
        ),
        ActionSpec(
            id=ActionId.TECHNICAL,
            description="holds, reversals and chain wrestling",
            main_stat="technique",
            defence_stat="technique",
            stamina=5,
            damage=(5, 10),
            momentum_win=9,
            momentum_lose=-3,
            accuracy=0.05,
            heat=1.2,
        ),
        ActionSpec(
            id=ActionId.AERIAL,
            description="a high-risk move off the ropes or top turnbuckle",
            main_stat="agility",
            defence_stat="agility",
            stamina=10,
            damage=(10, 18),
            momentum_win=18,
            momentum_lose=-10,
            accuracy=-0.08,
            heat=3.0,
            big_spot=True,
        ),
        ActionSpec(
            id=ActionId.SUBMISSION,
            description="a submission hold that can force a tap-out",
            main_stat="technique",
            defence_stat="toughness",
            stamina=7,
            damage=(3, 6),
            momentum_win=8,
            momentum_lose=-4,
            heat=1.5,
            forbidden_in=frozenset({Stipulation.LAST_MAN_STANDING}),
        ),
        ActionSpec(
            id=ActionId.PIN,
            description="a pinfall attempt: a near fall or the win",
            main_stat=None,
            defence_stat=None,
            stamina=2,
            momentum_win=4,
            momentum_lose=-3,
            heat=1.0,
            forbidden_in=frozenset({Stipulation.SUBMISSION_ONLY, Stipulation.LAST_MAN_STANDING}),
        ),
        ActionSpec(
            id=ActionId.SIGNATURE,
            description="a signature move",
            main_stat=BEST_STAT,
            defence_stat="toughness",
            stamina=8,
            damage=(14, 20),
            momentum_win=12,
            momentum_lose=-8,
            min_momentum=50,
            accuracy=0.05,
            heat=4.0,
            big_spot=True,
        ),
        ActionSpec(
            id=ActionId.FINISHER,
            description="the finisher",
            main_stat=BEST_STAT,
            defence_stat="agility",
            stamina=12,
            damage=(22, 30),
            momentum_win=0,
            momentum_lose=-15,
            min_momentum=80,
            accuracy=0.12,
            heat=7.0,
            big_spot=True,
        ),
        ActionSpec(
            id=ActionId.TAUNT,
            description="play to the crowd (opens a counter)",
            main_stat="charisma",
            defence_stat=None,
            stamina=1,
            momentum_win=14,
            momentum_lose=-2,
            heat=2.0,
        ),
        ActionSpec(
            id=ActionId.REST,
            description="catch a breath and recover stamina",
            main_stat=None,
            defence_stat=None,
            stamina=-15,
            momentum_win=-3,
            momentum_lose=-3,
            heat=-2.0,
        ),
        ActionSpec(
            id=ActionId.CHEAT,
            description="a low blow or eye rake behind the referee's back",
            main_stat=None,
            defence_stat=None,
            stamina=3,
            damage=(8, 14),
            momentum_win=10,
            momentum_lose=-3,
            accuracy=0.1,
            heat=2.5,
            alignments=frozenset({Alignment.HEEL, Alignment.TWEENER}),
        ),
        ActionSpec(
            id=ActionId.WEAPON,
            description="a chair, a kendo stick, whatever is under the ring",
            main_stat="power",
            defence_stat="toughness",
            stamina=6,
            damage=(14, 22),
            momentum_win=10,
            momentum_lose=-5,
            heat=4.5,
            big_spot=True,
            only_in=frozenset({Stipulation.NO_DQ}),
        ),
    )
}

FINISHER_MOMENTUM_RESET = 20
TAUNT_COUNTER_BONUS = 0.15
