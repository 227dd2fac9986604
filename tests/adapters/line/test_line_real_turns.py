"""LINE shows every action of the real offline brain's replies exactly once, with the catalog's label."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from adapters.line.render import MAX_QUICK_REPLIES, render, shorten
from core.catalog import Catalog, CatalogSearch
from core.db import Database
from core.messages import Reply
from tests.adapters.line.test_line_render import flavor_url, sdk_round_trip
from tests.adapters.real_turns import check_staff_turns, check_turns, real_replies, staff_replies
from tests.core.agent.conftest import make_chat


def postbacks(value: Any) -> Iterator[dict[str, Any]]:
    """Every postback action anywhere in the messages (Flex footers, quick replies)."""
    if isinstance(value, dict):
        if value.get("type") == "postback":
            yield value
        for v in value.values():
            yield from postbacks(v)
    elif isinstance(value, list):
        for v in value:
            yield from postbacks(v)


def expected(reply: Reply) -> list[tuple[str, str]]:
    """(postback data, label) the reply offers, in the core's order; a form's choices submit it with their value."""
    out = [(b.id, shorten(b.label, 20)) for b in reply.buttons()]
    if reply.form is not None:
        choice = next(f for f in reply.form.fields if f.kind == "choice" and not f.optional)
        out += [(f"{reply.form.submit.id}?{urlencode({choice.name: v})}", shorten(label, 20)) for v, label in choice.options]
    return out


async def test_every_core_action_once_with_its_catalog_label(db: Database, catalog: Catalog, search: CatalogSearch) -> None:
    replies = await real_replies(make_chat(db, catalog, search))
    check_turns(replies)
    assert_each_action_once(replies)


async def test_staff_menu_buttons_once_with_their_catalog_labels(db: Database, catalog: Catalog, search: CatalogSearch) -> None:
    replies = await staff_replies(db, catalog, search)
    check_staff_turns(replies)
    assert_each_action_once(replies)


def assert_each_action_once(replies: dict[str, Reply]) -> None:
    for name, reply in replies.items():
        messages = render(reply, flavor_url=flavor_url)
        sdk_round_trip(messages)
        shown = [(p["data"], p["label"]) for p in postbacks(messages)]
        want = expected(reply)
        quick = len(messages[-1].get("quickReply", {}).get("items", []))
        assert quick <= MAX_QUICK_REPLIES
        assert len(shown) == len(set(shown)), f"{name}: an action shown twice: {shown}"
        assert sorted(shown) == sorted(want), f"{name}: shown {shown}, the core offers {want}"
