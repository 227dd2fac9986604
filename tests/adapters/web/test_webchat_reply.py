"""The web chat's JSON draws the core's complete reply (each card's buttons and stars, the reply's own
buttons, the note form) and the page's words come from core/texts.py."""

from __future__ import annotations

import re
from pathlib import Path

from aiohttp.test_utils import TestClient

from bot.wiring import Core
from core import controls
from core.actions import Command, SurveyStart, Wish, pack, unpack
from core.messages import Button, Reply
from core.sensei import Turn
from core.texts import TEXTS, t
from tests.fakes.scripted_brain import ScriptedBrain

STATIC = Path(__file__).resolve().parents[3] / "adapters" / "web" / "static"


async def test_each_card_carries_exactly_the_core_buttons_stars_and_match(client: TestClient, core: Core) -> None:
    dassai, plain = core.catalog.get(887), next(b for b in core.catalog.brands.values() if b.chart is None)

    def answer(turn: Turn) -> Reply:
        mine = dassai.card(score=0.914)
        mine.personal = True
        mine.actions = [Button(Wish(887), "Wishlist")]
        mine.rating = controls.rating(887, "ja")
        searched = plain.card(score=1.0)  # a search hit's score is not a match for the user
        return Reply(text="x", lang="ja", cards=[mine, searched], actions=[Button(SurveyStart(), "もう一度答える")])

    core.sensei.brain = ScriptedBrain(answer)
    body = await (await client.post("/api/chat", json={"text": "x", "lang": "ja"})).json()
    first, second = body["cards"]
    assert first["actions"] == [{"id": "wish:887", "label": "Wishlist", "style": None}]
    assert first["rating"] == {"label": t("rating.prompt", "ja"),
                               "options": [{"id": f"rate:887:{n}", "label": f"★{n}", "style": None} for n in range(1, 6)]}
    assert first["match"] == t("card.match", "ja", pct=91) and second["match"] is None
    assert second["actions"] == [] and second["rating"] is None  # nothing the core did not give
    assert second["no_chart"] == t("card.no_chart", "ja") and first["no_chart"] is None
    assert body["actions"] == [{"id": "survey:start", "label": "もう一度答える", "style": None}]
    assert body["form"] is None


async def test_the_note_form_is_sent_as_fields_and_its_submit(client: TestClient, core: Core) -> None:
    core.sensei.brain = ScriptedBrain(lambda turn: Reply(text="", lang="en", form=controls.note_form(887, "獺祭", "en")))
    form = (await (await client.post("/api/chat", json={"text": "x"})).json())["form"]
    assert form["title"] == t("form.note.title", "en") and form["intro"] == "獺祭"
    assert form["submit"] == {"id": "note:887", "label": t("form.submit", "en"), "style": "primary"}
    assert [(f["name"], f["kind"], f["optional"]) for f in form["fields"]] == [
        ("rating", "choice", False), ("notes", "longtext", True), ("temperature", "choice", True), ("food", "text", True)]
    assert [o["value"] for o in form["fields"][0]["options"]] == ["1", "2", "3", "4", "5"]


async def test_the_page_words_and_shortcuts_come_from_the_catalog(client: TestClient) -> None:
    for lang in ("en", "ja"):
        body = await (await client.get(f"/api/words?lang={lang}")).json()
        assert body["lang"] == lang and body["max_text"] == 4000
        assert body["words"] == {k: t(k, lang) for k in TEXTS if k.startswith("page.")}
        assert [(s["key"], s.get("action")) for s in body["shortcuts"]] == [
            ("recommend", None), ("survey", pack(SurveyStart())), ("profile", pack(Command("profile"))),
            ("history", pack(Command("history")))]
        assert body["shortcuts"][3]["label"] == t("page.history", lang)


async def test_the_page_is_filled_in_the_browser_language(client: TestClient) -> None:
    html = await (await client.get("/", headers={"Accept-Language": "ja,en;q=0.5"})).text()
    assert '<html lang="ja">' in html and t("page.placeholder", "ja") in html and "{{" not in html
    html = await (await client.get("/")).text()
    assert '<html lang="en">' in html and t("page.send", "en") in html and "{{" not in html


