"""Service-level tests of the match, show, hint, leaderboard and LLM desks on real SQLite."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import App
from bot.clock import ManualClock
from bot.publishers.terminal import SilentPublisher
from bot.services.actor import Actor
from bot.services.hint_desk import HintDesk
from bot.services.leaderboards import Leaderboards, elo_table
from bot.services.llm_desk import LLMDesk
from bot.services.match_desk import MatchDesk
from bot.services.show_desk import ShowDesk, parse_clock_time
from bot.settings import Settings
from engine.errors import InvalidInput, InvalidState, NotFound, PermissionDenied
from engine.llm.config import ProviderKind
from engine.models import HintScope, MatchStatus, ShowStatus
from storage.llm_calls import RewriteCandidateRow, RewriteRepo
from storage.writer_ratings import SegmentVote

GUILD, OTHER, OWNER, ADMIN, STRANGER = 10, 20, 1, 2, 3


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    clock = ManualClock(datetime(2026, 3, 1, tzinfo=UTC))
    opened = await App.open(Settings(), clock, SilentPublisher(), db_path=tmp_path / "d.db")
    yield opened
    await opened.close()


def actor(user: int = OWNER, guild: int = GUILD, admin: bool = False) -> Actor:
    return Actor(user_id=user, guild_id=guild, manage_server=admin)


async def league(app: App) -> tuple[int, int, int]:
    fed = await app.league.create_federation(GUILD, "Alpha Wrestling", OWNER)
    a = await app.league.create_wrestler(fed.id, "Atlas Grimm", OWNER)
    b = await app.league.create_wrestler(fed.id, "Ruby Vex", OWNER)
    return fed.id, a.id, b.id


async def test_match_desk_is_guild_scoped_and_promoter_only(app: App) -> None:
    desk = MatchDesk(app.repos, app.clock, app.matches)
    fed, a, b = await league(app)

    with pytest.raises(PermissionDenied):
        await desk.book(actor(STRANGER), fed, a, b)
    with pytest.raises(NotFound, match="another server"):
        await desk.book(actor(OWNER, OTHER), fed, a, b)
    view = await desk.book(actor(ADMIN, admin=True), fed, a, b)
    with pytest.raises(NotFound):
        await desk.status(OTHER, view.match.id)
    assert (await desk.status(GUILD, view.match.id)).names[a] == "Atlas Grimm"


async def test_advance_then_log_pages_and_cancel(app: App) -> None:
    desk = MatchDesk(app.repos, app.clock, app.matches)
    fed, a, b = await league(app)
    # A fixed seed: a match booked with a random one may end before the eleventh tick.
    match_id = (await app.matches.book(fed, a, b, seed=7)).id

    advanced = await desk.advance(actor(), match_id, 11)
    page = await desk.log(GUILD, match_id, 2)

    assert [tick for tick, _ in advanced.lines] == list(range(1, 12))
    assert advanced.view.match.status is MatchStatus.LIVE
    assert (page.page, page.pages, page.total) == (2, 2, 11)
    assert page.lines == advanced.lines[10:]
    with pytest.raises(InvalidInput):
        await desk.advance(actor(), match_id, 26)
    cancelled = await desk.cancel(actor(), match_id)
    assert cancelled.match.status is MatchStatus.CANCELLED
    with pytest.raises(InvalidState):
        await desk.advance(actor(), match_id, 1)


async def test_show_desk_create_cancel_and_promos(app: App) -> None:
    desk = ShowDesk(app.repos, app.clock, app.shows, app.promos)
    fed, a, b = await league(app)
    show = await desk.create(actor(), fed, "  Monday   Mayhem ", 0, "20:00", "Europe/Paris")
    promo = await desk.book_promo(actor(), fed, a, b, 2, show.id)
    match = await app.matches.book(fed, a, b, show_id=show.id)

    card = await desk.cancel(actor(), show.id)

    assert show.name == "Monday Mayhem" and promo.names == ("Atlas Grimm", "Ruby Vex")
    assert card.show.status is ShowStatus.CANCELLED
    assert {line.status for line in card.lines} == {MatchStatus.CANCELLED}
    assert (await app.repos.matches.get(match.id)).status is MatchStatus.CANCELLED
    with pytest.raises(InvalidInput, match="timezone"):
        await desk.create(actor(), fed, "Other Show", 1, "20:00", "Nowhere/Land")
    with pytest.raises(InvalidState):
        await desk.book_promo(actor(), fed, a, b, 2, show.id)


@pytest.mark.parametrize(
    ("text", "expected"), [("20:00", (20, 0)), ("8:05", (8, 5)), ("07h30", (7, 30))]
)
def test_parse_clock_time(text: str, expected: tuple[int, int]) -> None:
    parsed = parse_clock_time(text)
    assert (parsed.hour, parsed.minute) == expected


@pytest.mark.parametrize("text", ["24:00", "12:60", "noon", "", "1:2"])
def test_parse_clock_time_refuses(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_clock_time(text)


async def test_hint_desk_scopes_targets_to_the_guild(app: App) -> None:
    desk = HintDesk(app.repos, app.clock)
    fed, a, _ = await league(app)

    view = await desk.add(actor(), HintScope.WRESTLER, a, "  Go for the <@123> finisher ", 3)

    assert view.target == "wrestler Atlas Grimm" and "<@123>" not in view.hint.text
    assert view.hint.expires_at is not None
    with pytest.raises(NotFound):
        await desk.add(actor(OWNER, OTHER), HintScope.WRESTLER, a, "x")
    with pytest.raises(PermissionDenied):
        await desk.add(actor(STRANGER), HintScope.FEDERATION, fed, "x")
    with pytest.raises(NotFound):
        await desk.add(actor(), HintScope.MATCH, 999, "x")


def test_elo_table_rewards_winners_and_conserves_points() -> None:
    votes = [
        SegmentVote(match_id=1, segment=1, writers=("ace", "bob", "cat"), winner="ace"),
        SegmentVote(match_id=1, segment=2, writers=("ace", "bob"), winner="bob"),
    ]

    table = elo_table(votes)

    assert next(row.writer for row in table) == "ace"
    assert {r.writer: (r.wins, r.losses) for r in table} == {
        "ace": (2, 1),
        "bob": (1, 1),
        "cat": (0, 1),
    }
    assert sum(r.rating for r in table) == pytest.approx(1500 * 3)


async def test_writer_board_reads_canon_picks_per_server(app: App) -> None:
    fed, a, b = await league(app)
    other = await app.league.create_federation(OTHER, "Beta Wrestling", OWNER)
    c = await app.league.create_wrestler(other.id, "Cal Storm", OWNER)
    d = await app.league.create_wrestler(other.id, "Dee Lite", OWNER)
    here = await app.matches.book(fed, a, b)
    there = await app.matches.book(other.id, c.id, d.id)
    rows = []
    for match, winner in ((here, "bard"), (there, "muse")):
        for writer in ("bard", "muse", "dropped"):
            rows.append(
                RewriteCandidateRow(
                    match_id=match.id,
                    segment=1,
                    first_tick=1,
                    last_tick=8,
                    writer=writer,
                    model="offline",
                    text="...",
                    canon=writer == winner,
                    dropped_reason="contradicts the facts" if writer == "dropped" else None,
                )
            )
    await RewriteRepo(app.db).save_segment(rows)

    board = await Leaderboards(app.repos).writers(GUILD)

    assert [r.writer for r in board.server] == ["bard", "muse"]
    assert {r.writer: r.wins for r in board.everywhere} == {"bard": 1, "muse": 1}


async def test_llm_desk_reports_missing_keys_without_values(app: App) -> None:
    desk = LLMDesk(
        app.settings.llm.model_copy(
            update={
                "providers": {
                    **app.settings.llm.providers,
                    "anthropic": app.settings.llm.providers["offline"].model_copy(
                        update={"kind": ProviderKind.ANTHROPIC, "api_key_env": "TEST_ANTHROPIC_KEY"}
                    ),
                }
            }
        ),
        app.repos,
        app.clock,
        env={},
    )

    status = await desk.status(GUILD)

    problems = {p.name: p.problem for p in status.providers}
    assert problems["offline"] is None
    assert problems["anthropic"] == "no API key (TEST_ANTHROPIC_KEY is not set)"
    with pytest.raises(PermissionDenied):
        await desk.usage(actor(STRANGER))
