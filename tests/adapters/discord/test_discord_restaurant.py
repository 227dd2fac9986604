"""A restaurant on Discord: the server (guild) is the restaurant. The server owner or a member with
Administrator / Manage Server counts as staff, a CSV attachment is imported, staff are added by
<@id> mention, an export comes back as a CSV attachment, guests get SS-010, picks come from stock,
and another workspace never sees the menu. End to end through the gateway against the fake Discord."""

from __future__ import annotations

import json
from typing import Any

from adapters.discord.events import is_admin_permissions, origin_of
from tests.adapters.discord.conftest import running_bot
from tests.fakes.discord import BOT_ID, BOT_USER, CHANNEL_ID, DM_CHANNEL_ID, USER, USER_ID, FakeDiscord

HANA = {"id": "1100000000000000077", "username": "hana", "discriminator": "0", "global_name": "Hana", "avatar": None}
GUEST = {"id": "1100000000000000088", "username": "guest", "discriminator": "0", "global_name": "Guest", "avatar": None}


async def say(fake: FakeDiscord, text: str, *, author: dict[str, Any] = USER, guild: bool = True,
              attachments: list[dict[str, Any]] | None = None) -> tuple[str, dict[str, Any]]:
    """One message to the bot (a mention in the server, or a DM); the JSON of its answer and the call."""
    channel = CHANNEL_ID if guild else DM_CHANNEL_ID
    before = len(fake.calls_to("POST", rf"/channels/{channel}/messages"))
    content = f"<@{BOT_ID}> {text}" if guild else text
    await fake.dispatch("MESSAGE_CREATE", fake.message(content, guild=guild, author=author, mentions=[BOT_USER] if guild else [],
                                                       attachments=attachments))
    calls = await fake.wait_call("POST", rf"/channels/{channel}/messages", n=before + 1)
    call = calls[before]
    return json.dumps(call.payload, ensure_ascii=False), call  # type: ignore[return-value]


async def test_a_restaurant_server_on_discord_end_to_end(fake: FakeDiscord, core) -> None:
    async with running_bot(fake, core):
        r, _ = await say(fake, "居酒屋たぬきをレストランとして登録", author=HANA)  # the first to set it up owns it
        assert "居酒屋たぬき" in r
        # the server owner (USER owns the fake guild) was never added as staff, yet may change the menu
        r, _ = await say(fake, "獺祭をメニューに追加 グラス900円")
        assert "メニューに追加しました" in r and "グラス 900円" in r
        csv = fake.attachment("menu.csv", "name,glass\n十四代,1500\n".encode(), content_type="text/csv; charset=utf-8")
        r, _ = await say(fake, "メニューを取り込んで", attachments=[csv])
        assert "1品を取り込みました" in r
        big = fake.attachment("big.csv", b"name,glass\n" + b"x" * 1_500_000, content_type="text/csv")
        r, _ = await say(fake, "メニューを取り込んで", attachments=[big])
        assert "KB" in r and "SS-011" in r
        r, _ = await say(fake, "メニューを見せて", author=GUEST)
        assert "メニュー(2品)" in r and "獺祭" in r and "十四代" in r

        r, _ = await say(fake, "獺祭を在庫切れに", author=GUEST)
        assert "スタッフだけ" in r and "SS-010" in r
        r, _ = await say(fake, "お客さんにフルーティで軽いのを出したい", author=GUEST)
        assert "在庫のあるお酒から" in r and ("獺祭" in r or "十四代" in r)

        # the owner adds a guest as staff by mention: <@id> reaches the agent as it is
        r, _ = await say(fake, f"スタッフ追加 <@{GUEST['id']}>", author=HANA)
        assert "スタッフにしました" in r
        r, _ = await say(fake, "新政をメニューに追加", author=GUEST)
        assert "メニューに追加しました" in r

        r, call = await say(fake, "メニューをCSVで書き出して", author=GUEST)
        files = call.files  # type: ignore[attr-defined]
        [name] = [n for n in files if n.endswith(".csv")]
        exported = files[name].decode("utf-8-sig")
        assert "獺祭" in exported and "十四代" in exported and "新政" in exported

        # a DM is another workspace: no restaurant, no menu of the server
        r, _ = await say(fake, "獺祭をメニューに追加", author=HANA, guild=False)
        assert "レストランとして設定されていません" in r
        r, _ = await say(fake, "メニューを見せて", author=HANA, guild=False)
        assert "獺祭" not in r and "十四代" not in r


def test_interaction_permissions_make_a_platform_admin(fake: FakeDiscord) -> None:
    assert is_admin_permissions("8") and is_admin_permissions(str(1 << 5)) and not is_admin_permissions("2248473465835073")
    assert not is_admin_permissions(None) and not is_admin_permissions("junk")
    payload = fake.interaction(2, {"name": "sake", "type": 1, "options": []})
    assert not origin_of(payload).platform_admin
    payload["member"]["permissions"] = str(int(payload["member"]["permissions"]) | 8)
    assert origin_of(payload).platform_admin
    dm = fake.interaction(2, {"name": "sake", "type": 1, "options": []}, guild=False)
    dm["user"] = {**USER, "id": USER_ID}
    assert not origin_of(dm).platform_admin


async def test_two_servers_never_see_each_others_menu(fake: FakeDiscord, core) -> None:
    other_guild, other_channel = "1100000000000000093", "1100000000000000094"
    guild = fake.guild()
    guild.update(id=other_guild, name="Kitsune", owner_id=HANA["id"])
    guild["roles"][0]["id"] = other_guild
    guild["channels"][0]["id"] = other_channel
    async with running_bot(fake, core):
        await fake.dispatch("GUILD_CREATE", guild)
        await say(fake, "居酒屋たぬきをレストランとして登録")
        r, _ = await say(fake, "獺祭をメニューに追加 グラス900円")
        assert "メニューに追加しました" in r

        async def in_other(text: str, author: dict[str, Any]) -> str:
            before = len(fake.calls_to("POST", rf"/channels/{other_channel}/messages"))
            message = fake.message(f"<@{BOT_ID}> {text}", guild=True, author=author, mentions=[BOT_USER],
                                   guild_id=other_guild, channel_id=other_channel)
            await fake.dispatch("MESSAGE_CREATE", message)
            calls = await fake.wait_call("POST", rf"/channels/{other_channel}/messages", n=before + 1)
            return json.dumps(calls[before].payload, ensure_ascii=False)

        r = await in_other("獺祭をメニューに追加", USER)  # USER owns the first server, not this one
        assert "レストランとして設定されていません" in r
        await in_other("居酒屋きつねをレストランとして登録", HANA)
        r = await in_other("メニューを見せて", GUEST)
        assert "メニューは空です" in r and "獺祭" not in r
        r = await in_other("十四代をメニューに追加", USER)  # an admin of the first server is a guest here
        assert "スタッフだけ" in r
