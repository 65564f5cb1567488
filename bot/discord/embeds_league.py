"""League embeds: the federation card, wrestler card, title card and list embeds."""

from __future__ import annotations

import discord

from bot.discord.embeds import (
    DESCRIPTION_MAX,
    add_field,
    alignment_colour,
    lines_block,
    new_embed,
    safe,
    stat_bar,
    tier_colour,
)
from bot.services.admin import FederationInfo, TitleInfo, WrestlerInfo
from engine.models import Championship, Federation, Wrestler

STAT_NAMES = ("power", "technique", "agility", "charisma", "toughness")


def _label(value: str) -> str:
    return value.replace("_", " ").title()


def _holders(title: Championship, names: dict[int, str]) -> str:
    if title.is_vacant:
        return "vacant"
    return " & ".join(safe(names.get(h, f"#{h}"), 100) for h in title.holder_ids)


def federation_card(info: FederationInfo) -> discord.Embed:
    federation = info.federation
    embed = new_embed(
        federation.name,
        safe(federation.description, DESCRIPTION_MAX) if federation.description else "",
        tier_colour(federation.tier),
    )
    add_field(embed, "Tier", _label(federation.tier.value))
    add_field(embed, "Owner", f"<@{federation.owner_user_id}>")
    add_field(embed, "Roster", f"{info.wrestler_count} wrestler(s)")
    channel = federation.announce_channel_id
    add_field(embed, "Announcements", f"<#{channel}>" if channel else "not set")
    titles = [f"**{safe(t.name, 100)}**: {_holders(t, info.holder_names)}" for t in info.titles]
    add_field(embed, "Titles", lines_block(titles) if titles else "none yet", inline=False)
    embed.set_footer(text=f"Federation #{federation.id}")
    return embed


def wrestler_card(info: WrestlerInfo) -> discord.Embed:
    wrestler = info.wrestler
    embed = new_embed(
        wrestler.name,
        safe(wrestler.gimmick, DESCRIPTION_MAX) if wrestler.gimmick else "",
        alignment_colour(wrestler.alignment),
    )
    add_field(embed, "Federation", safe(info.federation.name, 100))
    add_field(embed, "Alignment", _label(wrestler.alignment.value))
    add_field(embed, "Style", _label(wrestler.style.value))
    bars = [f"`{name[:4].upper()}` {stat_bar(wrestler.stats.get(name))}" for name in STAT_NAMES]
    add_field(embed, "Stats", "\n".join(bars), inline=False)
    record = wrestler.record
    streak = (
        f", streak {'W' if record.streak > 0 else 'L'}{abs(record.streak)}" if record.streak else ""
    )
    add_field(embed, "Record", f"{record.wins}-{record.losses}-{record.draws}{streak}")
    add_field(embed, "Popularity", stat_bar(wrestler.popularity))
    add_field(embed, "Finisher", safe(wrestler.finisher, 100))
    titles = [safe(t.name, 100) for t in info.titles]
    add_field(embed, "Titles", ", ".join(titles) if titles else "none", inline=False)
    controller = wrestler.controller.value
    if wrestler.llm.model:
        controller += f" ({safe(wrestler.llm.model, 60)})"
    add_field(embed, "Controller", controller)
    owner = f"<@{wrestler.owner_user_id}>" if wrestler.owner_user_id else "the house"
    add_field(embed, "Player", owner)
    embed.set_footer(text=f"Wrestler #{wrestler.id}")
    return embed


def title_card(info: TitleInfo) -> discord.Embed:
    title = info.title
    embed = new_embed(title.name, f"Championship of **{safe(info.federation.name, 100)}**")
    add_field(embed, "Champion", _holders(title, info.holder_names), inline=False)
    reigns = []
    for reign in reversed(title.lineage):
        who = " & ".join(safe(info.holder_names.get(h, f"#{h}"), 100) for h in reign.holder_ids)
        until = "now" if reign.lost_at is None else reign.lost_at.date().isoformat()
        reigns.append(
            f"{who}: {reign.won_at.date().isoformat()} to {until}, {reign.defences} defence(s)"
        )
    add_field(embed, "Lineage", lines_block(reigns) if reigns else "no reigns yet", inline=False)
    embed.set_footer(text=f"Title #{title.id}")
    return embed


def federation_list(federations: list[Federation], counts: dict[int, int]) -> discord.Embed:
    lines = [
        f"**{safe(f.name, 100)}** ({_label(f.tier.value)}, {counts.get(f.id, 0)} wrestler(s))"
        for f in federations
    ]
    body = (
        lines_block(lines, limit=DESCRIPTION_MAX)
        if lines
        else ("No federations yet. Start one with `/federation create`.")
    )
    return new_embed("Federations", body)


def wrestler_list(wrestlers: list[Wrestler], heading: str) -> discord.Embed:
    lines = [
        f"**{safe(w.name, 100)}** ({_label(w.alignment.value)}, "
        f"{w.record.wins}-{w.record.losses}-{w.record.draws})"
        for w in wrestlers
    ]
    body = (
        lines_block(lines, limit=DESCRIPTION_MAX)
        if lines
        else ("No wrestlers yet. Create one with `/wrestler create`.")
    )
    return new_embed(heading, body)
