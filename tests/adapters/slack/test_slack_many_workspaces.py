"""Many workspaces: installations kept in our database, the OAuth install flow, workspaces kept apart."""

from __future__ import annotations

import re

from core.slack_workspaces import InstalledBot, SlackWorkspaces
from tests.adapters.slack.conftest import Harness, ScriptedBrain, event_body
from tests.fakes.slack import FakeSlack

OAUTH = {"SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "oauth-client-secret-xyz", "SLACK_BOT_TOKEN": ""}


async def _install(h: Harness, fake: FakeSlack, team: str, token: str, bot_user: str) -> None:
    fake.add_workspace(token, team, bot_user_id=bot_user, bot_id="B" + team)
    await SlackWorkspaces(h.core.db).save(InstalledBot(team_id=team, enterprise_id=None, bot_token=token, bot_id="B" + team,
                                                       bot_user_id=bot_user, bot_scopes="chat:write"))


async def test_two_workspaces_are_kept_apart(make_harness, fake: FakeSlack) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain, **OAUTH)
    await _install(h, fake, "TAAA", "xoxb-aaa-token", "UBOTA")
    await _install(h, fake, "TBBB", "xoxb-bbb-token", "UBOTB")
    # the same user id and channel id in two workspaces are two different people
    for team in ("TAAA", "TBBB"):
        r = await h.post(event_body("event_message_im.json", text=f"hello from {team}") | {"team_id": team, "event_id": f"Ev-{team}",
                         "authorizations": [{"enterprise_id": None, "team_id": team, "user_id": "x", "is_bot": True}]})
        assert r.status == 200
    calls = await fake.wait_for("chat.postMessage", 2)
    by_token = {c.token: c.args["text"] for c in calls}
    assert by_token == {"xoxb-aaa-token": "you said: hello from TAAA", "xoxb-bbb-token": "you said: hello from TBBB"}
    principals = {t.message.key.workspace: t.principal for t in brain.turns}
    assert principals["TAAA"].workspace_id != principals["TBBB"].workspace_id
    assert principals["TAAA"].user_id != principals["TBBB"].user_id
    assert fake.calls_to("auth.test") == []  # tokens come from the installation: no auth.test per event


async def test_event_from_a_workspace_without_installation_is_not_answered(make_harness, fake: FakeSlack) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain, **OAUTH)
    r = await h.post(event_body("event_message_im.json", text="hi") | {"team_id": "TNONE", "event_id": "Ev-none"})
    assert r.status < 500
    await h.settle()
    assert brain.turns == [] and fake.calls_to("chat.postMessage") == []


async def test_own_messages_are_ignored_with_the_installation_bot_user(make_harness, fake: FakeSlack) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain, **OAUTH)
    await _install(h, fake, "TAAA", "xoxb-aaa-token", "UBOTA")
    await h.post(event_body("event_message_im.json", text="my answer", user="UBOTA") | {"team_id": "TAAA", "event_id": "Ev-own",
                 "authorizations": [{"enterprise_id": None, "team_id": "TAAA", "user_id": "UBOTA", "is_bot": True}]})
    await h.settle()
    assert brain.turns == []


async def test_oauth_install_flow_saves_the_installation(make_harness, fake: FakeSlack) -> None:
    h: Harness = await make_harness(ScriptedBrain(), **OAUTH)
    fake.add_workspace("xoxb-izakaya-token", "TIZA", bot_user_id="UBOTIZA", bot_id="BIZA")
    fake.oauth_codes["code-123"] = {
        "ok": True, "app_id": "A111", "authed_user": {"id": "WOWNER"}, "scope": "chat:write,commands", "token_type": "bot",
        "access_token": "xoxb-izakaya-token", "bot_user_id": "UBOTIZA", "team": {"id": "TIZA", "name": "Izakaya"},
        "enterprise": None, "is_enterprise_install": False,
    }
    page = await h.client.get("/slack/install", allow_redirects=False)
    assert page.status in (200, 302)
    text = await page.text()
    location = page.headers.get("Location", "") + text
    state = re.search(r"state=([A-Za-z0-9_\-]+)", location).group(1)
    cookie = page.headers.get("Set-Cookie", "").split(";")[0]
    done = await h.client.get(f"/slack/oauth_redirect?code=code-123&state={state}", headers={"Cookie": cookie})
    assert done.status == 200, await done.text()
    access = fake.calls_to("oauth.v2.access")[0]
    assert access.args["code"] == "code-123"
    bot = await SlackWorkspaces(h.core.db).find(enterprise_id=None, team_id="TIZA")
    assert bot is not None and bot.bot_token == "xoxb-izakaya-token" and bot.bot_user_id == "UBOTIZA" and bot.team_name == "Izakaya"
    assert "xoxb" not in repr(bot)
    # the state is single use
    again = await h.client.get(f"/slack/oauth_redirect?code=code-123&state={state}", headers={"Cookie": cookie})
    assert again.status >= 400
    # and the new workspace is served
    await h.post(event_body("event_message_im.json", text="kanpai") | {"team_id": "TIZA", "event_id": "Ev-iza", "authorizations": [
        {"enterprise_id": None, "team_id": "TIZA", "user_id": "UBOTIZA", "is_bot": True, "is_enterprise_install": False}]})
    call = (await fake.wait_for("chat.postMessage"))[0]
    assert call.token == "xoxb-izakaya-token"


async def test_uninstall_removes_the_installation(make_harness, fake: FakeSlack) -> None:
    from tests.adapters.slack.conftest import payload

    h: Harness = await make_harness(ScriptedBrain(), **OAUTH)
    await _install(h, fake, "T111", "xoxb-t111", "UBOT1")
    r = await h.post(payload("event_app_uninstalled.json") | {"team_id": "T111"})
    assert r.status == 200
    await h.settle()
    assert await SlackWorkspaces(h.core.db).find(enterprise_id=None, team_id="T111") is None


async def test_readyz_reports_slack_enabled(make_harness) -> None:
    h: Harness = await make_harness()
    body = await (await h.client.get("/readyz")).json()
    assert body["platforms"]["slack"] == "enabled"
