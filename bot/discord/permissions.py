"""Who may do what: federation promoters (owner or Manage Server) and wrestler owners."""

from __future__ import annotations

import discord

from engine.errors import InvalidInput, PermissionDenied
from engine.models import Federation, Wrestler


def has_manage_server(member_perms: discord.Permissions | None) -> bool:
    return member_perms is not None and (member_perms.manage_guild or member_perms.administrator)


def is_promoter(
    member_perms: discord.Permissions | None, user_id: int, federation: Federation
) -> bool:
    """The federation's owner, or anyone with Manage Server in its guild."""
    return federation.owner_user_id == user_id or has_manage_server(member_perms)


def require_promoter(interaction: discord.Interaction, federation: Federation) -> None:
    if not is_promoter(interaction.permissions, interaction.user.id, federation):
        raise PermissionDenied(
            f"Only the owner of {federation.name} or a member with Manage Server can do that."
        )


def require_wrestler_control(
    interaction: discord.Interaction, wrestler: Wrestler, federation: Federation
) -> None:
    """The wrestler's owner, or a promoter of its federation."""
    if wrestler.owner_user_id == interaction.user.id:
        return
    if is_promoter(interaction.permissions, interaction.user.id, federation):
        return
    raise PermissionDenied(
        f"Only the player who created {wrestler.name} or a promoter of "
        f"{federation.name} can do that."
    )


def guild_id_of(interaction: discord.Interaction) -> int:
    """The caller's server; commands are guild-only, this guards crafted payloads."""
    if interaction.guild_id is None:
        raise InvalidInput("LLMFed commands only work inside a server.")
    return interaction.guild_id
