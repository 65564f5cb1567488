"""The end of a live match in its thread: the results embed and the momentum/heat chart data."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Sequence

import discord

from bot.app import App
from bot.live.chart import Series, chart_legend, render_chart
from bot.live.posting import ThreadPoster
from engine.errors import GameError
from engine.models import DomainEvent, Match, MatchState, TickResult
from engine.ports import Clock
from storage.live_results import RESULTS_POSTED, settled_tick_count

log = logging.getLogger(__name__)

CHART_FILE = "chart.png"
RESULT_COLOUR = discord.Colour.gold()


def stars(rating: float) -> str:
    full = int(rating)
    part = {0.25: "¼", 0.5: "½", 0.75: "¾"}.get(round(rating - full, 2), "")
    return ("★" * full + part or "☆") + f" ({rating:.2f})"


def chart_series(state: MatchState, ticks: Sequence[TickResult]) -> list[Series]:
    """Momentum of each wrestler and the crowd heat, one point per played tick."""
    sheets = state.setup.sheets
    momentum = {sheet.id: [] for sheet in sheets}  # type: dict[int, list[float]]
    heat: list[float] = []
    for tick in ticks:
        snapshot = tick.state_snapshot
        for wrestler in snapshot.wrestlers:
            momentum.setdefault(wrestler.wrestler_id, []).append(float(wrestler.momentum))
        heat.append(float(snapshot.heat))
    series = [Series(f"{sheet.name} momentum", tuple(momentum[sheet.id])) for sheet in sheets]
    series.append(Series("crowd heat", tuple(heat)))
    return series


def results_embed(
    match: Match,
    state: MatchState,
    rating: float,
    series: Sequence[Series],
    summary: Sequence[str] = (),
    *,
    with_chart: bool = True,
) -> discord.Embed:
    result = state.result
    names = {sheet.id: sheet.name for sheet in state.setup.sheets}
    title = " vs ".join(names.values())
    if result is None or result.is_draw:
        headline, winner = "It's a draw!", "nobody"
    else:
        winner = " & ".join(names.get(i, f"#{i}") for i in result.winner_ids)
        headline = f"{winner} wins!"
    embed = discord.Embed(
        title=f"Result — match #{match.id}: {title}", description=headline, colour=RESULT_COLOUR
    )
    embed.add_field(name="Winner", value=winner)
    method = result.method.value.replace("_", " ") if result else "unknown"
    if result is not None and result.finisher_move:
        method += f" ({result.finisher_move})"
    embed.add_field(name="Method", value=method)
    embed.add_field(name="Rating", value=stars(rating))
    embed.add_field(name="Ticks", value=str(state.time_index))
    embed.add_field(name="Peak heat", value=f"{state.tally.heat_peak:.0f}")
    embed.add_field(name="Near falls", value=str(state.tally.near_falls))
    if summary:
        embed.add_field(name="Aftermath", value="\n".join(summary)[:1024], inline=False)
    if with_chart:
        embed.set_image(url=f"attachment://{CHART_FILE}")
        embed.set_footer(text=chart_legend(series)[:2048])
    return embed


async def send_results(
    thread: discord.abc.Messageable,
    match: Match,
    state: MatchState,
    rating: float,
    ticks: Sequence[TickResult],
    summary: Sequence[str] = (),
) -> None:
    """The results embed (with the chart when ticks were played) in the thread, which is then
    archived. Raises discord.HTTPException when Discord refuses."""
    series = chart_series(state, ticks)
    png = await asyncio.to_thread(render_chart, series) if ticks else None
    embed = results_embed(match, state, rating, series, summary, with_chart=png is not None)
    if png is not None:
        await thread.send(embed=embed, file=discord.File(io.BytesIO(png), CHART_FILE))
    else:
        await thread.send(embed=embed)
    if isinstance(thread, discord.Thread):
        await thread.edit(archived=True)


async def post_results(
    app: App,
    poster: ThreadPoster,
    thread_id: int,
    match: Match,
    state: MatchState,
    rating: float,
    ticks: Sequence[TickResult],
    summary: Sequence[str] = (),
) -> None:
    """``send_results`` into the match's thread, then the event that says they went out
    (recorded even when Discord refused, so a restart does not post them again)."""
    try:
        thread = await poster.messageable(thread_id)
        await send_results(thread, match, state, rating, ticks, summary)
    except (discord.HTTPException, GameError) as exc:
        log.warning("match #%s: could not post the results: %s", match.id, exc)
    await app.repos.events.append(
        DomainEvent(
            kind=RESULTS_POSTED,
            federation_id=match.federation_id,
            match_id=match.id,
            tick=state.time_index,
            at=app.clock.now(),
        )
    )


async def wait_posted(app: App, clock: Clock, match_id: int, timeout: float) -> bool:  # noqa: ASYNC109
    """Waits until every committed tick of the match is posted (or dropped)."""
    deadline = clock.monotonic() + timeout
    while True:
        ticks = await app.repos.matches.tick_count(match_id)
        if await settled_tick_count(app.db, match_id) >= ticks:
            return True
        if clock.monotonic() >= deadline:
            log.warning("match #%s: results posted before every tick went out", match_id)
            return False
        await asyncio.sleep(0.05)
