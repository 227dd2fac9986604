"""LINE's "Log with notes": its form has no text field, so the reply asks for the note as the next
message (the core's words) beside the rating quick replies, and the next text is saved as the note."""

from __future__ import annotations

from core.texts import t
from tests.adapters.line.conftest import USER, Line, event


async def note_of(line: Line) -> tuple[int | None, float | None, str | None] | None:
    principal = line.brain.turns[-1].principal
    last = await line.brain.fallback.services.tastings.last(principal)  # type: ignore[attr-defined]
    return None if last is None else (last.brand_id, last.rating, last.notes)


async def test_the_form_asks_for_the_note_and_the_next_text_is_it(line: Line) -> None:
    await line.post(event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="tell me about dassai"))
    await line.post(event("event_postback.json", source={"type": "user", "userId": USER}, postback={"data": "note:887"}))
    form = line.replies()[-1]["messages"]
    text = "\n".join(m.get("text", "") for m in form)
    assert t("form.note.type_next", "en") in text and t("form.note.title", "en") in text
    items = form[-1]["quickReply"]["items"]
    assert [i["action"]["data"] for i in items] == [f"note:887?rating={n}" for n in range(1, 6)]

    await line.post(event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="fruity, lovely with tempura"))
    saved = line.replies()[-1]["messages"]
    assert "Logged 獺祭" in saved[0]["text"] and "How many stars?" in saved[0]["text"]
    assert await note_of(line) == (887, None, "fruity, lovely with tempura")


async def test_cancel_on_line(line: Line) -> None:
    await line.post(event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="獺祭について教えて"))
    await line.post(event("event_postback.json", source={"type": "user", "userId": USER}, postback={"data": "note:887"}))
    assert t("form.note.type_next", "ja") in line.replies()[-1]["messages"][0]["text"]
    await line.post(event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="キャンセル"))
    assert line.replies()[-1]["messages"][0]["text"] == t("form.note.cancelled", "ja")
    assert await note_of(line) is None
