"""Player control: the owner's buttons on their wrestler's turn; others are refused; a timeout
lets the fallback decide (and the thread says so); a button still works after a restart."""

from __future__ import annotations

import asyncio
from pathlib import Path

from engine.models import EngineRequest, RequestStatus
from tests.fakes.discord.rig import FakeDiscord
from tests.integration.discord_commands_core.core_support import content, is_ephemeral
from tests.integration.live_matches.live_support import LiveHarness, running_live, until


def _prompts(h: LiveHarness, thread_id: int) -> list[dict]:
    return [m for m in h.thread_messages(thread_id) if m.get("components")]


async def _first_prompt(h: LiveHarness) -> tuple[int, dict]:
    league = await h.seed(player_atlas=True)
    match_id = await h.book(league)
    await h.start(match_id)
    thread_id = await h.thread_of(match_id)
    prompt = await until(lambda: (found := _prompts(h, thread_id)) and found[0])
    return match_id, prompt


def _buttons(prompt: dict) -> list[str]:
    return [c["custom_id"] for row in prompt["components"] for c in row["components"]]


async def _status(h: LiveHarness, request_id: str) -> RequestStatus:
    status, _ = await h.live.turns.requests.status(request_id)
    return status


async def test_the_prompt_mentions_only_the_owner_with_one_button_per_action(
    h: LiveHarness,
) -> None:
    _, prompt = await _first_prompt(h)

    player = h.fake.guild.player["id"]
    assert prompt["content"].startswith(f"<@{player}>") and "Atlas Grimm" in prompt["content"]
    sent = h.fake.requests_matching("POST", rf"/channels/{prompt['channel_id']}/messages")
    body = next(r.json for r in sent if r.json and r.json.get("components"))
    assert [str(u) for u in body["allowed_mentions"]["users"]] == [player]
    assert body["allowed_mentions"]["parse"] == []
    ids = _buttons(prompt)
    assert ids and all(i.startswith("llmfed:act:m") for i in ids) and len(set(ids)) == len(ids)


async def test_only_the_owner_may_press_and_the_press_decides(h: LiveHarness) -> None:
    match_id, prompt = await _first_prompt(h)
    custom_id = next(i for i in _buttons(prompt) if i.endswith(":strike"))
    request_id = custom_id.removeprefix("llmfed:act:").rsplit(":", 1)[0]

    refused = await h.send(h.owner.button(custom_id, prompt))
    assert is_ephemeral(refused.json) and "Only this wrestler's owner" in content(refused.json)
    assert await _status(h, request_id) is RequestStatus.PENDING

    taken = await h.send(h.player.button(custom_id, prompt))
    assert is_ephemeral(taken.json) and "strike" in content(taken.json)
    requests = await until_request(h, match_id, request_id)
    assert requests.status is RequestStatus.ANSWERED and requests.response is not None
    assert requests.response.action_id == "strike"
    late = await h.send(h.player.button(custom_id, prompt))
    assert is_ephemeral(late.json) and "over" in content(late.json)


async def until_request(h: LiveHarness, match_id: int, request_id: str) -> EngineRequest:
    """The request once it is settled (answered or fallen back)."""

    async def find() -> EngineRequest | None:
        for request in await h.app.repos.matches.requests(match_id):
            if request.request_id == request_id and request.status is not RequestStatus.PENDING:
                return request
        return None

    async with asyncio.timeout(45):  # the 5 s turn, the runner deadline, a busy machine
        while (found := await find()) is None:  # noqa: ASYNC110 - polling a fake
            await asyncio.sleep(0.05)
    return found


async def test_no_answer_in_time_lets_the_fallback_decide_and_says_so(h: LiveHarness) -> None:
    match_id, prompt = await _first_prompt(h)
    request_id = _buttons(prompt)[0].removeprefix("llmfed:act:").rsplit(":", 1)[0]

    request = await until_request(h, match_id, request_id)  # player_turn_s is 5 s here

    assert request.status is RequestStatus.FALLBACK
    assert "player controller missed" in (request.fallback_reason or "")
    assert request.response is not None  # the offline policy's move
    thread = prompt["channel_id"]
    assert any("No answer from Atlas Grimm" in m["content"] for m in h.thread_messages(thread))


async def test_a_button_still_works_after_a_restart(fake: FakeDiscord, tmp_path: Path) -> None:
    db = tmp_path / "llmfed.db"
    async with running_live(fake, db, player_turn_s=30.0) as first:
        match_id, prompt = await _first_prompt(first)
    custom_id = next(i for i in _buttons(prompt) if i.endswith(":taunt") or i.endswith(":rest"))
    request_id = custom_id.removeprefix("llmfed:act:").rsplit(":", 1)[0]

    async with running_live(fake, db, player_turn_s=30.0) as second:
        taken = await second.send(second.player.button(custom_id, prompt))
        assert is_ephemeral(taken.json) and "You chose" in content(taken.json)
        request = await until_request(second, match_id, request_id)
        assert request.status is RequestStatus.ANSWERED
        assert request.response is not None and custom_id.endswith(request.response.action_id)
