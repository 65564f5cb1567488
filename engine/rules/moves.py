"""Move vocabulary per action and style: the names the narration and agents see."""

from __future__ import annotations

import random

from engine.models.enums import ActionId, StylePreset
from engine.models.league import Wrestler

_GENERIC: dict[ActionId, tuple[str, ...]] = {
    ActionId.STRIKE: (
        "forearm smash",
        "knife-edge chop",
        "running elbow",
        "big boot",
        "discus clothesline",
        "stiff kick to the chest",
    ),
    ActionId.GRAPPLE: (
        "belly-to-belly suplex",
        "body slam",
        "spinebuster",
        "German suplex",
        "sidewalk slam",
        "powerslam",
    ),
    ActionId.TECHNICAL: (
        "hammerlock takedown",
        "arm drag",
        "snap suplex",
        "drop toe-hold",
        "Northern Lights suplex",
        "wristlock reversal",
    ),
    ActionId.AERIAL: (
        "diving crossbody",
        "moonsault",
        "top-rope elbow drop",
        "springboard dropkick",
        "tope suicida",
        "frog splash",
    ),
    ActionId.SUBMISSION: (
        "sharpshooter",
        "crossface",
        "ankle lock",
        "figure-four leglock",
        "sleeper hold",
        "Boston crab",
    ),
    ActionId.PIN: ("cover", "small package", "roll-up", "lateral press"),
    ActionId.TAUNT: (
        "pose to the crowd",
        "cupped ear to the crowd",
        "mocking bow",
        "throat-slash gesture",
    ),
    ActionId.REST: ("roll to the outside", "breather on the apron", "step back to recover"),
    ActionId.CHEAT: ("thumb to the eye", "low blow", "rake across the eyes", "feet on the ropes"),
    ActionId.WEAPON: (
        "steel chair shot",
        "kendo stick strike",
        "trash-can lid to the skull",
        "ladder shot",
    ),
}

_STYLE_FAVOURITES: dict[StylePreset, dict[ActionId, tuple[str, ...]]] = {
    StylePreset.POWERHOUSE: {
        ActionId.GRAPPLE: ("gorilla press slam", "powerbomb", "military press drop"),
        ActionId.STRIKE: ("pounce", "lariat"),
    },
    StylePreset.TECHNICIAN: {
        ActionId.TECHNICAL: ("bridging suplex", "chain-wrestling sequence", "dragon screw"),
        ActionId.SUBMISSION: ("cross armbreaker", "Indian deathlock"),
    },
    StylePreset.HIGH_FLYER: {
        ActionId.AERIAL: ("shooting star press", "450 splash", "corkscrew plancha"),
        ActionId.STRIKE: ("enzuigiri", "superkick"),
    },
    StylePreset.BRAWLER: {
        ActionId.STRIKE: ("haymaker", "headbutt", "flurry of rights"),
        ActionId.GRAPPLE: ("DDT", "piledriver"),
    },
    StylePreset.SHOWMAN: {
        ActionId.TAUNT: ("strut across the ring", "pyro-ready pose", "kiss blown to the crowd"),
        ActionId.STRIKE: ("flashy spinning backfist",),
    },
}


def move_name(action_id: ActionId, wrestler: Wrestler, rng: random.Random) -> str:
    """Name the move a wrestler performs; signature and finisher use the wrestler's own."""
    if action_id is ActionId.FINISHER:
        return wrestler.finisher
    if action_id is ActionId.SIGNATURE:
        if wrestler.signatures:
            return rng.choice(wrestler.signatures)
        return f"signature {wrestler.stats.best_offence} move"
    favourites = _STYLE_FAVOURITES.get(wrestler.style, {}).get(action_id, ())
    pool = favourites + _GENERIC[action_id] if favourites else _GENERIC[action_id]
    # Favourites come first and are drawn more often: a wrestler's style shows.
    if favourites and rng.random() < 0.5:
        return rng.choice(favourites)
    return rng.choice(pool)


def default_move_name(action_id: ActionId, wrestler: Wrestler) -> str:
    """A stable name for offering the action (no randomness)."""
    if action_id is ActionId.FINISHER:
        return wrestler.finisher
    if action_id is ActionId.SIGNATURE:
        return wrestler.signatures[0] if wrestler.signatures else "signature move"
    favourites = _STYLE_FAVOURITES.get(wrestler.style, {}).get(action_id, ())
    return (favourites or _GENERIC[action_id])[0]
