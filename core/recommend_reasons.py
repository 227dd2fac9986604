"""Why each recommended sake was picked, in the user's language, from facts only.

Every comparative word ("drier", "more aromatic") is said only when it is true of the brand's
chart against the catalog (the recommender's hard constraints make sure of it for flavor
requests) and says where the brand stands among all charted sakes ("dry: top 12 %"), never a bare
chart figure; estimates say that they are estimates.
"""

from __future__ import annotations

import numpy as np

from core.catalog.model import FLAVOR_AXES, BrandInfo
from core.catalog.prefectures import romaji_of
from core.flavor_space import AXES, DIRECTIONS, FlavorSpace
from core.pairing import FoodFamily, Pairing
from core.profile import TasteProfiles, TasteVector
from core.request import RecRequest
from core.styles import StyleIndex, evidence
from core.texts import t

_AXIS = {a: (ja, en) for a, ja, en in FLAVOR_AXES}
# words for "higher / lower on this axis" in reasons
_MORE = {
    "f1": ("より華やか", "more aromatic"), "f2": ("より芳醇", "mellower"), "f3": ("より重厚", "richer"),
    "f4": ("より穏やか", "calmer"), "f5": ("よりドライ", "drier"), "f6": ("より軽快", "lighter"),
}
_LESS = {
    "f1": ("香り控えめ", "less aromatic"), "f2": ("より淡麗", "leaner"), "f3": ("より軽め", "lighter-bodied"),
    "f4": ("より個性的", "livelier"), "f5": ("より甘口", "sweeter"), "f6": ("よりどっしり", "fuller"),
}
_OPPOSITE_JA = {"f1": "香り控えめ", "f2": "淡麗", "f3": "軽め", "f4": "個性的", "f5": "甘口", "f6": "どっしり"}
_BOTH = {
    "f1": ("華やか", "floral"), "f2": ("芳醇", "mellow"), "f3": ("重厚", "rich"),
    "f4": ("穏やか", "calm"), "f5": ("ドライ", "dry"), "f6": ("軽快", "light"),
}


