"""Real turns of the real offline brain (no scripted replies), for the per-platform render tests.

Each entry is a reply as the core gives it to an adapter: a brand card, several picks, a label
photo result and its candidates, a survey step, the profile, Log it (stars on the card), and
"Log with notes" (the note form). The label reader is the fake one of the agent tests (OCR is not
what is tested here); everything after it (the tools, the reply, its buttons and words) is real.
"""

from __future__ import annotations

from core import actions
from core.messages import Reply
from tests.core.agent.conftest import BLURRY_PHOTO, DASSAI_PHOTO, Chat


async def real_replies(chat: Chat) -> dict[str, Reply]:
    """Name -> reply, in English and Japanese, from one user's conversation."""
    out: dict[str, Reply] = {}
    out["card_en"] = await chat.say("tell me about dassai")
    out["picks_en"] = await chat.say("recommend a dry sake from Niigata")
    out["label_photo"] = await chat.say("", images=[DASSAI_PHOTO])
    out["label_candidates"] = await chat.say("", images=[BLURRY_PHOTO])
    out["log_it"] = await chat.press(actions.pack(actions.Log(431)))
    out["note_form"] = await chat.press(actions.pack(actions.Note(887)))
    out["survey_step"] = await chat.press(actions.pack(actions.SurveyStart()))
    out["profile_en"] = await chat.press(actions.pack(actions.Command("profile")))
    ja = chat.as_user("hanako")
    out["card_ja"] = await ja.say("獺祭について教えて")
    out["picks_ja"] = await ja.say("フルーティな日本酒のおすすめは?")
    out["survey_ja"] = await ja.press(actions.pack(actions.SurveyStart()))
    out["profile_ja"] = await ja.press(actions.pack(actions.Command("profile")))
    return out


def check_turns(replies: dict[str, Reply]) -> None:
    """The turns are what their names say (so that a render test cannot pass on empty replies)."""
    assert len(replies["card_en"].cards) == 1 and replies["card_en"].cards[0].actions
    assert len(replies["picks_en"].cards) > 1 and all(c.actions for c in replies["picks_en"].cards)
    assert replies["label_photo"].cards and replies["label_photo"].cards[0].rating is not None
    assert len(replies["label_candidates"].actions) > 1
    assert replies["log_it"].cards and replies["log_it"].cards[0].rating is not None
    assert replies["note_form"].form is not None
    assert any(isinstance(b.action, actions.SurveyAnswer) for b in replies["survey_step"].buttons())
    assert replies["card_ja"].lang == "ja" and replies["survey_ja"].lang == "ja"
