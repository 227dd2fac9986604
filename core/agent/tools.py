"""The agent's tools: what the offline model and a language model can do for the user asking.

Every tool acts for `ctx.deps.principal` only. No tool takes a user, workspace or tasting id
from the model: tastings are found among the asker's own ("my last one", "my dassai"), and
brand ids only name catalog entries, which are public. Each tool returns a small JSON-able
dict whose `summary` is already written in the user's language (the offline model answers with
it; a language model may rephrase it), and puts cards, charts, buttons and errors into
`ctx.deps.out` for the reply.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any, Literal

from pydantic_ai import RunContext

from core import actions, controls
from core.agent.deps import Deps
from core.catalog.model import BrandInfo
from core.describe import describe
from core.knowledge.specs import spec_actions
from core.errors import Code, SenseiError
from core.i18n import pick
from core.messages import Button, Card, ReplyImage
from core.tasting import TastingInput
from core.texts import t

log = logging.getLogger(__name__)

Result = dict[str, Any]
MAX_CARDS = 5


# -- helpers -------------------------------------------------------------------------------


def _begin(ctx: RunContext[Deps], name: str) -> Deps:
    ctx.deps.out.tools.append(name)
    return ctx.deps


def _done(deps: Deps, summary: str, *, shown: list[int] | None = None, lead: str | None = None, **data: Any) -> Result:
    """`lead`: when the cards carry the details (each pick's reason), the short text the reply says above them,
    so that nothing is said twice; the full `summary` stays in the result for a language model and the history."""
    deps.out.summaries.append(summary if lead is None else lead)
    return {"summary": summary, "shown": shown or [], **data} | ({"lead": lead} if lead is not None else {})


def _fail(deps: Deps, error: SenseiError, extra: str | None = None) -> Result:
    deps.out.set_error(error.as_dict(deps.lang))
    summary = error.message(deps.lang) + (f"\n{extra}" if extra else "")
    deps.out.summaries.append(summary)
    return {"summary": summary, "shown": [], "error": error.code.value}


def show_cards(deps: Deps, cards: list[Card]) -> list[int]:
    """The cards, each with its own buttons (Log it / Similar / Wishlist unless a tool chose others)."""
    cards = cards[:MAX_CARDS]
    deps.out.add_cards([controls.with_buttons(c, deps.lang) for c in cards])
    return [c.brand_id for c in cards]


def shown_card(deps: Deps, brand_id: int) -> Card | None:
    """The card of this sake already in the reply (the one the user will see), to adjust its buttons."""
    return next((c for c in deps.out.cards if c.brand_id == brand_id), None)


def _logged(deps: Deps, brand_id: int, *, ask_rating: bool) -> None:
    """A logged sake's card: no second "Log it"; stars 1..5 when the rating is still missing."""
    card = shown_card(deps, brand_id)
    if card is None:
        return
    card.actions = [b for b in card.actions if not isinstance(b.action, actions.Log)]
    card.rating = controls.rating(brand_id, deps.lang) if ask_rating else None


def brand_line(b: BrandInfo, lang: str) -> str:
    return b.label() if lang == "ja" else f"{b.label()} — {b.romaji}"


def closest(deps: Deps, text: str) -> str | None:
    found = deps.services.search.search(text[:200], limit=3, min_score=0.5) if text.strip() else []
    if not found:
        return None
    names = "、".join(m.brand.label() for m in found)
    return pick(deps.lang, f"Closest matches: {names}", f"近い候補: {names}")


def resolve_brand(deps: Deps, brand_id: int | None, name: str | None) -> BrandInfo | None:
    """A catalog brand from an id or a name (any script, typos allowed); None when neither finds one."""
    if brand_id is not None:
        return deps.services.catalog.get(int(brand_id))
    if name and name.strip():
        search = deps.services.search
        found = search.find_in_text(name) or [m for m in search.search(name, limit=1) if m.score >= 0.85]
        if found:
            return found[0].brand
    return None


@lru_cache(maxsize=512)
def _chart_png(chart: tuple[float, ...], lang: str, title: str) -> bytes:
    """Catalog charts never change while the process runs: each is drawn once (drawing costs ~40 ms)."""
    from core.charts import flavor_chart_png

    return flavor_chart_png(chart, lang=lang, title=title)


def brand_chart_png(brand: BrandInfo, lang: str) -> bytes | None:
    """A catalog brand's flavor chart as PNG, or None when it has none (never invented)."""
    return _chart_png(tuple(brand.chart), lang, brand.name) if brand.chart is not None else None


def chart_image(brand: BrandInfo, lang: str) -> ReplyImage | None:
    if brand.chart is None:
        return None
    alt = pick(lang, f"Flavor chart of {brand.name} ({brand.romaji})", f"{brand.name}のフレーバーチャート")
    return ReplyImage(_chart_png(tuple(brand.chart), lang, brand.name), alt, brand_id=brand.id)


# -- catalog ---------------------------------------------------------------------------------


async def search_catalog(
    ctx: RunContext[Deps],
    query: str = "",
    prefecture: str | None = None,
    grade: str | None = None,
    tag: str | None = None,
    limit: int = 5,
) -> Result:
    """Find sakes in the catalog by name (any script, typos allowed) and/or prefecture, grade (特定名称) or flavor tag."""
    deps = _begin(ctx, "search_catalog")
    query = (query or "")[:200]
    found = deps.services.search.search(query, limit=max(1, min(int(limit), MAX_CARDS)), prefecture=prefecture, grade=grade, tag=tag)
    if not found:
        return _fail(deps, SenseiError(Code.UNKNOWN_SAKE), closest(deps, query))
    shown = show_cards(deps, [m.brand.card(score=m.score) for m in found])
    lines = [f"{i}. {brand_line(m.brand, deps.lang)}" for i, m in enumerate(found, 1)]
    head = pick(deps.lang, "Here is what the catalog has:", "カタログで見つかったお酒:")
    return _done(deps, "\n".join([head, *lines]), shown=shown)


async def sake_details(ctx: RunContext[Deps], brand_id: int | None = None, name: str | None = None) -> Result:
    """Everything the catalog knows about one sake: brewery, prefecture, flavor chart, tags, ranking, grades."""
    deps = _begin(ctx, "sake_details")
    brand = resolve_brand(deps, brand_id, name)
    if brand is None:
        return _fail(deps, SenseiError(Code.UNKNOWN_SAKE), closest(deps, name or ""))
    search = deps.services.search
    same = [b for b in search.same_name(brand) if b.id != brand.id]
    body = describe(brand, deps.lang)
    if same:
        others = "、".join(b.label() for b in same)
        body += pick(deps.lang, "\nOther sakes with this name: ", "\n同名の銘柄: ") + others
    shown = show_cards(deps, [brand.card(score=1.0 if brand_id is None else None)] + [b.card() for b in same])
    if (image := chart_image(brand, deps.lang)) is not None:
        deps.out.images.append(image)
    deps.out.add_actions(spec_actions(brand, deps.lang))  # explain:<entry> for the figures shown (knowledge_tools)
    return _done(deps, body, shown=shown, brand={"id": brand.id, "name": brand.name, "flavor": brand.flavor, "tags": list(brand.tags[:8])})


# -- tastings ----------------------------------------------------------------------------------


async def _my_tasting(deps: Deps, brand_id: int | None) -> Any:
    """The asker's own tasting to change: their last one, or their latest of this brand."""
    log_ = deps.services.tastings
    if brand_id is None:
        return await log_.last(deps.principal)
    for page in range(1, 6):
        rows = await log_.page(deps.principal, page=page, per_page=50)
        for row in rows:
            if row.brand_id == brand_id:
                return row
        if len(rows) < 50:
            break
    return None


PENDING_WINDOW_S = 2 * 3600  # a rating-less tasting this recent is the one a later rating completes


async def _pending_tasting(deps: Deps, brand: BrandInfo | None) -> Any:
    """The user's last tasting when it is this brand, unrated and recent: a rating completes it instead of adding one."""
    if brand is None:
        return None
    log_ = deps.services.tastings
    last = await log_.last(deps.principal)
    if last is None or last.brand_id != brand.id or last.rating is not None:
        return None
    age = (log_.clock() - last.created_at).total_seconds()
    return last if age <= PENDING_WINDOW_S else None


TAKEN_OVER_WINDOW_S = 3600  # a taken-over turn runs minutes after the one that died, never hours


async def _saved_by_the_dead_turn(deps: Deps, brand: BrandInfo | None, name: str | None, rating: float | None) -> Any:
    """The tasting the died first run of this turn saved: the user's last, the same sake and stars, just now."""
    log_ = deps.services.tastings
    last = await log_.last(deps.principal)
    if last is None or last.rating != rating or (log_.clock() - last.created_at).total_seconds() > TAKEN_OVER_WINDOW_S:
        return None
    same = last.brand_id == brand.id if brand is not None else (last.free_text_name or "") == (name or "").strip()[:256]
    return last if same else None


async def log_tasting(
    ctx: RunContext[Deps],
    brand_id: int | None = None,
    name: str | None = None,
    rating: float | None = None,
    notes: str | None = None,
    temperature: str | None = None,
    food: str | None = None,
) -> Result:
    """Record that the user drank a sake, with a 0-5 star rating (halves allowed) and optional notes."""
    deps = _begin(ctx, "log_tasting")
    brand = resolve_brand(deps, brand_id, name)
    lang = deps.lang
    if brand is None and brand_id is not None:
        return _fail(deps, SenseiError(Code.UNKNOWN_SAKE, f"#{brand_id}"))
    if brand is None and not (name and name.strip()):
        return _done(deps, pick(lang, "Which sake did you drink? Tell me its name (and stars, e.g. 獺祭 4/5).", "どのお酒を飲みましたか?銘柄名を教えてください(例: 獺祭 星4)。"))
    pending = await _pending_tasting(deps, brand)
    if pending is not None:  # "log X" then "4 stars" (or the Log it button, then a star button): one record
        if rating is None and notes is None and temperature is None and food is None:
            shown = show_cards(deps, [brand.card()]) if brand else []
            if brand:
                _logged(deps, brand.id, ask_rating=True)
            return _done(deps, pick(lang, f"{pending.name} is logged. How many stars?", f"{pending.name} は記録済みです。星はいくつですか?"), shown=shown)
        changes = {k: v for k, v in {"rating": rating, "notes": notes, "temperature": temperature, "food": food}.items() if v is not None}
        try:
            tasting = await deps.services.tastings.edit(deps.principal, pending.id, **changes)
        except SenseiError as e:
            return _fail(deps, e)
        deps.out.wrote = True
        stars = f" ★{tasting.rating:g}" if tasting.rating is not None else ""
        shown = show_cards(deps, [brand.card()]) if brand else []
        if brand:
            _logged(deps, brand.id, ask_rating=tasting.rating is None)
        return _done(deps, pick(lang, f"Logged {tasting.name}{stars}.", f"{tasting.name}{stars} を記録しました。"), shown=shown,
                     tasting={"name": tasting.name, "rating": tasting.rating, "date": tasting.tasted_on.isoformat()})
    if deps.taken_over and (done := await _saved_by_the_dead_turn(deps, brand, name, rating)) is not None:
        tasting = done  # the first run of this turn saved it before its process died: not saved twice
    else:
        tasting = None
    inp = TastingInput(
        brand_id=brand.id if brand else None,
        free_text_name=None if brand else (name or "").strip()[:256],
        rating=rating,
        notes=notes,
        temperature=temperature,
        food=food,
    )
    if tasting is None:
        try:
            tasting = await deps.services.tastings.add(deps.principal, inp)
        except SenseiError as e:
            return _fail(deps, e)
    deps.out.wrote = True
    label = tasting.name
    stars = f" ★{tasting.rating:g}" if tasting.rating is not None else ""
    summary = pick(lang, f"Logged {label}{stars}.", f"{label}{stars} を記録しました。")
    shown: list[int] = []
    if brand is not None:
        shown = show_cards(deps, [brand.card()])
        _logged(deps, brand.id, ask_rating=tasting.rating is None)
        if tasting.rating is None:
            summary += pick(lang, " How many stars?", " 星はいくつですか?")
    return _done(deps, summary, shown=shown, tasting={"name": label, "rating": tasting.rating, "date": tasting.tasted_on.isoformat()})


async def edit_tasting(ctx: RunContext[Deps], brand_id: int | None = None, rating: float | None = None, notes: str | None = None) -> Result:
    """Change the rating or notes of the user's last tasting (or their latest tasting of brand_id)."""
    deps = _begin(ctx, "edit_tasting")
    target = await _my_tasting(deps, brand_id)
    if target is None:
        return _done(deps, pick(deps.lang, "I couldn't find that tasting in your log.", "その記録は見つかりませんでした。"))
    changes: dict[str, Any] = {}
    if rating is not None:
        changes["rating"] = rating
    if notes is not None:
        changes["notes"] = notes
    if not changes:
        return _done(deps, pick(deps.lang, "What should I change: the stars or the notes?", "星とメモ、どちらを変更しますか?"))
    try:
        t = await deps.services.tastings.edit(deps.principal, target.id, **changes)
    except SenseiError as e:
        return _fail(deps, e)
    deps.out.wrote = True
    stars = f" ★{t.rating:g}" if t.rating is not None else ""
    return _done(deps, pick(deps.lang, f"Updated {t.name}{stars}.", f"{t.name}{stars} に更新しました。"), shown=[t.brand_id] if t.brand_id else [])


async def delete_tasting(ctx: RunContext[Deps], brand_id: int | None = None, last: bool = False) -> Result:
    """Delete the user's latest tasting of brand_id, or their last tasting when last=True (the user said "my last one").
    Without either, nothing is deleted: the user is asked to confirm with a button."""
    deps = _begin(ctx, "delete_tasting")
    target = await _my_tasting(deps, brand_id)
    if target is None:
        return _done(deps, pick(deps.lang, "There is no such tasting in your log.", "該当する記録はありません。"))
    if brand_id is None and not last:  # a destructive turn needs an explicit target or a confirmation
        if target.brand_id:
            deps.out.add_actions([Button(actions.Unlog(target.brand_id), pick(deps.lang, f"Delete {target.name}", f"{target.name}を削除"), "danger")])
        return _done(deps, pick(
            deps.lang, f"Delete your tasting of {target.name} ({target.tasted_on})? Tap to confirm, or name the sake to delete.",
            f"{target.tasted_on} の {target.name} の記録を削除しますか?ボタンで確定するか、削除するお酒の名前を書いてください。",
        ))
    try:
        await deps.services.tastings.delete(deps.principal, target.id)
    except SenseiError as e:
        return _fail(deps, e)
    deps.out.wrote = True
    return _done(deps, pick(deps.lang, f"Deleted your tasting of {target.name} ({target.tasted_on}).", f"{target.tasted_on} の {target.name} の記録を削除しました。"))


async def tasting_history(ctx: RunContext[Deps], page: int = 1) -> Result:
    """The user's tastings, newest first, ten a page."""
    deps = _begin(ctx, "tasting_history")
    page = max(1, min(int(page), 10_000))
    rows = await deps.services.tastings.page(deps.principal, page=page, per_page=10)
    if not rows:
        text = pick(deps.lang, "No tastings logged yet. Tell me what you drank, e.g. \"獺祭 4/5\".", "まだ記録がありません。「獺祭 星4」のように送ってください。")
        return _done(deps, text if page == 1 else pick(deps.lang, "No more tastings.", "これ以上の記録はありません。"))
    head = pick(deps.lang, "Your tastings:", "あなたの記録:")
    lines = [f"- {t.summary(deps.lang)}" for t in rows]
    shown = [t.brand_id for t in rows if t.brand_id is not None]
    return _done(deps, "\n".join([head, *lines]), shown=shown[:MAX_CARDS])


async def tasting_stats(ctx: RunContext[Deps]) -> Result:
    """Counts and averages over the user's tastings: how many, average stars, by prefecture and grade."""
    deps = _begin(ctx, "tasting_stats")
    st = await deps.services.tastings.stats(deps.principal)
    lang = deps.lang
    if st.count == 0:
        return _done(deps, pick(lang, "No tastings logged yet.", "まだ記録がありません。"))
    avg = f"{st.average_rating:.2f}" if st.average_rating is not None else "-"
    lines = [
        pick(lang, f"{st.count} tastings of {st.unique_brands} sakes, average ★{avg} ({st.rated} rated).",
             f"{st.unique_brands}銘柄・{st.count}回の記録、平均 ★{avg}(評価あり {st.rated}件)。"),
    ]
    if st.by_prefecture:
        top = "、".join(f"{b.key} ×{b.count}" for b in st.by_prefecture[:3])
        lines.append(pick(lang, f"Most tasted prefectures: {top}", f"よく飲む県: {top}"))
    if st.by_grade:
        top = "、".join(f"{b.key} ×{b.count}" for b in st.by_grade[:3])
        lines.append(pick(lang, f"Grades: {top}", f"特定名称: {top}"))
    if fav := st.favourite_prefecture:
        lines.append(pick(lang, f"Favourite prefecture: {fav}", f"お気に入りの県: {fav}"))
    return _done(deps, "\n".join(lines), count=st.count, average_rating=st.average_rating)


# -- preferences and the survey -------------------------------------------------------------------


async def survey(ctx: RunContext[Deps], question_id: str | None = None, answer_id: str | None = None) -> Result:
    """The short taste survey: with no arguments, ask the next question; with both, store that answer."""
    deps = _begin(ctx, "survey")
    prefs = deps.services.preferences
    lang = deps.lang
    if question_id and answer_id:
        try:
            nxt = await prefs.answer(deps.principal, question_id, answer_id)
        except SenseiError as e:
            return _fail(deps, e)
        deps.out.wrote = True
    else:
        nxt = await prefs.next_question(deps.principal)
        if nxt is None and not question_id:  # all answered: start again from the first question
            from core.preferences import SURVEY

            nxt = SURVEY[0]
    if nxt is None:
        deps.out.add_actions([Button(actions.SurveyStart(), t("button.survey_retake", lang))])
        return _done(deps, pick(lang, "Thanks! Your taste is saved; ask me for \"something for me\".", "ありがとうございます!好みを保存しました。「私に合うお酒」と聞いてください。"))
    deps.out.add_actions(nxt.actions(lang))
    options = " / ".join(o.label(lang) for o in nxt.options)
    return _done(deps, f"{nxt.text(lang)}\n({options})", question={"id": nxt.id, "answers": [o.id for o in nxt.options]})


async def preferences(ctx: RunContext[Deps]) -> Result:
    """The user's stored taste survey answers."""
    deps = _begin(ctx, "preferences")
    from core.preferences import QUESTIONS

    got = await deps.services.preferences.get(deps.principal)
    if got is None:
        deps.out.add_actions([Button(actions.SurveyStart(), t("button.survey_take", deps.lang), "primary")])
        return _fail(deps, SenseiError(Code.PREFERENCES_NOT_FOUND))
    lines = []
    for qid, aid in got.answers.items():
        q = QUESTIONS[qid]
        opt = q.option(aid)
        lines.append(f"- {q.text(deps.lang)} {opt.label(deps.lang) if opt else aid}")
    head = pick(deps.lang, "Your taste survey answers:", "好みアンケートの回答:")
    deps.out.add_actions([Button(actions.SurveyStart(), t("button.survey_change", deps.lang))])
    return _done(deps, "\n".join([head, *lines]), answers=got.answers)


# -- wishlist -----------------------------------------------------------------------------------------


async def wishlist_add(ctx: RunContext[Deps], brand_id: int | None = None, name: str | None = None) -> Result:
    """Put a sake on the user's wishlist (sakes to try later)."""
    deps = _begin(ctx, "wishlist_add")
    brand = resolve_brand(deps, brand_id, name)
    if brand is None:
        return _fail(deps, SenseiError(Code.UNKNOWN_SAKE), closest(deps, name or ""))
    try:
        added = await deps.services.wishlist.add(deps.principal, brand.id)
    except SenseiError as e:
        return _fail(deps, e)
    deps.out.wrote = added
    shown = show_cards(deps, [brand.card()])
    if (card := shown_card(deps, brand.id)) is not None:  # on the list now: offer taking it off instead
        card.actions = [Button(actions.Unwish(brand.id), t("button.unwish", deps.lang)) if isinstance(b.action, actions.Wish) else b
                        for b in card.actions]
    text = pick(deps.lang, f"Added {brand.name} to your wishlist.", f"{brand.name} を飲みたいリストに追加しました。") if added else pick(
        deps.lang, f"{brand.name} is already on your wishlist.", f"{brand.name} はすでに飲みたいリストにあります。"
    )
    return _done(deps, text, shown=shown)


async def wishlist_show(ctx: RunContext[Deps]) -> Result:
    """The sakes on the user's wishlist, newest first."""
    deps = _begin(ctx, "wishlist_show")
    items = await deps.services.wishlist.list(deps.principal)
    if not items:
        return _done(deps, pick(deps.lang, "Your wishlist is empty.", "飲みたいリストは空です。"))
    brands = [i.brand for i in items if i.brand is not None]
    shown = show_cards(deps, [b.card() for b in brands])
    lines = [f"- {brand_line(b, deps.lang)}" for b in brands[:20]]
    more = len(items) - len(lines)
    if more > 0:
        lines.append(pick(deps.lang, f"… and {more} more", f"…ほか{more}件"))
    return _done(deps, "\n".join([pick(deps.lang, "Your wishlist:", "飲みたいリスト:"), *lines]), shown=shown)


async def wishlist_remove(ctx: RunContext[Deps], brand_id: int | None = None, name: str | None = None) -> Result:
    """Take a sake off the user's wishlist."""
    deps = _begin(ctx, "wishlist_remove")
    brand = resolve_brand(deps, brand_id, name)
    if brand is None:
        return _fail(deps, SenseiError(Code.UNKNOWN_SAKE), closest(deps, name or ""))
    removed = await deps.services.wishlist.remove(deps.principal, brand.id)
    deps.out.wrote = removed
    return _done(
        deps,
        pick(deps.lang, f"Removed {brand.name} from your wishlist.", f"{brand.name} を飲みたいリストから外しました。") if removed
        else pick(deps.lang, f"{brand.name} was not on your wishlist.", f"{brand.name} は飲みたいリストにありません。"),
    )


Direction = Literal["drier", "sweeter", "lighter", "richer", "more_aromatic"]
Mode = Literal["for_me", "similar", "like_but", "flavor", "popular", "food"]
Style = Literal["sparkling", "fizzy", "cloudy", "very_sweet", "aged", "namazake", "genshu", "kijoshu", "taruzake", "low_alcohol"]


# -- recommendations --------------------------------------------------------------------------------


def _budget_note(lang: str, budget_yen: int | None, budget_usd: int | None, budget: str | None) -> str | None:
    if budget_yen is None and budget_usd is None and budget is None:
        return None
    return pick(lang, "The catalog has no prices, so I can't choose by price; these are the easier-to-find ones (well known, widely stocked).",
                "カタログに価格の情報がないため、価格では選べません。代わりに手に入りやすい(よく知られ、扱う店の多い)お酒を選びました。")


async def _recommend(
    deps: Deps,
    *,
    mode: str,
    brand_id: int | None = None,
    name: str | None = None,
    direction: str | None = None,
    want: dict[str, float] | None = None,
    tags: list[str] | None = None,
    food: str | None = None,
    prefecture: str | None = None,
    grade: str | None = None,
    exclude: list[int] | None = None,
    limit: int = 3,
    note: str | None = None,
    head: str | None = None,
    styles: list[str] | None = None,
    avoid: list[str] | None = None,
    temperature: str | None = None,
    beginner: bool = False,
    easy_to_find: bool = False,
    unlike: list[int] | None = None,
    liked: float | None = None,
) -> Result:
    from core.recommender import NeedsPreferences, RecRequest

    recommender = deps.services.recommender
    lang = deps.lang
    anchor = None
    if mode in ("similar", "like_but"):
        anchor = resolve_brand(deps, brand_id, name)
        if anchor is None:
            return _fail(deps, SenseiError(Code.UNKNOWN_SAKE), closest(deps, name or ""))
    req = RecRequest(
        mode=mode,
        brand_id=anchor.id if anchor else None,
        direction=direction if mode == "like_but" else None,
        want={k: float(v) for k, v in (want or {}).items() if k in ("f1", "f2", "f3", "f4", "f5", "f6")},
        tags=[str(x)[:32] for x in (tags or [])][:10],
        food=(food or None) and str(food)[:200],
        prefecture=prefecture,
        grade=grade,
        exclude=[int(x) for x in (exclude or []) if isinstance(x, int) or str(x).isdigit()][:200],
        limit=max(1, min(int(limit), MAX_CARDS)),
        styles=[str(x) for x in (styles or [])][:10],
        avoid=[str(x) for x in (avoid or [])][:10],
        temperature=temperature if temperature in ("warm", "hot", "chilled", "room") else None,
        beginner=bool(beginner),
        easy_to_find=easy_to_find,
        unlike=[int(x) for x in (unlike or []) if isinstance(x, int) or str(x).isdigit()][:20],
        liked=liked,
    )
    error: SenseiError | None = None
    try:
        recs = await recommender.recommend(deps.principal, req, lang)
    except NeedsPreferences as e:
        recs, error = e.fallback, e
        deps.out.add_actions(e.actions(lang))
    except SenseiError as e:
        return _fail(deps, e)
    if not recs:
        return _fail(deps, SenseiError(Code.RECOMMENDATION_FAILED, pick(lang, "No sake matches all of that; try fewer conditions.", "条件に合うお酒がありませんでした。条件を減らしてみてください。")))
    shown = show_cards(deps, [r.card() for r in recs])
    lines = [f"{i}. {brand_line(r.brand, lang)}: {r.reason}" for i, r in enumerate(recs, 1)]
    if error is not None:
        deps.out.set_error(error.as_dict(lang))
        head = error.message(lang) + pick(lang, " Meanwhile, popular picks:", " それまでは人気のお酒をどうぞ:")
    elif head is None:
        head = _lead(mode, anchor, direction, lang)
    after = []
    if recs[0].relaxed:
        given_up = pick(lang, ", ".join(recs[0].relaxed), "・".join(recs[0].relaxed))
        after.append(pick(lang, f"(Nothing met every condition, so I relaxed: {given_up}.)", f"(すべての条件に合うお酒がなかったため、「{given_up}」の条件をゆるめました。)"))
    if note:
        after.append(note)
    return _done(deps, "\n".join([head, *lines, *after]), lead="\n".join([head, *after]), shown=shown,
                 picks=[{"id": r.brand.id, "name": r.brand.name, "certain": r.certain} for r in recs])


def _lead(mode: str, anchor: BrandInfo | None, direction: str | None, lang: str) -> str:
    """The line above the picks; each card says why it was picked."""
    from core.flavor_space import DIRECTIONS

    if anchor is not None and mode == "like_but" and direction in DIRECTIONS:
        d = DIRECTIONS[direction]
        return t("lead.like_but", lang, name=anchor.name, direction=pick(lang, d.en, d.ja))
    if anchor is not None:
        return t("lead.similar", lang, name=anchor.name)
    return t("lead.for_me" if mode == "for_me" else "lead.picks", lang)


async def recommend(
    ctx: RunContext[Deps],
    mode: Mode = "popular",
    brand_id: int | None = None,
    name: str | None = None,
    direction: Direction | None = None,
    want: dict[str, int] | None = None,
    tags: list[str] | None = None,
    food: str | None = None,
    prefecture: str | None = None,
    grade: str | None = None,
    budget_yen: int | None = None,
    budget_usd: int | None = None,
    budget: str | None = None,
    exclude: list[int] | None = None,
    limit: int = 3,
    styles: list[Style] | None = None,
    avoid: list[Style] | None = None,
    temperature: Literal["warm", "hot", "chilled", "room"] | None = None,
    beginner: bool = False,
    personal: bool = False,
    unlike: list[int] | None = None,
    liked: float | None = None,
) -> Result:
    """Recommend sakes. mode: for_me (the user's taste), similar (to brand_id/name), like_but (like brand_id but
    `direction`), flavor (`want` axes f1 floral, f2 mellow, f3 rich, f4 calm, f5 dry, f6 light: +1 more / -1 less,
    and/or catalog `tags` such as 辛口 フルーティ), food (a dish), popular. prefecture / grade narrow any mode;
    exclude lists brand ids already shown. Every `want` axis, `styles` (must be) and `avoid` (must not be:
    "nothing fizzy" -> avoid fizzy) is a hard constraint; sparkling, cloudy, very sweet and aged sakes only come
    when listed in styles. beginner: approachable, well-known picks. personal: a plain "what do you recommend?" that
    should use the user's survey and ratings when there are any (popular picks otherwise). unlike: brand ids the
    user refused as a reference ("not X", "nothing like X"): excluded, and what tastes like them ranked down.
    liked: "like the ones I rated 5" (mode for_me, or flavor with want): the user's tastings rated this or more."""
    deps = _begin(ctx, "recommend")
    if personal and mode == "popular" and not (prefecture or grade or styles or avoid or beginner or want or tags) and (
        deps.services.profiles is not None and await deps.services.profiles.vector(deps.principal) is not None
    ):
        mode = "for_me"
    return await _recommend(
        deps, mode=mode, brand_id=brand_id, name=name, direction=direction, want=want, tags=tags, food=food,
        prefecture=prefecture, grade=grade, exclude=exclude, limit=limit, styles=styles, avoid=avoid,
        temperature=temperature, beginner=beginner, unlike=unlike, liked=liked,
        note=_budget_note(deps.lang, budget_yen, budget_usd, budget),
        easy_to_find=(budget_yen, budget_usd, budget) != (None, None, None),
    )


async def pair_food(
    ctx: RunContext[Deps],
    food: str,
    want: dict[str, int] | None = None,
    prefecture: str | None = None,
    grade: str | None = None,
    budget_yen: int | None = None,
    budget: str | None = None,
    exclude: list[int] | None = None,
    limit: int = 3,
    styles: list[Style] | None = None,
    avoid: list[Style] | None = None,
    unlike: list[int] | None = None,
) -> Result:
    """Sakes that go with a dish (any words, English or Japanese), with why they pair; want / styles / avoid
    as in recommend, all honoured together with the dish."""
    deps = _begin(ctx, "pair_food")
    pairing = deps.services.recommender.pairing
    family = pairing.profile_for(food or "")
    # The cards say why each pick suits the dish; the lead names the dish only.
    head = t("lead.food", deps.lang, food=family.name(deps.lang)) if family is not None else None
    return await _recommend(
        deps, mode="food", food=food, want=want, prefecture=prefecture, grade=grade, exclude=exclude, limit=limit, head=head,
        styles=styles, avoid=avoid, unlike=unlike,
        note=_budget_note(deps.lang, budget_yen, None, budget), easy_to_find=(budget_yen, budget) != (None, None),
    )


async def taste_profile(ctx: RunContext[Deps]) -> Result:
    """The user's taste profile (from their ratings and survey) as words and a radar chart."""
    deps = _begin(ctx, "taste_profile")
    profiles = deps.services.profiles
    vector = await profiles.vector(deps.principal)
    if vector is None:  # not a failure: a newcomer's profile is simply not there yet, so invite them
        deps.out.add_actions([Button(actions.SurveyStart(), t("button.survey_take", deps.lang), "primary")])
        return _done(deps, SenseiError(Code.PREFERENCES_NOT_FOUND).message(deps.lang))
    summary = await profiles.summary(deps.principal, deps.lang)
    # Drawn from the vector read above (TasteProfiles.chart_png would read it again); the same profile is drawn once.
    chart = tuple(round(float(x), 3) for x in vector.chart(profiles.space))
    png = _chart_png(chart, deps.lang, pick(deps.lang, "Your taste", "あなたの好み"))
    deps.out.images.append(ReplyImage(png, pick(deps.lang, "Your taste profile (radar chart)", "あなたの好みのレーダーチャート")))
    return _done(deps, summary)


# -- label photos -----------------------------------------------------------------------------------------


async def identify_label(ctx: RunContext[Deps], hint: str | None = None) -> Result:
    """Identify the sake in this turn's label photo. `hint`: the sake name you can read on the label, if any;
    it counts only where the catalog has exactly that name, never on its own."""
    deps = _begin(ctx, "identify_label")
    lang = deps.lang
    if not deps.images:
        return _done(deps, pick(lang, "Send me a photo of the label and I'll tell you which sake it is.", "ラベルの写真を送ってください。どのお酒か調べます。"))
    vision = None
    if hint and hint.strip():
        reading = hint.strip()[:200]

        async def vision(_image: bytes, _media_type: str) -> str | None:  # the model already looked: its reading
            return reading

    result, reply = await deps.services.labels.identify_for(deps.principal.user_id, deps.images[0], lang=lang, vision=vision)
    if reply.error:
        deps.out.set_error(reply.error)
    deps.out.add_cards(reply.cards if result.confident else [c.brand.card(score=c.confidence) for c in result.candidates[:3]])
    deps.out.images.extend(reply.images)
    deps.out.add_actions(reply.actions)  # the label reply's cards carry their own buttons and stars
    deps.out.summaries.append(reply.text)
    shown = [c.brand.id for c in result.candidates[: 1 if result.confident else 3]]
    return {"summary": reply.text, "shown": shown, "candidates": [{"id": c.brand.id, "name": c.brand.name, "confidence": round(c.confidence, 2)} for c in result.candidates[:3]]}


def optional_tools(services: Any) -> list[Callable[..., Any]]:
    """Tools whose service this process has: a tool without its service is not offered to any model."""
    out: list[Callable[..., Any]] = []
    if services.recommender is not None:
        out += [recommend, pair_food]
    if services.profiles is not None:
        out.append(taste_profile)
    if services.labels is not None:
        out.append(identify_label)
    return out

CORE_TOOLS: list[Callable[..., Any]] = [
    search_catalog, sake_details, log_tasting, edit_tasting, delete_tasting, tasting_history, tasting_stats,
    survey, preferences, wishlist_add, wishlist_show, wishlist_remove,
]
