"""Handlers behind the `llmfed` subcommands (parsing lives in bot/cli.py)."""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from bot import cli_llm, demo_roster
from bot.app import App
from bot.clock import ManualClock
from bot.demo import DEMO_GUILD_ID, DEMO_OWNER_ID, aired, seed_demo
from bot.llm_wiring import wiring
from bot.publishers.terminal import SilentPublisher, TerminalPublisher, stars_text
from bot.services.replay import replay_match
from bot.settings import Settings, load_settings
from engine.balance import measure
from engine.errors import InvalidInput
from engine.models import NarrativeMode, Stipulation
from engine.ports import Publisher

DEMO_DATE = datetime(2026, 1, 2, 20, 0, tzinfo=UTC)  # a fixed date: the same seed, the same show


def console() -> Console:
    return Console(highlight=False, soft_wrap=False)


@asynccontextmanager
async def open_app(
    settings: Settings,
    publisher: Publisher,
    db_path: str | None,
    *,
    create: bool = True,
    llm: bool = False,
) -> AsyncIterator[App]:
    """The app over ``db_path``; a temporary database when None and ``create``. ``llm``
    wires the LLM layer (providers from config and the environment)."""
    with tempfile.TemporaryDirectory(prefix="llmfed-") as scratch:
        path = db_path or (str(Path(scratch) / "llmfed.db") if create else None)
        clock = ManualClock(DEMO_DATE)
        app = await App.open(
            settings,
            clock,
            publisher,
            db_path=path,
            create=create,
            llm=wiring(settings, clock) if llm else None,
        )
        try:
            yield app
        finally:
            await app.close()


