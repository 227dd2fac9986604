"""The agent's recommendation tools: picks by taste, likeness, flavor, popularity, and for a dish.

Every constraint the model passes (want axes, styles, avoid) is a hard one; what could not be met
is said in the reply, never silently dropped.
"""

from __future__ import annotations

from typing import Literal

from pydantic_ai import RunContext

from core.agent.deps import Deps
from core.agent.pairing_tools import named_pairing
from core.catalog.model import BrandInfo
from core.i18n import pick
from core.agent.tool_common import MAX_CARDS, Result, _begin, _done, _fail, brand_line, closest, resolve_brand, show_cards
from core.errors import Code, SenseiError
from core.texts import t

Direction = Literal["drier", "sweeter", "lighter", "richer", "more_aromatic"]
Mode = Literal["for_me", "similar", "like_but", "flavor", "popular", "food"]
Style = Literal["sparkling", "fizzy", "cloudy", "very_sweet", "aged", "namazake", "genshu", "kijoshu", "taruzake", "kimoto", "low_alcohol"]


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
        return _fail(deps, SenseiError(Code.RECOMMENDATION_FAILED, t("recommend.none", lang)))
    shown = show_cards(deps, [r.card() for r in recs])
    lines = [f"{i}. {brand_line(r.brand, lang)}: {r.reason}" for i, r in enumerate(recs, 1)]
    if error is not None:
        deps.out.set_error(error.as_dict(lang))
        head = error.message(lang) + t("recommend.meanwhile_popular", lang)
    elif head is None:
        head = _lead(mode, anchor, direction, lang)
    after = []
    if recs[0].relaxed:
        given_up = t("list.separator", lang).join(recs[0].relaxed)
        after.append(t("recommend.relaxed", lang, given_up=given_up))
    if note:
        after.append(note)
    if int(limit) > MAX_CARDS:  # "top 10": say why there are fewer
        after.append(t("recommend.capped", lang, n=MAX_CARDS))
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
    among: list[int] | None = None,
) -> Result:
    """Sakes that go with a dish (any words, English or Japanese), with why they pair; want / styles / avoid
    as in recommend, all honoured together with the dish. among: brand ids the user named and asks about ("dassai
    or kubota for tempura?", "is kubota good with oden?"): how well each suits the dish, best first."""
    deps = _begin(ctx, "pair_food")
    pairing = deps.services.recommender.pairing
    family = pairing.profile_for(food or "")
    # The cards say why each pick suits the dish; the lead names the dish only.
    head = t("lead.food", deps.lang, food=family.name(deps.lang)) if family is not None else None

    async def picks(exclude: list[int] | None = exclude) -> Result:
        return await _recommend(
            deps, mode="food", food=food, want=want, prefecture=prefecture, grade=grade, exclude=exclude, limit=limit, head=head,
            styles=styles, avoid=avoid, unlike=unlike,
            note=_budget_note(deps.lang, budget_yen, None, budget), easy_to_find=(budget_yen, budget) != (None, None),
        )

    if among and family is not None:
        named = await named_pairing(deps, family, among, lambda: picks([*(exclude or []), *among]))
        if named is not None:
            return named
    return await picks()
