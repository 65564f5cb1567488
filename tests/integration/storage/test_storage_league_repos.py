"""Federation, wrestler, title, show/promo, hint, feud and event repositories on a real file."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from engine.errors import Conflict, InvalidInput, NotFound
from engine.models import (
    Alignment,
    ControllerKind,
    DomainEvent,
    Federation,
    HintScope,
    LLMConfig,
    PromoLine,
    Record,
    SegmentKind,
    ShowStatus,
    Stats,
    StylePreset,
    Tier,
    TitleReign,
    WeeklySchedule,
    Wrestler,
)

NOW = datetime(2025, 3, 1, 20, 0, tzinfo=UTC)
Roster = tuple[Federation, Wrestler, Wrestler]


async def test_federation_create_get_update_round_trip(repos) -> None:
    llm = LLMConfig(provider="openai", model="gpt-x", temperature=0.5)
    created = await repos.federations.create(
        5,
        "  Neon Pro Wrestling ",
        42,
        NOW,
        description="Lights!",
        tier=Tier.NATIONAL,
        announce_channel_id=9,
        llm=llm,
    )
    assert created.name == "Neon Pro Wrestling"
    fetched = await repos.federations.get(created.id)
    assert fetched == created
    assert fetched.created_at == NOW and fetched.llm == llm
    edited = await repos.federations.update(
        fetched.model_copy(update={"name": "Neon Pro", "tier": Tier.GLOBAL})
    )
    assert (edited.name, edited.tier) == ("Neon Pro", Tier.GLOBAL)
    assert (await repos.federations.get(created.id)).tier is Tier.GLOBAL


async def test_federation_names_are_unique_per_guild_case_insensitively(repos) -> None:
    await repos.federations.create(1, "Apex Wrestling", 1, NOW)
    with pytest.raises(Conflict, match="a federation named Apex Wrestling already exists"):
        await repos.federations.create(1, "APEX   wrestling", 2, NOW)
    other_guild = await repos.federations.create(2, "apex wrestling", 2, NOW)
    assert other_guild.guild_id == 2
    unicode = await repos.federations.create(1, "Überliga", 1, NOW)
    with pytest.raises(Conflict):
        await repos.federations.create(1, "überliga", 1, NOW)
    second = await repos.federations.create(1, "Second Federation", 1, NOW)
    with pytest.raises(Conflict):
        await repos.federations.update(second.model_copy(update={"name": "ÜBERLIGA"}))
    assert (await repos.federations.by_name(1, "überLIGA")) == unicode


async def test_federation_lookup_is_scoped_to_its_guild(repos) -> None:
    mine = await repos.federations.create(1, "Home Federation", 1, NOW)
    theirs = await repos.federations.create(2, "Away Federation", 1, NOW)
    assert await repos.federations.get_in_guild(1, mine.id) == mine
    with pytest.raises(NotFound, match="in this server"):
        await repos.federations.get_in_guild(1, theirs.id)
    with pytest.raises(NotFound):
        await repos.federations.get(9999)
    assert [f.name for f in await repos.federations.list(1)] == ["Home Federation"]
    assert await repos.federations.by_name(1, "away federation") is None


async def test_federation_search_is_a_substring_match_prefixes_first(repos) -> None:
    for name in ("Big Apex", "Apex One", "Other Show", "Capex League"):
        await repos.federations.create(1, name, 1, NOW)
    await repos.federations.create(2, "Apex Elsewhere", 1, NOW)
    found = [f.name for f in await repos.federations.search(1, "APEX")]
    assert found == ["Apex One", "Big Apex", "Capex League"]
    assert len(await repos.federations.search(1, "apex", limit=2)) == 2
    assert await repos.federations.search(1, "100%") == []


async def test_invalid_federation_input_is_one_clear_line(repos) -> None:
    with pytest.raises(InvalidInput, match="name") as info:
        await repos.federations.create(1, "ab", 1, NOW)
    assert "\n" not in str(info.value)


async def test_federation_delete_refuses_while_wrestlers_remain(repos, roster: Roster) -> None:
    fed, _, _ = roster
    with pytest.raises(Conflict, match="Apex Wrestling still has 2 wrestlers; use force"):
        await repos.federations.delete(fed.id)
    assert await repos.federations.get(fed.id) == fed
    empty = await repos.federations.create(1, "Empty Federation", 1, NOW)
    await repos.federations.delete(empty.id)
    with pytest.raises(NotFound):
        await repos.federations.get(empty.id)


async def test_wrestler_full_sheet_round_trips(repos, roster: Roster) -> None:
    fed, _, _ = roster
    injured = NOW + timedelta(weeks=2)
    created = await repos.wrestlers.create(
        fed.id,
        "Cyd Charlie",
        NOW,
        owner_user_id=77,
        gimmick="A masked luchador.",
        alignment=Alignment.HEEL,
        style=StylePreset.HIGH_FLYER,
        stats=Stats(power=40, technique=60, agility=95, charisma=70, toughness=45),
        finisher="Moonsault",
        signatures=("Tope", "Hurricanrana"),
        popularity=64,
        momentum=71,
        controller=ControllerKind.LLM,
        llm=LLMConfig(model="m", persona="cocky"),
        record=Record(wins=3, losses=1, draws=1, streak=2),
        injured_until=injured,
    )
    assert await repos.wrestlers.get(created.id) == created
    changed = created.model_copy(
        update={"record": Record(wins=4, losses=1, draws=1, streak=3), "gimmick": "Unmasked."}
    )
    assert await repos.wrestlers.update(changed) == changed
    assert (await repos.wrestlers.get(created.id)).record.wins == 4


async def test_wrestler_names_unique_per_federation(repos, roster: Roster) -> None:
    fed, ace, bo = roster
    with pytest.raises(Conflict, match="already exists in this federation"):
        await repos.wrestlers.create(fed.id, "ACE ALPHA", NOW)
    with pytest.raises(Conflict):
        await repos.wrestlers.update(bo.model_copy(update={"name": "ace alpha"}))
    other = await repos.federations.create(1, "Other Federation", 1, NOW)
    assert (await repos.wrestlers.create(other.id, "Ace Alpha", NOW)).federation_id == other.id
    assert await repos.wrestlers.by_name(fed.id, "ace ALPHA") == ace
    with pytest.raises(NotFound):
        await repos.wrestlers.create(9999, "Nobody Here", NOW)
    with pytest.raises(InvalidInput):
        await repos.wrestlers.create(fed.id, "Bad Stats", NOW, stats={"power": 0})
    with pytest.raises(InvalidInput, match="cannot set id"):
        await repos.wrestlers.create(fed.id, "Sneaky One", NOW, id=5)


async def test_wrestler_lists_and_search_are_guild_scoped(repos, roster: Roster) -> None:
    fed, ace, bo = roster
    away = await repos.federations.create(2, "Away Federation", 1, NOW)
    stranger = await repos.wrestlers.create(away.id, "Ace Stranger", NOW)
    assert await repos.wrestlers.list(fed.id) == [ace, bo]
    assert await repos.wrestlers.list_in_guild(1) == [ace, bo]
    assert await repos.wrestlers.search(1, "ace") == [ace]
    assert await repos.wrestlers.search(2, "ace") == [stranger]
    assert await repos.wrestlers.search(1, "RAV") == [bo]


async def test_wrestler_delete_refuses_while_booked_or_holding_a_title(
    repos, roster: Roster
) -> None:
    fed, ace, bo = roster
    match = await repos.matches.create(fed.id, (ace.id, bo.id), seed=1, now=NOW)
    with pytest.raises(Conflict, match="Ace Alpha is booked in match"):
        await repos.wrestlers.delete(ace.id)
    await repos.matches.cancel(match.id)
    title = await repos.titles.create(fed.id, "World Title", NOW)
    await repos.titles.save(
        title.model_copy(update={"lineage": (TitleReign(holder_ids=(ace.id,), won_at=NOW),)})
    )
    with pytest.raises(Conflict, match="holds the World Title"):
        await repos.wrestlers.delete(ace.id)
    await repos.wrestlers.delete(bo.id)
    with pytest.raises(NotFound):
        await repos.wrestlers.get(bo.id)
    # history survives the release: the cancelled match still names both wrestlers
    assert (await repos.matches.get(match.id)).participant_ids == (ace.id, bo.id)


async def test_title_lineage_round_trips_and_tracks_holders(repos, roster: Roster) -> None:
    fed, ace, bo = roster
    title = await repos.titles.create(fed.id, "World Title", NOW)
    assert title.is_vacant
    with pytest.raises(Conflict):
        await repos.titles.create(fed.id, "world title", NOW)
    lineage = (
        TitleReign(holder_ids=(ace.id,), won_at=NOW, lost_at=NOW + timedelta(days=7), defences=2),
        TitleReign(holder_ids=(bo.id,), won_at=NOW + timedelta(days=7)),
    )
    saved = await repos.titles.save(title.model_copy(update={"lineage": lineage}))
    assert saved.lineage == lineage and saved.holder_ids == (bo.id,)
    assert await repos.titles.get(title.id) == saved
    assert [t.id for t in await repos.titles.titles_held_by(bo.id)] == [title.id]
    assert await repos.titles.titles_held_by(ace.id) == []
    assert await repos.titles.list(fed.id) == [saved]
    shorter = await repos.titles.save(saved.model_copy(update={"lineage": lineage[:1]}))
    assert shorter.lineage == lineage[:1]
    with pytest.raises(NotFound):
        await repos.titles.get(9999)


async def test_shows_keep_schedule_and_an_ordered_card(repos, roster: Roster) -> None:
    fed, ace, bo = roster
    schedule = WeeklySchedule(day=4, at=time(20, 30), timezone="Europe/Paris")
    show = await repos.shows.create(
        fed.id, "Friday Night Fury", NOW, schedule=schedule, channel_id=55
    )
    assert await repos.shows.get(show.id) == show
    with pytest.raises(Conflict):
        await repos.shows.create(fed.id, "friday night FURY", NOW)
    match = await repos.matches.create(fed.id, (ace.id, bo.id), seed=3, now=NOW)
    promo = await repos.shows.create_promo(fed.id, (ace.id, bo.id), rounds=2, seed=4, now=NOW)
    await repos.shows.add_segment(show.id, SegmentKind.PROMO, promo_id=promo.id)
    card = (
        await repos.shows.add_segment(
            show.id, SegmentKind.MATCH, match_id=match.id, main_event=True
        )
    ).card
    assert [(s.position, s.kind, s.main_event) for s in card] == [
        (0, SegmentKind.PROMO, False),
        (1, SegmentKind.MATCH, True),
    ]
    assert (await repos.matches.get(match.id)).show_id == show.id
    with pytest.raises(Conflict):
        await repos.shows.add_segment(show.id, SegmentKind.MATCH, match_id=match.id)
    with pytest.raises(InvalidInput):
        await repos.shows.add_segment(show.id, SegmentKind.MATCH, promo_id=promo.id)
    reordered = tuple(s.model_copy(update={"position": 1 - s.position}) for s in card)
    updated = await repos.shows.update(
        show.model_copy(update={"card": reordered, "status": ShowStatus.LIVE, "schedule": None})
    )
    assert [s.kind for s in updated.card] == [SegmentKind.MATCH, SegmentKind.PROMO]
    assert updated.status is ShowStatus.LIVE and updated.schedule is None
    assert await repos.shows.scheduled() == []


async def test_segments_must_belong_to_the_shows_federation(repos, roster: Roster) -> None:
    fed, _, _ = roster
    away = await repos.federations.create(1, "Away Federation", 1, NOW)
    x = await repos.wrestlers.create(away.id, "Xavier X", NOW)
    y = await repos.wrestlers.create(away.id, "Yolanda Y", NOW)
    foreign = await repos.matches.create(away.id, (x.id, y.id), seed=1, now=NOW)
    show = await repos.shows.create(fed.id, "Home Show", NOW)
    with pytest.raises(NotFound):
        await repos.shows.add_segment(show.id, SegmentKind.MATCH, match_id=foreign.id)


async def test_promo_lines_round_trip(repos, roster: Roster) -> None:
    fed, ace, bo = roster
    promo = await repos.shows.create_promo(fed.id, (ace.id, bo.id), rounds=2, seed=9, now=NOW)
    assert await repos.shows.get_promo(promo.id) == promo
    lines = (
        PromoLine(round=0, speaker_id=ace.id, text="You're done!", heat_delta=2.5),
        PromoLine(round=0, speaker_id=bo.id, text="Says who?"),
    )
    done = await repos.shows.update_promo(promo.model_copy(update={"lines": lines, "heat": 61.5}))
    assert done.lines == lines and done.heat == 61.5
    assert await repos.shows.get_promo(promo.id) == done
    with pytest.raises(NotFound):
        await repos.shows.create_promo(fed.id, (ace.id, 9999), rounds=2, seed=1, now=NOW)
    with pytest.raises(InvalidInput):
        await repos.shows.create_promo(fed.id, (ace.id, ace.id), rounds=2, seed=1, now=NOW)


async def test_active_hints_by_scope_and_expiry(repos, roster: Roster) -> None:
    fed, ace, bo = roster
    later = NOW + timedelta(hours=1)
    fed_hint = await repos.hints.create(fed.id, HintScope.FEDERATION, fed.id, "Big night.", 1, NOW)
    show_hint = await repos.hints.create(fed.id, HintScope.SHOW, 10, "Open hot.", 1, NOW)
    match_hint = await repos.hints.create(
        fed.id, HintScope.MATCH, 20, "Go long.", 1, NOW, expires_at=later
    )
    ace_hint = await repos.hints.create(fed.id, HintScope.WRESTLER, ace.id, "Be cocky.", 1, NOW)
    await repos.hints.create(fed.id, HintScope.WRESTLER, bo.id, "Be humble.", 1, NOW)
    await repos.hints.create(fed.id, HintScope.SHOW, 11, "Another show.", 1, NOW)
    active = await repos.hints.active_for(fed.id, 10, 20, [ace.id], NOW)
    assert active == [fed_hint, show_hint, match_hint, ace_hint]
    after_expiry = await repos.hints.active_for(fed.id, 10, 20, [ace.id], later)
    assert match_hint not in after_expiry and len(after_expiry) == 3
    assert await repos.hints.active_for(fed.id, None, None, [], NOW) == [fed_hint]


async def test_feud_heat_is_order_independent_and_bounded(repos, roster: Roster) -> None:
    fed, ace, bo = roster
    assert await repos.feuds.heat(ace.id, bo.id) == 0.0
    assert await repos.feuds.add_heat(bo.id, ace.id, 12.5) == 12.5
    assert await repos.feuds.add_heat(ace.id, bo.id, 5.0) == 17.5
    assert await repos.feuds.heat(bo.id, ace.id) == 17.5
    assert await repos.feuds.add_heat(ace.id, bo.id, 500.0) == 100.0
    assert await repos.feuds.add_heat(ace.id, bo.id, -1000.0) == 0.0
    await repos.feuds.add_heat(ace.id, bo.id, 8.0)
    top = await repos.feuds.top(fed.id)
    assert [(f.wrestler_low_id, f.wrestler_high_id, f.heat) for f in top] == [
        (min(ace.id, bo.id), max(ace.id, bo.id), 8.0)
    ]
    with pytest.raises(InvalidInput):
        await repos.feuds.add_heat(ace.id, ace.id, 1.0)
    with pytest.raises(NotFound):
        await repos.feuds.add_heat(ace.id, 9999, 1.0)


async def test_event_log_appends_and_filters(repos, roster: Roster) -> None:
    fed, _, _ = roster
    first = DomainEvent(
        kind="federation.created",
        federation_id=fed.id,
        actor_user_id=3,
        payload={"name": fed.name},
        at=NOW,
    )
    await repos.events.append(first)
    await repos.events.append_many(
        [
            DomainEvent(kind="vote.cast", federation_id=fed.id, payload={"n": i}, at=NOW)
            for i in range(5)
        ]
    )
    unstamped_id = await repos.events.append(DomainEvent(kind="system.note"))
    assert unstamped_id > 0
    assert await repos.events.list(federation_id=fed.id, kind="federation.created") == [first]
    votes = await repos.events.list(kind="vote.", limit=3)
    assert [e.payload["n"] for e in votes] == [2, 3, 4]
    note = (await repos.events.list(kind="system.note"))[0]
    assert note.at is not None and note.at.tzinfo is not None


async def test_event_append_joins_the_callers_transaction(repos, roster: Roster) -> None:
    fed, _, _ = roster
    with pytest.raises(RuntimeError):
        async with repos.db.transaction():
            await repos.events.append(DomainEvent(kind="match.booked", federation_id=fed.id))
            raise RuntimeError("abort the booking")
    assert await repos.events.list(kind="match.booked") == []
