"""Match, match log, promo, show card, hint, leaderboard and LLM embeds."""

from __future__ import annotations

import discord

from bot.discord.embeds import (
    NEUTRAL,
    add_field,
    lines_block,
    new_embed,
    safe,
    stars_text,
    stat_bar,
    tier_colour,
)
from bot.services.hint_desk import HintView
from bot.services.leaderboards import WrestlerBoard, WriterBoard
from bot.services.llm_desk import LLMModels, LLMStatus, LLMUsage
from bot.services.match_desk import Advanced, LogPage, MatchView
from bot.services.show_desk import DAYS, PromoView, ShowCard
from engine.models import MatchStatus, ShowStatus

STATUS_COLOURS = {
    MatchStatus.BOOKED: discord.Colour.light_grey(),
    MatchStatus.LIVE: discord.Colour.red(),
    MatchStatus.FINISHED: discord.Colour.green(),
    MatchStatus.CANCELLED: discord.Colour.dark_grey(),
}
NARRATION_LINE_MAX = 300


def _pretty(value: str) -> str:
    return value.replace("_", " ")


def _tick_lines(lines: tuple[tuple[int, str], ...]) -> list[str]:
    return [f"`{tick:>3}` {safe(text or '…', NARRATION_LINE_MAX)}" for tick, text in lines]


def match_card(view: MatchView) -> discord.Embed:
    match = view.match
    a, b = (view.name(i) for i in match.participant_ids)
    embed = new_embed(
        f"Match #{match.id}: {a} vs {b}", colour=STATUS_COLOURS.get(match.status, NEUTRAL)
    )
    add_field(embed, "Federation", safe(view.federation.name))
    add_field(embed, "Status", match.status.value)
    add_field(embed, "Stipulation", _pretty(match.stipulation.value))
    add_field(embed, "Mode", _pretty(match.mode.value))
    if view.title_name:
        add_field(embed, "Championship", safe(view.title_name))
    if view.show_name:
        add_field(embed, "Show", safe(view.show_name))
    if match.booked_winner_id is not None:
        add_field(embed, "Booked winner", safe(view.name(match.booked_winner_id)))
    if view.state is not None and match.status is MatchStatus.LIVE:
        state = view.state
        add_field(embed, "Tick", f"{state.time_index} ({state.phase.value})")
        add_field(embed, "Crowd heat", stat_bar(state.heat))
        for wrestler in state.wrestlers:
            add_field(
                embed,
                safe(view.name(wrestler.wrestler_id), 200),
                f"Health {stat_bar(wrestler.health)}\nStamina {stat_bar(wrestler.stamina)}\n"
                f"Momentum {stat_bar(wrestler.momentum)}",
                inline=False,
            )
    if match.result is not None:
        result = match.result
        if result.is_draw:
            outcome = f"Draw ({_pretty(result.method.value)}) at tick {result.tick}"
        else:
            winners = " & ".join(view.name(i) for i in result.winner_ids)
            outcome = f"{winners} wins by {_pretty(result.method.value)} at tick {result.tick}"
        add_field(embed, "Result", safe(outcome), inline=False)
        add_field(embed, "Rating", stars_text(match.rating))
    if view.last_lines:
        recent = [safe(line, NARRATION_LINE_MAX) for line in view.last_lines]
        add_field(embed, "Latest", lines_block(recent), inline=False)
    embed.set_footer(text=f"{view.ticks} tick(s) played · /match log {match.id}")
    return embed


def advanced_embed(advanced: Advanced) -> discord.Embed:
    embed = match_card(advanced.view)
    embed.description = lines_block(_tick_lines(advanced.lines), limit=4000)
    return embed


def log_page(page: LogPage, title: str) -> discord.Embed:
    embed = new_embed(f"{title} — log page {page.page}/{page.pages}")
    if page.lines:
        embed.description = lines_block(_tick_lines(page.lines), limit=4000)
    else:
        embed.description = "No ticks yet: the bell has not rung."
    embed.set_footer(text=f"{page.total} tick(s) in all")
    return embed


def promo_card(view: PromoView) -> discord.Embed:
    promo = view.promo
    embed = new_embed(f"Promo #{promo.id}: {' & '.join(view.names)}", colour=NEUTRAL)
    add_field(embed, "Federation", safe(view.federation.name))
    add_field(embed, "Rounds", str(promo.rounds))
    add_field(embed, "Status", promo.status.value)
    if view.show_name:
        add_field(embed, "Show", safe(view.show_name))
    return embed


