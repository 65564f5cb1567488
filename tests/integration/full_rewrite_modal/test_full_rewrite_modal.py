"""Full rewrite by a player: the Submit script button in a live full_rewrite match's thread,
who may press it, the modal's numbered violations, resubmission, the deadline, a restart."""

from __future__ import annotations

from pathlib import Path

from engine.models import MatchStatus
from storage.script_desks import DeskStatus
from tests.fakes.discord.payloads_guild import member
from tests.fakes.discord.payloads_interactions import option, user_option
from tests.fakes.discord.rig import FakeDiscord
from tests.integration.discord_commands_core.core_support import content, is_ephemeral
from tests.integration.full_rewrite_modal.script_support import (
    brawler_text,
    button_id,
    script_messages,
    start_full_rewrite,
)
from tests.integration.live_matches.live_support import LiveHarness, running_live, until

MODAL = 9


async def _open_modal(h: LiveHarness, message: dict) -> str:
    """The promoter presses Submit script; the modal's custom id."""
    opened = await h.send(h.player.button(button_id(message), message))
    assert opened.json["type"] == MODAL
    return str(opened.json["data"]["custom_id"])


async def _submit(h: LiveHarness, message: dict, text: str) -> dict:
    modal_id = await _open_modal(h, message)
    reply = await h.send(h.player.modal_submit(modal_id, {"script": text}))
    return reply.json


async def _script_events(h: LiveHarness, match_id: int) -> list:
    return await h.app.repos.events.list(match_id=match_id, kind="match.script")


async def test_a_live_full_rewrite_match_waits_with_a_submit_script_button(
    h: LiveHarness,
) -> None:
    match_id, _, message = await start_full_rewrite(h)

    assert button_id(message) == f"llmfed:script:{match_id}"
    assert "finish:" in message["content"] and "Atlas Grimm" in message["content"]
    assert await h.app.repos.matches.tick_count(match_id) == 0  # nothing before the script
    desk = await h.live.scripts.repo.get(match_id)
    assert desk is not None and desk.status is DeskStatus.OPEN
    assert desk.message_id == int(message["id"])


async def test_only_the_promoter_or_the_named_writer_may_press(h: LiveHarness) -> None:
    match_id, _, message = await start_full_rewrite(h)
    stranger = h.stranger()

    refused = await h.send(stranger.button(button_id(message), message))
    assert refused.json["type"] != MODAL and is_ephemeral(refused.json)
    assert "Only the promoter" in content(refused.json)

    await h.live.scripts.name_writer(match_id, int(stranger.actor["id"]))  # type: ignore[index]
    allowed = await h.send(stranger.button(button_id(message), message))
    assert allowed.json["type"] == MODAL


async def test_an_invalid_script_gets_numbered_violations_and_changes_nothing(
    h: LiveHarness,
) -> None:
    match_id, _, message = await start_full_rewrite(h)
    text = (
        "Atlas Grimm: finisher - big boot\n"  # no momentum for a finisher yet
        "Ruby Vex: fly - moonsault\n"  # not an action
        "finish: Ruby Vex by pinfall\n"
    )

    reply = await _submit(h, message, text)

    assert is_ephemeral(reply)
    said = content(reply)
    assert "not accepted" in said and "1. line 2: unknown action 'fly'" in said
    desk = await h.live.scripts.repo.get(match_id)
    assert desk is not None and desk.status is DeskStatus.OPEN and desk.script is None
    assert await _script_events(h, match_id) == []
    assert await h.app.repos.matches.tick_count(match_id) == 0

    dry = await _submit(h, message, text.replace("fly", "strike"))
    said = content(dry)
    assert "1. beat 1: Atlas Grimm cannot use 'finisher'" in said and "\n2. " in said
    assert len(said) <= 2000
    assert (await h.live.scripts.repo.get(match_id)).status is DeskStatus.OPEN  # type: ignore[union-attr]


