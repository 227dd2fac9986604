"""The words of a pick's reason that place its flavor among all charted sakes ("dry: top 12 %").

A chart figure ("dry 0.44") means nothing to a drinker; how few sakes go as far does. Kept apart from
core/texts.py, which merges this table into the one catalog.
"""

from __future__ import annotations

REASON_TEXTS: dict[str, tuple[str, str]] = {
    "reason.top": ("{word}: top {top} %", "{word}の度合いで上位{top}%"),
    "reason.than_most": ("{words} than most ({tops} of charted sakes).", "{words}なお酒({tops})。"),
    "reason.below_median": (
        "Less {word} than the catalog median (top {top} % for {word}).",
        "{word}の度合いは全体の中央値より下(上位{top}%)。",
    ),
    "reason.axis_detail": (
        " ({word}: top {top} %; {anchor}: top {anchor_top} %)", "({word}の度合いで上位{top}%、{anchor}は上位{anchor_top}%)",
    ),
    # the low end of each flavor axis, as an adjective ("sweet: top 8 %")
    "reason.low.f1": ("restrained", "香り控えめ"),
    "reason.low.f2": ("lean", "淡麗"),
    "reason.low.f3": ("light-bodied", "軽め"),
    "reason.low.f4": ("lively", "個性的"),
    "reason.low.f5": ("sweet", "甘口"),
    "reason.low.f6": ("full", "どっしり"),
}
