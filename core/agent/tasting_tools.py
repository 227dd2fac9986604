"""The agent's tools over the asker's own tasting log: log, edit, delete, history, stats.

Tastings are found among the asker's own ("my last one", "my dassai"); the model never names a
tasting id. A rating soon after a rating-less log completes that record instead of adding one.
"""

from __future__ import annotations

from typing import Any

from pydantic_ai import RunContext

from core import actions
from core.agent.deps import Deps
from core.agent.tool_common import MAX_CARDS, Result, _begin, _done, _fail, _logged, resolve_brand, show_cards
from core.catalog.model import BrandInfo
from core.catalog.prefectures import display_name
from core.errors import Code, SenseiError
from core.texts import t
from core.messages import Button
from core.tasting_input import TastingInput
from core.tasting_records import Tasting


async def _my_tasting(deps: Deps, brand_id: int | None) -> Tasting | None:
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


async def _pending_tasting(deps: Deps, brand: BrandInfo | None) -> Tasting | None:
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


async def _saved_by_the_dead_turn(deps: Deps, brand: BrandInfo | None, name: str | None, rating: float | None) -> Tasting | None:
    """The tasting the died first run of this turn saved: the user's last, the same sake and stars, just now."""
    log_ = deps.services.tastings
    last = await log_.last(deps.principal)
    if last is None or last.rating != rating or (log_.clock() - last.created_at).total_seconds() > TAKEN_OVER_WINDOW_S:
        return None
    same = last.brand_id == brand.id if brand is not None else (last.free_text_name or "") == (name or "").strip()[:256]
    return last if same else None


def _logged_words(tasting: Tasting, stars: str, lang: str) -> str:
    """The confirmation repeats the note, so the drinker sees it was kept (and how it was read)."""
    if tasting.notes:
        note = tasting.notes if len(tasting.notes) <= 80 else tasting.notes[:79] + "…"
        return t("tasting.logged_note", lang, name=tasting.name, stars=stars, note=note)
    return t("tasting.logged", lang, name=tasting.name, stars=stars)


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
        return _done(deps, t("tasting.which_sake", lang))
    pending = await _pending_tasting(deps, brand)
    if pending is not None:  # "log X" then "4 stars" (or the Log it button, then a star button): one record
        if rating is None and notes is None and temperature is None and food is None:
            shown = show_cards(deps, [brand.card()]) if brand else []
            if brand:
                _logged(deps, brand.id, ask_rating=True)
            return _done(deps, t("tasting.logged_ask_stars", lang, name=pending.name), shown=shown)
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
        return _done(deps, _logged_words(tasting, stars, lang), shown=shown,
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
    summary = _logged_words(tasting, stars, lang)
    shown: list[int] = []
    if brand is not None:
        shown = show_cards(deps, [brand.card()])
        _logged(deps, brand.id, ask_rating=tasting.rating is None)
        if tasting.rating is None:
            summary += t("tasting.ask_stars", lang)
    return _done(deps, summary, shown=shown, tasting={"name": label, "rating": tasting.rating, "date": tasting.tasted_on.isoformat()})


async def edit_tasting(ctx: RunContext[Deps], brand_id: int | None = None, rating: float | None = None, notes: str | None = None) -> Result:
    """Change the rating or notes of the user's last tasting (or their latest tasting of brand_id)."""
    deps = _begin(ctx, "edit_tasting")
    target = await _my_tasting(deps, brand_id)
    if target is None:
        return _done(deps, t("tasting.not_found", deps.lang))
    changes: dict[str, Any] = {}
    if rating is not None:
        changes["rating"] = rating
    if notes is not None:
        changes["notes"] = notes
    if not changes:
        return _done(deps, t("tasting.what_to_change", deps.lang))
    try:
        changed = await deps.services.tastings.edit(deps.principal, target.id, **changes)
    except SenseiError as e:
        return _fail(deps, e)
    deps.out.wrote = True
    stars = f" ★{changed.rating:g}" if changed.rating is not None else ""
    shown = [changed.brand_id] if changed.brand_id else []
    return _done(deps, t("tasting.updated", deps.lang, name=changed.name, stars=stars), shown=shown)


async def delete_tasting(ctx: RunContext[Deps], brand_id: int | None = None, last: bool = False) -> Result:
    """Delete the user's latest tasting of brand_id, or their last tasting when last=True (the user said "my last one").
    Without either, nothing is deleted: the user is asked to confirm with a button."""
    deps = _begin(ctx, "delete_tasting")
    target = await _my_tasting(deps, brand_id)
    if target is None:
        return _done(deps, t("tasting.none_such", deps.lang))
    if brand_id is None and not last:  # a destructive turn needs an explicit target or a confirmation
        if target.brand_id:
            deps.out.add_actions([Button(actions.Unlog(target.brand_id), t("button.unlog", deps.lang, name=target.name), "danger")])
        return _done(deps, t("tasting.confirm_delete", deps.lang, name=target.name, tasted_on=target.tasted_on))
    try:
        await deps.services.tastings.delete(deps.principal, target.id)
    except SenseiError as e:
        return _fail(deps, e)
    deps.out.wrote = True
    return _done(deps, t("tasting.deleted", deps.lang, name=target.name, tasted_on=target.tasted_on))


async def tasting_history(ctx: RunContext[Deps], page: int = 1) -> Result:
    """The user's tastings, newest first, ten a page."""
    deps = _begin(ctx, "tasting_history")
    page = max(1, min(int(page), 10_000))
    rows = await deps.services.tastings.page(deps.principal, page=page, per_page=10)
    if not rows:
        text = t("history.empty", deps.lang)
        return _done(deps, text if page == 1 else t("history.no_more", deps.lang))
    head = t("history.head", deps.lang)
    flights = await deps.services.tastings.flights_of(deps.principal, [row.id for row in rows])
    lines = [f"- {row.summary(deps.lang)}" + (f" {t('history.in_flight', deps.lang, date=flights[row.id][1].isoformat())}"
                                                if row.id in flights else "") for row in rows]
    shown = [row.brand_id for row in rows if row.brand_id is not None]
    return _done(deps, "\n".join([head, *lines]), shown=shown[:MAX_CARDS])


async def tasting_stats(ctx: RunContext[Deps]) -> Result:
    """Counts and averages over the user's tastings: how many, average stars, by prefecture and grade."""
    deps = _begin(ctx, "tasting_stats")
    st = await deps.services.tastings.stats(deps.principal)
    lang = deps.lang
    if st.count == 0:
        return _done(deps, t("stats.empty", lang))
    avg = f"{st.average_rating:.2f}" if st.average_rating is not None else "-"
    lines = [
        t("stats.summary", lang, count=st.count, unique_brands=st.unique_brands, avg=avg, rated=st.rated),
    ]
    sep = "、" if lang == "ja" else ", "
    places = deps.services.catalog.prefectures
    if st.by_prefecture:
        top = sep.join(f"{display_name(b.key, places, lang)} ×{b.count}" for b in st.by_prefecture[:3])
        lines.append(t("stats.prefectures", lang, top=top))
    if st.by_grade:
        top = sep.join(f"{b.key} ×{b.count}" for b in st.by_grade[:3])
        lines.append(t("stats.grades", lang, top=top))
    if fav := st.favourite_prefecture:
        lines.append(t("stats.favourite_prefecture", lang, fav=display_name(fav, places, lang)))
    return _done(deps, "\n".join(lines), count=st.count, average_rating=st.average_rating)
