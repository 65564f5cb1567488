"""Promo segments: participants trade lines for a bounded number of rounds; heat follows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from engine.models.base import Frozen
from engine.models.enums import Tier
from engine.models.league import Wrestler
from engine.models.show import PromoLine
from engine.rules.heat import TIER_BASE_HEAT, clamp_heat

PromoSpeaker = Callable[[Wrestler, Wrestler, int, Sequence[PromoLine]], Awaitable[str]]
LineHeat = Callable[[Wrestler, str, int], float]


class PromoOutcome(Frozen):
    lines: tuple[PromoLine, ...]
    heat: float
    rating: float
    feud_heat_delta: float


async def run_promo(
    speakers: Sequence[Wrestler],
    rounds: int,
    speak: PromoSpeaker,
    line_heat: LineHeat,
    tier: Tier,
    on_line: Callable[[PromoLine, Wrestler], Awaitable[None]] | None = None,
) -> PromoOutcome:
    """Each round every speaker answers the previous line (a multi-agent conversation)."""
    if len(speakers) < 2:
        raise ValueError("a promo needs at least two wrestlers")
    heat = clamp_heat(
        TIER_BASE_HEAT[tier] + sum(s.popularity for s in speakers) / len(speakers) * 0.2
    )
    heats: list[float] = []
    lines: list[PromoLine] = []
    for round_index in range(rounds):
        for position, speaker in enumerate(speakers):
            opponent = speakers[(position + 1) % len(speakers)]
            text = (await speak(speaker, opponent, round_index, tuple(lines)))[:400]
            delta = line_heat(speaker, text, round_index)
            heat = clamp_heat(heat + delta - 0.5)
            heats.append(heat)
            line = PromoLine(
                round=round_index, speaker_id=speaker.id, text=text, heat_delta=round(delta, 2)
            )
            lines.append(line)
            if on_line is not None:
                await on_line(line, speaker)
    mean_heat = sum(heats) / len(heats)
    charisma = sum(s.stats.charisma for s in speakers) / len(speakers)
    stars = 0.5 + mean_heat / 100 * 3.5 + charisma / 100 * 1.0 + min(rounds, 4) * 0.1
    rating = round(max(0.0, min(5.0, stars)) * 4) / 4
    return PromoOutcome(
        lines=tuple(lines),
        heat=round(mean_heat, 2),
        rating=rating,
        feud_heat_delta=round(2.0 + rating * 2.0, 2),
    )
