"""A restaurant on Slack: the workspace (team) is the restaurant. A workspace admin counts as staff
(users.info), a CSV shared in a DM is imported, `/sake staff add <@U…>` adds staff, an export comes
back as an uploaded CSV, guests get SS-010, picks come from stock, and another team never sees the menu."""

from __future__ import annotations

import itertools
import json
from typing import Any

from tests.adapters.slack.conftest import Harness, event_body, payload
from tests.adapters.slack.test_slack_app import FORM, command
from tests.fakes.slack import FakeSlack

OWNER, ADMIN, HANA, GUEST = "W100", "W200", "W300", "W400"
_ids = itertools.count(1)


async def dm(h: Harness, fake: FakeSlack, user: str, text: str, *, team: str = "T111", files: list[dict[str, Any]] | None = None) -> str:
    """One DM to the bot; the text of the answer it posted."""
    before = len(fake.calls_to("chat.postMessage"))
    n = next(_ids)
    body = event_body("event_message_im.json", user=user, text=text, channel=f"D{user}", ts=f"1700000{n:03d}.000100",
                      event_ts=f"1700000{n:03d}.000100")
    body.update(event_id=f"EvR{n}", team_id=team)
    body["authorizations"][0]["team_id"] = team
    if files is not None:
        body["event"].update(subtype="file_share", files=files)
    r = await h.post(body)
    assert r.status == 200
    calls = await fake.wait_for("chat.postMessage", before + 1)
    await h.settle()
    return json.dumps(calls[before].args, ensure_ascii=False)


def csv_share(fake: FakeSlack, name: str, data: bytes) -> list[dict[str, Any]]:
    fake.files[f"T111-F9/download/{name}"] = data
    f = payload("event_message_channel_with_file.json")["event"]["files"][0]
    return [{**f, "name": name, "mimetype": "text/csv", "filetype": "csv", "size": len(data),
             "url_private_download": fake.file_url(f"T111-F9/download/{name}")}]


async def test_a_restaurant_workspace_on_slack_end_to_end(make_harness, fake: FakeSlack) -> None:
    fake.admins.add(ADMIN)
    h: Harness = await make_harness()
    r = await dm(h, fake, OWNER, "居酒屋たぬきをレストランとして登録")
    assert "居酒屋たぬき" in r and "オーナー" in r

    # the workspace admin was never added as staff, yet may change the menu
    r = await dm(h, fake, ADMIN, "獺祭をメニューに追加 グラス900円")
    assert "メニューに追加しました" in r and "グラス 900円" in r
    assert [c.args["user"] for c in fake.calls_to("users.info")].count(ADMIN) == 1
    r = await dm(h, fake, ADMIN, "メニューを取り込んで", files=csv_share(fake, "menu.csv", "name,glass\n十四代,1500\n".encode()))
    assert "1品を取り込みました" in r
    assert [c.args["user"] for c in fake.calls_to("users.info")].count(ADMIN) == 1  # cached
    r = await dm(h, fake, ADMIN, "メニューを見せて")
    assert "メニュー(2品)" in r and "獺祭" in r and "十四代" in r

    # a guest may not change it: SS-010
    r = await dm(h, fake, GUEST, "獺祭を在庫切れに")
    assert "スタッフだけ" in r and "SS-010" in r
    r = await dm(h, fake, GUEST, "お客さんにフルーティで軽いのを出したい")
    assert "在庫のあるお酒から" in r and ("獺祭" in r or "十四代" in r)

    # /sake staff add @hana: Slack escapes the mention as <@W300|hana>, the agent reads the id
    before = len(fake.responses)
    await h.post(command(fake, f"staff add <@{HANA}|hana>", "rs1").replace("W111", OWNER), content_type=FORM)
    responses = await fake.wait_responses(before + 1)
    assert responses[before]["text"].startswith(f"{HANA} is now staff")
    r = await dm(h, fake, HANA, "新政をメニューに追加")
    assert "メニューに追加しました" in r

    # the export comes back as an uploaded CSV
    r = await dm(h, fake, HANA, "メニューをCSVで書き出して")
    upload = (await fake.wait_for("files.getUploadURLExternal"))[-1]
    assert upload.args["filename"] == "sake-menu.csv"
    exported = list(fake.uploads.values())[-1].decode("utf-8-sig")
    assert "獺祭" in exported and "十四代" in exported and "新政" in exported

    # another workspace: no restaurant, and never the menu of T111
    r = await dm(h, fake, OWNER, "獺祭をメニューに追加", team="T222")
    assert "レストランとして設定されていません" in r
    await dm(h, fake, OWNER, "居酒屋きつねをレストランとして登録", team="T222")
    r = await dm(h, fake, OWNER, "メニューを見せて", team="T222")
    assert "メニューは空です" in r and "獺祭" not in r
    r = await dm(h, fake, HANA, "十四代をメニューに追加", team="T222")  # staff in T111 is a guest in T222
    assert "スタッフだけ" in r


async def test_slash_command_keeps_escaped_mentions_for_the_agent() -> None:
    from adapters.slack import events

    body = {"team_id": "T111", "user_id": "W1", "channel_id": "C1", "text": "staff remove <@W300|hana> now", "trigger_id": "t"}
    plan = events.from_command(body)
    assert plan.incoming is not None and plan.incoming.text == "staff remove <@W300|hana> now"


async def test_a_failed_users_info_is_not_cached_and_counts_as_guest(make_harness, fake: FakeSlack) -> None:
    fake.admins.add(ADMIN)
    h: Harness = await make_harness()
    client = await h.bot.client_for("T111", None)
    assert client is not None
    fake.fail("users.info", status=200, error="missing_scope", retry_after=None)
    assert await h.bot.is_admin(client, "T111", ADMIN) is False
    assert await h.bot.is_admin(client, "T111", ADMIN) is True  # asked again, not cached
    assert await h.bot.is_admin(client, "T111", GUEST) is False
    assert len(fake.calls_to("users.info")) == 3


async def test_a_csv_over_the_cap_reaches_the_import_cut_so_it_says_too_big(make_harness, fake: FakeSlack) -> None:
    fake.admins.add(ADMIN)
    h: Harness = await make_harness()
    await dm(h, fake, ADMIN, "居酒屋たぬきをレストランとして登録")
    big = b"name,glass\n" + b"x" * (2 * 1024 * 1024)
    r = await dm(h, fake, ADMIN, "メニューを取り込んで", files=csv_share(fake, "big.csv", big))
    assert "KB" in r and "SS-011" in r
    fetched = [c for c in fake.calls_to("file") if c.args["path"].endswith("big.csv")]
    assert len(fetched) == 1


def test_a_csv_share_without_text_is_a_turn_with_the_file() -> None:
    from adapters.slack import events

    body = payload("event_message_im.json")
    f = payload("event_message_channel_with_file.json")["event"]["files"][0]
    body["event"].update(text="", subtype="file_share", files=[{**f, "mimetype": "text/csv", "name": "menu.csv"}])
    incoming = events.from_event(body, bot_user_id="UBOT")
    assert incoming is not None and incoming.files and not any(f.is_image for f in incoming.files)
