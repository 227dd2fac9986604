"""The web chat in a real browser: Debian's chromium, driven by Playwright, against the real server.

Playwright only drives the browser that Debian installed (`executable_path`); it never
downloads one. The server is the real aiohttp app on a random 127.0.0.1 port over a test
database. Screenshots land in artifacts/ (webchat.png, webchat-phone.png).
"""

from __future__ import annotations

import asyncio
import io
import os
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from bot.server import make_app
from bot.wiring import Core
from adapters.web.session import state_key
from core import controls
from core.actions import Command, Pick, SurveyAnswer, Wish, pack, unpack
from core.errors import Code, SenseiError
from core.messages import Button, Reply, ReplyImage
from core.sensei import Turn
from core.texts import t
from tests.fakes.scripted_brain import ScriptedBrain

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "artifacts"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--no-proxy-server",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium (.ci/run installs it from .ci/apt-packages)"
)

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, async_playwright, expect


@pytest.fixture
async def live(core: Core) -> AsyncIterator[str]:
    """The real app on a random local port; its base URL."""
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    runner = web.AppRunner(make_app(core))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/"
    await runner.cleanup()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        await b.close()


PageFactory = Callable[..., Awaitable[Page]]


@pytest.fixture
async def open_page(browser: Browser, live: str) -> AsyncIterator[PageFactory]:
    """Open the chat in a fresh browser profile; any script error on the page fails the test."""
    errors: list[str] = []
    contexts = []

    async def opener(*, width: int = 1024, height: int = 800, locale: str = "en-US", color_scheme: str = "light") -> Page:
        context = await browser.new_context(viewport={"width": width, "height": height}, locale=locale, color_scheme=color_scheme)  # type: ignore[arg-type]
        contexts.append(context)
        page = await context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        await page.goto(live)
        await expect(page.locator("body")).to_have_attribute("data-ready", "true")
        return page

    yield opener
    for context in contexts:
        await context.close()
    assert errors == [], errors


async def send(page: Page, text: str) -> None:
    await page.fill("#text", text)
    await page.press("#text", "Enter")


async def image_loaded(page: Page, selector: str) -> bool:
    for _ in range(50):
        if await page.locator(selector).first.evaluate("img => img.complete && img.naturalWidth > 0"):
            return True
        await asyncio.sleep(0.1)
    return False


def label_photo(path: Path, name: str = "獺祭") -> Path:
    """A plain label: the brand name large and vertical, with the small print of a real label."""
    font_path = "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"
    img = PILImage.new("RGB", (600, 900), (244, 238, 226))
    draw = ImageDraw.Draw(img)
    big = ImageFont.truetype(font_path, 180)
    small = ImageFont.truetype(font_path, 40)
    for i, ch in enumerate(name):
        draw.text((210, 120 + i * 200), ch, font=big, fill=(20, 20, 20))
    draw.text((40, 40), "純米大吟醸", font=small, fill=(120, 30, 30))
    draw.text((40, 820), "旭酒造 山口県", font=small, fill=(20, 20, 20))
    img.save(path, "JPEG", quality=92)
    return path


# ---- with the real brain ------------------------------------------------------------------------


async def test_a_message_shows_a_sake_card_with_its_flavor_chart(open_page: PageFactory) -> None:
    page = await open_page()
    await expect(page.locator(".welcome")).to_contain_text("Sake Sensei")
    await send(page, "tell me about 獺祭")
    card = page.locator('.card[data-brand-id="887"]')
    await expect(card.locator("h2")).to_have_text("獺祭")
    await expect(card.locator(".romaji")).to_have_text("dassai")
    await expect(card.locator(".where")).to_contain_text("旭酒造")
    await expect(card.locator("img.chart")).to_have_attribute("alt", "Flavor chart of 獺祭: floral, mellow, heavy, mild, dry and light")
    assert await image_loaded(page, '.card[data-brand-id="887"] img.chart')
    await expect(card.locator(".flavor-words")).to_have_text("floral and mellow above all; little dry")
    reply = page.locator(".msg.bot").last
    for label in ("Log it", "Similar", "Wishlist"):  # the core's buttons, each drawn once (the page adds none)
        await expect(reply.get_by_role("button", name=label, exact=True)).to_have_count(1)
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "webchat.png"))


