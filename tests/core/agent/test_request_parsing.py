"""Table-driven parsing of whole requests: flavors, negations, styles, foods, places, follow-ups, typos (EN + JA).

Each row is one phrasing and the parts of the structured request it must yield; rows are built
from small tables so that every flavor word is tried with every negation and template.
"""

from __future__ import annotations

from typing import Any

import pytest

from core.agent.understanding import Context, Understanding
from core.catalog import CatalogSearch

FLAVOR_EN = {"dry": ("f5", 1), "sweet": ("f5", -1), "light": ("f6", 1), "rich": ("f3", 1), "fruity": ("f1", 1),
             "floral": ("f1", 1), "mellow": ("f2", 1), "smooth": ("f4", 1), "heavy": ("f3", 1), "crisp": ("f6", 1)}
FLAVOR_JA = {"辛口": ("f5", 1), "甘口": ("f5", -1), "軽快": ("f6", 1), "濃厚": ("f3", 1), "フルーティ": ("f1", 1),
             "華やか": ("f1", 1), "芳醇": ("f2", 1), "まろやか": ("f4", 1), "すっきり": ("f6", 1)}
NEG_EN = ("not {w}", "nothing {w}", "not too {w}", "without anything {w}", "a sake that isn't {w}")
NEG_JA = ("{w}じゃないお酒", "{w}ではないお酒", "{w}以外で")
STYLE_EN = {"sparkling": "sparkling", "fizzy": "sparkling", "nigori": "cloudy", "cloudy": "cloudy", "koshu": "aged",
            "namazake": "namazake", "genshu": "genshu", "kijoshu": "kijoshu", "taruzake": "taruzake", "low alcohol": "low_alcohol"}
STYLE_JA = {"スパークリング": "sparkling", "発泡": "sparkling", "にごり": "cloudy", "古酒": "aged", "生酒": "namazake", "原酒": "genshu",
            "貴醸酒": "kijoshu", "樽酒": "taruzake", "低アルコール": "low_alcohol"}
AVOID_EN = {"nothing fizzy": "fizzy", "no bubbles": "fizzy", "not sparkling": "fizzy", "no nigori": "cloudy", "nothing cloudy": "cloudy",
            "not aged": "aged", "no koshu": "aged"}
AVOID_JA = {"発泡じゃない": "fizzy", "発泡していない": "fizzy", "にごりは無しで": "cloudy", "にごりじゃない": "cloudy", "古酒以外": "aged"}
FOODS = {"sashimi": "sashimi", "tempura": "tempura", "yakitori": "yakitori", "steak": "steak", "cheese": "cheese",
         "刺身": "sashimi", "天ぷら": "tempura", "焼き鳥": "yakitori", "ステーキ": "steak", "チーズ": "cheese"}
PREFS = {"niigata": "新潟県", "akita": "秋田県", "yamaguchi": "山口県", "hyogo": "兵庫県", "新潟": "新潟県", "秋田": "秋田県",
         "山口": "山口県"}

ROWS: list[tuple[str, dict[str, Any], Context | None]] = []


def row(text: str, expect: dict[str, Any], ctx: Context | None = None) -> None:
    ROWS.append((text, expect, ctx))


for w, (axis, sign) in FLAVOR_EN.items():
    row(f"a {w} sake", {"want": {axis: sign}})
    row(f"something {w} please", {"want": {axis: sign}})
    for tpl in NEG_EN:
        row(tpl.format(w=w), {"want": {axis: -sign}})
    for food, key in list(FOODS.items())[:5]:
        row(f"something {w} for {food}", {"tool": "pair_food", "food": key, "want": {axis: sign}})
for w, (axis, sign) in FLAVOR_JA.items():
    row(f"{w}のお酒", {"want": {axis: sign}})
    for tpl in NEG_JA:
        row(tpl.format(w=w), {"want": {axis: -sign}})
    for food, key in list(FOODS.items())[5:]:
        row(f"{food}に合う{w}なお酒", {"tool": "pair_food", "food": key, "want": {axis: sign}})
for w, style in STYLE_EN.items():
    row(f"a {w} sake", {"styles": [style]})
    row(f"any {w} sake from niigata?", {"styles": [style], "prefecture": "新潟県"})