async def dispatch(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    handler = {
        "demo": demo,
        "simulate": simulate,
        "replay": replay,
        "balance": balance,
        "db": db_backup,
        "trace": lambda a, s: cli_llm.trace(a, s, Console(highlight=False, width=160)),
        "usage": lambda a, s: cli_llm.usage(a, s, Console(highlight=False, width=160)),
        "models": lambda a, s: cli_llm.models(a, s, console()),
    }[args.command]
    return await handler(args, settings)


async def demo(args: argparse.Namespace, settings: Settings) -> int:
    out = console()
    out.rule(f"[bold]LLMFed demo: {demo_roster.SHOW_NAME}[/] (seed {args.seed})")
    publisher = TerminalPublisher(out, title_names={})
    settings = cli_llm.apply_provider_flags(settings, args)
    async with open_app(settings, publisher, args.db, llm=True) as app:
        cli_llm.check_provider_ready(app, args)
        show = await seed_demo(app, args.seed)
        if cli_llm.wants_llm_wrestlers(args):
            roster = await app.repos.wrestlers.list(show.federation_id)
            await cli_llm.make_llm_controlled(app, [w.id for w in roster])
        result = aired(*await app.shows.run(show.id))
        table = Table(title=f"{result.show.name}: the card", title_style="bold")
        for column in ("#", "segment", "stipulation", "result", "ticks", "rating"):
            table.add_column(column)
        for position, outcome in enumerate(result.outcome.segments, 1):
            segment = outcome.segment
            if segment.match_id is not None:
                match = await app.repos.matches.get(segment.match_id)
                names = [(await app.repos.wrestlers.get(i)).name for i in match.participant_ids]
                res = match.result
                verdict = (
                    "draw"
                    if res is None or res.is_draw
                    else (
                        f"{(await app.repos.wrestlers.get(res.winner_ids[0])).name} "
                        f"by {res.method.value.replace('_', ' ')}"
                    )
                )
                label = " vs ".join(names) + (" (main event)" if segment.main_event else "")
                table.add_row(
                    str(position),
                    label,
                    match.stipulation.value.replace("_", " "),
                    verdict,
                    str(res.tick if res else "-"),
                    stars_text(outcome.rating or 0.0),
                )
            elif segment.promo_id is not None:
                promo = await app.repos.shows.get_promo(segment.promo_id)
                names = [(await app.repos.wrestlers.get(i)).name for i in promo.participant_ids]
                table.add_row(
                    str(position),
                    "promo: " + " & ".join(names),
                    "-",
                    f"{len(promo.lines)} lines",
                    "-",
                    stars_text(outcome.rating or 0),
                )
        out.print(table)
        out.print(f"[bold]Show rating: {stars_text(result.outcome.rating)}[/]")
        if args.db:
            out.print(f"Replay a match: llmfed replay {result.match_ids[-1]} --db {args.db}")
    return 0


def _roster_entry(name: str) -> dict[str, object]:
    wanted = name.strip().lower()
    for entry in demo_roster.ROSTER:
        if str(entry["name"]).lower() == wanted:
            return entry
    matches = [e for e in demo_roster.ROSTER if str(e["name"]).lower().startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(str(e["name"]) for e in demo_roster.ROSTER)
    raise InvalidInput(f"unknown wrestler {name!r}; choose from: {known}")


async def simulate(args: argparse.Namespace, settings: Settings) -> int:
    a, b = _roster_entry(args.a), _roster_entry(args.b)
    if a is b:
        raise InvalidInput("a wrestler cannot face themselves: pick two different wrestlers")
    out = console()
    settings = cli_llm.apply_provider_flags(settings, args)
    async with open_app(settings, TerminalPublisher(out), args.db, llm=True) as app:
        cli_llm.check_provider_ready(app, args)
        federation = await app.league.create_federation(
            DEMO_GUILD_ID, f"Exhibition {args.seed}", DEMO_OWNER_ID
        )
        ids = []
        for entry in (a, b):
            fields = {k: v for k, v in entry.items() if k != "name"}
            wrestler = await app.league.create_wrestler(
                federation.id, str(entry["name"]), DEMO_OWNER_ID, **fields
            )
            ids.append(wrestler.id)
        match = await app.matches.book(
            federation.id,
            ids[0],
            ids[1],
            stipulation=Stipulation(args.stipulation),
            mode=NarrativeMode(args.mode),
            seed=args.seed,
        )
        if cli_llm.wants_llm_wrestlers(args):
            await cli_llm.make_llm_controlled(app, ids)
        finished = await app.matches.play(match.id)
        if args.db:
            out.print(f"Trace the LLM calls: llmfed trace {finished.id} --db {args.db}")
    return 0


async def replay(args: argparse.Namespace, settings: Settings) -> int:
    out = console()
    async with open_app(
        settings, SilentPublisher(), args.db or settings.storage.path, create=False
    ) as app:
        report = await replay_match(app.repos, args.match)
    for line in report.mismatches:
        out.print(f"[red]MISMATCH[/] {line}")
    verdict = "[green]identical[/]" if report.ok else "[red]NOT identical[/]"
    out.print(
        f"match #{report.match_id}: {report.identical}/{report.ticks} ticks identical: {verdict}"
    )
    return 0 if report.ok else 1


async def balance(args: argparse.Namespace, settings: Settings) -> int:
    out = console()
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=out,
        transient=True,
    ) as progress:
        task = progress.add_task("simulating", total=args.matches)
        report = measure(
            args.matches, args.seed, lambda done: progress.update(task, completed=done)
        )
    table = Table(title=f"Balance over {report.matches} standard matches (seed {args.seed})")
    for column in ("target", "measured", "wanted", "verdict"):
        table.add_column(column)
    for target in report.targets:
        verdict = "[green]PASS[/]" if target.passed else "[red]FAIL[/]"
        table.add_row(target.name, f"{target.measured:g}{target.unit}", target.wanted, verdict)
    out.print(table)
    return 0 if report.passed else 1


async def db_backup(args: argparse.Namespace, settings: Settings) -> int:
    async with open_app(
        settings, SilentPublisher(), args.db or settings.storage.path, create=False
    ) as app:
        await app.db.backup(args.path)
    console().print(f"backed up {app.db.path} to {args.path}")
    return 0
