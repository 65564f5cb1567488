"""The /help text: every slash command of the tree with its options, grouped by noun."""

from __future__ import annotations

from discord import app_commands

from bot.live.script_text import SCRIPT_FORMAT

NOTES = (
    "Promoters are a federation's owner and members with Manage Server: they edit, book, "
    "start, advance, cancel and hint. Only a wrestler's player (or a promoter) edits or "
    "releases it.",
    "A wrestler set to controller=player gets a turn message with one button per move in "
    "live matches; miss the deadline and the offline policy moves for you.",
    "Options that name a federation, wrestler, title, match or show autocomplete: start "
    "typing and pick one.",
    "Full rewrite matches played live wait for a script: the promoter (or the match's "
    "writer) presses Submit script in the thread before the deadline. " + SCRIPT_FORMAT,
)


def _usage(command: app_commands.Command[..., ..., ...]) -> str:  # type: ignore[type-arg]
    parts = [f"/{command.qualified_name}"]
    for parameter in command.parameters:
        parts.append(parameter.name if parameter.required else f"[{parameter.name}]")
    return " ".join(parts)


def command_lines(
    commands: list[app_commands.Command | app_commands.Group],  # type: ignore[type-arg]
) -> dict[str, list[str]]:
    """Group name (or command name) -> "usage: description" lines, sorted."""
    sections: dict[str, list[str]] = {}
    for top in sorted(commands, key=lambda c: c.name):
        if isinstance(top, app_commands.Group):
            for command in top.walk_commands():
                if isinstance(command, app_commands.Command):
                    sections.setdefault(top.name, []).append(
                        f"`{_usage(command)}`: {command.description}"
                    )
        else:
            sections.setdefault(top.name, []).append(f"`{_usage(top)}`: {top.description}")
    return sections
