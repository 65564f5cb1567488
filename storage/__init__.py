"""Storage: the SQLite database (aiosqlite), numbered migrations, one repository per aggregate."""

from storage.database import Database
from storage.events import EventLog
from storage.federations import FederationRepo
from storage.feuds import Feud, FeudRepo
from storage.hints import HintRepo
from storage.matches import MatchRepo
from storage.shows import ShowRepo
from storage.titles import TitleRepo
from storage.wrestlers import WrestlerRepo

__all__ = [
    "Database",
    "EventLog",
    "FederationRepo",
    "Feud",
    "FeudRepo",
    "HintRepo",
    "MatchRepo",
    "ShowRepo",
    "TitleRepo",
    "WrestlerRepo",
]
