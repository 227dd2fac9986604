"""Discord shows every action of the real offline brain's replies exactly once, with the catalog's label."""

from __future__ import annotations

from adapters.discord.components import form_modal
from adapters.discord.render import render
from core.catalog import Catalog, CatalogSearch
from core.db import Database
from core.messages import Button, Reply
from tests.adapters.real_turns import check_staff_turns, check_turns, real_replies, staff_replies
from tests.core.agent.conftest import make_chat


def expected(reply: Reply) -> list[tuple[str, str]]:
    """(custom_id, label) the reply offers, in the core's order; a form is the button that opens it."""
    buttons = reply.buttons() + ([Button(reply.form.submit.action, reply.form.title)] if reply.form is not None else [])
    return [(b.id, b.label[:80]) for b in buttons]


async def test_every_core_action_once_with_its_catalog_label(db: Database, catalog: Catalog, search: CatalogSearch) -> None:
    replies = await real_replies(make_chat(db, catalog, search))
    check_turns(replies)
    assert_each_action_once(replies)
    form = replies["note_form"].form
    assert form is not None
    modal = form_modal(form).to_dict()
    assert modal["custom_id"] == form.submit.id
    assert [c["label"] for c in modal["components"]] == [f.label for f in form.fields]


async def test_staff_menu_buttons_once_with_their_catalog_labels(db: Database, catalog: Catalog, search: CatalogSearch) -> None:
    """Five menu cards with four buttons each and their names: one row a card, all within Discord's five rows."""
    replies = await staff_replies(db, catalog, search)
    check_staff_turns(replies)
    assert_each_action_once(replies)


def assert_each_action_once(replies: dict[str, Reply]) -> None:
    for name, reply in replies.items():
        rows = render(reply).snapshot()["components"]
        assert len(rows) <= 5 and all(len(r["components"]) <= 5 for r in rows)
        shown = [(c["custom_id"], c["label"]) for r in rows for c in r["components"] if not c.get("disabled")]
        names = [c["label"] for r in rows for c in r["components"] if c.get("disabled")]
        assert len(shown) == len({i for i, _ in shown}), f"{name}: a custom_id twice: {shown}"
        assert shown == expected(reply), f"{name}: shown {shown}, the core offers {expected(reply)}"
        with_buttons = [c.name for c in reply.cards if c.actions or c.rating]
        assert names == (with_buttons if len(with_buttons) > 1 else []), name  # which sake a row is about
