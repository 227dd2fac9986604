"""The words of a pairing verdict on sakes the drinker named (core.pairing_fit), EN and JA; merged into
core.texts' one catalog."""

from __future__ import annotations

PAIRING_TEXTS: dict[str, tuple[str, str]] = {
    "pairing.top": ("{name} top {top} %", "{name}は上位{top}%"),
    "pairing.better": ("For {food}, {best} is the better match ({tops} of sakes for it).",
                       "{food}には{best}のほうが合います(相性の良さで{tops})。"),
    "pairing.even": ("For {food}, they suit it about equally ({tops} of sakes for it).",
                     "{food}との相性はどちらも同じくらいです(相性の良さで{tops})。"),
    "pairing.verdict.good": ("{name} with {food}: a good match (top {top} % of sakes for it).",
                             "{name}は{food}によく合います(相性の良さで上位{top}%)。"),
    "pairing.verdict.fair": ("{name} with {food}: it works, though it is not the most natural match (top {top} % of sakes for it).",
                             "{name}と{food}は悪くない組み合わせですが、一番の相性ではありません(相性の良さで上位{top}%)。"),
    "pairing.verdict.poor": ("{name} with {food}: not the natural match (top {top} % of sakes for it). These suit it better:",
                             "{name}と{food}の相性はいまひとつです(相性の良さで上位{top}%)。より合うのはこちら:"),
    "pairing.verdict.unknown": ("I have no flavor data for {name}, so I can't say how it suits {food}. These suit it:",
                                "{name}は味のデータがないため、{food}との相性はわかりません。合うのはこちら:"),
}
