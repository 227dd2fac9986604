"""A flight's own small words, EN/JA, folded into core.texts like NOTICE_TEXTS: how many members,
a member's note on their flight rating, and the mark a flight leaves on a member's history.

English counts have two forms ("1 member", "2 members"): `members` picks the key, so that no
sentence says "(1 members)"; Japanese has one form.
"""

from __future__ import annotations

FLIGHT_TEXTS: dict[str, tuple[str, str]] = {
    "flight.members.one": ("1 member", "参加1人"),
    "flight.members": ("{count} members", "参加{count}人"),
}


def members_key(count: int) -> str:
    """The key for a member count: English says "1 member" but "0 members", "2 members"."""
    return "flight.members.one" if count == 1 else "flight.members"
