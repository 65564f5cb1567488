"""A full_rewrite match scripted by a ScriptWriter (an LLM, here a stand-in) and interrupted:
a new MatchService on the same database continues the recorded script instead of handing the
rest of the match to the offline policy."""

from __future__ import annotations

from pathlib import Path

from bot.app import App, offline_controllers
from bot.clock import ManualClock
from bot.publishers.terminal import SilentPublisher
from bot.services.matches import MatchService
from bot.settings import EngineSettings, Settings
from engine.llm.operations.write_match_script import MatchScript, ScriptInput
from engine.models import MatchStatus, NarrativeMode
from engine.runner.rewrites import RewriteTools
from tests.integration.discord_commands_core.core_support import START
from tests.integration.full_rewrite_modal.script_support import brawler_script


class BrawlerWriter:
    name = "stand-in-llm"

    def __init__(self) -> None:
        self.calls = 0

    async def write(self, data: ScriptInput) -> MatchScript:
        self.calls += 1
        return brawler_script(data.setup)[0]


async def test_an_interrupted_scripted_match_continues_its_script(tmp_path: Path) -> None:
    db = tmp_path / "llmfed.db"
    settings = Settings(storage={"path": str(db)}, engine=EngineSettings(max_ticks=30))  # type: ignore[arg-type]
    app = await App.open(settings, ManualClock(START), SilentPublisher(), db_path=db)
    writer = BrawlerWriter()

    def service() -> MatchService:
        tools = RewriteTools(script_writer_for=lambda _: writer)
        return MatchService(
            app.repos, app.clock, SilentPublisher(), offline_controllers, rewrites=tools
        )

    try:
        federation = await app.league.create_federation(1, "Resume Wrestling", 5)
        a = await app.league.create_wrestler(federation.id, "Atlas Grimm", 5)
        b = await app.league.create_wrestler(federation.id, "Ruby Vex", 5)
        match = await app.matches.book(
            federation.id, a.id, b.id, seed=7, mode=NarrativeMode.FULL_REWRITE
        )
        await service().play(match.id, ticks=5)  # then the process "dies"
        finished = await service().play(match.id)
        ticks = await app.repos.matches.ticks(match.id)
        setup = await app.repos.matches.setup(match.id)
    finally:
        await app.close()

    script, differs = brawler_script(setup)
    assert differs > 0 and writer.calls == 1  # scripted once, continued after the restart
    assert finished.status is MatchStatus.FINISHED
    played = [(t.actor_id, t.applied_actions[0].action_id.value) for t in ticks]
    assert played == [(beat.actor_id, beat.action_id) for beat in script.beats]
