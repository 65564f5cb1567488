"""`llmfed demo`: seed the demo federation, book its card and run the whole show offline."""

from __future__ import annotations

import random
from dataclasses import dataclass

from bot import demo_roster
from bot.app import App
from engine.models import SegmentKind, Show, WeeklySchedule
from engine.runner.show_runner import ShowOutcome

DEMO_GUILD_ID = 0
DEMO_OWNER_ID = 0


@dataclass(frozen=True)
class DemoShow:
    show: Show
    outcome: ShowOutcome
    match_ids: tuple[int, ...]


async def seed_demo(app: App, seed: int) -> Show:
    """Create the federation, roster, title and card; deterministic for a given seed."""
    rng = random.Random(seed)
    federation = await app.league.create_federation(
        DEMO_GUILD_ID,
        demo_roster.FEDERATION["name"],
        DEMO_OWNER_ID,
        description=demo_roster.FEDERATION["description"],
        tier=demo_roster.FEDERATION["tier"],
    )
    ids: dict[str, int] = {}
    for entry in demo_roster.ROSTER:
        fields = {k: v for k, v in entry.items() if k != "name"}
        wrestler = await app.league.create_wrestler(
            federation.id, entry["name"], DEMO_OWNER_ID, **fields
        )
        ids[wrestler.name] = wrestler.id
    title = await app.league.create_title(
        federation.id, demo_roster.TITLE_NAME, (ids[demo_roster.TITLE_HOLDER],)
    )
    show = await app.shows.create(
        federation.id,
        demo_roster.SHOW_NAME,
        schedule=WeeklySchedule.model_validate({"day": 4, "at": "20:00", "timezone": "UTC"}),
    )
    for kind, names, stipulation, main_event, title_match in demo_roster.CARD:
        participants = tuple(ids[n] for n in names)
        if kind == SegmentKind.MATCH.value:
            assert stipulation is not None
            await app.matches.book(
                federation.id,
                participants[0],
                participants[1],
                stipulation=stipulation,
                championship_id=title.id if title_match else None,
                show_id=show.id,
                seed=rng.randrange(2**63),
                main_event=main_event,
            )
        else:
            await app.promos.book(
                federation.id, participants, rounds=2, show_id=show.id, seed=rng.randrange(2**63)
            )
    return await app.repos.shows.get(show.id)


def aired(show: Show, outcome: ShowOutcome) -> DemoShow:
    """The demo's record of a show that just aired. The show is weekly, so airing cleared its
    card for next week: the matches come from the aired segments."""
    match_ids = tuple(
        o.segment.match_id for o in outcome.segments if o.segment.match_id is not None
    )
    return DemoShow(show=show, outcome=outcome, match_ids=match_ids)


async def run_demo(app: App, seed: int) -> DemoShow:
    show = await seed_demo(app, seed)
    return aired(*await app.shows.run(show.id))