def test_no_words_are_written_in_the_page_files() -> None:
    """Every sentence comes from core/texts.py: the page files hold placeholders and code only."""
    app_js = re.sub(r"(^|\s)//[^\n]*", "", (STATIC / "app.js").read_text("utf-8"))  # comments are for us
    literals = [m[1] for m in re.finditer(r'"((?:[^"\\\n]|\\.)*)"|`([^`]*)`', app_js) if m[1]]
    literals += [m[1] for m in re.finditer(r"`([^`]*)`", app_js)]
    for en, ja in TEXTS.values():
        for word in (en, ja):
            if len(word) > 6 and "{" not in word and (" " in word or not word.isascii()):  # phrases, not API names
                assert not any(word in lit for lit in literals), word
    prose = [lit for lit in literals if re.search(r"^[A-Z][a-z]* [a-z]+|[ぁ-んァ-ン一-龯]", lit)]
    assert prose == [], prose
    html = (STATIC / "index.html").read_text("utf-8")
    visible = re.sub(r"<[^>]*>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>|<title>.*?</title>|<h1>.*?</h1>", "", html, flags=re.DOTALL))
    # only the language switch's own names (each language named in itself, the same in every language)
    assert re.sub(r"\{\{\w+\}\}", "", visible).split() == ["EN", "日本語"], visible
    for attr in re.findall(r'\s(?:aria-label|placeholder|title)="([^"]*)"', html):
        assert re.fullmatch(r"\{\{\w+\}\}", attr), attr


async def test_history_gives_back_the_stored_turns_and_signs_nobody_up(client: TestClient, core: Core) -> None:
    from sqlalchemy import func, select

    from core.db.identity_tables import User

    assert (await (await client.get("/api/history")).json()) == {"turns": []}  # a new browser: nothing, and no user
    async with core.db.session() as s:
        assert await s.scalar(select(func.count()).select_from(User)) == 0
    first = await (await client.post("/api/chat", json={"text": "tell me about 獺祭", "lang": "en"})).json()
    second = await (await client.post("/api/action", json={"action": "wish:887", "lang": "en"})).json()
    turns = (await (await client.get("/api/history")).json())["turns"]
    assert turns == [{"said": "tell me about 獺祭", "answer": first["text"]}, {"said": "", "answer": second["text"]}]
    assert first["text"] and second["text"]
    client.session.cookie_jar.clear()
    assert (await (await client.get("/api/history")).json()) == {"turns": []}  # another browser sees none of it


async def test_flavor_is_told_in_words_beside_the_chart_not_as_figures(client: TestClient) -> None:
    body = await (await client.post("/api/chat", json={"text": "tell me about 獺祭", "lang": "en"})).json()
    [card] = body["cards"]
    assert card["chart_url"] and card["flavor_words"] == "floral and mellow above all; little dry"
    flavor = next(line for line in body["text"].splitlines() if line.startswith("Flavor:"))
    assert flavor == "Flavor: floral and mellow above all; little dry"
    assert not re.search(r"\b0\.\d\d\b", body["text"].split("Sakenowa")[0])  # no "floral 0.51"
    body = await (await client.post("/api/chat", json={"text": "獺祭について教えて", "lang": "ja"})).json()
    assert body["cards"][0]["flavor_words"] == "華やか・芳醇が際立つ(ドライは控えめ)"


async def test_a_profile_not_ready_yet_is_an_invitation_not_an_error(client: TestClient) -> None:
    body = await (await client.post("/api/action", json={"action": pack(Command("profile")), "lang": "en"})).json()
    assert body["error"] is None and "survey" in body["text"]
    assert [a["id"] for a in body["actions"]] == [pack(SurveyStart())]


async def test_the_survey_retaken_asks_every_question_again(client: TestClient) -> None:
    from core.preferences import SURVEY

    for _ in range(2):  # the first time, then the retake
        body = await (await client.post("/api/action", json={"action": pack(SurveyStart()), "lang": "en"})).json()
        asked = []
        while body["actions"] and body["actions"][0]["id"] != pack(SurveyStart()):
            asked.append(unpack(body["actions"][0]["id"]).question_id)
            body = await (await client.post("/api/action", json={"action": body["actions"][0]["id"], "lang": "en"})).json()
        assert asked == [q.id for q in SURVEY]
