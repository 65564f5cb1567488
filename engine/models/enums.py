"""Enumerations of the domain: tiers, alignments, actions, stipulations, phases, statuses."""

from __future__ import annotations

from enum import StrEnum


class Tier(StrEnum):
    INDIE = "indie"
    REGIONAL = "regional"
    NATIONAL = "national"
    GLOBAL = "global"


class Alignment(StrEnum):
    FACE = "face"
    HEEL = "heel"
    TWEENER = "tweener"


class Role(StrEnum):
    WRESTLER = "wrestler"
    MANAGER = "manager"
    COMMENTATOR = "commentator"


class StylePreset(StrEnum):
    POWERHOUSE = "powerhouse"
    TECHNICIAN = "technician"
    HIGH_FLYER = "high_flyer"
    BRAWLER = "brawler"
    SHOWMAN = "showman"
    ALL_ROUNDER = "all_rounder"


class ControllerKind(StrEnum):
    LLM = "llm"
    PLAYER = "player"
    OFFLINE = "offline"


class Stipulation(StrEnum):
    STANDARD = "standard"
    NO_DQ = "no_dq"
    SUBMISSION_ONLY = "submission_only"
    LAST_MAN_STANDING = "last_man_standing"


class NarrativeMode(StrEnum):
    TICK = "tick"
    ROLLING_REWRITE = "rolling_rewrite"
    FULL_REWRITE = "full_rewrite"


class MatchStatus(StrEnum):
    BOOKED = "booked"
    LIVE = "live"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class ShowStatus(StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"
    FINISHED = "finished"
    CANCELLED = "cancelled"
    MISSED = "missed"


class SegmentKind(StrEnum):
    MATCH = "match"
    PROMO = "promo"


class HintScope(StrEnum):
    FEDERATION = "federation"
    SHOW = "show"
    MATCH = "match"
    WRESTLER = "wrestler"


class RequestStatus(StrEnum):
    PENDING = "pending"
    ANSWERED = "answered"
    FALLBACK = "fallback"


class FinishMethod(StrEnum):
    PINFALL = "pinfall"
    SUBMISSION = "submission"
    KO = "ko"
    DQ = "dq"
    TIME_LIMIT = "time_limit"

    @property
    def changes_titles(self) -> bool:
        """Titles change hands on pinfall, submission or KO only."""
        return self in (FinishMethod.PINFALL, FinishMethod.SUBMISSION, FinishMethod.KO)


class ActionId(StrEnum):
    STRIKE = "strike"
    GRAPPLE = "grapple"
    TECHNICAL = "technical"
    AERIAL = "aerial"
    SUBMISSION = "submission"
    PIN = "pin"
    SIGNATURE = "signature"
    FINISHER = "finisher"
    TAUNT = "taunt"
    REST = "rest"
    CHEAT = "cheat"
    WEAPON = "weapon"


class Phase(StrEnum):
    """The arc of a match. Transitions only move forward, see ``Phase.can_move_to``."""

    OPENING = "opening"
    HEAT = "heat"
    COMEBACK = "comeback"
    FINISH = "finish"

    def can_move_to(self, other: Phase) -> bool:
        return other in _PHASE_TRANSITIONS[self]


_PHASE_TRANSITIONS: dict[Phase, frozenset[Phase]] = {
    Phase.OPENING: frozenset({Phase.OPENING, Phase.HEAT, Phase.COMEBACK, Phase.FINISH}),
    Phase.HEAT: frozenset({Phase.HEAT, Phase.COMEBACK, Phase.FINISH}),
    Phase.COMEBACK: frozenset({Phase.COMEBACK, Phase.FINISH}),
    Phase.FINISH: frozenset({Phase.FINISH}),
}
