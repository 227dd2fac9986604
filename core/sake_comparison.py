"""Two sakes side by side: which is drier (sweeter, lighter, richer, more aromatic), or how they differ.

The answer comes from the Sakenowa flavor charts (drinkers' impressions, 0..1 on six axes) and,
where the catalog has them, the products' label figures (SMV, acidity, polishing). A sake with no
chart is said to have none: SMV can still settle drier/sweeter when both labels give it, and
nothing else is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.catalog.model import BrandInfo
from core.knowledge.specs import main_product
from core.styles import StyleIndex
from core.texts import t

# the axis a question asks about → (chart index, sign): "sweeter" is the dry axis read downwards
AXES: dict[str, tuple[int, int]] = {
    "drier": (4, 1), "sweeter": (4, -1), "lighter": (5, 1), "richer": (2, 1), "more_aromatic": (0, 1),
}
SLIGHT, CLEAR = 0.03, 0.08  # chart gaps below SLIGHT are "slightly", from CLEAR on "clearly"
NOTABLE = 0.05  # a smaller gap is not worth naming among the main differences
MAIN_DIFFERENCES = 3


@dataclass(slots=True)
class Comparison:
    lines: list[str]
    winner: int | None = None  # the brand that is more so on the asked axis, when the data says
    charted: list[int] = field(default_factory=list)


def _more(axis: int, sign: int, lang: str) -> str:
    return t("compare.more.sweet", lang) if (axis, sign) == (4, -1) else t(f"compare.more.f{axis + 1}", lang)


def _word(axis: int, sign: int, lang: str) -> str:
    """The end of the axis the figure is about: "dry" (or "sweet" read downwards), as in "dry: top 13 %"."""
    return t(f"reason.low.f{axis + 1}", lang) if sign < 0 else t(f"compare.end.f{axis + 1}", lang)


def _degree(gap: float) -> str:
    return "slightly" if gap < SLIGHT else "clearly" if gap >= CLEAR else "plain"


def _smv(b: BrandInfo) -> float | None:
    p = main_product(b)
    return p.smv if p is not None else None


def _signed(x: float) -> str:
    return f"{'+' if x > 0 else ''}{x:g}"


def spec_line(b: BrandInfo, lang: str) -> str | None:
    """The main product's label figures in one short line, when the catalog has any."""
    p = main_product(b)
    if p is None:
        return None
    figures = [t("compare.grade", lang, grade=p.grade)] if p.grade else []
    if p.smv is not None:
        figures.append(t("compare.smv", lang, smv=_signed(p.smv)))
    if p.acidity is not None:
        figures.append(t("compare.acidity", lang, acidity=f"{p.acidity:g}"))
    if p.polishing is not None:
        figures.append(t("compare.polishing", lang, polishing=f"{p.polishing:g}"))
    if not figures:
        return None
    return t("compare.specs", lang, name=b.name, product=p.name, figures=", ".join(figures) if lang != "ja" else "、".join(figures))


def on_axis(a: BrandInfo, b: BrandInfo, direction: str, lang: str, index: StyleIndex) -> Comparison:
    """Which of the two is more so on the asked axis: the chart first, the SMV for dry/sweet when a chart is missing."""
    axis, sign = AXES[direction]
    more = _more(axis, sign, lang)
    if a.chart is not None and b.chart is not None:
        va, vb = a.chart[axis], b.chart[axis]
        if va == vb:
            top = index.top_percent(axis, va, sign > 0)
            return Comparison([t("compare.same", lang, name=a.name, other=b.name, word=_word(axis, sign, lang), a=top)])
        win, lose = (a, b) if sign * (va - vb) > 0 else (b, a)
        w, lo = win.chart[axis], lose.chart[axis]  # type: ignore[index]
        line = t("compare.winner", lang, name=win.name, other=lose.name, word=_word(axis, sign, lang),
                 degree=t(f"compare.degree.{_degree(abs(va - vb))}", lang, more=more),
                 a=index.top_percent(axis, w, sign > 0), b=index.top_percent(axis, lo, sign > 0))
        lines = [line]
        sw, sl = _smv(win), _smv(lose)
        if axis == 4 and sw is not None and sl is not None and sw != sl:  # the label's meter beside the drinkers' impression
            agrees = (sw > sl) == (sign > 0)
            lines.append(t(f"compare.smv_{'agrees' if agrees else 'differs'}", lang, name=win.name, other=lose.name,
                           a=_signed(sw), b=_signed(sl)))
        return Comparison(lines, winner=win.id)
    sa, sb = _smv(a), _smv(b)
    if axis == 4 and sa is not None and sb is not None and sa != sb:
        win, lose = (a, b) if sign * (sa - sb) > 0 else (b, a)
        sw, sl = (sa, sb) if win is a else (sb, sa)
        line = t("compare.by_smv", lang, name=win.name, other=lose.name, more=more, a=_signed(sw), b=_signed(sl))
        missing = [x for x in (a, b) if x.chart is None]
        return Comparison([line] + [t("compare.no_chart", lang, name=x.name, more=more) for x in missing], winner=win.id)
    if a.chart is None and b.chart is None:
        return Comparison([t("compare.no_charts", lang, name=a.name, other=b.name)])
    missing = a if a.chart is None else b
    return Comparison([t("compare.no_chart", lang, name=missing.name, more=more)])


def differences(a: BrandInfo, b: BrandInfo, lang: str, index: StyleIndex) -> Comparison:
    """The main differences when no axis was asked: the widest gaps of the two charts, grouped by who leads."""
    head = t("compare.side_by_side", lang, name=a.name, other=b.name)
    if a.chart is None or b.chart is None:
        if a.chart is None and b.chart is None:
            return Comparison([head, t("compare.no_charts", lang, name=a.name, other=b.name)])
        missing = a if a.chart is None else b
        return Comparison([head, t("compare.no_chart_diff", lang, name=missing.name)])
    gaps = sorted(range(6), key=lambda i: -abs(a.chart[i] - b.chart[i]))  # type: ignore[index]
    wide = [i for i in gaps[:MAIN_DIFFERENCES] if abs(a.chart[i] - b.chart[i]) >= NOTABLE]  # type: ignore[index]
    if not wide:
        return Comparison([head, t("compare.alike", lang)], charted=[a.id, b.id])
    lines = [head]
    for lead, other in ((a, b), (b, a)):
        parts = []
        for i in wide:
            x, y = lead.chart[i], other.chart[i]  # type: ignore[index]
            if x > y:
                parts.append(t("compare.leans_pair", lang, more=_more(i, 1, lang), word=_word(i, 1, lang),
                               a=index.top_percent(i, x, True), b=index.top_percent(i, y, True)))
        if parts:
            joined = "・".join(parts) if lang == "ja" else _and(parts)
            lines.append(t("compare.leans", lang, name=lead.name, mores=joined))
    return Comparison(lines, charted=[a.id, b.id])


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def compare(a: BrandInfo, b: BrandInfo, direction: str | None, lang: str, index: StyleIndex) -> Comparison:
    """The answer's lines: the asked axis (or the main differences), then each sake's label figures where known.
    Chart values are said as a place among all charted sakes (`index`): "dry: top 13 %", never "0.44"."""
    found = on_axis(a, b, direction, lang, index) if direction in AXES else differences(a, b, lang, index)
    found.lines += [line for line in (spec_line(a, lang), spec_line(b, lang)) if line]
    if a.chart is not None and b.chart is not None:
        found.charted = [a.id, b.id]
    return found
