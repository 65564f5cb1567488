"""Shared embed helpers: colours per alignment and tier, stat bars, stars, safe capped text."""

from __future__ import annotations

import discord

from bot.services.text import escape_markdown
from engine.models import Alignment, Tier

TITLE_MAX = 256
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
DESCRIPTION_MAX = 4096
FOOTER_MAX = 2048
MAX_FIELDS = 25

ALIGNMENT_COLOURS = {
    Alignment.FACE: discord.Colour.blue(),
    Alignment.HEEL: discord.Colour.red(),
    Alignment.TWEENER: discord.Colour.purple(),
}
TIER_COLOURS = {
    Tier.INDIE: discord.Colour.light_grey(),
    Tier.REGIONAL: discord.Colour.green(),
    Tier.NATIONAL: discord.Colour.gold(),
    Tier.GLOBAL: discord.Colour.dark_gold(),
}
NEUTRAL = discord.Colour.blurple()


def alignment_colour(alignment: Alignment) -> discord.Colour:
    return ALIGNMENT_COLOURS.get(alignment, NEUTRAL)


def tier_colour(tier: Tier) -> discord.Colour:
    return TIER_COLOURS.get(tier, NEUTRAL)


def cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def safe(text: str, limit: int = FIELD_VALUE_MAX) -> str:
    """Player text for an embed: markdown escaped, capped; never empty (Discord refuses)."""
    escaped = escape_markdown(text.strip())
    return cap(escaped, limit) if escaped else "—"


def stat_bar(value: int | float, *, width: int = 10, maximum: int = 100) -> str:
    """``█████░░░░░ 50``: a bar for a 0-100 value."""
    clamped = max(0.0, min(float(maximum), float(value)))
    filled = round(clamped / maximum * width)
    return f"{'█' * filled}{'░' * (width - filled)} {round(clamped)}"


def stars_text(rating: float | None) -> str:
    """``★★★½`` for 3.5; ``unrated`` when there is no rating yet."""
    if rating is None:
        return "unrated"
    halves = max(0, min(10, round(rating * 2)))
    return "★" * (halves // 2) + ("½" if halves % 2 else "") or "DUD"


def add_field(embed: discord.Embed, name: str, value: str, *, inline: bool = True) -> None:
    """Adds a field with Discord's limits respected (values already escaped by the caller)."""
    if len(embed.fields) >= MAX_FIELDS:
        return
    embed.add_field(
        name=cap(name, FIELD_NAME_MAX), value=cap(value or "—", FIELD_VALUE_MAX), inline=inline
    )


def new_embed(title: str, description: str = "", colour: discord.Colour = NEUTRAL) -> discord.Embed:
    """``title`` is escaped here; ``description`` must already be safe."""
    return discord.Embed(
        title=safe(title, TITLE_MAX),
        description=cap(description, DESCRIPTION_MAX) or None,
        colour=colour,
    )


def lines_block(lines: list[str], *, limit: int = FIELD_VALUE_MAX) -> str:
    """Joins lines until the limit, then says how many more there were."""
    out: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        more = f"\n… and {len(lines) - index} more"
        if used + len(line) + 1 + len(more) > limit:
            out.append(more.strip())
            break
        out.append(line)
        used += len(line) + 1
    return "\n".join(out) or "—"