async def test_an_error_shows_its_code_and_sentence(open_page: PageFactory, core: Core) -> None:
    def unknown(turn: Turn) -> Reply:
        raise SenseiError(Code.UNKNOWN_SAKE)

    core.sensei.brain = ScriptedBrain(unknown)
    page = await open_page()
    await send(page, "tell me about qqzzxxkk")
    error = page.locator(".msg.bot.error").last
    await expect(error.locator(".code")).to_have_text("SS-002")
    await expect(error).to_contain_text("couldn't find that sake")


async def test_switching_language_changes_the_page_and_the_replies(open_page: PageFactory) -> None:
    page = await open_page()
    await expect(page.locator("#text")).to_have_attribute("placeholder", "Ask about sake…")
    sent: list[dict] = []
    page.on("request", lambda r: sent.append(r.post_data_json) if r.url.endswith("/api/chat") else None)
    await page.get_by_role("button", name="日本語").click()
    await expect(page.locator("html")).to_have_attribute("lang", "ja")
    await expect(page.locator("#text")).to_have_attribute("placeholder", "日本酒について質問…")
    await expect(page.locator("#btn-profile")).to_have_text(t("page.profile", "ja"))
    await expect(page.locator("#btn-history")).to_have_text(t("page.history", "ja"))
    await expect(page.locator(".welcome .bubble")).to_contain_text("日本酒ソムリエ")
    await send(page, "獺祭について教えて")
    card = page.locator('.card[data-brand-id="887"]')
    reply = page.locator(".msg.bot").last
    for key in ("button.log", "button.similar", "button.wish"):  # the catalog's words, once each
        await expect(reply.get_by_role("button", name=t(key, "ja"), exact=True)).to_have_count(1)
    await expect(page.locator(".msg.bot").last).to_contain_text("フレーバー")
    assert await card.locator("img.chart").get_attribute("src") == "media/flavor/887-ja.png"
    assert sent and sent[-1]["lang"] == "ja"
    # the choice is remembered by this browser
    await page.reload()
    await expect(page.locator("html")).to_have_attribute("lang", "ja")
    await page.get_by_role("button", name="EN").click()
    await expect(page.locator("#send")).to_have_text("Send")


async def test_phone_sized_screen_has_no_sideways_scrolling(open_page: PageFactory) -> None:
    page = await open_page(width=390, height=844, locale="ja-JP")
    await expect(page.locator("html")).to_have_attribute("lang", "ja")  # the browser's language is the first guess
    await send(page, "獺祭について教えて")
    await expect(page.locator('.card[data-brand-id="887"]')).to_be_visible()
    assert await image_loaded(page, "img.chart")
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    await expect(page.locator("#send")).to_be_in_viewport()
    await expect(page.locator(".foot a")).to_have_attribute("href", "https://sakenowa.com")
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "webchat-phone.png"))


async def test_asking_for_a_recommendation_shows_a_recommendation_card(open_page: PageFactory) -> None:
    page = await open_page()
    async with page.expect_response(lambda r: r.url.endswith("/api/chat")) as answered:
        await send(page, "Recommend something dry and light for sashimi")
    body = await (await answered.value).json()
    assert body["cards"] and {"recommend", "pair_food"} & set(body["tools"]), body
    first = body["cards"][0]
    card = page.locator(f'.card[data-brand-id="{first["brand_id"]}"]').first
    await expect(card.locator("h2")).to_have_text(first["name"])
    await expect(card.locator(".reason")).to_have_text(first["reason"])
    await expect(page.locator(".card")).to_have_count(len(body["cards"]))