for w, style in STYLE_JA.items():
    row(f"{w}のお酒が飲みたい", {"styles": [style]})
for w, style in AVOID_EN.items():
    row(f"dry, {w}", {"avoid": [style], "want": {"f5": 1}})
    row(f"fruity sake, {w} please", {"avoid": [style], "want": {"f1": 1}})
for w, style in AVOID_JA.items():
    row(f"{w}辛口のお酒", {"avoid": [style], "want": {"f5": 1}})
row("clean and dry, nothing fizzy or cloudy", {"avoid": ["fizzy", "cloudy"], "want": {"f6": 1, "f5": 1}})
row("発泡もにごりも無しで、フルーティなお酒", {"avoid": ["fizzy", "cloudy"], "want": {"f1": 1}})
row("a rich sake that isn't sweet", {"want": {"f3": 1, "f5": 1}})
row("甘くなくて重くないお酒", {"want": {"f5": 1, "f3": -1}})
row("軽快、甘口じゃないお酒", {"want": {"f6": 1, "f5": 1}})  # a comma does not carry the refusal back (only も/や/と)
row("華やか、重くないもの", {"want": {"f1": 1, "f3": -1}})
row("something dry and light for sashimi", {"tool": "pair_food", "food": "sashimi", "want": {"f5": 1, "f6": 1}})
for p, full in PREFS.items():
    row(f"a dry sake from {p}" if p.isascii() else f"{p}の辛口", {"prefecture": full, "want": {"f5": 1}})
    row(f"light sake from {p}, not sweet" if p.isascii() else f"{p}の甘くないお酒", {"prefecture": full})
for typo, (axis, sign) in {"sweeet": ("f5", -1), "frutiy": ("f1", 1), "fruitty": ("f1", 1), "smoth": ("f4", 1)}.items():
    row(f"recommend a {typo} sake", {"want": {axis: sign}})
for dish in ("gyoza", "pad thai", "roast chicken", "grilled squid", "鯖の味噌煮", "餃子", "ビビンバ", "fish tacos"):
    row(f"what sake goes with {dish}?" if dish.isascii() else f"{dish}に合う日本酒", {"tool": "pair_food"})
for word in ("a beginner", "someone new to sake", "first-timers"):
    row(f"what is a good sake for {word}?", {"beginner": True})
row("初心者におすすめの日本酒は?", {"beginner": True})
DRY = Context(shown=(887, 431), last_tool="recommend", last_args={"mode": "flavor", "want": {"f5": 1}})
SUSHI = Context(shown=(71,), last_tool="pair_food", last_args={"food": "sushi"})
for text, expect in {
    "drier": {"want": {"f5": 1}}, "something lighter": {"want": {"f5": 1, "f6": 1}}, "richer": {"want": {"f5": 1, "f3": 1}},
    "from akita instead": {"prefecture": "秋田県", "want": {"f5": 1}}, "nothing fizzy": {"avoid": ["fizzy"], "want": {"f5": 1}},
    "not fruity though": {"want": {"f5": 1, "f1": -1}}, "秋田のにして": {"prefecture": "秋田県"},
    "もう少し軽めで": {"want": {"f5": 1, "f6": 1}},
    "発泡じゃないので": {"avoid": ["fizzy"]}, "another one": {"exclude": [431, 887]}, "他のは?": {"exclude": [431, 887]},
}.items():
    row(text, {"tool": "recommend", **expect}, DRY)
for text, expect in {
    "drier": {"want": {"f5": 1}, "food": "sushi"}, "something lighter": {"want": {"f6": 1}, "food": "sushi"},
    "from niigata instead": {"prefecture": "新潟県", "food": "sushi"}, "no nigori": {"avoid": ["cloudy"]},
    "別のをお願い": {"exclude": [71]},
}.items():
    row(text, {"tool": "pair_food", **expect}, SUSHI)
