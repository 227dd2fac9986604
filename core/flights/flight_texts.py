"""A flight's own small words, EN/JA, folded into core.texts like NOTICE_TEXTS: how many members,
a member's note on their flight rating, and the mark a flight leaves on a member's history.

English counts have two forms ("1 member", "2 members"): `members` picks the key, so that no
sentence says "(1 members)"; Japanese has one form.
"""

from __future__ import annotations

FLIGHT_TEXTS: dict[str, tuple[str, str]] = {
    "flight.members.one": ("1 member", "参加1人"),
    "flight.members": ("{count} members", "参加{count}人"),
    "button.flight_note": ("Note on {sake}", "{sake}にメモ"),
    "flight.note.prompt": ("Send me your note on {sake} as your next message (\"cancel\" to skip): it goes with your {stars}★.",
                           "{sake}のメモを次のメッセージで送ってください(やめるときは「キャンセル」)。★{stars}の記録に添えます。"),
    "flight.note.saved": ("Your note on {sake} is in your tasting log, with your {stars}★ from the flight.",
                          "{sake}のメモを記録に保存しました(飲み比べの★{stars}と一緒に)。"),
    "flight.note.rate_first": ("Rate that sake first; then you can add a note to your rating.",
                               "先にそのお酒を評価してください。その評価にメモを添えられます。"),
    "flight.note.empty": ("That note was empty, so nothing changed.", "メモが空だったので、何も変えていません。"),
    # /sake flight's options on Discord (Slack reads "/sake flight 4 niigata" as the same two)
    "slash.size.name": ("size", "本数"),
    "slash.flight_size": ("How many sakes, 3 to 5", "何種類か(3〜5)"),
    "slash.theme.name": ("theme", "テーマ"),
    "slash.flight_theme": ("A theme: a prefecture, a grade or a taste (niigata, junmai ginjo, dry)",
                           "テーマ: 県・特定名称・味(新潟、純米吟醸、辛口)"),
    "history.in_flight": ("· in the flight of {date}", "· {date}の飲み比べ"),
}


def members_key(count: int) -> str:
    """The key for a member count: English says "1 member" but "0 members", "2 members"."""
    return "flight.members.one" if count == 1 else "flight.members"