async def test_uploading_a_label_photo_shows_the_identified_sake(open_page: PageFactory, tmp_path: Path) -> None:
    page = await open_page()
    await page.set_input_files("#file", str(label_photo(tmp_path / "dassai.jpg")))
    await expect(page.locator("#attachment")).to_be_visible()
    await page.click("#send")
    await expect(page.locator(".msg.user img.photo")).to_be_visible()
    await expect(page.locator('.card[data-brand-id="887"] h2')).to_have_text("獺祭", timeout=30_000)


async def test_clicking_a_rating_saves_the_tasting(open_page: PageFactory, core: Core) -> None:
    from core.messages import StateKey
    from core.tasting import TastingLog

    page = await open_page()
    await send(page, "tell me about 獺祭")
    await expect(page.locator(".msg.bot")).to_have_count(2)  # the welcome, the card
    await page.locator(".msg.bot").last.get_by_role("button", name="Log it", exact=True).click()
    await expect(page.locator(".msg.bot")).to_have_count(3)
    answer = page.locator(".msg.bot").nth(2)  # the answer to "Log it" asks for stars, 1 to 5
    await expect(answer.get_by_role("button", name=re.compile(r"^(1★|1 star)$"))).to_be_visible()
    four = answer.get_by_role("button", name=re.compile(r"^(4★|4 stars)$"))
    await four.click()
    await expect(four).to_have_attribute("aria-pressed", "true")
    await expect(answer.get_by_role("button", name=re.compile(r"^(1★|1 star)$"))).to_be_disabled()
    await expect(page.locator(".msg.bot").last).to_contain_text("★4")
    # saved for this browser's user: 獺祭, rated 4, once
    [cookie] = [c for c in await page.context.cookies() if c["name"] == "ss_uid"]
    principal = await core.identity.resolve(StateKey("web", cookie["value"], "browser", cookie["value"]))
    tastings = TastingLog(core.db, core.catalog)
    last = await tastings.last(principal)
    assert last is not None and last.brand_id == 887 and last.rating == 4
    assert [(r.brand_id, r.rating) for r in await tastings.ratings(principal)] == [(887, 4)]


# ---- with a scripted brain: every part of a reply, and buttons routed back -----------------------