row("the second one", {"tool": "sake_details", "brand_id": 431}, DRY)
row("log the second one, 4 stars", {"tool": "log_tasting", "brand_id": 431}, DRY)
# destructive: a logging turn is never a delete; a bare delete names nothing
row("'; DROP TABLE tastings; -- log dassai 3 stars", {"tool": "log_tasting", "brand_id": 887})
row("drop it, log kubota 4 stars", {"tool": "log_tasting", "brand_id": 431})
row("undo", {"tool": "delete_tasting", "absent": ["brand_id", "last"]})
row("delete my last tasting", {"tool": "delete_tasting", "last": True})
row("最後の記録を消して", {"tool": "delete_tasting", "last": True})
row("remove the kubota tasting", {"tool": "delete_tasting", "brand_id": 431})


@pytest.fixture(scope="module")
def nlu(search: CatalogSearch) -> Understanding:
    return Understanding(search)


def test_there_are_enough_rows() -> None:
    assert len(ROWS) >= 300, len(ROWS)


@pytest.mark.parametrize(("text", "expect", "ctx"), ROWS, ids=[r[0][:40] for r in ROWS])
def test_request_parsing(nlu: Understanding, text: str, expect: dict[str, Any], ctx: Context | None) -> None:
    got = nlu.understand(text, ctx)
    args = got.args
    want_tool = expect.get("tool")
    if want_tool:
        assert got.tool == want_tool, got.as_dict()
    else:
        assert got.tool in ("recommend", "pair_food"), got.as_dict()
    for key, value in expect.items():
        if key in ("tool",):
            continue
        if key == "absent":
            assert not set(value) & set(args), args
        elif key == "want":
            assert {a: int(v) for a, v in args.get("want", {}).items() if a in value} == value, args
        elif key in ("styles", "avoid", "exclude"):
            assert set(value) <= set(args.get(key, [])), args
        else:
            assert args.get(key) == value, args


# -- issue #19 gaps: the user's own history, "not X" as a reference brand, how many ---------------------
# 887 獺祭 (dassai), 431 久保田 (kubota). `liked`: the stars of the user's own tastings to start from;
# `unlike`: reference brands to exclude and steer away from; `limit`: how many picks, as asked (the tools show 5 at most and say so).
GAPS: list[tuple[str, dict[str, Any], Context | None]] = []
for text, stars in {
    "like the ones I rated 5": 5.0, "something like what I gave 5 stars": 5.0, "recommend something similar to the sakes i rated 4": 4.0,
    "more like the ones I gave 4.5": 4.5, "星5をつけたのに似たお酒": 5.0, "★4をつけたお酒に似たもの": 4.0,
    "星5をつけたのと似たのを教えて": 5.0,
}.items():
    GAPS.append((text, {"tool": "recommend", "liked": stars, "absent": ["rating", "brand_id"]}, None))
for text in ("something like my favourites", "more like the ones i loved", "similar to my top rated sakes", "お気に入りに似たお酒",
             "高く評価したお酒に似たもの"):
    GAPS.append((text, {"tool": "recommend", "liked": 4.0, "absent": ["rating", "brand_id"]}, None))
GAPS.append(("dry ones like the ones i rated 5", {"tool": "recommend", "liked": 5.0, "want": {"f5": 1}}, None))
for text, expect in {
    "not dassai": {"unlike": [887]}, "nothing like dassai": {"unlike": [887]}, "anything but dassai": {"unlike": [887]},
    "something dry, but not dassai": {"unlike": [887], "want": {"f5": 1}},
    "a fruity sake, nothing like kubota": {"unlike": [431], "want": {"f1": 1}},
    "recommend something other than dassai": {"unlike": [887]}, "unlike kubota, something rich": {"unlike": [431], "want": {"f3": 1}},
    "獺祭以外で辛口のお酒": {"unlike": [887], "want": {"f5": 1}}, "獺祭以外のおすすめ": {"unlike": [887]},
    "久保田みたいじゃないお酒": {"unlike": [431]},
    "獺祭じゃないフルーティなお酒": {"unlike": [887], "want": {"f1": 1}},
}.items():
    GAPS.append((text, {"tool": "recommend", **expect, "absent": ["brand_id"]}, None))
