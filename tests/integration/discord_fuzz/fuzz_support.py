"""Strategies for option values a Discord client can send, derived from the synced command
definitions (type, choices, min/max, max_length), and the database checks run afterwards."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from bot.app import App
from tests.fakes.discord.payloads_guild import DevGuild
from tests.fakes.discord.payloads_interactions import (
    Option,
    channel_option,
    option,
    role_option,
    user_option,
)

NASTY_TEXT = [
    "",
    " ",
    "@everyone",
    "@here",
    "<@123>",
    "<@&456>",
    "<#789>",
    "**bold**",
    "`code`",
    "||spoiler||",
    "> quote",
    "[link](http://x)",
    "\u200b",
    "🔥" * 50,
    "Ｒｕｂｙ",
    "a" * 6000,
    "0",
    "-1",
    "#1",
    "9" * 30,
    "null",
    "'; DROP TABLE matches; --",
    "\n\n",
    "ＡＢＣ\u0000",
]
SUBCOMMAND, GROUP, STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, NUMBER = (
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    10,
)


def leaves(command: dict[str, Any]) -> list[tuple[list[str], list[dict[str, Any]]]]:
    """(path of subcommand names, its option definitions) for every invocable leaf."""
    found: list[tuple[list[str], list[dict[str, Any]]]] = []
    options = command.get("options") or []
    subs = [o for o in options if o["type"] in (SUBCOMMAND, GROUP)]
    if not subs:
        return [([], options)]
    for sub in subs:
        if sub["type"] == SUBCOMMAND:
            found.append(([sub["name"]], sub.get("options") or []))
        else:
            for inner in sub.get("options") or []:
                found.append(([sub["name"], inner["name"]], inner.get("options") or []))
    return found


def text_values(max_length: int, ids: list[int]) -> st.SearchStrategy[str]:
    id_text = st.sampled_from(ids).map(str) if ids else st.just("1")
    return st.one_of(
        id_text,
        st.sampled_from(NASTY_TEXT),
        st.text(max_size=min(max_length, 120)),
        st.text(
            alphabet=st.characters(codec="utf-8"), min_size=max_length - 2, max_size=max_length
        ),
    ).map(lambda text: text[:max_length])


def option_value(definition: dict[str, Any], ids: list[int]) -> st.SearchStrategy[Any]:
    kind = definition["type"]
    if definition.get("choices"):
        return st.sampled_from([c["value"] for c in definition["choices"]])
    if kind == STRING:
        return text_values(int(definition.get("max_length", 6000)), ids)
    if kind in (INTEGER, NUMBER):
        low = int(definition.get("min_value", -(2**53)))
        high = int(definition.get("max_value", 2**53))
        ints = st.one_of(
            st.sampled_from([low, high, 0 if low <= 0 <= high else low]),
            st.integers(low, high),
            st.sampled_from(ids or [low]).filter(lambda v: low <= v <= high),
        )
        return ints if kind == INTEGER else ints.map(float)
    if kind == BOOLEAN:
        return st.booleans()
    return st.none()  # users, channels, roles: built by the caller from the guild


def build_option(definition: dict[str, Any], value: Any, guild: DevGuild) -> Option | None:
    kind = definition["type"]
    name = definition["name"]
    if kind == CHANNEL:
        return channel_option(name, guild.channel("general"))
    if kind == USER:
        return user_option(name, guild.player, member_data=guild.member(guild.player["id"]))
    if kind == ROLE:
        return role_option(name, guild.payload["roles"][0])
    if value is None:
        return None
    return option(name, value, type=kind)


async def database_problems(app: App) -> list[str]:
    """Integrity, foreign keys and the row invariants the game relies on."""
    db = app.db
    problems: list[str] = []
    if (await db.fetchvalue("PRAGMA integrity_check")) != "ok":
        problems.append("integrity_check failed")
    problems += [f"foreign key: {tuple(r)}" for r in await db.fetchall("PRAGMA foreign_key_check")]
    checks = {
        "finished match without result or rating": (
            "SELECT id FROM matches WHERE status = 'finished' "
            "AND (result_json IS NULL OR rating IS NULL)"
        ),
        "match with a participant outside its federation": (
            "SELECT m.id FROM matches m JOIN match_participants p ON p.match_id = m.id "
            "LEFT JOIN wrestlers w ON w.id = p.wrestler_id "
            "WHERE m.status IN ('booked', 'live') AND (w.id IS NULL "
            "OR w.federation_id != m.federation_id)"
        ),
        "match without two participants": (
            "SELECT m.id FROM matches m LEFT JOIN match_participants p ON p.match_id = m.id "
            "GROUP BY m.id HAVING count(p.wrestler_id) != 2"
        ),
        "segment of another federation": (
            "SELECT s.show_id FROM segments s JOIN shows sh ON sh.id = s.show_id "
            "LEFT JOIN matches m ON m.id = s.match_id LEFT JOIN promos pr ON pr.id = s.promo_id "
            "WHERE coalesce(m.federation_id, pr.federation_id) != sh.federation_id"
        ),
        "bad name": (
            "SELECT name FROM federations WHERE length(name) NOT BETWEEN 3 AND 40 "
            "OR name != trim(name) UNION ALL SELECT name FROM wrestlers "
            "WHERE length(name) NOT BETWEEN 3 AND 40 UNION ALL SELECT name FROM shows "
            "WHERE length(name) NOT BETWEEN 3 AND 40"
        ),
        "unsafe stored text": (
            "SELECT text FROM hints WHERE text LIKE '%@everyone%' OR text LIKE '%@here%' "
            "OR length(text) NOT BETWEEN 1 AND 300"
        ),
        "live tick pointer ahead of its ticks": (
            "SELECT m.id FROM matches m WHERE m.last_tick > 0 AND NOT EXISTS (SELECT 1 FROM "
            "match_ticks t WHERE t.match_id = m.id AND t.time_index = m.last_tick)"
        ),
    }
    for label, sql in checks.items():
        rows = await db.fetchall(sql)
        if rows:
            problems.append(f"{label}: {[tuple(r) for r in rows][:5]}")
    return problems
