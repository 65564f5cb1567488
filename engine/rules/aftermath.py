"""After the bell: popularity, momentum, records, streaks, feud heat, injuries and titles."""

from __future__ import annotations

from datetime import datetime, timedelta

from engine.models.base import Frozen
from engine.models.enums import FinishMethod
from engine.models.league import Championship, Record, TitleReign, Wrestler
from engine.models.match import MatchResult, MatchState
from engine.rules.heat import feud_heat_gain


class Aftermath(Frozen):
    wrestlers: tuple[Wrestler, ...]
    feud_heat_delta: float
    championship: Championship | None = None
    title_changed: bool = False
    summary: tuple[str, ...] = ()


def _gauge(value: int) -> int:
    return max(0, min(100, value))


def _record(record: Record, outcome: str) -> Record:
    if outcome == "win":
        streak = record.streak + 1 if record.streak > 0 else 1
        return record.model_copy(update={"wins": record.wins + 1, "streak": streak})
    if outcome == "loss":
        streak = record.streak - 1 if record.streak < 0 else -1
        return record.model_copy(update={"losses": record.losses + 1, "streak": streak})
    return record.model_copy(update={"draws": record.draws + 1, "streak": 0})


def _outcome(result: MatchResult, wrestler_id: int) -> str:
    if wrestler_id in result.winner_ids:
        return "win"
    if wrestler_id in result.loser_ids:
        return "loss"
    return "draw"


def aftermath(
    state: MatchState,
    rating: float,
    current: dict[int, Wrestler],
    championship: Championship | None,
    now: datetime,
    match_id: int | None = None,
) -> Aftermath:
    """Pure: the league consequences of a finished match. ``current`` are the sheets as they
    are now (a wrestler may have been edited during the match), keyed by id."""
    result = state.result
    if result is None:
        raise ValueError("the match has not finished")
    summary: list[str] = []
    updated: list[Wrestler] = []
    for wrestler_id, sheet in sorted(current.items()):
        outcome = _outcome(result, wrestler_id)
        if outcome == "win":
            popularity = sheet.popularity + round(1 + rating * 1.2)
            momentum = sheet.momentum + 10
        elif outcome == "loss":
            # A great match costs the loser little; a squash costs more.
            popularity = sheet.popularity - max(0, round(3 - rating))
            momentum = sheet.momentum - 8
        else:
            popularity = sheet.popularity + round(rating / 2)
            momentum = sheet.momentum
        weeks = state.tally.injuries.get(wrestler_id, 0)
        injured_until = sheet.injured_until
        if weeks:
            injured_until = now + timedelta(weeks=weeks)
            summary.append(f"{sheet.name} is injured and out for {weeks} week(s).")
        updated.append(
            sheet.model_copy(
                update={
                    "popularity": _gauge(popularity),
                    "momentum": _gauge(momentum),
                    "record": _record(sheet.record, outcome),
                    "injured_until": injured_until,
                }
            )
        )
    title, changed = _title_after(championship, result, now, match_id)
    if championship is not None and title is not None:
        names = {w.id: w.name for w in updated}
        if changed:
            new_holder = ", ".join(names.get(i, str(i)) for i in title.holder_ids)
            summary.append(f"AND NEW {championship.name} champion: {new_holder}!")
        elif championship.holder_ids:
            holder = ", ".join(names.get(i, str(i)) for i in championship.holder_ids)
            if result.method is FinishMethod.DQ and set(championship.holder_ids) & set(
                result.loser_ids
            ):
                summary.append(f"{holder} loses by DQ but keeps the {championship.name}.")
            else:
                summary.append(f"{holder} retains the {championship.name}.")
    return Aftermath(
        wrestlers=tuple(updated),
        feud_heat_delta=feud_heat_gain(rating, state.tally.near_falls),
        championship=title,
        title_changed=changed,
        summary=tuple(summary),
    )


def _title_after(
    championship: Championship | None, result: MatchResult, now: datetime, match_id: int | None
) -> tuple[Championship | None, bool]:
    """Titles change hands on pinfall, submission or KO only - never on DQ or a draw."""
    if championship is None:
        return None, False
    holders = set(championship.holder_ids)
    winners = set(result.winner_ids)
    lineage = list(championship.lineage)
    if not winners:
        return championship, False
    if holders and holders == winners:
        lineage[-1] = lineage[-1].model_copy(update={"defences": lineage[-1].defences + 1})
        return championship.model_copy(update={"lineage": tuple(lineage)}), False
    if not result.method.changes_titles:
        return championship, False
    if holders:
        lineage[-1] = lineage[-1].model_copy(update={"lost_at": now})
    lineage.append(
        TitleReign(holder_ids=tuple(sorted(winners)), won_at=now, won_in_match_id=match_id)
    )
    return championship.model_copy(update={"lineage": tuple(lineage)}), True
