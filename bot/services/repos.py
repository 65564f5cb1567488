"""One place that builds every repository over the single Database."""

from __future__ import annotations

from storage.database import Database
from storage.events import EventLog
from storage.federations import FederationRepo
from storage.feuds import FeudRepo
from storage.hints import HintRepo
from storage.matches import MatchRepo
from storage.shows import ShowRepo
from storage.titles import TitleRepo
from storage.wrestlers import WrestlerRepo


class Repos:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.federations = FederationRepo(db)
        self.wrestlers = WrestlerRepo(db)
        self.titles = TitleRepo(db)
        self.matches = MatchRepo(db)
        self.shows = ShowRepo(db)
        self.hints = HintRepo(db)
        self.feuds = FeudRepo(db)
        self.events = EventLog(db)
