"""The MatchService a live match plays through: the app's wiring, player turns and deadlines."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from bot.app import App, offline_controllers
from bot.live.publisher import ThreadPublisher
from bot.services.matches import MatchService
from engine.models import ControllerKind, Match, NarrativeMode, Wrestler
from engine.ports import Controller
from engine.runner.rewrites import RewriteTools, ScriptSource

PLAYER_DEADLINE_MARGIN_S = 5.0


def live_match_service(
    app: App,
    match: Match,
    publisher: ThreadPublisher,
    player_controller: Callable[[], Controller | None],
    rewrites: RewriteTools,
    script_source: ScriptSource,
) -> MatchService:
    """Player wrestlers act through ``player_controller`` (None while the match is not live
    here: they fall back to the app's controller); the decision deadline leaves room for a
    player's whole turn. A full_rewrite match takes its script from ``script_source`` (a
    player in the thread)."""
    settings = app.settings
    if match.mode is NarrativeMode.FULL_REWRITE:
        rewrites = dataclasses.replace(rewrites, script_source=script_source)
    base = app.llm.controller_for if app.llm is not None else offline_controllers

    def controller_for(wrestler: Wrestler) -> Controller:
        if wrestler.controller is ControllerKind.PLAYER:
            controller = player_controller()
            if controller is not None:
                return controller
        return base(wrestler)

    deadline = max(
        settings.engine.decision_deadline_s,
        settings.discord.player_turn_s + PLAYER_DEADLINE_MARGIN_S,
    )
    return MatchService(
        app.repos,
        app.clock,
        publisher,
        controller_for,
        narrator=app.llm.narrator() if app.llm is not None else None,
        max_ticks=settings.engine.max_ticks,
        decision_deadline_s=deadline,
        narration_deadline_s=settings.engine.narration_deadline_s,
        prepare_match=app.llm.prepare_match if app.llm is not None else None,
        rewrites=rewrites,
    )
