"""Slack payloads → Incoming: pure, over the captured payloads."""

from __future__ import annotations

import pytest

from adapters.slack import events
from core.actions import Command, SurveyStart, Usage
from core.messages import StateKey
from tests.adapters.slack.conftest import event_body, payload


def test_dm_becomes_a_turn_in_the_dm() -> None:
    inc = events.from_event(payload("event_message_im.json"), bot_user_id="W111")
    assert inc is not None
    assert inc.key.platform == "slack" and inc.key.workspace == "T111" and inc.key.channel == "D111" and inc.key.user == "W222"
    assert inc.target.channel == "D111" and inc.target.thread_ts is None
    assert inc.event_id == "Ev111" and inc.text == "A top-level DM, not in a thread"
    assert inc.message().event_id == "Ev111"


def test_mention_is_answered_in_a_thread_under_it_and_the_mention_is_removed() -> None:
    inc = events.from_event(payload("event_app_mention_authorizations.json"), bot_user_id="W111")
    assert inc is not None
    assert inc.text == "Hi there!" and inc.target.thread_ts == "1595926230.009600"
    assert inc.key.channel == "C111/1595926230.009600" and inc.key.workspace == "T_INSTALLED"


def test_channel_chatter_is_not_for_the_bot_and_thread_replies_need_the_thread() -> None:
    assert events.from_event(payload("event_message_channel.json"), bot_user_id="UBOT") is None
    follow = events.from_event(event_body("event_message_channel.json", thread_ts="1.0"), bot_user_id="UBOT")
    assert follow is not None and follow.needs_joined_thread and follow.key.channel.endswith("/1.0")
    mention_copy = events.from_event(event_body("event_message_channel.json", text="<@UBOT> hi", thread_ts="1.0"), bot_user_id="UBOT")
    assert mention_copy is None  # app_mention answers it


@pytest.mark.parametrize("name", ["event_message_im_from_bot.json", "event_message_bot_message_classic.json",
                                  "event_message_from_other_app_bot.json", "event_message_changed.json",
                                  "event_message_deleted.json", "event_reaction_added.json", "event_member_joined_channel.json"])
def test_bots_edits_and_other_events_are_ignored(name: str) -> None:
    assert events.from_event(payload(name), bot_user_id="UBOT") is None


def test_own_message_is_ignored() -> None:
    assert events.from_event(event_body("event_message_im.json", user="UBOT"), bot_user_id="UBOT") is None


def test_file_share_carries_the_image_file() -> None:
    body = payload("event_message_group_with_file.json")
    body["event"]["channel_type"] = "im"
    inc = events.from_event(body, bot_user_id="UBOT")
    assert inc is not None and inc.files and inc.files[0].url.startswith("https://files.slack.com/")
    back = events.Incoming.from_payload(inc.to_payload())
    assert back == inc


def test_text_is_decoded() -> None:
    assert events.clean_text("<@UBOT> rice &amp; fish &lt;3 <https://x.example|site> <@U9>", "UBOT") == "rice & fish <3 site <@U9>"


@pytest.mark.parametrize("text, expected", [
    ("rec dry", "recommend dry"), ("recommend", "recommend"), ("log 獺祭 4", "log 獺祭 4"),
    ("log 十四代 本丸 4.5 great", "log 十四代 本丸 4.5 great"), ("tell me about kubota", "tell me about kubota"),
])
def test_slash_subcommands(text: str, expected: str) -> None:
    body = {"team_id": "T1", "user_id": "U1", "channel_id": "C1", "text": text, "response_url": "https://hooks/x", "trigger_id": "t1"}
    plan = events.from_command(body)
    assert plan.incoming is not None and plan.incoming.text == expected
    assert plan.incoming.target.response_url == "https://hooks/x" and plan.incoming.event_id == "cmd:t1"


@pytest.mark.parametrize("text", ["log", "log 獺祭", "log 4", "log dassai 6", "log dassai 4.3"])
def test_log_needs_a_sake_and_a_rating(text: str) -> None:
    plan = events.from_command({"team_id": "T1", "user_id": "U1", "text": text})
    assert plan.incoming is None and plan.usage is not None and plan.usage.command == "log"


@pytest.mark.parametrize("name", ["history", "profile", "wishlist", "stats"])
def test_slash_commands_are_typed_commands(name: str) -> None:
    plan = events.from_command({"team_id": "T1", "user_id": "U1", "channel_id": "C1", "text": name})
    assert plan.incoming is not None and plan.incoming.text == ""
    assert plan.incoming.message().action == Command(name)  # type: ignore[arg-type]


def test_help_and_usage_are_left_to_the_core() -> None:
    """The adapter says what was typed; the words, the code and the language are the core's (core.platform_replies)."""
    plan = events.from_command({"team_id": "T1", "user_id": "U1", "channel_id": "C1", "text": "ヘルプ"})
    assert plan.usage == Usage("help", "ヘルプ") and plan.usage_key == StateKey("slack", "T1", "C1", "U1")
    assert events.from_command({"team_id": "T1", "text": "log dassai"}).usage == Usage("log", "dassai")


def test_survey_opens_a_modal() -> None:
    plan = events.from_command({"team_id": "T1", "user_id": "U1", "text": "survey", "trigger_id": "t"})
    assert plan.modal == "survey" and plan.incoming is not None and plan.incoming.message().action == SurveyStart()


def test_block_action_from_the_published_payload() -> None:
    inc = events.from_block_action(payload("interactive_block_actions.json"))
    assert inc is not None and inc.action == "click_me_123" and inc.key.workspace == "T111"
    assert inc.target.response_url  # an ephemeral message: answered through its response_url


def test_view_values() -> None:
    assert events.view_values(payload("interactive_view_submission.json")["view"]) == {"maBWU": "test"}


def test_manifest_asks_for_the_scopes_the_app_uses() -> None:
    import json
    from pathlib import Path

    from adapters.slack.app import SCOPES

    manifest = json.loads((Path(events.__file__).parent / "manifest.json").read_text())
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == set(SCOPES)
    assert {"app_mention", "message.im", "app_home_opened"} <= set(manifest["settings"]["event_subscriptions"]["bot_events"])