async def test_a_fixed_resubmission_is_accepted_and_the_match_plays_its_beats(
    h: LiveHarness,
) -> None:
    match_id, thread_id, message = await start_full_rewrite(h)
    text, script = await brawler_text(h, match_id)
    broken = text.replace("finish:", "Atlas Grimm: finisher - too early\nfinish:", 1)
    rejected = await _submit(h, message, broken)
    assert "not accepted" in content(rejected)

    accepted = await _submit(h, message, text)

    assert is_ephemeral(accepted) and "Script accepted" in content(accepted)
    await until(lambda: h.live.get(match_id) is None, timeout=60)
    ticks = await h.app.repos.matches.ticks(match_id)
    played = [(t.actor_id, t.applied_actions[0].action_id.value) for t in ticks]
    assert played == [(b.actor_id, b.action_id) for b in script.beats]
    match = await h.app.repos.matches.get(match_id)
    assert match.status is MatchStatus.FINISHED and match.result is not None
    assert match.result.winner_ids[:1] == (
        (script.finish.winner_id,) if script.finish.winner_id else ()
    )
    (event,) = await _script_events(h, match_id)
    assert event.payload["mode"] == "full_rewrite" and event.payload["script"] is not None
    assert any("passed the dry run" in m["content"] for m in h.thread_messages(thread_id))
    late = await h.send(h.player.button(button_id(message), message))
    assert late.json["type"] != MODAL and is_ephemeral(late.json)


async def test_no_script_by_the_deadline_plays_tick_mode_and_says_why(h: LiveHarness) -> None:
    match_id, thread_id, message = await start_full_rewrite(h)
    h.app.clock.advance(h.app.settings.discord.script_deadline_s + 1)  # type: ignore[attr-defined]

    await until(lambda: h.live.get(match_id) is None, timeout=60)

    said = [m["content"] for m in h.thread_messages(thread_id)]
    assert any("No script was accepted before the deadline" in line for line in said)
    assert await h.app.repos.matches.tick_count(match_id) > 0
    (event,) = await _script_events(h, match_id)
    assert event.payload["mode"] == "tick" and event.payload["script"] is None
    desk = await h.live.scripts.repo.get(match_id)
    assert desk is not None and desk.status is DeskStatus.EXPIRED
    late = await h.send(h.player.button(button_id(message), message))
    assert late.json["type"] != MODAL and "deadline" in content(late.json)


async def test_after_a_restart_the_accepted_script_continues(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    db = tmp_path / "llmfed.db"
    async with running_live(fake, db, tick_interval_s=0.4) as first:
        match_id, thread_id, message = await start_full_rewrite(first)
        text, script = await brawler_text(first, match_id)
        assert "Script accepted" in content(await _submit(first, message, text))
        await until(lambda: len(first.thread_messages(thread_id)) >= 5, timeout=30)
        cut = await first.app.repos.matches.tick_count(match_id)
    assert 0 < cut < len(script.beats)

    async with running_live(fake, db) as second:
        await until(lambda: second.live.get(match_id) is None, timeout=60)
        ticks = await second.app.repos.matches.ticks(match_id)

    played = [(t.actor_id, t.applied_actions[0].action_id.value) for t in ticks]
    assert played == [(b.actor_id, b.action_id) for b in script.beats]
    assert len(script_messages(second, thread_id)) == 1  # the button was not posted again


async def test_match_book_names_a_writer_for_full_rewrite_only(h: LiveHarness) -> None:
    league = await h.seed()
    stranger = h.stranger()
    writer = user_option("writer", stranger.actor, member_data=member(stranger.actor))
    common = (
        option("federation", str(league.federation.id)),
        option("a", str(league.atlas.id)),
        option("b", str(league.ruby.id)),
    )

    refused = await h.run(h.player, "match", "book", *common, writer)
    assert is_ephemeral(refused) and "only be named for a full rewrite match" in content(refused)

    booked = await h.run(h.player, "match", "book", *common, option("mode", "full_rewrite"), writer)
    assert not is_ephemeral(booked)
    match_id = int(content(booked).split("#")[1].rstrip("."))
    desk = await h.live.scripts.repo.get(match_id)
    assert desk is not None and desk.writer_user_id == int(stranger.actor["id"])