GAPS.append(("besides kubota what do you recommend?", {"tool": "recommend", "unlike": [431]}, None))
GAPS.append(("久保田以外で新潟の辛口", {"tool": "recommend", "unlike": [431], "prefecture": "新潟県", "want": {"f5": 1}}, None))
GAPS.append(("recommend 2 sakes like the ones i rated 4.5", {"tool": "recommend", "liked": 4.5, "limit": 2}, None))
GAPS.append(("not sure, maybe something dry", {"tool": "recommend", "absent": ["unlike"], "want": {"f5": 1}}, None))
GAPS.append(("sashimi, but nothing like dassai", {"tool": "pair_food", "food": "sashimi", "unlike": [887]}, None))
for text, n in {
    "give me 5": 5, "give me 5 dry sakes": 5, "three picks please": 3, "recommend two fruity sakes": 2,
    "top 10 sakes": 10, "just one light sake": 1, "辛口を3つ": 3, "おすすめを5つ教えて": 5, "フルーティなお酒を2本": 2,
    "新潟のお酒を三つ": 3,
    "3 sakes for sushi": 3,
}.items():
    GAPS.append((text, {"limit": n, "absent": ["rating"]}, None))
# a catalog search counts too
GAPS.append(("show me 4 sakes from niigata", {"tool": "search_catalog", "limit": 4, "prefecture": "新潟県"}, None))
# follow-ups keep them
FIVE = Context(shown=(887, 431, 71), last_tool="recommend", last_args={"mode": "flavor", "want": {"f5": 1}, "limit": 5, "unlike": [1]})
for text, expect in {"drier": {"limit": 5, "unlike": [1]}, "from akita instead": {"limit": 5, "unlike": [1]},
                     "another one": {"limit": 5, "unlike": [1]}, "nothing fizzy": {"limit": 5}, "just 2": {"limit": 2, "want": {"f5": 1}},
                     "not kubota either": {"unlike": [1, 431], "want": {"f5": 1}}}.items():
    GAPS.append((text, {"tool": "recommend", **expect}, FIVE))
LIKED = Context(shown=(887,), last_tool="recommend", last_args={"mode": "for_me", "liked": 5.0})
GAPS.append(("something else", {"tool": "recommend", "liked": 5.0, "exclude": [887]}, LIKED))
# nothing here steals a rating, a log or a brand lookup that was right before
for text, expect in {"dassai, 5 stars": {"tool": "log_tasting", "rating": 5.0, "brand_id": 887},
                     "tell me about dassai": {"tool": "sake_details", "brand_id": 887},
                     "rate kubota 4": {"tool": "log_tasting", "rating": 4.0},
                     "獺祭を星5で記録": {"tool": "log_tasting", "rating": 5.0}}.items():
    GAPS.append((text, expect, None))

# a flavor word beside a named sake is the direction away from it ("like hakkaisan but sweet" = "but sweeter");
# without a named sake it stays a flavor request, even after picks
for text, expect in {"八海山みたいで甘口": {"brand_id": 380, "direction": "sweeter"},
                     "something like kubota, rich and full": {"brand_id": 431, "direction": "richer"},
                     "dassai-like but dry": {"brand_id": 887, "direction": "drier"}}.items():
    GAPS.append((text, {"tool": "recommend", "mode": "like_but", **expect}, None))
for text in ("私の記録", "自分の記録を見たい", "記録は?"):  # were read as logging a tasting ("which sake did you drink?")
    GAPS.append((text, {"tool": "tasting_history"}, None))
GAPS.append(("I like dry sake", {"tool": "recommend", "mode": "flavor", "want": {"f5": 1}}, DRY))
GAPS.append(("similar to dassai", {"tool": "recommend", "mode": "similar", "brand_id": 887}, None))



@pytest.mark.parametrize(("text", "expect", "ctx"), GAPS, ids=[g[0][:40] for g in GAPS])
def test_request_gaps(nlu: Understanding, text: str, expect: dict[str, Any], ctx: Context | None) -> None:
    got = nlu.understand(text, ctx)
    args = got.args
    assert got.tool == expect.get("tool", got.tool if got.tool in ("recommend", "pair_food") else "recommend"), got.as_dict()
    for key, value in expect.items():
        if key == "tool":
            continue
        if key == "absent":
            assert not set(value) & set(args), args
        elif key == "want":
            assert {a: int(v) for a, v in args.get("want", {}).items() if a in value} == value, args
        elif key in ("exclude", "unlike"):
            assert set(value) <= set(args.get(key, [])), args
        else:
            assert args.get(key) == value, args