def show_card(card: ShowCard) -> discord.Embed:
    show = card.show
    colour = tier_colour(card.federation.tier)
    if show.status is ShowStatus.CANCELLED:
        colour = discord.Colour.dark_grey()
    embed = new_embed(f"{show.name} · {card.federation.name}", colour=colour)
    if show.schedule is not None:
        when = show.schedule
        add_field(embed, "When", f"{DAYS[when.day]}s at {when.at:%H:%M} ({safe(when.timezone)})")
    add_field(embed, "Status", show.status.value)
    if show.channel_id is not None:
        add_field(embed, "Channel", f"<#{show.channel_id}>")
    if show.rating is not None:
        add_field(embed, "Rating", stars_text(show.rating))
    lines = []
    for line in card.lines:
        badge = " **(main event)**" if line.main_event else ""
        rating = f" {stars_text(line.rating)}" if line.rating is not None else ""
        lines.append(
            f"{line.position + 1}. {safe(line.label, 200)}{badge} — {line.status.value}{rating}"
        )
    add_field(embed, "Card", lines_block(lines) if lines else "Nothing booked yet.", inline=False)
    return embed


def hint_embed(view: HintView) -> discord.Embed:
    hint = view.hint
    embed = new_embed(f"Hint for {view.target}", safe(hint.text, 1000))
    add_field(embed, "Federation", safe(view.federation.name))
    expires = f"<t:{int(hint.expires_at.timestamp())}:R>" if hint.expires_at else "never"
    add_field(embed, "Expires", expires)
    embed.set_footer(text="Hints are guidance for the agents, never rules.")
    return embed


def _record_line(rank: int, name: str, text: str) -> str:
    return f"{rank}. {safe(name, 60)} — {text}"


def wrestler_board(board: WrestlerBoard) -> discord.Embed:
    scope = board.federation.name if board.federation else "this server"
    embed = new_embed(f"Top wrestlers of {scope}", colour=discord.Colour.gold())
    record = [
        _record_line(i, w.name, f"{w.record} (streak {w.record.streak:+d})")
        for i, w in enumerate(board.by_record, 1)
    ]
    popular = [
        _record_line(i, w.name, f"{w.popularity}") for i, w in enumerate(board.by_popularity, 1)
    ]
    add_field(
        embed,
        "By record (W-L-D)",
        lines_block(record) if record else "No wrestlers yet.",
        inline=False,
    )
    add_field(
        embed,
        "By popularity",
        lines_block(popular) if popular else "No wrestlers yet.",
        inline=False,
    )
    return embed


def writer_board(board: WriterBoard) -> discord.Embed:
    embed = new_embed("Rewrite writers (Elo from votes)", colour=discord.Colour.teal())
    for heading, rows in (("This server", board.server), ("Everywhere", board.everywhere)):
        lines = [
            _record_line(i, r.writer, f"{r.rating:.0f} ({r.wins}-{r.losses})")
            for i, r in enumerate(rows, 1)
        ]
        add_field(
            embed, heading, lines_block(lines) if lines else "No voted rewrites yet.", inline=False
        )
    embed.set_footer(text="Players vote on rolling-rewrite candidates; each vote is a game.")
    return embed


def llm_status(status: LLMStatus) -> discord.Embed:
    embed = new_embed("LLM status")
    add_field(embed, "Default", safe(f"{status.default_provider} / {status.default_model}"))
    budget = f"${status.spent_today_usd:.2f} of ${status.daily_budget_usd:.2f} today"
    add_field(embed, "This server's budget", budget)
    if status.roles:
        roles = [f"{role}: {safe(model, 80)}" for role, model in sorted(status.roles.items())]
        add_field(embed, "Role defaults", lines_block(roles), inline=False)
    providers = []
    for p in status.providers:
        mark = "ready" if p.ready else f"unavailable: {safe(p.problem or '?', 200)}"
        model = f", default {safe(p.default_model, 60)}" if p.default_model else ""
        providers.append(f"**{safe(p.name, 60)}** ({p.kind}{model}) — {mark}")
    add_field(embed, "Providers", lines_block(providers), inline=False)
    embed.set_footer(text="Over the budget, agents play with the offline policy until 00:00 UTC.")
    return embed


def llm_usage(usage: LLMUsage) -> discord.Embed:
    scope = usage.federation.name if usage.federation else "this server"
    embed = new_embed(f"LLM usage of {scope} (last {usage.days} days)")
    lines = [
        f"{safe(r.provider, 40)}/{safe(r.model, 60)} {r.operation}: {r.calls} calls, "
        f"{r.tokens_in}+{r.tokens_out} tok, ${r.cost_usd:.4f}, "
        f"{r.fallbacks} fallbacks, p50 {r.p50_latency_s:.2f}s"
        for r in usage.rows
    ]
    embed.description = lines_block(lines, limit=4000) if lines else "No LLM calls yet."
    embed.set_footer(text=f"{usage.total_calls} calls, ${usage.total_cost:.4f} in all")
    return embed


def llm_models(models: LLMModels) -> discord.Embed:
    embed = new_embed("LLM models")
    aliases = [f"{safe(a, 40)} → {safe(target, 100)}" for a, target in models.aliases.items()]
    add_field(
        embed, "Aliases", lines_block(aliases) if aliases else "none configured", inline=False
    )
    for entry in models.providers:
        if entry.problem is not None:
            text = f"unavailable: {safe(entry.problem, 300)}"
        else:
            text = ", ".join(safe(m, 80) for m in entry.models) or "no models listed"
        add_field(embed, safe(entry.provider, 100), text, inline=False)
    return embed
