"""ScriptDesk: a player writes a live full_rewrite match's script in Discord.

Before the first tick the match's thread gets one message with a "Submit script" button
(posted once, also across restarts). The promoter (federation owner or Manage Server) or the
writer named for the match presses it, writes the script in a modal (see ``script_text``) and
the dry run judges it at once: violations come back to the writer only, numbered, and the
desk stays open, so the script can be fixed and sent again until the deadline
(``discord.script_deadline_s``, by the app clock). An accepted script is stored and drives the
match; at the deadline without one the match is played tick by tick and the thread says why.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.app import App
from bot.live.script_text import EXAMPLE, SCRIPT_FORMAT, ScriptTextError, parse_script
from engine.errors import NotFound
from engine.llm.script import FullRewriteOutcome, dry_run
from engine.models import Match, MatchSetup, MatchStatus, NarrativeMode
from engine.runner.rewrites import SourcedScript
from storage.script_desks import DeskStatus, ScriptDesk, ScriptDeskRepo

POLL_S = 0.5
REPLY_CAP = 2000
PostButton = Callable[[int, str, int], Awaitable[int]]
"""(thread id, content, match id) -> the id of the message carrying the button."""


@dataclass(frozen=True)
class SubmitReply:
    accepted: bool
    text: str  # for the writer only (ephemeral)


def problems_reply(problems: Sequence[str], deadline_ts: int, cap: int = REPLY_CAP) -> str:
    """Numbered problems under a header, as many as fit in ``cap`` characters."""
    header = (
        f"**Your script was not accepted** ({len(problems)} "
        f"problem{'s' if len(problems) != 1 else ''}). Fix it and press **Submit script** "
        f"again before <t:{deadline_ts}:R>:"
    )
    lines = [header]
    used = len(header)
    for number, problem in enumerate(problems, start=1):
        line = f"{number}. {problem}"[:400]
        more = f"…and {len(problems) - number + 1} more."
        if used + 1 + len(line) + 1 + len(more) > cap:
            lines.append(more)
            break
        lines.append(line)
        used += 1 + len(line)
    return "\n".join(lines)


def button_text(setup: MatchSetup, deadline_ts: int) -> str:
    a, b = (sheet.name for sheet in setup.sheets[:2])
    return (
        f"📝 **Full rewrite: this match waits for its script.** The promoter or the match's "
        f"writer presses **Submit script** before <t:{deadline_ts}:R>; a script that breaks "
        f"the rules comes back with its problems and can be sent again. No script in time: "
        f"the match is played tick by tick.\n{SCRIPT_FORMAT}\nFor example:\n```\n"
        + EXAMPLE.format(a=a, b=b)
        + "\n```"
    )[:2000]


class ScriptDesks:
    """The script desks of this process's live full_rewrite matches."""

    def __init__(self, app: App, post_button: PostButton, deadline_s: float) -> None:
        self.app = app
        self.repo = ScriptDeskRepo(app.db)
        self._post_button = post_button
        self.deadline_s = deadline_s
        self._accepted: dict[int, asyncio.Event] = {}

    # --- the match's side ------------------------------------------------------------------

    async def source(self, match: Match, setup: MatchSetup) -> SourcedScript:
        """RewriteTools.script_source: opens the desk (once), waits for an accepted script
        or the deadline, and says which."""
        if match.thread_id is None:
            raise NotFound(f"match #{match.id} has no thread to take a script in")
        now = self.app.clock.now()
        deadline = now + timedelta(seconds=self.deadline_s)
        desk = await self.repo.open(match.id, match.thread_id, now, deadline)
        if desk.status is DeskStatus.OPEN:
            if desk.message_id is None:
                message_id = await self._post_button(
                    match.thread_id, button_text(setup, _timestamp(desk)), match.id
                )
                await self.repo.set_message(match.id, message_id)
            desk = await self._settle(desk)
        return self._sourced(desk, setup)

    async def _settle(self, desk: ScriptDesk) -> ScriptDesk:
        accepted = self._accepted.setdefault(desk.match_id, asyncio.Event())
        assert desk.deadline_at is not None
        while not accepted.is_set():
            remaining = (desk.deadline_at - self.app.clock.now()).total_seconds()
            if remaining < 0:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(accepted.wait(), min(max(remaining, 0.01), POLL_S))
        self._accepted.pop(desk.match_id, None)
        await self.repo.expire(desk.match_id, self.app.clock.now())  # a no-op once accepted
        settled = await self.repo.get(desk.match_id)
        assert settled is not None
        return settled

    def _sourced(self, desk: ScriptDesk, setup: MatchSetup) -> SourcedScript:
        if desk.status is DeskStatus.ACCEPTED and desk.script is not None:
            outcome = FullRewriteOutcome(
                mode=NarrativeMode.FULL_REWRITE,
                attempts=1,
                script=desk.script,
                verdict=dry_run(desk.script, setup),
            )
            return SourcedScript(desk.author_name or "a player", outcome)
        reason = f"no script was accepted within {self.deadline_s:g} s"
        outcome = FullRewriteOutcome(mode=NarrativeMode.TICK, attempts=0, reason=reason)
        notice = (
            f"⏱️ No script was accepted before the deadline ({self.deadline_s:g} s): "
            "the match is played tick by tick."
        )
        return SourcedScript("nobody", outcome, notice)

    # --- the writer's side -----------------------------------------------------------------

    async def name_writer(self, match_id: int, user_id: int | None) -> None:
        """Lets ``user_id`` (besides the promoters) write the match's script."""
        await self.app.repos.matches.get(match_id)
        await self.repo.name_writer(match_id, user_id)

    async def refusal(self, match_id: int, user_id: int, manage_server: bool) -> str | None:
        """Why this member may not submit a script for the match now (None: they may)."""
        try:
            match = await self.app.repos.matches.get(match_id)
        except NotFound:
            return "That match no longer exists."
        federation = await self.app.repos.federations.get(match.federation_id)
        desk = await self.repo.get(match_id)
        named = desk is not None and desk.writer_user_id == user_id
        if not (manage_server or user_id == federation.owner_user_id or named):
            return (
                f"Only the promoter of {federation.name} or the writer named for match "
                f"#{match_id} can submit its script."
            )
        if desk is not None and desk.status is DeskStatus.ACCEPTED:
            return f"A script by {desk.author_name} was already accepted for match #{match_id}."
        passed = f"The deadline for match #{match_id}'s script has passed."
        if desk is not None and desk.status is DeskStatus.EXPIRED:
            return passed
        if match.mode is not NarrativeMode.FULL_REWRITE or match.status is not MatchStatus.LIVE:
            return f"Match #{match_id} is not waiting for a script."
        if desk is None or desk.deadline_at is None:
            return f"Match #{match_id} is not taking a script yet."
        return passed if self.app.clock.now() > desk.deadline_at else None

    async def submit(
        self, match_id: int, user_id: int, name: str, manage_server: bool, text: str
    ) -> SubmitReply:
        """Parse and dry-run a script: accepted (the match follows it) or its problems."""
        refused = await self.refusal(match_id, user_id, manage_server)
        if refused is not None:
            return SubmitReply(False, refused)
        desk = await self.repo.get(match_id)
        assert desk is not None
        setup = await self.app.repos.matches.setup(match_id)
        try:
            script = parse_script(text, setup)
        except ScriptTextError as exc:
            return SubmitReply(False, problems_reply(exc.problems, _timestamp(desk)))
        verdict = dry_run(script, setup)
        if not verdict.accepted:
            return SubmitReply(False, problems_reply(verdict.violations, _timestamp(desk)))
        if not await self.repo.accept(match_id, script, user_id, name, self.app.clock.now()):
            refused = await self.refusal(match_id, user_id, manage_server)
            return SubmitReply(False, refused or "That script desk is closed.")
        self._accepted.setdefault(match_id, asyncio.Event()).set()
        return SubmitReply(
            True,
            f"✅ Script accepted: {len(script.beats)} beats passed the dry run. "
            f"Match #{match_id} follows your script from the first tick.",
        )


def _timestamp(desk: ScriptDesk) -> int:
    assert desk.deadline_at is not None
    return int(desk.deadline_at.timestamp())
