"""The demo federation: a roster of distinct characters, a title and a full card (data only)."""

from __future__ import annotations

from typing import Any

from engine.models import Alignment, ControllerKind, Stats, Stipulation, StylePreset, Tier

FEDERATION = {
    "name": "LLMFed Championship Wrestling",
    "description": "The flagship promotion of the LLMFed demo: eight-plus characters, one belt.",
    "tier": Tier.NATIONAL,
}
TITLE_NAME = "LLMFed World Championship"
TITLE_HOLDER = "Atlas Grimm"
SHOW_NAME = "Friday Night Fury"


def _w(
    name: str,
    gimmick: str,
    alignment: Alignment,
    style: StylePreset,
    stats: Stats,
    finisher: str,
    signatures: tuple[str, ...],
    popularity: int,
) -> dict[str, Any]:
    return {
        "name": name,
        "gimmick": gimmick,
        "alignment": alignment,
        "style": style,
        "stats": stats,
        "finisher": finisher,
        "signatures": signatures,
        "popularity": popularity,
        "controller": ControllerKind.OFFLINE,
    }


ROSTER: tuple[dict[str, Any], ...] = (
    _w(
        "Atlas Grimm",
        "A brooding strongman who claims he once carried the world on his back "
        "and wants the crowd to thank him for it.",
        Alignment.HEEL,
        StylePreset.POWERHOUSE,
        Stats(power=88, technique=55, agility=40, charisma=70, toughness=82),
        "Worldbreaker",
        ("Titan Press", "Mountain Bomb"),
        78,
    ),
    _w(
        "Sofia Ironside",
        "A coal miner's daughter who fights for every town the mines left behind.",
        Alignment.FACE,
        StylePreset.ALL_ROUNDER,
        Stats(power=72, technique=74, agility=66, charisma=76, toughness=80),
        "Ironside Driver",
        ("Pit Lamp Lariat",),
        74,
    ),
    _w(
        "Ruby Vex",
        "A daredevil stunt pilot who never learned to fear the ground.",
        Alignment.FACE,
        StylePreset.HIGH_FLYER,
        Stats(power=45, technique=60, agility=92, charisma=72, toughness=55),
        "Skyfall Splash",
        ("Barrel Roll Dropkick",),
        66,
    ),
    _w(
        "Professor Quill",
        "A disgraced chess grandmaster who treats every hold as a gambit "
        "and every opponent as a pawn.",
        Alignment.TWEENER,
        StylePreset.TECHNICIAN,
        Stats(power=50, technique=93, agility=58, charisma=60, toughness=66),
        "Checkmate Clutch",
        ("Queen's Gambit Suplex", "En Passant Armbar"),
        58,
    ),
    _w(
        "Mama Bruise",
        "A biker-bar bouncer who settles every dispute the old way, then buys the next round.",
        Alignment.HEEL,
        StylePreset.BRAWLER,
        Stats(power=80, technique=45, agility=42, charisma=66, toughness=86),
        "Last Call",
        ("Kitchen Sink Knee",),
        61,
    ),
    _w(
        "Big Tiny Okafor",
        "A gentle giant who teaches kindergarten by day and tosses grown men by night.",
        Alignment.FACE,
        StylePreset.POWERHOUSE,
        Stats(power=90, technique=50, agility=35, charisma=68, toughness=84),
        "Nap Time Slam",
        ("Recess Bell Clap",),
        63,
    ),
    _w(
        "The Velvet Baron",
        "An aristocrat who insists the crowd address him as Your Grace and "
        "travels with a personal trumpeter.",
        Alignment.HEEL,
        StylePreset.SHOWMAN,
        Stats(power=58, technique=66, agility=60, charisma=91, toughness=62),
        "Royal Decree",
        ("Velvet Rope Choke",),
        70,
    ),
    _w(
        "Nova Starr",
        "A pop idol who swapped the arena stage for the squared circle and still hits every mark.",
        Alignment.FACE,
        StylePreset.SHOWMAN,
        Stats(power=55, technique=62, agility=78, charisma=90, toughness=60),
        "Encore",
        ("Spotlight Kick",),
        72,
    ),
    _w(
        "Kid Comet",
        "A nineteen-year-old rookie from the trampoline circuit with more nerve than sense.",
        Alignment.FACE,
        StylePreset.HIGH_FLYER,
        Stats(power=42, technique=55, agility=88, charisma=64, toughness=50),
        "Comet Tail",
        ("Shooting Star Press",),
        48,
    ),
    _w(
        "Hex Moreau",
        "A bayou mystic who claims to read his opponents' bones before he breaks them.",
        Alignment.HEEL,
        StylePreset.TECHNICIAN,
        Stats(power=60, technique=82, agility=55, charisma=68, toughness=64),
        "Grave Ritual",
        ("Voodoo Crossface",),
        55,
    ),
)

# (kind, participants, stipulation, main event, title match)
CARD: tuple[tuple[str, tuple[str, ...], Stipulation | None, bool, bool], ...] = (
    ("match", ("Kid Comet", "Hex Moreau"), Stipulation.STANDARD, False, False),
    ("promo", ("Atlas Grimm", "Sofia Ironside"), None, False, False),
    ("match", ("Mama Bruise", "Big Tiny Okafor"), Stipulation.NO_DQ, False, False),
    ("match", ("Professor Quill", "Ruby Vex"), Stipulation.SUBMISSION_ONLY, False, False),
    ("match", ("The Velvet Baron", "Nova Starr"), Stipulation.LAST_MAN_STANDING, False, False),
    ("match", ("Atlas Grimm", "Sofia Ironside"), Stipulation.STANDARD, True, True),
)
