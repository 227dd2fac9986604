"""`sake-sensei serve` (the README's run command) prints a URL, and that URL is the web chat."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys

import aiohttp

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_the_printed_url_opens_the_chat_page(db_url: str) -> None:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "NO_PROXY": "127.0.0.1,localhost", "PYTHONPATH": str(ROOT)}
    env.pop("PUBLIC_BASE_URL", None)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", "--port", str(port), cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), timeout=60)).decode()
        url = re.search(r"https?://\S+/", line)
        assert url, line
        assert url.group(0) == f"http://localhost:{port}/"
        async with aiohttp.ClientSession(trust_env=False) as http, http.get(url.group(0)) as r:
            assert r.status == 200 and r.content_type == "text/html"
            assert "Sake Sensei" in await r.text() and "ss_uid" in r.cookies
    finally:
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), timeout=30) == 0
