"""`sake-sensei discord` as an operator runs it: a real process against the fake Discord."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.fakes.discord import DM_CHANNEL_ID, FakeDiscord

ROOT = Path(__file__).resolve().parents[3]


async def start(env: dict[str, str]) -> asyncio.subprocess.Process:
    full = {k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")}
    full.update({"PYTHONPATH": str(ROOT), "NO_PROXY": "127.0.0.1,localhost", **env})
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "discord", env=full, cwd=ROOT,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


async def test_the_discord_command_answers_a_dm_and_stops_cleanly_on_sigterm(fake: FakeDiscord, db_url: str) -> None:
    proc = await start({"DATABASE_URL": db_url, "DISCORD_BOT_TOKEN": "fake-bot-token-123456", "DISCORD_API_URL": fake.api_url,
                        "DISCORD_GATEWAY_URL": fake.gateway_url, "LOG_LEVEL": "INFO"})
    try:
        await fake.wait_for(lambda: fake.identifies, timeout=60, what="IDENTIFY from the bot process")
        assert fake.identifies[0]["token"] == "fake-bot-token-123456"
        await fake.dispatch("MESSAGE_CREATE", fake.message("獺祭について教えて"))
        [sent] = await fake.wait_call("POST", rf"/channels/{DM_CHANNEL_ID}/messages", timeout=30)
        assert sent.payload["embeds"][0]["title"] == "獺祭"
        proc.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(proc.communicate(), 30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 0, stderr.decode()
    log = stderr.decode()
    assert "Message Content intent is off" in log
    assert "fake-bot-token-123456" not in log


async def test_without_a_token_it_says_so(db_url: str) -> None:
    proc = await start({"DATABASE_URL": db_url})
    _, stderr = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 1
    assert stderr.decode().strip() == "sake-sensei: DISCORD_BOT_TOKEN is not set (the bot token from the Discord Developer Portal)"


async def test_a_refused_token_is_one_line(fake: FakeDiscord, db_url: str) -> None:
    fake.reject_token = True
    proc = await start({"DATABASE_URL": db_url, "DISCORD_BOT_TOKEN": "wrong-token-abcdef", "DISCORD_API_URL": fake.api_url,
                        "DISCORD_GATEWAY_URL": fake.gateway_url})
    _, stderr = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 1
    assert stderr.decode().strip().splitlines()[-1] == "sake-sensei: Discord rejected DISCORD_BOT_TOKEN"
