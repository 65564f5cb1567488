"""/match start goes live: a thread under the card, every tick posted once and in order,
webhook or plain, a results embed with a PNG chart, then the thread is archived."""

from __future__ import annotations

from pathlib import Path

from engine.models import MatchStatus
from tests.fakes.discord.payloads_core import BOT_PERMISSIONS, Permission, Snowflakes
from tests.fakes.discord.payloads_guild import dev_guild, user
from tests.fakes.discord.rig import FakeDiscord
from tests.integration.discord_commands_core.core_support import content
from tests.integration.live_matches.live_support import LiveHarness, running_live, until


async def _finished(h: LiveHarness, match_id: int) -> None:
    await until(lambda: h.live.get(match_id) is None, timeout=30)


def _posted_ticks(h: LiveHarness, thread_id: int) -> list[str]:
    """Narration lines of the thread, in order (the results embed excluded)."""
    lines: list[str] = []
    for message in h.thread_messages(thread_id):
        if message["content"]:
            lines.extend(message["content"].split("\n"))
    return lines


async def test_start_opens_a_thread_and_posts_every_tick_once_in_order(h: LiveHarness) -> None:
    league = await h.seed()
    match_id = await h.book(league)

    body = await h.start(match_id)
    thread_id = await h.thread_of(match_id)
    await _finished(h, match_id)

    assert "The bell rings" in content(body)
    thread = h.fake.channel(thread_id)
    card_id = (await h.app.repos.matches.get(match_id)).message_id
    assert thread["type"] == 11 and thread["id"] == str(card_id)  # opened on the card
    ticks = await h.app.repos.matches.ticks(match_id)
    posted = await h.live.outbox.repo.posted(match_id)
    assert [e.time_index for e in posted] == [t.time_index for t in ticks]
    narrated = [t.narration for t in ticks]
    assert _posted_ticks(h, thread_id) == narrated  # each once, in order
    match = await h.app.repos.matches.get(match_id)
    assert match.status is MatchStatus.FINISHED and match.thread_id == thread_id


async def test_narration_speaks_as_the_wrestler_through_a_webhook(h: LiveHarness) -> None:
    league = await h.seed()
    match_id = await h.book(league)

    await h.start(match_id)
    thread_id = await h.thread_of(match_id)
    await _finished(h, match_id)

    hooks = h.fake.webhooks()
    parent = str(h.fake.guild.channel_ids["general"])
    assert [hook["channel_id"] for hook in hooks] == [parent]
    narration = [m for m in h.thread_messages(thread_id) if m["content"]]
    assert narration and all(m.get("webhook_id") == hooks[0]["id"] for m in narration)
    names = {m["author"]["username"] for m in narration}
    assert names & {"Atlas Grimm", "Ruby Vex"}, names


async def test_without_manage_webhooks_narration_is_posted_plainly(tmp_path: Path) -> None:
    ids = Snowflakes()
    bot_user = user(ids.next(), "LLMFed", bot=True)
    no_hooks = BOT_PERMISSIONS & ~Permission.MANAGE_WEBHOOKS
    guilds = [
        dev_guild(ids, bot_user=bot_user, bot_permissions=no_hooks),
        dev_guild(ids, bot_user=bot_user, name="Other"),
    ]
    async with (
        FakeDiscord(ids=ids, bot_user=bot_user, guilds=guilds) as fake,
        running_live(fake, tmp_path / "llmfed.db") as h,
    ):
        league = await h.seed()
        match_id = await h.book(league)
        await h.start(match_id)
        thread_id = await h.thread_of(match_id)
        await _finished(h, match_id)

        narration = [m for m in h.thread_messages(thread_id) if m["content"]]
        assert h.fake.webhooks() == []
        assert narration and all(m["author"]["id"] == bot_user["id"] for m in narration)
        assert all(m.get("webhook_id") is None for m in narration)


async def test_results_embed_with_a_png_chart_then_the_thread_is_archived(h: LiveHarness) -> None:
    league = await h.seed()
    match_id = await h.book(league)

    await h.start(match_id)
    thread_id = await h.thread_of(match_id)
    await _finished(h, match_id)

    last = h.thread_messages(thread_id)[-1]
    embed = last["embeds"][0]
    match = await h.app.repos.matches.get(match_id)
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    winner = "nobody" if match.result is None or match.result.is_draw else None
    assert fields["Method"].startswith(match.result.method.value.replace("_", " "))
    assert f"({match.rating:.2f})" in fields["Rating"]
    if winner is None:
        names = {league.atlas.id: "Atlas Grimm", league.ruby.id: "Ruby Vex"}
        assert fields["Winner"] == names[match.result.winner_ids[0]]
    assert embed["image"]["url"] == "attachment://chart.png"
    attachment = last["attachments"][0]
    assert attachment["filename"] == "chart.png" and attachment["size"] > 100
    upload = next(
        f
        for r in h.fake.requests_matching("POST", rf"/channels/{thread_id}/messages")
        for f in r.files
    )
    assert upload.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert h.fake.channel(thread_id)["thread_metadata"]["archived"] is True
