"""Picks from stock: what to pour for a guest ("likes fruity and light", "with grilled mackerel").

Only items in stock are considered: the recommender ranks *among* their brands (so one
ranking logic serves personal users and restaurants), and each pick carries the reason,
a serving temperature and a line staff can say to the guest, in the asker's language.

A staff member asking for a guest gets picks from the guest's stated taste or dish alone,
not from the staff member's own tastings; `for_me=True` (a guest asking for themselves)
uses the asker's own profile, and still only among what is in stock.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import Code, SenseiError
from core.identity import Principal
from core.messages import Card
from core.pairing import FoodFamily
from core.recommender import NeedsPreferences, Recommendation, Recommender, RecRequest
from core.restaurants.menu import Menu, MenuItem
from core.restaurants.roles import Role
from core.restaurants.serving import pitch, serving_temperature
from core.tasting_input import temperature_label
from core.texts import t

MAX_PICKS = 10


@dataclass(frozen=True, slots=True)
class Pick:
    item: MenuItem  # the bottling to pour (one sold by the glass when there is one)
    others: tuple[MenuItem, ...]  # other in-stock bottlings of the same brand
    reason: str
    temperature: str  # chilled | room | warm | hot
    pitch: str  # a line staff can say to the guest
    certain: bool  # False: the brand has no flavor chart; ranked from tags
    score: float
    family: FoodFamily | None = None

    def temperature_label(self, lang: str) -> str:
        return temperature_label(self.temperature, lang) or ""

    def card(self, lang: str = "en", *, counts: bool = True) -> Card | None:
        card = self.item.card(lang, counts=counts, reason=self.reason, score=self.score)
        if card is None:
            return None
        card.certain = self.certain
        card.extra.update({"serve": self.temperature, "serve_label": self.temperature_label(lang), "pitch": self.pitch})
        if self.others:
            card.extra["other_menu_items"] = [o.id for o in self.others]
        return card


def _no_stock(empty: bool) -> SenseiError:
    if empty:
        return SenseiError(
            Code.RECOMMENDATION_FAILED,
            "The menu is empty; staff can add sakes first.",
            detail_ja="メニューが空です。先にスタッフがお酒を登録してください。",
        )
    return SenseiError(
        Code.RECOMMENDATION_FAILED, "Nothing on the menu is in stock right now.", detail_ja="いまメニューに在庫のあるお酒がありません。"
    )


class Picks:
    def __init__(self, menu: Menu, recommender: Recommender) -> None:
        self.menu = menu
        self.recommender = recommender

    async def picks(
        self,
        principal: Principal,
        *,
        want: dict[str, float] | None = None,
        tags: list[str] | None = None,
        food: str | None = None,
        for_me: bool = False,
        limit: int = 3,
        lang: str = "en",
        platform_admin: bool = False,
    ) -> list[Pick]:
        """Up to `limit` picks from what is in stock; SS-004 when nothing is (anyone in the workspace may ask)."""
        everything = await self.menu.items(principal)
        stocked = [i for i in everything if i.available and i.brand is not None]
        if not stocked:
            raise _no_stock(not everything)
        limit = max(1, min(MAX_PICKS, int(limit)))
        brands = list(dict.fromkeys(i.brand_id for i in stocked))
        want = {a: float(v) for a, v in (want or {}).items() if v}
        if food:
            req = RecRequest(mode="food", food=food, tags=list(tags or []), among=brands, include_logged=True, limit=limit)
        elif want or tags:
            req = RecRequest(mode="flavor", want=want, tags=list(tags or []), among=brands, include_logged=True, limit=limit)
        elif for_me:
            req = RecRequest(mode="for_me", among=brands, include_logged=True, limit=limit)
        else:
            req = RecRequest(mode="popular", among=brands, include_logged=True, limit=limit)
        if req.mode == "for_me":
            try:
                recs = await self.recommender.recommend(principal, req, lang)
            except NeedsPreferences as e:
                recs = e.fallback
        else:
            # The guest's words alone decide; the asker's own tastings neither steer nor hide anything.
            recs = self.recommender.rank(req, None, set(), lang)
        family = self.recommender.pairing.family_for(food) if food else None
        if family is None and food:
            family = self.recommender.pairing.get(food)
        picks = [self._pick(r, stocked, family, food, lang) for r in recs]
        if not picks:  # brands with no ranking or flavor data at all: the menu's own order, said plainly
            picks = [self._unranked(brand_id, stocked, lang) for brand_id in brands[:limit]]
        return picks

    def _pick(self, rec: Recommendation, stocked: list[MenuItem], family: FoodFamily | None, dish: str | None, lang: str) -> Pick:
        same = sorted((i for i in stocked if i.brand_id == rec.brand.id), key=lambda i: (i.price_glass is None, i.id))
        item, others = same[0], tuple(same[1:])
        space = self.recommender.space
        temp = serving_temperature(rec.brand, space, family)
        named = dish if family is not None and dish and dish != family.id else None  # a family id is not what the guest ordered
        line = pitch(rec.brand, space, lang, temperature=temp, family=family, dish=named, grade=item.grade)
        return Pick(item, others, rec.reason, temp, line, rec.certain, rec.score, family)

    def _unranked(self, brand_id: int, stocked: list[MenuItem], lang: str) -> Pick:
        same = sorted((i for i in stocked if i.brand_id == brand_id), key=lambda i: (i.price_glass is None, i.id))
        item = same[0]
        assert item.brand is not None
        space = self.recommender.space
        temp = serving_temperature(item.brand, space)
        reason = t("picks.unranked", lang)
        return Pick(item, tuple(same[1:]), reason, temp, pitch(item.brand, space, lang, temperature=temp, grade=item.grade), False, 0.0)

    async def counts_visible(self, principal: Principal, platform_admin: bool = False) -> bool:
        """Bottle counts are for staff; guests see only in or out of stock."""
        return (await self.menu.restaurants.role(principal, platform_admin=platform_admin)).rank >= Role.STAFF.rank
