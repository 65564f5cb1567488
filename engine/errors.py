"""The GameError hierarchy: every error a player, promoter or admin can cause or see."""

from __future__ import annotations


class GameError(Exception):
    """An error with a message that is safe and useful to show to a player as-is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(GameError):
    """A federation, wrestler, match, show or title that does not exist (in this scope)."""


class InvalidInput(GameError):
    """Input that is malformed or out of range."""


class Conflict(GameError):
    """Input that is valid alone but clashes with existing state (duplicate names, ...)."""


class PermissionDenied(GameError):
    """The caller may not do this."""


class InvalidState(GameError):
    """The operation does not apply in the current state (e.g. starting a finished match)."""


class StorageError(GameError):
    """The database file is unusable (corrupt, unwritable, from a newer version)."""