def png(color: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", (120, 90), color).save(buf, "PNG")
    return buf.getvalue()


def everything(core: Core) -> Callable[[Turn], Reply]:
    """A reply with every part the core can give: a personal pick, a card with no chart, stars, choices."""
    dassai = core.catalog.get(887)
    plain = next(b for b in core.catalog.brands.values() if b.chart is None)

    def answer(turn: Turn) -> Reply:
        if turn.message.action and turn.message.action != Command("profile"):
            return Reply(text=f"Got {pack(turn.message.action)}", lang=turn.lang)
        first = dassai.card(score=0.91, reason="Floral and light, like you like it.")
        first.personal = True
        first.actions = [Button(Wish(887), "Wishlist")]
        first.rating = controls.rating(887, "en")
        second = controls.with_buttons(plain.card(), "en")
        return Reply(
            text="Your taste profile, and two sakes. Details: https://sakenowa.com",
            lang=turn.lang,
            cards=[first, second],
            images=[ReplyImage(png=png((180, 60, 50)), alt="Your taste profile")],
            actions=[Button(SurveyAnswer("sweetness", "dry"), "Dry"), Button(SurveyAnswer("sweetness", "sweet"), "Sweet")],
            tools=["profile", "recommend"],
        )

    return answer


async def test_every_part_of_a_reply_is_drawn_and_buttons_route_back(open_page: PageFactory, core: Core) -> None:
    core.sensei.brain = brain = ScriptedBrain(everything(core))
    page = await open_page()
    await page.click("#btn-profile")
    reply = page.locator(".msg.bot:has(.reply-images)")  # stays this reply as more arrive
    await expect(reply.locator(".reply-images img")).to_have_attribute("alt", "Your taste profile")
    assert await image_loaded(page, ".reply-images img")
    await expect(reply.locator("a[href='https://sakenowa.com']")).to_be_visible()
    await expect(reply.locator(".card")).to_have_count(2)
    first, second = reply.locator(".card").nth(0), reply.locator(".card").nth(1)
    await expect(first.locator(".reason")).to_have_text("Floral and light, like you like it.")
    await expect(first.locator(".score")).to_have_text(t("card.match", "en", pct=91))
    await expect(second.locator(".score")).to_have_count(0)
    await expect(second.locator("img.chart")).to_have_count(0)  # no chart, no picture
    await expect(second.locator(".no-chart")).to_have_text(t("card.no_chart", "en"))
    # each card shows exactly the buttons the core gave it, in its order, and nothing else
    await expect(first.locator(".actions button")).to_have_text(["Wishlist"])
    await expect(second.locator(".actions button")).to_have_text(["Log it", "Similar", "Wishlist"])
    await expect(second.locator(".stars")).to_have_count(0)
    assert brain.turns[-1].message.action == Command("profile")

    # stars 1 to 5 on their card, nothing pre-selected; the chosen one stays pressed and the row is answered once
    await expect(first.locator(".stars button")).to_have_text([f"{n}★" for n in range(1, 6)])
    await expect(first.locator(".stars button[aria-pressed]")).to_have_count(0)
    await first.get_by_role("button", name="4 stars").click()
    await expect(page.locator(".msg.bot").last).to_have_text("Got rate:887:4")
    await expect(first.get_by_role("button", name="4 stars")).to_have_attribute("aria-pressed", "true")
    await expect(first.get_by_role("button", name="2 stars")).to_be_disabled()
    await expect(page.locator(".msg.user").last).to_contain_text("4★ · 獺祭")

    # survey answers are buttons of the reply itself
    await reply.get_by_role("button", name="Dry").click()
    await expect(page.locator(".msg.bot").last).to_have_text("Got survey:sweetness:dry")
    await first.get_by_role("button", name="Wishlist").click()
    await expect(page.locator(".msg.bot").last).to_have_text("Got wish:887")
    await expect(page.locator(".msg.user").last).to_have_text("Wishlist · 獺祭")
    await page.click("#btn-survey")
    await expect(page.locator(".msg.bot").last).to_have_text("Got survey:start")
    await page.click("#btn-history")
    await expect(page.locator(".msg.bot").last).to_have_text("Got cmd:history")
    assert [pack(t.message.action) for t in brain.turns[1:]] == [
        "rate:887:4", "survey:sweetness:dry", "wish:887", "survey:start", "cmd:history"]
    assert len({t.message.key for t in brain.turns}) == 1  # one browser, one user


async def test_label_candidates_are_answered_once(open_page: PageFactory, core: Core) -> None:
    a, b = core.catalog.get(887), core.catalog.get(1)

    def answer(turn: Turn) -> Reply:
        if turn.message.action:
            return Reply(text=f"Got {pack(turn.message.action)}", lang=turn.lang)
        return Reply(text="Which one is it?", lang="en", cards=[a.card(), b.card()],
                     actions=[Button(Pick(a.id), a.name), Button(Pick(b.id), b.name)])

    core.sensei.brain = brain = ScriptedBrain(answer)
    page = await open_page()
    await send(page, "which?")
    await expect(page.locator(".msg.bot")).to_have_count(2)  # the welcome, the question
    await expect(page.locator(".card button")).to_have_count(0)  # the core gave the candidates no buttons
    reply = page.locator(".msg.bot").nth(1)
    await reply.get_by_role("button", name=b.name).click()
    await expect(page.locator(".msg.bot").last).to_have_text(f"Got pick:{b.id}")
    await expect(reply.get_by_role("button", name=a.name)).to_be_disabled()
    await expect(reply.get_by_role("button", name=b.name)).to_have_attribute("aria-pressed", "true")
    assert [t.message.action for t in brain.turns] == [None, unpack(f"pick:{b.id}")]


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
async def test_the_page_passes_axe_accessibility_checks(open_page: PageFactory, core: Core, color_scheme: str) -> None:
    """axe-core (WCAG 2 A/AA and best practices) on a page showing every kind of reply part, and an error."""
    answer = everything(core)

    def answer_or_fail(turn: Turn) -> Reply:
        if turn.message.text == "fail":
            raise SenseiError(Code.UNKNOWN_SAKE)
        return answer(turn)

    core.sensei.brain = ScriptedBrain(answer_or_fail)
    page = await open_page(color_scheme=color_scheme)
    await page.click("#btn-profile")
    await expect(page.locator(".card")).to_have_count(2)
    await send(page, "fail")
    await expect(page.locator(".msg.bot.error")).to_be_visible()
    assert await image_loaded(page, ".reply-images img")
    results = await Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


async def test_a_dropped_photo_is_previewed_and_uploaded(open_page: PageFactory, core: Core, tmp_path: Path) -> None:
    core.sensei.brain = brain = ScriptedBrain(lambda turn: Reply(text=f"{len(turn.message.images)} photo", lang=turn.lang))
    page = await open_page()
    data = label_photo(tmp_path / "label.jpg").read_bytes()
    # a drop of a file from the desktop, as the browser delivers it
    await page.evaluate(
        """(bytes) => {
            const file = new File([new Uint8Array(bytes)], "label.jpg", {type: "image/jpeg"});
            const dt = new DataTransfer();
            dt.items.add(file);
            for (const type of ["dragenter", "dragover", "drop"]) {
                document.querySelector("#log").dispatchEvent(new DragEvent(type, {dataTransfer: dt, bubbles: true, cancelable: true}));
            }
        }""",
        list(data),
    )
    await expect(page.locator("#attachment")).to_be_visible()
    await expect(page.locator("#dropzone")).to_be_hidden()
    assert (await page.locator("#attachment-img").get_attribute("src") or "").startswith("blob:")
    await send(page, "what is this?")
    await expect(page.locator(".msg.bot").last).to_have_text("1 photo")
    await expect(page.locator("#attachment")).to_be_hidden()
    [turn] = brain.turns
    assert turn.message.images[0].data == data and turn.message.text == "what is this?"


async def test_choosing_a_file_that_is_not_a_picture_is_refused_in_the_page(open_page: PageFactory, core: Core, tmp_path: Path) -> None:
    core.sensei.brain = brain = ScriptedBrain(lambda turn: Reply(text="never", lang=turn.lang))
    page = await open_page()
    notes = tmp_path / "notes.txt"
    notes.write_text("not a label")
    await page.set_input_files("#file", str(notes))
    await expect(page.locator(".msg.bot.error").last).to_contain_text("Please choose a picture")
    await expect(page.locator("#attachment")).to_be_hidden()
    assert brain.turns == []


async def test_a_menu_csv_is_uploaded_and_the_export_is_a_download_link(open_page: PageFactory, core: Core, tmp_path: Path) -> None:
    from core.messages import ReplyFile

    def answer(turn: Turn) -> Reply:
        if turn.message.files:
            return Reply(text="imported", lang=turn.lang)
        return Reply(text="here is the menu", lang=turn.lang, files=[ReplyFile("name\n獺祭\n".encode(), "sake-menu.csv")])

    core.sensei.brain = brain = ScriptedBrain(answer)
    page = await open_page()
    menu = tmp_path / "menu.csv"
    menu.write_text("name,glass\n獺祭,900\n")
    await page.set_input_files("#file", str(menu))
    await expect(page.locator("#attachment")).to_be_visible()
    await page.click("#send")
    await expect(page.locator(".msg.bot").last).to_contain_text("imported")
    await expect(page.locator(".msg.user").last).to_contain_text("menu.csv")
    assert brain.turns[0].message.files[0].data == menu.read_bytes() and not brain.turns[0].message.images
    await page.fill("#text", "export the menu")
    await page.click("#send")
    link = page.locator(".reply-files a")
    await expect(link).to_have_text("⬇ sake-menu.csv")
    assert await link.get_attribute("download") == "sake-menu.csv"
    assert (await link.get_attribute("href") or "").startswith("data:text/csv;base64,")


async def test_the_conversation_comes_back_after_a_reload(open_page: PageFactory) -> None:
    page = await open_page()
    await send(page, "tell me about 獺祭")
    await expect(page.locator(".card")).to_have_count(1)
    answer = await page.locator(".msg.bot").last.locator(".bubble").inner_text()
    await page.reload()
    await expect(page.locator("body")).to_have_attribute("data-ready", "true")
    await expect(page.locator(".msg.user.past")).to_have_text(["tell me about 獺祭"])
    await expect(page.locator(".msg.bot.past .bubble")).to_have_text([answer])
    await page.screenshot(path=str(ARTIFACTS / "webchat-reloaded.png"))


async def test_a_paste_over_the_limit_is_announced_and_not_sent(open_page: PageFactory) -> None:
    page = await open_page()
    await page.fill("#text", "あ" * 4001)
    alert = page.locator("#too-long")
    await expect(alert).to_be_visible()
    await expect(alert).to_have_attribute("role", "alert")
    await expect(alert).to_have_text(t("page.too_long", "en", n=4001, max=4000))
    await page.press("#text", "Enter")
    await expect(page.locator(".msg.user")).to_have_count(0)  # kept in the box, not sent, not cut
    assert len(await page.input_value("#text")) == 4001
    await page.fill("#text", "あ" * 4000)
    await expect(alert).to_be_hidden()


async def test_the_shortcut_row_fits_on_a_phone(open_page: PageFactory) -> None:
    page = await open_page(width=360, height=740)
    row = page.locator("#quick")
    await expect(row.locator("button")).to_have_count(4)
    box = await row.bounding_box()
    assert box is not None
    for i in range(4):  # every shortcut wholly inside the row and the screen: none cut off
        b = await row.locator("button").nth(i).bounding_box()
        assert b is not None and b["x"] >= box["x"] - 0.5 and b["x"] + b["width"] <= min(box["x"] + box["width"], 360) + 0.5, (i, b, box)


async def test_the_note_form_saves_a_note(open_page: PageFactory, core: Core) -> None:
    from core.tasting import TastingLog

    real = core.sensei.brain

    class FormThenReal:
        """The core's note form on the first turn; the real brain saves what comes back."""

        turns = 0

        async def reply(self, turn: Turn) -> Reply:
            self.turns += 1
            if self.turns == 1:
                return Reply(text="", lang="en", form=controls.note_form(887, "獺祭", "en"))
            return await real.reply(turn)

        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

    core.sensei.brain = FormThenReal()  # type: ignore[assignment]
    page = await open_page()
    await send(page, "note")
    form = page.locator("form.reply-form")
    await expect(form.get_by_role("heading")).to_have_text(t("form.note.title", "en"))
    await form.get_by_label(t("form.rating", "en")).select_option("4")
    await form.get_by_label(t("form.notes", "en")).fill("桃の香り、余韻が長い")
    await page.screenshot(path=str(ARTIFACTS / "webchat-note-form.png"))
    await form.get_by_role("button", name=t("form.submit", "en")).click()
    await expect(page.locator(".msg.bot:not(.typing)")).to_have_count(3)  # the welcome, the form, the answer
    await expect(page.locator(".msg.bot").last).to_contain_text("★4")
    await expect(form.get_by_label(t("form.notes", "en"))).to_be_disabled()
    [cookie] = [c for c in await page.context.cookies() if c["name"] == "ss_uid"]
    principal = await core.identity.resolve(state_key(cookie["value"]))  # each visitor is their own workspace
    last = await TastingLog(core.db, core.catalog).last(principal)
    assert last is not None and last.brand_id == 887 and last.rating == 4 and last.notes == "桃の香り、余韻が長い"
    await page.screenshot(path=str(ARTIFACTS / "webchat-note.png"))
