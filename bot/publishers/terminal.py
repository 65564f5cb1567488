"""The terminal publisher: the demo's play-by-play, printed with colour by rich."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from engine.models import Match, MatchState, Phase, TickResult
from engine.narration.offline import match_intro, match_outro

_PHASE_STYLE = {
    Phase.OPENING: "cyan",
    Phase.HEAT: "yellow",
    Phase.COMEBACK: "magenta",
    Phase.FINISH: "bold red",
}


def stars_text(rating: float) -> str:
    full = int(rating)
    quarter = {0.25: "¼", 0.5: "½", 0.75: "¾"}.get(round(rating - full, 2), "")
    return "★" * full + quarter + f" ({rating:.2f})"


class TerminalPublisher:
    def __init__(self, console: Console, *, title_names: dict[int, str] | None = None) -> None:
        self._console = console
        self._title_names = title_names or {}

    async def match_started(self, match: Match, state: MatchState) -> None:
        title = self._title_names.get(match.championship_id) if match.championship_id else None
        names = " vs ".join(s.name for s in state.setup.sheets)
        self._console.print()
        self._console.print(
            Panel(
                escape(match_intro(state.setup, title)),
                title=f"[bold]Match #{match.id}: {escape(names)}[/]",
                subtitle=match.stipulation.value.replace("_", " "),
                border_style="blue",
            )
        )

    async def tick(self, match: Match, tick: TickResult, state: MatchState) -> None:
        style = _PHASE_STYLE[tick.phase]
        heat = f"heat {tick.heat:4.1f}"
        self._console.print(
            f"[{style}]{tick.time_index:>3}[/] [dim]{heat}[/] {escape(tick.narration)}"
        )

    async def match_finished(self, match: Match, state: MatchState, rating: float) -> None:
        self._console.print(
            Panel(
                escape(match_outro(state, rating)),
                title=f"[bold]Result: {stars_text(rating)}[/]",
                border_style="green",
            )
        )

    async def text(self, text: str) -> None:
        self._console.print(f"[bold]{escape(text)}[/]")


class SilentPublisher:
    """Publishes nowhere: balance runs and benchmarks."""

    async def match_started(self, match: Match, state: MatchState) -> None:
        return None

    async def tick(self, match: Match, tick: TickResult, state: MatchState) -> None:
        return None

    async def match_finished(self, match: Match, state: MatchState, rating: float) -> None:
        return None

    async def text(self, text: str) -> None:
        return None
