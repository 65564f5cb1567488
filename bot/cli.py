"""The `llmfed` command line: demo, simulate, replay, balance, db backup, trace, bot."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from typing import NoReturn

from bot import cli_commands, cli_llm
from engine.errors import GameError

MAX_SEED = 2**63 - 1


class CliError(GameError):
    """Bad command-line input."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad input as one line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(
            2,
            f"llmfed: error: {message} (see llmfed {self.prog.split()[-1]} --help)\n"
            if " " in self.prog
            else f"llmfed: error: {message} (see llmfed --help)\n",
        )


def seed_arg(text: str) -> int:
    try:
        value = int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"bad seed {text!r}: use a whole number") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"bad seed {text}: use 0 to {MAX_SEED}")
    return value


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="llmfed", description="LLMFed: an LLM-driven wrestling federation.")
    parser.add_argument("--config", help="config file (default: ./config.toml or $LLMFED_CONFIG)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    demo = sub.add_parser("demo", help="play a whole demo show offline")
    demo.add_argument("--seed", type=seed_arg, default=2026)
    demo.add_argument("--db", help="database file to keep (default: a temporary one)")
    cli_llm.add_provider_flags(demo)

    simulate = sub.add_parser("simulate", help="one match between two demo-roster wrestlers")
    simulate.add_argument("a")
    simulate.add_argument("b")
    simulate.add_argument(
        "--stipulation",
        default="standard",
        choices=["standard", "no_dq", "submission_only", "last_man_standing"],
    )
    simulate.add_argument(
        "--mode", default="tick", choices=["tick", "rolling_rewrite", "full_rewrite"]
    )
    simulate.add_argument("--seed", type=seed_arg, default=1)
    simulate.add_argument("--db", help="database file to keep (default: a temporary one)")
    cli_llm.add_provider_flags(simulate)

    replay = sub.add_parser("replay", help="re-run a stored match and compare every tick")
    replay.add_argument("match", type=positive_int)
    replay.add_argument("--db", help="database file (default: storage.path)")

    balance = sub.add_parser("balance", help="measure the balance targets over many matches")
    balance.add_argument("--matches", type=positive_int, default=1000)
    balance.add_argument("--seed", type=seed_arg, default=0)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, parser_class=_Parser)
    backup = db_sub.add_parser("backup", help="online backup to PATH")
    backup.add_argument("path")
    backup.add_argument("--db", help="database file (default: storage.path)")
    cli_llm.add_parsers(sub, _Parser)

    sub.add_parser("bot", help="run the Discord bot (token in DISCORD_TOKEN; see README)")
    return parser


async def _run_bot(args: argparse.Namespace) -> int:
    from bot.discord.run import run_bot  # discord.py loads only for this subcommand
    from bot.settings import load_settings

    return await run_bot(load_settings(args.config))


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "bot":
            return asyncio.run(_run_bot(args))
        return asyncio.run(cli_commands.dispatch(args))
    except GameError as exc:
        print(f"llmfed: error: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("llmfed: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
