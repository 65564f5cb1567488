"""Every write through the league repositories drops exactly the cached reads it changes."""

from __future__ import annotations

import pytest

from engine.errors import Conflict, NotFound
from engine.models import TitleReign
from storage.read_cache import held_by_key, wrestler_key
from tests.integration.storage_cache.cache_support import GUILD, NOW, League, warm


async def test_warm_reads_make_no_database_reads(league: League) -> None:
    await warm(league)

    await warm(league)

    assert league.reads.take() == 0
    assert league.db.cache.hits > 0


async def test_returned_lists_are_copies_callers_cannot_corrupt(league: League) -> None:
    roster = await league.wrestlers.list(league.federation.id)
    roster.clear()

    assert len(await league.wrestlers.list(league.federation.id)) == 2


async def test_federation_create_shows_in_the_guild_list_search_and_name_lookup(
    league: League,
) -> None:
    await warm(league)

    made = await league.federations.create(GUILD, "Zenith Pro", 101, NOW)

    assert [f.name for f in await league.federations.list(GUILD)] == [
        "Apex Wrestling",
        "Zenith Pro",
    ]
    assert [f.id for f in await league.federations.search(GUILD, "zen")] == [made.id]
    assert await league.federations.by_name(GUILD, "zenith  PRO") == made


async def test_federation_update_is_seen_by_get_guild_lookup_list_and_search(
    league: League,
) -> None:
    await warm(league)

    await league.federations.update(league.federation.model_copy(update={"name": "Apex Prime"}))

    assert (await league.federations.get(league.federation.id)).name == "Apex Prime"
    assert (await league.federations.get_in_guild(GUILD, league.federation.id)).name == (
        "Apex Prime"
    )
    assert [f.name for f in await league.federations.list(GUILD)] == ["Apex Prime"]
    assert [f.name for f in await league.federations.search(GUILD, "prime")] == ["Apex Prime"]
    assert await league.federations.by_name(GUILD, "Apex Wrestling") is None


async def test_federation_delete_drops_it_from_every_read(league: League) -> None:
    empty = await league.federations.create(GUILD, "Empty Promotion", 101, NOW)
    await league.federations.get(empty.id)
    await league.federations.list(GUILD)

    await league.federations.delete(empty.id)

    with pytest.raises(NotFound):
        await league.federations.get(empty.id)
    assert [f.id for f in await league.federations.list(GUILD)] == [league.federation.id]


async def test_refused_federation_delete_leaves_the_cache_correct(league: League) -> None:
    await warm(league)

    with pytest.raises(Conflict):
        await league.federations.delete(league.federation.id)

    assert (await league.federations.get(league.federation.id)).name == "Apex Wrestling"
    assert len(await league.wrestlers.list(league.federation.id)) == 2


async def test_force_delete_drops_the_federations_wrestlers_and_titles(league: League) -> None:
    lg = league
    await warm(lg)

    await lg.federations.delete(lg.federation.id, force=True)

    # Nothing of the federation is left taking room, even answers that would still be right.
    for wrestler in (lg.ace, lg.bo):
        assert wrestler_key(wrestler.id) not in lg.db.cache
        assert held_by_key(wrestler.id) not in lg.db.cache

    for wrestler in (lg.ace, lg.bo):
        with pytest.raises(NotFound):
            await lg.wrestlers.get(wrestler.id)
        assert await lg.titles.titles_held_by(wrestler.id) == []
    with pytest.raises(NotFound):
        await lg.titles.get(lg.belt.id)
    with pytest.raises(NotFound):
        await lg.federations.get_in_guild(GUILD, lg.federation.id)
    assert await lg.federations.list(GUILD) == []
    assert await lg.wrestlers.list(lg.federation.id) == []
    assert await lg.wrestlers.list_in_guild(GUILD) == []
    assert await lg.wrestlers.search(GUILD, "a") == []
    assert await lg.titles.list(lg.federation.id) == []


async def test_wrestler_create_shows_in_rosters_and_search(league: League) -> None:
    await warm(league)

    cy = await league.wrestlers.create(league.federation.id, "Cy Charlie", NOW)

    assert [w.name for w in await league.wrestlers.list(league.federation.id)] == [
        "Ace Alpha",
        "Bo Bravo",
        "Cy Charlie",
    ]
    assert cy in await league.wrestlers.list_in_guild(GUILD)
    assert [w.id for w in await league.wrestlers.search(GUILD, "charl")] == [cy.id]
    assert await league.wrestlers.by_name(league.federation.id, "cy charlie") == cy


async def test_wrestler_update_is_seen_by_get_rosters_search_and_name_lookup(
    league: League,
) -> None:
    await warm(league)
    renamed = league.ace.model_copy(update={"name": "Ace Omega", "gimmick": "Reborn"})

    await league.wrestlers.update(renamed)

    assert (await league.wrestlers.get(league.ace.id)).gimmick == "Reborn"
    assert "Ace Omega" in [w.name for w in await league.wrestlers.list(league.federation.id)]
    assert "Ace Omega" in [w.name for w in await league.wrestlers.list_in_guild(GUILD)]
    assert [w.name for w in await league.wrestlers.search(GUILD, "omega")] == ["Ace Omega"]
    assert await league.wrestlers.by_name(league.federation.id, "Ace Alpha") is None


async def test_wrestler_delete_drops_it_from_get_rosters_and_titles_held(league: League) -> None:
    await warm(league)

    await league.wrestlers.delete(league.bo.id)

    with pytest.raises(NotFound):
        await league.wrestlers.get(league.bo.id)
    assert [w.id for w in await league.wrestlers.list(league.federation.id)] == [league.ace.id]
    assert [w.id for w in await league.wrestlers.list_in_guild(GUILD)] == [league.ace.id]
    assert await league.wrestlers.search(GUILD, "bo") == []


async def test_title_create_shows_in_the_federations_titles(league: League) -> None:
    await warm(league)

    made = await league.titles.create(league.federation.id, "Tag Titles", NOW)

    assert [t.id for t in await league.titles.list(league.federation.id)] == [
        league.belt.id,
        made.id,
    ]


async def test_title_change_moves_it_between_holders_answers(league: League) -> None:
    await warm(league)
    reign = league.belt.lineage[0].model_copy(update={"lost_at": NOW})
    new_reign = TitleReign(holder_ids=(league.bo.id,), won_at=NOW)

    saved = await league.titles.save(
        league.belt.model_copy(update={"name": "Apex Crown", "lineage": (reign, new_reign)})
    )

    assert await league.titles.titles_held_by(league.ace.id) == []
    assert await league.titles.titles_held_by(league.bo.id) == [saved]
    assert await league.titles.get(league.belt.id) == saved
    assert await league.titles.list(league.federation.id) == [saved]


async def test_title_delete_drops_it_from_get_list_and_holders(league: League) -> None:
    await warm(league)

    await league.titles.delete(league.belt.id)

    with pytest.raises(NotFound):
        await league.titles.get(league.belt.id)
    assert await league.titles.list(league.federation.id) == []
    assert await league.titles.titles_held_by(league.ace.id) == []


async def test_a_write_leaves_unrelated_entries_cached(league: League) -> None:
    await warm(league)

    await league.wrestlers.update(league.bo.model_copy(update={"gimmick": "New look"}))
    league.reads.take()
    await league.wrestlers.get(league.ace.id)
    await league.titles.titles_held_by(league.ace.id)
    await league.federations.get(league.federation.id)

    assert league.reads.take() == 0
