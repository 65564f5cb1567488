"""Who is asking: the caller of a command, and the promoter rule the match desk enforces."""

from __future__ import annotations

from engine.errors import PermissionDenied
from engine.models import Federation, Frozen


class Actor(Frozen):
    """The Discord member behind a command: id, server, and whether they have Manage Server."""

    user_id: int
    guild_id: int
    manage_server: bool = False

    def is_promoter(self, federation: Federation) -> bool:
        return federation.owner_user_id == self.user_id or self.manage_server

    def require_promoter(self, federation: Federation) -> None:
        if not self.is_promoter(federation):
            raise PermissionDenied(
                f"Only the owner of {federation.name} or a member with Manage Server can do that."
            )
