from datetime import datetime, timedelta, timezone

from core.db import Database
from core.slack_workspaces import InstalledBot, SlackWorkspaces


def bot(team: str | None, enterprise: str | None = None, token: str = "xoxb-1", org: bool = False) -> InstalledBot:
    return InstalledBot(team_id=team, enterprise_id=enterprise, bot_token=token, bot_id="B1", bot_user_id="U1", is_enterprise_install=org)


async def test_save_replaces_and_find_prefers_the_same_org(db: Database) -> None:
    ws = SlackWorkspaces(db)
    await ws.save(bot("T1", token="xoxb-old"))
    await ws.save(bot("T1", token="xoxb-new"))
    found = await ws.find(enterprise_id=None, team_id="T1")
    assert found is not None and found.bot_token == "xoxb-new"
    assert (await ws.find(enterprise_id="E9", team_id="T1")).bot_token == "xoxb-new"  # team ids are global
    assert await ws.find(enterprise_id=None, team_id="T2") is None


async def test_org_wide_install_covers_its_workspaces(db: Database) -> None:
    ws = SlackWorkspaces(db)
    await ws.save(bot("T1", "E1", token="xoxb-org", org=True))
    assert (await ws.find(enterprise_id="E1", team_id="T7")).bot_token == "xoxb-org"
    assert (await ws.find(enterprise_id="E1", team_id=None, is_enterprise_install=True)).bot_token == "xoxb-org"
    assert await ws.find(enterprise_id="E2", team_id="T7") is None
    await ws.delete(enterprise_id="E1", team_id=None)
    assert await ws.find(enterprise_id="E1", team_id="T7") is None


async def test_oauth_state_is_single_use_and_expires(db: Database) -> None:
    now = [datetime(2026, 1, 1, tzinfo=timezone.utc)]
    ws = SlackWorkspaces(db, clock=lambda: now[0])
    state = await ws.issue_state(timedelta(minutes=10))
    assert await ws.consume_state(state) is True
    assert await ws.consume_state(state) is False
    late = await ws.issue_state(timedelta(minutes=10))
    now[0] += timedelta(minutes=11)
    assert await ws.consume_state(late) is False
    assert await ws.consume_state("x" * 100) is False and await ws.consume_state("") is False


async def test_threads(db: Database) -> None:
    ws = SlackWorkspaces(db)
    await ws.join_thread("T1", "C1", "1.0")
    await ws.join_thread("T1", "C1", "1.0")  # twice is fine
    assert await ws.in_thread("T1", "C1", "1.0") and not await ws.in_thread("T2", "C1", "1.0")
