"""A restaurant on LINE: the staff group is the workspace. Owner, staff (added by @mention), guests and
SS-010, picks from stock, and two groups that never see each other's menu, end to end through the webhook."""

from __future__ import annotations

import json
from typing import Any

from tests.adapters.line.conftest import Line, event

GROUP_A = "Ca0000000000000000000000000000aaa"
GROUP_B = "Cb0000000000000000000000000000bbb"
OWNER = "U00000000000000000000000000000001"
HANA = "U00000000000000000000000000000002"
GUEST = "U00000000000000000000000000000003"


async def say(line: Line, group: str, user: str, text: str, mention: dict[str, Any] | None = None) -> str:
    """One addressed group message; the text of everything the bot replied to it."""
    before = len(line.replies())
    changes: dict[str, Any] = {"source": {"type": "group", "groupId": group, "userId": user}, "message__text": text}
    if mention is not None:
        changes["message__mention"] = mention
    await line.post(event("event_message_text_group.json", **changes))
    replies = line.replies()[before:]
    assert len(replies) == 1, replies
    return json.dumps(replies[0], ensure_ascii=False)


async def test_a_restaurant_group_end_to_end(line: Line) -> None:
    r = await say(line, GROUP_A, OWNER, "先生、居酒屋たぬきをレストランとして登録")
    assert "居酒屋たぬき" in r and "オーナー" in r
    r = await say(line, GROUP_A, OWNER, "先生、獺祭をメニューに追加 グラス900円")
    assert "メニューに追加しました" in r and "グラス 900円" in r

    # "@Sake Sensei スタッフ追加 @Hana": the bot's mention is dropped, Hana's becomes her user id
    text = "@Sake Sensei スタッフ追加 @Hana"
    mention = {"mentionees": [
        {"index": 0, "length": 12, "type": "user", "userId": "Ubot", "isSelf": True},
        {"index": text.index("@Hana"), "length": 5, "type": "user", "userId": HANA},
    ]}
    r = await say(line, GROUP_A, OWNER, text, mention)
    assert f"<@{HANA}>" not in r and "スタッフにしました" in r
    assert line.brain.turns[-1].message.text == f"スタッフ追加 <@{HANA}>"
    r = await say(line, GROUP_A, HANA, "先生、十四代をメニューに追加 グラス1500円")
    assert "メニューに追加しました" in r

    r = await say(line, GROUP_A, GUEST, "先生、獺祭を在庫切れに")
    assert "スタッフだけ" in r and "ゲストはメニューからおすすめを聞けます" in r
    r = await say(line, GROUP_A, GUEST, "先生、お客さんにフルーティで軽いのを出したい")
    assert "在庫のあるお酒から" in r and ("獺祭" in r or "十四代" in r) and "ひとこと" in r
    r = await say(line, GROUP_A, GUEST, "先生、メニューを見せて")
    assert "メニュー(2品)" in r

    # another group: its own workspace, no restaurant, no menu of group A
    r = await say(line, GROUP_B, OWNER, "先生、獺祭をメニューに追加")
    assert "レストランとして設定されていません" in r
    await say(line, GROUP_B, OWNER, "先生、居酒屋きつねをレストランとして登録")
    r = await say(line, GROUP_B, OWNER, "先生、メニューを見せて")
    assert "メニューは空です" in r and "獺祭" not in r
    r = await say(line, GROUP_B, HANA, "先生、十四代をメニューに追加")  # staff in A is a guest in B
    assert "スタッフだけ" in r
    r = await say(line, GROUP_A, OWNER, "先生、メニューを見せて")
    assert "メニュー(2品)" in r and "獺祭" in r and "十四代" in r


def test_mentions_of_other_users_become_their_ids() -> None:
    from adapters.line.events import translate

    text = "@Sake Sensei staff remove @Hana and @All"
    ev = event("event_message_text_group.json", source={"type": "group", "groupId": GROUP_A, "userId": OWNER}, message__text=text,
               message__mention={"mentionees": [
                   {"index": 0, "length": 12, "type": "user", "userId": "Ubot", "isSelf": True},
                   {"index": text.index("@Hana"), "length": 5, "type": "user", "userId": HANA},
                   {"index": text.index("@All"), "length": 4, "type": "all"},
                   {"index": 999, "length": 3, "type": "user", "userId": "Ubad"},  # out of range: ignored
               ]})
    work = translate(ev)
    assert work.message is not None and work.message.text == f"staff remove <@{HANA}> and @All"
