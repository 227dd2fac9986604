"""The real offline brain's replies as the web chat's JSON: every button the core offers is there
exactly once, where the core put it (a card's own, its stars, the reply's, the form's submit), with the
catalog's words; the page is given nothing else to draw."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.web.payload import reply_json
from core.actions import Command, Log, Note, SurveyStart, UserAction
from core.catalog import Catalog, CatalogSearch
from core.db import Database
from core.media import MediaStore
from core.messages import Image, Message, Reply
from core.texts import t
from tests.adapters.real_turns import check_staff_turns, staff_replies
from tests.core.agent.conftest import DASSAI_PHOTO, Chat, make_chat


@pytest.fixture
async def chat(db: Database, catalog: Catalog, search: CatalogSearch) -> AsyncIterator[Chat]:
    yield make_chat(db, catalog, search)


@pytest.fixture
def media(db: Database, catalog: Catalog) -> MediaStore:
    return MediaStore(db, catalog, "https://sake.example")


async def say(chat: Chat, text: str = "", images: list[bytes] | None = None) -> Reply:
    reply = await chat.sensei.handle(Message(key=chat.key, text=text, images=[Image(data=b) for b in images or []]))
    assert reply is not None
    return reply


async def press(chat: Chat, action: UserAction) -> Reply:
    reply = await chat.sensei.handle(Message(key=chat.key, action=action))
    assert reply is not None
    return reply


async def drawn(reply: Reply, media: MediaStore) -> dict[str, Any]:
    """The JSON, after checking it carries each of the reply's buttons once, in its place, with its label."""
    body = await reply_json(reply, media, user_id=None)
    shown: list[tuple[str, str]] = []
    for card, data in zip(reply.cards, body["cards"], strict=True):
        assert [(b["id"], b["label"]) for b in data["actions"]] == [(b.id, b.label) for b in card.actions]
        options = card.rating.options if card.rating is not None else []
        assert [(b["id"], b["label"]) for b in (data["rating"] or {"options": []})["options"]] == [(b.id, b.label) for b in options]
        shown += [(b["id"], b["label"]) for b in data["actions"]] + [
            (b["id"], b["label"]) for b in (data["rating"] or {"options": []})["options"]
        ]
    shown += [(b["id"], b["label"]) for b in body["actions"]]
    assert Counter(shown) == Counter((b.id, b.label) for b in reply.buttons())
    assert len({i for i, _ in shown}) == len(shown), shown  # no action twice
    if reply.form is not None:
        assert body["form"]["submit"] == {"id": reply.form.submit.id, "label": reply.form.submit.label, "style": reply.form.submit.style}
    else:
        assert body["form"] is None
    return body


async def test_a_brand_card(chat: Chat, media: MediaStore) -> None:
    for text, lang in (("tell me about dassai", "en"), ("獺祭について教えて", "ja")):
        body = await drawn(await say(chat, text), media)
        card = body["cards"][0]
        assert card["brand_id"] == 887
        assert [b["label"] for b in card["actions"]] == [t("button.log", lang), t("button.similar", lang), t("button.wish", lang)]
        assert card["match"] is None  # a search hit is not a "% match"


async def test_several_picks(chat: Chat, media: MediaStore) -> None:
    body = await drawn(await say(chat, "recommend a dry sake for sashimi"), media)
    assert len(body["cards"]) >= 2
    for card in body["cards"]:
        assert [b["id"] for b in card["actions"]] == [f"log:{card['brand_id']}", f"similar:{card['brand_id']}", f"wish:{card['brand_id']}"]


async def test_a_label_photo_result_and_its_note_form(chat: Chat, media: MediaStore) -> None:
    body = await drawn(await say(chat, "", images=[DASSAI_PHOTO]), media)
    [card] = [c for c in body["cards"] if c["brand_id"] == 887]
    assert [o["label"] for o in card["rating"]["options"]] == [t("rating.stars", "en", n=n) for n in range(1, 6)]
    form = await drawn(await press(chat, Note(887)), media)
    assert [f["name"] for f in form["form"]["fields"]] == ["rating", "notes", "temperature", "food"]


async def test_logging_a_survey_step_and_the_profile(chat: Chat, media: MediaStore) -> None:
    await say(chat, "kubota")
    await drawn(await press(chat, Log(431)), media)
    profile = await drawn(await press(chat, Command("profile")), media)
    step = await drawn(await press(chat, SurveyStart()), media)
    assert step["actions"] and all(a["id"].startswith("survey:") for a in step["actions"])
    assert profile["error"] is None


async def test_staff_menu_buttons_once_with_their_catalog_labels(
    db: Database, catalog: Catalog, search: CatalogSearch, media: MediaStore
) -> None:
    replies = await staff_replies(db, catalog, search)
    check_staff_turns(replies)
    for reply in replies.values():
        await drawn(reply, media)
