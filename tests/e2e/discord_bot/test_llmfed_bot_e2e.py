"""End to end: the unmodified `llmfed bot` process against FakeDiscord on 127.0.0.1."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from pathlib import Path

from tests.e2e.bot_process import bot_env, start_bot
from tests.fakes.discord.payloads_interactions import option, subcommand
from tests.fakes.discord.rig import FakeDiscord


async def _slash(
    fake: FakeDiscord, builder: object, group: str, sub: str, *options: object
) -> dict:
    guild_id = fake.guild.guild_id
    payload = builder.slash(  # type: ignore[attr-defined]
        group,
        subcommand(sub, *options),  # type: ignore[arg-type]
        command_id=fake.command_id(group, guild_id),
        command_guild_id=guild_id,
    )
    await fake.dispatch("INTERACTION_CREATE", payload)
    call = await fake.wait_for_request(
        "POST", rf"/interactions/{payload['id']}/[^/]+/callback", timeout=15
    )
    return dict(call.json)


async def test_bot_process_syncs_and_runs_a_booking_flow(tmp_path: Path) -> None:
    db_path = tmp_path / "e2e.db"
    async with FakeDiscord() as fake:
        env = bot_env(fake, db_path)
        process = await start_bot(env, tmp_path)
        try:
            await fake.wait_until_ready(timeout=30)
            await fake.wait_for_request(
                "PUT", rf"/applications/\d+/guilds/{fake.guild.guild_id}/commands", timeout=30
            )
            synced = {c["name"] for c in fake.commands(fake.guild.guild_id)}
            assert {"federation", "wrestler", "title", "match", "help"} <= synced
            (identify,) = fake.identify_payloads
            assert not int(identify["intents"]) & (1 << 15)  # no message-content intent

            owner = fake.interactions.as_user(fake.guild.owner)
            created = await _slash(
                fake, owner, "federation", "create", option("name", "End To End")
            )
            assert created["type"] == 4, created
            federation_id = _one(db_path, "SELECT id FROM federations")
            for name in ("Alpha Ace", "Bravo Brute"):
                body = await _slash(
                    fake,
                    owner,
                    "wrestler",
                    "create",
                    option("federation", str(federation_id)),
                    option("name", name),
                    option("gimmick", "e2e"),
                    option("alignment", "face"),
                )
                assert body["type"] == 4 and body["data"]["embeds"], body
            a_id = _one(db_path, "SELECT id FROM wrestlers WHERE name = 'Alpha Ace'")
            b_id = _one(db_path, "SELECT id FROM wrestlers WHERE name = 'Bravo Brute'")
            booked = await _slash(
                fake,
                owner,
                "match",
                "book",
                option("federation", str(federation_id)),
                option("a", str(a_id)),
                option("b", str(b_id)),
            )
            assert booked["type"] == 4 and "Booked match" in booked["data"]["content"], booked
            match_id = _one(db_path, "SELECT id FROM matches")
            status = await _slash(
                fake, fake.interactions, "match", "status", option("match", str(match_id))
            )
            assert status["type"] == 4 and status["data"]["embeds"], status
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
        assert process.returncode == 0, output.decode(errors="replace")[-3000:]
        assert _one(db_path, "PRAGMA integrity_check") == "ok"


def _one(db_path: Path, sql: str) -> object:
    with sqlite3.connect(db_path) as conn:
        row = conn.execute(sql).fetchone()
    assert row is not None, sql
    return row[0]