def explain(
    space: FlavorSpace, pairing: Pairing, profiles: TasteProfiles, req: RecRequest, brand: BrandInfo, i: int,
    vector: TasteVector | None, anchor: BrandInfo | None, family: FoodFamily | None, lang: str,
) -> str:
    sp = space
    ja = lang == "ja"
    z = sp.position[i]
    certain = bool(sp.certain[i])
    parts: list[str] = []
    if anchor is not None and anchor.chart is None:
        parts.append(
            f"{anchor.name}にはフレーバーチャートがないため、タグからの推定です(確度は低め)。" if ja
            else f"{anchor.name} has no flavor chart, so this is judged from its tags (less certain)."
        )
    if req.mode == "popular":
        parts.append(rank_note(brand, lang) or t("rank.none", lang))
        if req.beginner and len(brand.products) >= 5:
            n = len(brand.products)
            parts.append(f"初めての方にも飲みやすく、{n}種類の銘柄が出ていて手に入りやすいお酒です。" if ja
                         else f"An approachable classic, easy to find: {n} products listed.")
    elif req.mode == "food" and family is not None:
        parts.append(pairing.explain(family, brand, lang, sp))
        if vector is not None and (a := _nearest_liked(vector, z)) is not None and float(((a.z - z) ** 2).mean()) < 0.35:
            parts.append(f"{a.name}(★{a.rating:g})がお好きなら合うはず。" if ja else f"Close to {a.name}, which you rated {a.rating:g}.")
    elif req.mode in ("similar", "like_but") and anchor is not None:
        az = sp.position[sp.row(anchor.id)]  # type: ignore[index]
        if req.mode == "like_but" and req.direction in DIRECTIONS:
            dname = DIRECTIONS[req.direction]
            detail = _axis_detail(sp, brand, anchor, DIRECTIONS[req.direction].axes, lang) if certain and anchor.chart else ""
            parts.append(f"{anchor.name}に似て{dname.ja}{detail}。" if ja else f"Like {anchor.name} but {dname.en}{detail}.")
        else:
            parts.append(_compare(anchor.name, az, z, lang))
        if vector is not None:
            mine = next((a for a in vector.anchors if a.brand is not None and a.brand.id == anchor.id), None)
            if mine is not None:
                parts.append(
                    f"あなたは{anchor.name}を★{mine.rating:g}と評価しています。" if ja else f"You rated {anchor.name} {mine.rating:g}."
                )
    elif req.mode == "flavor":
        wanted = [a for a, v in req.want.items() if a in AXES and v]
        words = [(_MORE if req.want[a] > 0 else _LESS)[a][1] for a in wanted]
        ja_words = [_BOTH[a][0] if req.want[a] > 0 else _OPPOSITE_JA[a] for a in wanted]
        if certain and brand.chart is not None and wanted:
            # "than most" only where it is true against the catalog median; elsewhere (a menu) it says it is below it
            median = StyleIndex.of(sp, sp.brands).median
            true = [a for a in wanted if (brand.chart[AXES.index(a)] - median[AXES.index(a)]) * req.want[a] >= 0]
            index = StyleIndex.of(sp, sp.brands)
            if true:
                tops = ", ".join(_top(index, brand, a, req.want[a] > 0, lang) for a in true)
                tw = [w for a, w in zip(wanted, words) if a in true]
                tj = [w for a, w in zip(wanted, ja_words) if a in true]
                parts.append(t("reason.than_most", lang, words="・".join(tj) if ja else " and ".join(tw).capitalize(), tops=tops))
            for a in (a for a in wanted if a not in true):
                k = AXES.index(a)
                more = req.want[a] > 0
                parts.append(t("reason.below_median", lang, word=_axis_word(a, more, lang),
                               top=index.top_percent(k, float(brand.chart[k]), more)))
        elif words:
            parts.append(f"タグから{'・'.join(ja_words)}と判断。" if ja else f"{' and '.join(words).capitalize()}, judging from its tags.")
        for style in req.styles:
            shown = evidence(brand, style)
            name = t(f"style_name.{style}", lang)
            if shown:
                parts.append(f"{name}: 「{shown}」。" if ja else f"A {name} sake: {shown}.")
    elif req.mode == "for_me" and vector is not None:
        a = _nearest_liked(vector, z)
        if a is not None:
            parts.append(_compare(a.name, a.z, z, lang, rated=a.rating))
        elif vector.survey is not None:
            words = profiles.words(vector, lang)
            parts.append((f"アンケートの好み({'・'.join(words)})に合います。" if words else "アンケートの好みに合います。") if ja
                         else f"Fits your survey answers{' (' + ', '.join(words) + ')' if words else ''}.")
    if req.tags:
        have = [t for t in brand.tags if t in req.tags]
        if have:
            parts.append(f"タグ: {'・'.join(have)}。" if ja else f"Tagged {', '.join(have)}.")
    if not sp.placed[i]:
        parts.append("味のデータがありません(人気順で表示)。" if ja else "No flavor data at all: placed by popularity only.")
    elif not certain:
        tags = "・".join(brand.tags[:3])
        parts.append(
            (
                f"フレーバーチャートがないため、タグ({tags})から推定しています(確度は低め)。"
                if tags
                else "フレーバーチャートがないため、製品データから推定しています(確度は低め)。"
            )
            if ja
            else (
                f"No flavor chart: judged from its tags ({tags}), so less certain."
                if tags
                else "No flavor chart: judged from product specs, so less certain."
            )
        )
    if req.mode != "popular" and brand.rank is not None:
        parts.append(f"さけのわ総合{brand.rank}位。" if ja else f"#{brand.rank} on Sakenowa.")
    return (" " if not ja else "").join(p for p in parts if p).strip()


