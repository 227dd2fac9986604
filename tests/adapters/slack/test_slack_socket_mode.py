"""Socket Mode: the same bot over apps.connections.open and a websocket (the fake's)."""

from __future__ import annotations

import asyncio
import copy
import os
import subprocess
import sys

from adapters.slack.app import SlackOptions, run_socket_mode
from bot.wiring import build_core
from tests.adapters.slack.conftest import TOKEN, ScriptedBrain, payload, settings_for
from tests.fakes.slack import FakeSlack


async def test_socket_mode_events_and_commands(db_url: str, fake: FakeSlack) -> None:
    core = await build_core(settings_for(db_url, fake, SLACK_APP_TOKEN="xapp-1-test"))
    brain = ScriptedBrain()
    core.sensei.brain = brain
    options = SlackOptions.from_settings(core.settings, socket_mode=True)
    assert options is not None
    stop = asyncio.Event()
    runner = asyncio.create_task(run_socket_mode(core, options, stop=stop))
    try:
        envelope = copy.deepcopy(payload("socket_mode_envelope_events_api_message.json"))
        envelope["payload"]["event"].update(channel="D111", channel_type="im", text="hello over the socket")
        ack = await fake.send_envelope(envelope)
        assert ack["envelope_id"] == envelope["envelope_id"]
        call = (await fake.wait_for("chat.postMessage"))[0]
        assert call.token == TOKEN and call.args["text"] == "you said: hello over the socket"
        # the same envelope again (Slack redelivers after a reconnect): acked, not answered twice
        await fake.send_envelope(envelope)
        # a slash command: help is answered in the ack itself
        command = copy.deepcopy(payload("socket_mode_envelope_slash_command.json"))
        command["payload"]["text"] = "help"
        ack = await fake.send_envelope(command)
        assert "/sake rec" in ack["payload"]["text"]
        await asyncio.sleep(0.2)
        assert len(brain.turns) == 1 and len(fake.calls_to("chat.postMessage")) == 1
        assert fake.calls_to("apps.connections.open")[0].token == "xapp-1-test"
    finally:
        stop.set()
        await asyncio.wait_for(runner, 10)
        await core.close()


def test_slack_socket_command_needs_the_app_token(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", SLACK_BOT_TOKEN="xoxb-1")
    result = subprocess.run([sys.executable, "-m", "bot", "slack-socket"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "SLACK_APP_TOKEN" in result.stderr
