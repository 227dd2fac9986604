"""The agent's recommendation tools: picks by taste, likeness, flavor, popularity, and for a dish.

Every constraint the model passes (want axes, styles, avoid) is a hard one; what could not be met
is said in the reply, never silently dropped.
"""

from __future__ import annotations

from typing import Literal

from pydantic_ai import RunContext

from core.agent.deps import Deps
from core.agent.tool_common import MAX_CARDS, Result, _begin, _done, _fail, brand_line, closest, resolve_brand, show_cards
from core.errors import Code, SenseiError
from core.texts import t

Direction = Literal["drier", "sweeter", "lighter", "richer", "more_aromatic"]
Mode = Literal["for_me", "similar", "like_but", "flavor", "popular", "food"]
Style = Literal["sparkling", "fizzy", "cloudy", "very_sweet", "aged", "namazake", "genshu", "kijoshu", "taruzake", "low_alcohol"]


def _budget_note(lang: str, budget_yen: int | None, budget_usd: int | None, budget: str | None) -> str | None:
    if budget_yen is None and budget_usd is None and budget is None:
        return None
    return t("recommend.no_prices", lang)


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
        return _fail(deps, SenseiError(Code.RECOMMENDATION_FAILED, t("recommend.none", lang)))
    shown = show_cards(deps, [r.card() for r in recs])
    lines = [f"{i}. {brand_line(r.brand, lang)}: {r.reason}" for i, r in enumerate(recs, 1)]
    parts = []
    if error is not None:
        deps.out.set_error(error.as_dict(lang))
        parts.append(error.message(lang) + t("recommend.meanwhile_popular", lang))
    elif head:
        parts.append(head)
    parts.extend(lines)
    if recs[0].relaxed:
        given_up = t("list.separator", lang).join(recs[0].relaxed)
        parts.append(t("recommend.relaxed", lang, given_up=given_up))
    if note:
        parts.append(note)
    return _done(deps, "\n".join(parts), shown=shown, picks=[{"id": r.brand.id, "name": r.brand.name, "certain": r.certain} for r in recs])


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
) -> Result:
    """Recommend sakes. mode: for_me (the user's taste), similar (to brand_id/name), like_but (like brand_id but
    `direction`), flavor (`want` axes f1 floral, f2 mellow, f3 rich, f4 calm, f5 dry, f6 light: +1 more / -1 less,
    and/or catalog `tags` such as 辛口 フルーティ), food (a dish), popular. prefecture / grade narrow any mode;
    exclude lists brand ids already shown. Every `want` axis, `styles` (must be) and `avoid` (must not be:
    "nothing fizzy" -> avoid fizzy) is a hard constraint; sparkling, cloudy, very sweet and aged sakes only come
    when listed in styles. beginner: approachable, well-known picks. personal: a plain "what do you recommend?" that
    should use the user's survey and ratings when there are any (popular picks otherwise)."""
    deps = _begin(ctx, "recommend")
    if personal and mode == "popular" and not (prefecture or grade or styles or avoid or beginner or want or tags) and (
        deps.services.profiles is not None and await deps.services.profiles.vector(deps.principal) is not None
    ):
        mode = "for_me"
    return await _recommend(
        deps, mode=mode, brand_id=brand_id, name=name, direction=direction, want=want, tags=tags, food=food,
        prefecture=prefecture, grade=grade, exclude=exclude, limit=limit, styles=styles, avoid=avoid,
        temperature=temperature, beginner=beginner,
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
) -> Result:
    """Sakes that go with a dish (any words, English or Japanese), with why they pair; want / styles / avoid
    as in recommend, all honoured together with the dish."""
    deps = _begin(ctx, "pair_food")
    pairing = deps.services.recommender.pairing
    family = pairing.profile_for(food or "")
    head = f"{family.name(deps.lang)}: {family.why(deps.lang)}" if family is not None else None
    return await _recommend(
        deps, mode="food", food=food, want=want, prefecture=prefecture, grade=grade, exclude=exclude, limit=limit, head=head,
        styles=styles, avoid=avoid,
        note=_budget_note(deps.lang, budget_yen, None, budget), easy_to_find=(budget_yen, budget) != (None, None),
    )
