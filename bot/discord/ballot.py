"""A rewrite vote's ballot in Discord: one embed per candidate, grouped into messages."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.discord.embeds import cap, new_embed, safe
from bot.discord.vote_tally import NUMBER_EMOJIS
from engine.llm.rewrite import Candidate

MESSAGE_EMBED_CHARS = 5500  # Discord allows 6000 characters of embeds per message


def candidate_embeds(candidates: Sequence[Candidate]) -> list[discord.Embed]:
    embeds = []
    for number, candidate in enumerate(candidates, 1):
        label = "the house telling" if candidate.house else candidate.writer
        embed = new_embed(f"{NUMBER_EMOJIS[number - 1]} {label}", safe(candidate.text, 3800))
        embed.set_footer(text=cap(f"writer: {candidate.writer} ({candidate.model})", 200))
        embeds.append(embed)
    return embeds


def ballot_chunks(embeds: list[discord.Embed]) -> list[list[discord.Embed]]:
    """Embeds grouped into messages within Discord's per-message limits."""
    chunks: list[list[discord.Embed]] = [[]]
    used = 0
    for embed in embeds:
        size = len(embed)
        if chunks[-1] and (used + size > MESSAGE_EMBED_CHARS or len(chunks[-1]) >= 10):
            chunks.append([])
            used = 0
        chunks[-1].append(embed)
        used += size
    return chunks
