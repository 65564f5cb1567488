"""Fixtures for the storage tests: a real SQLite file in tmp_path and every repository."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from engine.models import Federation, Wrestler
from storage import (
    Database,
    EventLog,
    FederationRepo,
    FeudRepo,
    HintRepo,
    MatchRepo,
    ShowRepo,
    TitleRepo,
    WrestlerRepo,
)

NOW = datetime(2025, 3, 1, 20, 0, tzinfo=UTC)


@dataclass
class Repos:
    db: Database
    federations: FederationRepo
    wrestlers: WrestlerRepo
    titles: TitleRepo
    matches: MatchRepo
    shows: ShowRepo
    hints: HintRepo
    feuds: FeudRepo
    events: EventLog


def repos_for(db: Database) -> Repos:
    return Repos(
        db,
        FederationRepo(db),
        WrestlerRepo(db),
        TitleRepo(db),
        MatchRepo(db),
        ShowRepo(db),
        HintRepo(db),
        FeudRepo(db),
        EventLog(db),
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "llmfed.db"


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(db_path)
    yield database
    await database.close()


@pytest.fixture
def repos(db: Database) -> Repos:
    return repos_for(db)


@pytest.fixture
async def roster(repos: Repos) -> tuple[Federation, Wrestler, Wrestler]:
    """A federation in guild 1 with two wrestlers of different builds."""
    fed = await repos.federations.create(1, "Apex Wrestling", 100, NOW)
    ace = await repos.wrestlers.create(fed.id, "Ace Alpha", NOW, owner_user_id=200)
    bo = await repos.wrestlers.create(fed.id, "Bo Bravo", NOW, owner_user_id=201)
    return fed, ace, bo