def unlike_note(space: FlavorSpace, refused: BrandInfo, i: int, lang: str) -> str | None:
    """"Unlike 獺祭, this one is drier.": the axis on which a pick is furthest from the brand the user refused."""
    row = space.row(refused.id)
    if row is None or not (space.certain[row] and space.certain[i]):  # compared on both charts, never on estimates
        return None
    d = space.position[i] - space.position[row]
    k = int(np.argmax(np.abs(d)))
    if abs(float(d[k])) < 0.5:  # not clearly different on any axis: say nothing rather than something false
        return None
    word = (_MORE if d[k] > 0 else _LESS)[AXES[k]][0 if lang == "ja" else 1]
    return t("rec.unlike", lang, name=refused.name, word=word)


def _nearest_liked(vector: TasteVector, z: np.ndarray):  # type: ignore[no-untyped-def]
    liked = [a for a in vector.anchors if a.weight > 0]
    if not liked:
        return None
    return min(liked, key=lambda a: float(((a.z - z) ** 2).sum()) - 0.3 * a.weight)


def _compare(name: str, ref: np.ndarray, z: np.ndarray, lang: str, rated: float | None = None) -> str:
    """"You rated 十四代 4.5; this is similarly floral and lighter." from two standardised positions."""
    ja = lang == "ja"
    same = [a for k, a in enumerate(AXES) if ref[k] > 0.4 and z[k] > 0.4 and abs(z[k] - ref[k]) < 0.6]
    diff = sorted(((z[k] - ref[k], a) for k, a in enumerate(AXES) if abs(z[k] - ref[k]) >= 0.6), key=lambda x: -abs(x[0]))
    same_w = [_BOTH[a][0 if ja else 1] for a in same[:2]]
    diff_w = [(_MORE if d > 0 else _LESS)[a][0 if ja else 1] for d, a in diff[:1]]
    if ja:
        head = f"{name}を★{rated:g}と評価したあなたに。" if rated is not None else f"{name}に似たお酒。"
        body = ""
        if same_w:
            body += f"同じく{'・'.join(same_w)}"
        if diff_w:
            body += ("で、" if body else "") + diff_w[0]
        return head + (f"{body}です。" if body else "味わいが近いお酒です。")
    head = f"You rated {name} {rated:g}; this is" if rated is not None else f"Like {name}: this is"
    bits = []
    if same_w:
        bits.append("similarly " + " and ".join(same_w))
    if diff_w:
        bits.append(diff_w[0])
    return f"{head} {' and '.join(bits) if bits else 'close in flavor'}."


def _axis_word(axis: str, more: bool, lang: str) -> str:
    """The adjective for one end of a flavor axis: "dry" or "sweet", 「ドライ」 or 「甘口」."""
    if more:
        return _BOTH[axis][0 if lang == "ja" else 1]
    return t(f"reason.low.{axis}", lang)


def _top(index: StyleIndex, brand: BrandInfo, axis: str, more: bool, lang: str) -> str:
    assert brand.chart is not None
    k = AXES.index(axis)
    return t("reason.top", lang, word=_axis_word(axis, more, lang), top=index.top_percent(k, float(brand.chart[k]), more))


def _axis_detail(space: FlavorSpace, brand: BrandInfo, anchor: BrandInfo, axes: dict[str, float], lang: str) -> str:
    axis, sign = max(axes.items(), key=lambda kv: abs(kv[1]))
    k = AXES.index(axis)
    assert brand.chart is not None and anchor.chart is not None
    index = StyleIndex.of(space, space.brands)
    more = sign > 0
    return t("reason.axis_detail", lang, word=_axis_word(axis, more, lang), anchor=anchor.name,
             top=index.top_percent(k, float(brand.chart[k]), more), anchor_top=index.top_percent(k, float(anchor.chart[k]), more))


def rank_note(brand: BrandInfo, lang: str) -> str | None:
    if brand.rank is not None:
        return t("rank.overall", lang, rank=brand.rank)
    if brand.area_rank is not None:
        where = brand.prefecture if lang == "ja" else (romaji_of(brand.prefecture_id) or brand.prefecture)
        return t("rank.area", lang, rank=brand.area_rank, where=where)
    return None


def no_data(brand: BrandInfo, lang: str) -> str:
    return t("similar.no_data", lang, name=brand.name)
