"""Guild-scoped lookups and autocomplete searches for federations, wrestlers, titles, matches
and shows: an entity of another server is reported exactly like a missing one."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from bot.services.repos import Repos
from engine.errors import NotFound
from engine.models import Championship, Federation, Match, Show, Wrestler

AUTOCOMPLETE_LIMIT = 25
_FUZZY_POOL = 500


@dataclass(frozen=True)
class Suggestion:
    """One autocomplete choice: ``value`` is the id as text, ``label`` what the player sees."""

    value: str
    label: str


def gone(noun: str) -> NotFound:
    """The one message for an id that is stale or belongs to another server."""
    return NotFound(f"That {noun} no longer exists (or belongs to another server).")


def _as_id(ref: str) -> int | None:
    text = ref.strip().lstrip("#")
    if text.isdigit() and len(text) < 19:
        return int(text)
    return None


def _label(text: str) -> str:
    return text if len(text) <= 100 else text[:99] + "…"


def _fuzzy(names: Sequence[str], current: str, limit: int) -> list[int]:
    """Indexes of names close to ``current`` (typos), best first."""
    lowered = [n.casefold() for n in names]
    close = difflib.get_close_matches(current.casefold(), lowered, n=limit, cutoff=0.5)
    return [lowered.index(n) for n in close]


class GuildLookup:
    """Resolves player references (an id from autocomplete, or a typed name) in one guild."""

    def __init__(self, repos: Repos) -> None:
        self._repos = repos

    async def federation(self, guild_id: int, federation_id: int) -> Federation:
        try:
            return await self._repos.federations.get_in_guild(guild_id, federation_id)
        except NotFound:
            raise gone("federation") from None

    async def match(self, guild_id: int, match_id: int) -> tuple[Match, Federation]:
        try:
            match = await self._repos.matches.get(match_id)
            federation = await self._repos.federations.get_in_guild(guild_id, match.federation_id)
        except NotFound:
            raise gone("match") from None
        return match, federation

    async def show(self, guild_id: int, show_id: int) -> tuple[Show, Federation]:
        try:
            show = await self._repos.shows.get(show_id)
            federation = await self._repos.federations.get_in_guild(guild_id, show.federation_id)
        except NotFound:
            raise gone("show") from None
        return show, federation

    async def federation_ref(self, guild_id: int, ref: str) -> Federation:
        found_id = _as_id(ref)
        if found_id is not None:
            try:
                return await self.federation(guild_id, found_id)
            except NotFound:
                pass
        by_name = await self._repos.federations.by_name(guild_id, ref.strip())
        if by_name is None:
            raise gone("federation")
        return by_name

    async def wrestler(self, guild_id: int, wrestler_id: int) -> tuple[Wrestler, Federation]:
        try:
            wrestler = await self._repos.wrestlers.get(wrestler_id)
            return wrestler, await self._repos.federations.get_in_guild(
                guild_id, wrestler.federation_id
            )
        except NotFound:
            raise gone("wrestler") from None

    async def wrestler_ref(self, guild_id: int, ref: str) -> Wrestler:
        found_id = _as_id(ref)
        if found_id is not None:
            try:
                return (await self.wrestler(guild_id, found_id))[0]
            except NotFound:
                pass
        wanted = " ".join(ref.split()).casefold()
        for wrestler in await self._repos.wrestlers.search(guild_id, ref.strip(), 50):
            if wrestler.name.casefold() == wanted:
                return wrestler
        raise gone("wrestler")

    async def title_ref(self, guild_id: int, ref: str) -> Championship:
        found_id = _as_id(ref)
        if found_id is not None:
            try:
                title = await self._repos.titles.get(found_id)
                await self._repos.federations.get_in_guild(guild_id, title.federation_id)
                return title
            except NotFound:
                pass
        wanted = " ".join(ref.split()).casefold()
        for title in await self._repos.titles.search(guild_id, ref.strip(), 50):
            if title.name.casefold() == wanted:
                return title
        raise gone("title")

    async def match_ref(self, guild_id: int, ref: str) -> Match:
        found_id = _as_id(ref)
        if found_id is None:
            raise gone("match")
        try:
            match = await self._repos.matches.get(found_id)
            await self._repos.federations.get_in_guild(guild_id, match.federation_id)
        except NotFound:
            raise gone("match") from None
        return match

    async def show_ref(self, guild_id: int, ref: str) -> Show:
        found_id = _as_id(ref)
        if found_id is not None:
            try:
                show = await self._repos.shows.get(found_id)
                await self._repos.federations.get_in_guild(guild_id, show.federation_id)
                return show
            except NotFound:
                pass
        wanted = " ".join(ref.split()).casefold()
        for show in await self._repos.shows.search(guild_id, ref.strip(), 50):
            if show.name.casefold() == wanted:
                return show
        raise gone("show")

    # --- autocomplete ------------------------------------------------------------------

    async def suggest_federations(self, guild_id: int, current: str) -> list[Suggestion]:
        found = await self._repos.federations.search(guild_id, current, AUTOCOMPLETE_LIMIT)
        if not found and current.strip():
            pool = await self._repos.federations.list(guild_id)
            found = [pool[i] for i in _fuzzy([f.name for f in pool], current, AUTOCOMPLETE_LIMIT)]
        return [Suggestion(str(f.id), _label(f.name)) for f in found]

    async def suggest_wrestlers(self, guild_id: int, current: str) -> list[Suggestion]:
        found = await self._repos.wrestlers.search(guild_id, current, AUTOCOMPLETE_LIMIT)
        if not found and current.strip():
            pool = (await self._repos.wrestlers.list_in_guild(guild_id))[:_FUZZY_POOL]
            found = [pool[i] for i in _fuzzy([w.name for w in pool], current, AUTOCOMPLETE_LIMIT)]
        return [Suggestion(str(w.id), _label(w.name)) for w in found]

    async def suggest_titles(self, guild_id: int, current: str) -> list[Suggestion]:
        found = await self._repos.titles.search(guild_id, current, AUTOCOMPLETE_LIMIT)
        return [Suggestion(str(t.id), _label(t.name)) for t in found[:AUTOCOMPLETE_LIMIT]]

    async def suggest_shows(self, guild_id: int, current: str) -> list[Suggestion]:
        found = await self._repos.shows.search(guild_id, current, AUTOCOMPLETE_LIMIT)
        return [
            Suggestion(str(s.id), _label(f"{s.name} ({s.status.value})"))
            for s in found[:AUTOCOMPLETE_LIMIT]
        ]

    async def suggest_matches(self, guild_id: int, current: str) -> list[Suggestion]:
        """Newest first; the text matches the id or either wrestler's name."""
        names = {w.id: w.name for w in await self._repos.wrestlers.list_in_guild(guild_id)}
        matches: list[Match] = []
        for federation in await self._repos.federations.list(guild_id):
            matches.extend(await self._repos.matches.list(federation.id))
        matches.sort(key=lambda m: m.id, reverse=True)
        wanted = current.strip().lstrip("#").casefold()
        out: list[Suggestion] = []
        for match in matches:
            a, b = (names.get(i, f"#{i}") for i in match.participant_ids)
            label = f"#{match.id} {a} vs {b} ({match.status.value})"
            if wanted and wanted not in label.casefold():
                continue
            out.append(Suggestion(str(match.id), _label(label)))
            if len(out) == AUTOCOMPLETE_LIMIT:
                break
        return out
