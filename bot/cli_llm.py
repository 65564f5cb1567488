"""The `llmfed` LLM commands (trace, usage, models, models pull) and the provider flags that
simulate and demo share (--provider, --model, --base-url, --llm)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn
from rich.table import Table

from bot.app import App
from bot.clock import SystemClock
from bot.publishers.terminal import SilentPublisher
from bot.settings import Settings
from engine.errors import InvalidInput, NotFound
from engine.llm.config import ProviderKind
from engine.llm.errors import LLMError
from engine.llm.factory import build_provider
from engine.llm.providers.ollama import OllamaAdmin
from engine.models import ControllerKind
from storage.llm_calls import LLMCallRepo

FULL_PROMPT_CAP = 20_000


def add_provider_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--provider", help="play the LLM parts on this configured provider")
    parser.add_argument("--model", help="model (or alias) for the LLM parts")
    parser.add_argument("--base-url", dest="base_url", help="override the provider's base_url")
    parser.add_argument(
        "--llm",
        action="store_true",
        help="make the wrestlers LLM-controlled (implied by --provider)",
    )


def add_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    parser_class: type[argparse.ArgumentParser],
) -> None:
    trace_p = sub.add_parser("trace", help="every LLM call and fallback of a match, by tick")
    trace_p.add_argument("match", type=int)
    trace_p.add_argument("--full", action="store_true", help="print prompts and raw replies")
    trace_p.add_argument("--db", help="database file (default: storage.path)")

    usage_p = sub.add_parser("usage", help="LLM calls, tokens, cost and latency by model")
    usage_p.add_argument("--federation", type=int, help="only this federation's calls")
    usage_p.add_argument("--db", help="database file (default: storage.path)")

    models_p = sub.add_parser("models", help="list the models a provider serves")
    models_p.add_argument("--provider", help="configured provider (default: the default one)")
    models_sub = models_p.add_subparsers(dest="models_command", parser_class=parser_class)
    pull = models_sub.add_parser("pull", help="pull a model into Ollama, with progress")
    pull.add_argument("name")
    pull.add_argument("--provider", help="an Ollama (openai_compatible) provider")


def apply_provider_flags(settings: Settings, args: argparse.Namespace) -> Settings:
    """--provider/--model/--base-url become the LLM defaults for this run."""
    provider = getattr(args, "provider", None)
    model = getattr(args, "model", None)
    base_url = getattr(args, "base_url", None)
    if provider is None and model is None and base_url is None:
        return settings
    llm = settings.llm
    if base_url is not None and provider is None:
        raise InvalidInput("--base-url needs --provider (which provider it points at)")
    update: dict[str, object] = {}
    if provider is not None:
        if provider not in llm.providers:
            known = ", ".join(llm.providers)
            raise InvalidInput(f"unknown provider {provider!r}; configured: {known}")
        providers = dict(llm.providers)
        if base_url is not None:
            providers[provider] = providers[provider].model_copy(update={"base_url": base_url})
        update["providers"] = providers
        update["default_provider"] = provider
        update["default_model"] = model or providers[provider].default_model or "offline"
        # A flag-chosen provider plays every LLM part: configured role defaults step aside.
        update["roles"] = {}
    elif model is not None:
        update["default_model"] = model
    return settings.model_copy(update={"llm": llm.model_copy(update=update)})


def wants_llm_wrestlers(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "llm", False) or getattr(args, "provider", None))


def check_provider_ready(app: App, args: argparse.Namespace) -> None:
    """A provider asked for on the command line must be usable: one clear line otherwise."""
    if app.llm is None or not wants_llm_wrestlers(args):
        return
    name = app.settings.llm.default_provider
    failure = app.llm.failures.get(name)
    if failure is not None:
        raise InvalidInput(failure.user_message or failure.reason)


async def make_llm_controlled(app: App, wrestler_ids: list[int]) -> None:
    for wrestler_id in wrestler_ids:
        sheet = await app.repos.wrestlers.get(wrestler_id)
        llm_sheet = sheet.model_copy(update={"controller": ControllerKind.LLM})
        await app.repos.wrestlers.update(llm_sheet)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


async def trace(args: argparse.Namespace, settings: Settings, out: Console) -> int:
    async with await _open_existing(settings, args.db) as app:
        match = await app.matches.get(args.match)
        calls = await LLMCallRepo(app.db).for_match(match.id)
        requests = await app.repos.matches.requests(match.id)
        ticks = await app.repos.matches.ticks(match.id)
        names = {s.id: s.name for s in (await app.repos.matches.setup(match.id)).sheets}
    table = Table(title=f"Trace of match #{match.id} ({match.mode.value})", title_style="bold")
    for column in (
        "tick",
        "what",
        "provider",
        "model",
        "ms",
        "in/out/cached",
        "cost $",
        "error",
        "fallback",
    ):
        table.add_column(column, overflow="fold")
    rows: list[tuple[int, int, list[str]]] = []
    for order, call in enumerate(calls):
        usage = call.usage
        rows.append(
            (
                call.tick or 0,
                order,
                [
                    str(call.tick if call.tick is not None else "-"),
                    call.operation,
                    call.provider,
                    call.model,
                    _ms(call.latency_s),
                    f"{usage.tokens_in}/{usage.tokens_out}/{usage.tokens_cached}",
                    f"{call.cost_usd:.5f}",
                    call.error or "",
                    call.fallback_reason or "",
                ],
            )
        )
    base = len(rows)
    for request in requests:
        if request.fallback_reason:
            who = names.get(request.agent_id, str(request.agent_id))
            rows.append(
                (
                    request.due_tick,
                    base,
                    [
                        str(request.due_tick),
                        f"decision ({who})",
                        request.controller.value,
                        "",
                        "",
                        "",
                        "",
                        "",
                        f"engine: {request.fallback_reason}",
                    ],
                )
            )
    for tick in ticks:
        for applied in tick.applied_actions:
            if applied.fallback_reason:
                who = names.get(applied.actor_id, str(applied.actor_id))
                rows.append(
                    (
                        tick.time_index,
                        base + 1,
                        [
                            str(tick.time_index),
                            f"rulebook ({who})",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            f"rulebook: {applied.fallback_reason}",
                        ],
                    )
                )
    for _, _, cells in sorted(rows, key=lambda r: (r[0], r[1])):
        table.add_row(*cells)
    out.print(table)
    fallbacks = sum(1 for r in requests if r.fallback_reason)
    out.print(
        f"{len(calls)} LLM calls, {sum(1 for c in calls if c.error)} failed; "
        f"{fallbacks} of {len(requests)} decisions fell back to the offline policy; "
        f"cost ${sum(c.cost_usd for c in calls):.5f}"
    )
    if args.full:
        for call in calls:
            out.rule(f"tick {call.tick} {call.operation} {call.provider}:{call.model}")
            out.print("[bold]prompt[/]", markup=True)
            out.print(call.prompt[:FULL_PROMPT_CAP], markup=False)
            out.print("[bold]reply[/]", markup=True)
            out.print(call.raw_reply[:FULL_PROMPT_CAP] or f"(no reply: {call.error})", markup=False)
    return 0


async def usage(args: argparse.Namespace, settings: Settings, out: Console) -> int:
    async with await _open_existing(settings, args.db) as app:
        if args.federation is not None:
            try:
                await app.repos.federations.get(args.federation)
            except NotFound:
                raise InvalidInput(f"there is no federation #{args.federation}") from None
        rows = await LLMCallRepo(app.db).usage(federation_id=args.federation)
    scope = f"federation #{args.federation}" if args.federation is not None else "all guilds"
    table = Table(title=f"LLM usage ({scope})", title_style="bold")
    for column in (
        "provider",
        "model",
        "operation",
        "calls",
        "tokens in",
        "out",
        "cached",
        "cost $",
        "errors",
        "fallbacks",
        "p50 ms",
    ):
        table.add_column(column)
    for r in rows:
        table.add_row(
            r.provider,
            r.model,
            r.operation,
            str(r.calls),
            str(r.tokens_in),
            str(r.tokens_out),
            str(r.tokens_cached),
            f"{r.cost_usd:.5f}",
            str(r.errors),
            str(r.fallbacks),
            _ms(r.p50_latency_s),
        )
    out.print(table)
    out.print(f"total: {sum(r.calls for r in rows)} calls, ${sum(r.cost_usd for r in rows):.5f}")
    return 0


async def models(
    args: argparse.Namespace, settings: Settings, out: Console, env: Mapping[str, str] | None = None
) -> int:
    env = os.environ if env is None else env
    name = args.provider or settings.llm.default_provider
    provider_settings = settings.llm.providers.get(name)
    if provider_settings is None:
        known = ", ".join(settings.llm.providers)
        raise InvalidInput(f"unknown provider {name!r}; configured: {known}")
    if getattr(args, "models_command", None) == "pull":
        return await _pull(name, provider_settings.kind, provider_settings.base_url, args.name, out)
    clock = SystemClock()
    try:
        provider = build_provider(name, settings.llm, env, _NoRecorder(), clock)
    except LLMError as exc:
        raise InvalidInput(exc.user_message or exc.reason) from None
    try:
        names = await provider.list_models()
    except LLMError as exc:
        raise InvalidInput(f"{name}: cannot list models: {exc.reason}") from None
    finally:
        await provider.aclose()
    table = Table(title=f"Models on {name} ({provider_settings.kind.value})")
    table.add_column("model")
    table.add_column("alias")
    aliases = {(a.provider, a.model): alias for alias, a in settings.llm.models.items()}
    for model in names:
        table.add_row(model, aliases.get((name, model), ""))
    out.print(table)
    return 0


async def _pull(
    name: str, kind: ProviderKind, base_url: str | None, model: str, out: Console
) -> int:
    if kind is not ProviderKind.OPENAI_COMPATIBLE or not base_url:
        raise InvalidInput(
            f"{name} is not an Ollama server: pull needs an openai_compatible "
            "provider with a base_url"
        )
    admin = OllamaAdmin(base_url)
    last = ""
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=out,
    ) as progress:
        tasks: dict[str, int] = {}
        try:
            async for step in admin.pull(model):
                last = step.status
                if step.digest and step.total:
                    if step.digest not in tasks:
                        tasks[step.digest] = int(
                            progress.add_task(step.digest[7:19], total=step.total)
                        )
                    progress.update(tasks[step.digest], completed=step.completed or 0)
                else:
                    progress.console.print(step.status, markup=False)
        except LLMError as exc:
            raise InvalidInput(f"pull {model} failed: {exc.reason}") from None
    if last != "success":
        raise InvalidInput(f"pull {model} did not finish (last status: {last or 'none'})")
    out.print(f"pulled {model}")
    return 0


class _NoRecorder:
    """`llmfed models` makes no completion calls: nothing to record."""

    async def record(self, call: object) -> None:
        return None

    async def spent_today(self, guild_id: int, day_start: object) -> float:
        return 0.0


async def _open_existing(settings: Settings, db_path: str | None) -> _AppScope:
    return _AppScope(settings, db_path or settings.storage.path)


class _AppScope:
    def __init__(self, settings: Settings, path: str) -> None:
        self._settings = settings
        self._path = path
        self._app: App | None = None

    async def __aenter__(self) -> App:
        self._app = await App.open(
            self._settings, SystemClock(), SilentPublisher(), db_path=self._path, create=False
        )
        return self._app

    async def __aexit__(self, *exc: object) -> None:
        if self._app is not None:
            await self._app.close()
