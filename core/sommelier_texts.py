"""The sommelier's sentences, EN/JA: comparing two sakes and how to serve one (keys for core/texts.py).

The comparison words name a chart axis ("drier", 「辛口」) and say how far apart two sakes are on
it; the serving words say how warm, why in one line, and use the knowledge base's own temperature
names (core/knowledge/data/temperature.json) for the figures.
"""

from __future__ import annotations

SOMMELIER_TEXTS: dict[str, tuple[str, str]] = {
    # comparing two sakes (core.sake_comparison): an axis's comparative, then how far apart
    "compare.more.f1": ("more floral", "華やか"),
    "compare.more.f2": ("mellower", "芳醇"),
    "compare.more.f3": ("richer", "重厚"),
    "compare.more.f4": ("calmer", "穏やか"),
    "compare.more.f5": ("drier", "辛口"),
    "compare.more.f6": ("lighter", "軽快"),
    "compare.more.sweet": ("sweeter", "甘口"),
    # the high end of each axis, for "dry: top 13 %" (the low ends are reason.low.*)
    "compare.end.f1": ("floral", "華やか"),
    "compare.end.f2": ("mellow", "芳醇"),
    "compare.end.f3": ("rich", "重厚"),
    "compare.end.f4": ("calm", "穏やか"),
    "compare.end.f5": ("dry", "ドライ"),
    "compare.end.f6": ("light", "軽快"),
    "compare.degree.slightly": ("slightly {more}", "わずかに{more}"),
    "compare.degree.clearly": ("clearly {more}", "はっきり{more}"),
    "compare.degree.plain": ("{more}", "{more}"),
    "compare.winner": ("{name} is {degree} than {other} ({word}: top {a} % vs top {b} % of charted sakes, by Sakenowa's flavor charts).",
                       "{name}のほうが{other}より{degree}です(さけのわフレーバーチャートで{word}の度合い: 上位{a}% 対 上位{b}%)。"),
    "compare.same": ("{name} and {other} are level on that: both in the top {a} % for {word} on Sakenowa's flavor charts.",
                     "{name}と{other}はその点では同じです(さけのわフレーバーチャートで{word}の度合いはどちらも上位{a}%)。"),
    "compare.by_smv": ("{name} is {more} than {other} by the label figures: SMV {a} vs {b} (plus is drier).",
                       "ラベルの数値では{name}のほうが{other}より{more}です(日本酒度 {a} 対 {b}、プラスほど辛口)。"),
    "compare.smv_agrees": ("The label figures agree: SMV {a} for {name} vs {b} for {other} (plus is drier).",
                           "ラベルの数値も同じ傾向です(日本酒度 {name} {a}、{other} {b}。プラスほど辛口)。"),
    "compare.smv_differs": ("The label figures say otherwise: SMV {a} for {name} vs {b} for {other} (plus is drier); "
                            "drinkers' impressions and the meter do not always agree.",
                            "ただしラベルの数値は逆です(日本酒度 {name} {a}、{other} {b}。プラスほど辛口)。"
                            "飲み手の印象と日本酒度は一致しないこともあります。"),
    "compare.no_chart": ("{name} has no flavor chart in the catalog, so I can't say from tasting data which is {more}.",
                         "{name}はカタログにフレーバーチャートがないため、どちらが{more}かは味のデータからは言えません。"),
    "compare.no_charts": ("Neither {name} nor {other} has a flavor chart in the catalog, so I can't compare how they taste.",
                          "{name}も{other}もカタログにフレーバーチャートがないため、味の比較はできません。"),
    "compare.no_chart_diff": ("{name} has no flavor chart in the catalog, so I can't say how their tastes differ;"
                              " the label figures are below where the catalog has them.",
                              "{name}はカタログにフレーバーチャートがないため、味の違いは言えません。カタログにあるラベルの数値は下のとおりです。"),
    "compare.side_by_side": ("{name} and {other}, side by side:", "{name}と{other}の違い:"),
    "compare.leans": ("{name} is {mores}.", "{name}のほうが{mores}。"),
    "compare.leans_pair": ("{more} ({word}: top {a} % vs top {b} %)", "{more}(上位{a}% 対 上位{b}%)"),
    "compare.alike": ("Their flavor charts are close: no axis tells them clearly apart.",
                      "フレーバーチャートはよく似ています(はっきり違う軸はありません)。"),
    "compare.specs": ("{name} ({product}): {figures}", "{name}({product}): {figures}"),
    "compare.smv": ("SMV {smv}", "日本酒度 {smv}"),
    "compare.acidity": ("acidity {acidity}", "酸度 {acidity}"),
    "compare.polishing": ("polished to {polishing} %", "精米歩合 {polishing}%"),
    "compare.grade": ("{grade}", "{grade}"),
    "compare.chart_alt": ("Flavor charts of {name} (red) and {other} (blue)", "{name}(赤)と{other}(青)のフレーバーチャート"),
    "compare.need_two": ("Tell me the two sakes to compare, e.g. \"dassai vs kubota\".",
                         "比べる2つの銘柄を教えてください(例:「獺祭と久保田の違い」)。"),
    # how to serve one sake (core.serving): how warm, then why
    "serve.how.well_chilled": ("well chilled", "よく冷やして"),
    "serve.how.chilled": ("chilled", "冷やして"),
    "serve.how.cool_or_room": ("cool or at room temperature", "軽く冷やすか常温で"),
    "serve.how.room_or_warm": ("at room temperature or warmed", "常温か燗で"),
    "serve.how.room_slightly_warm": ("at room temperature or slightly warm", "常温かぬるめの燗で"),
    "serve.how.warm": ("warm", "燗で"),
    "serve.lead": ("Serve {name} {how}: {temps}.", "{name}は{how}、{temps}がおすすめです。"),
    "serve.range": ("{low} to {high}", "{low}〜{high}"),
    "serve.room": ("jo-on, room temperature (常温, about 20 °C)", "常温(20℃前後)"),
    "serve.why.sparkling": ("It is a sparkling sake: cold keeps the bubbles fine and the finish crisp.",
                            "スパークリング日本酒なので、冷やすと泡がきめ細かく、後味がすっきりします。"),
    "serve.why.tag": ("Sakenowa drinkers single out {name} for {tag} ({words}).",
                      "さけのわの飲み手が{name}の特徴に「{tag}」を挙げています。"),
    "serve.tag.atsukan": ("atsukan, drinking it hot", "熱燗"),
    "serve.tag.kanzake": ("kanzake, drinking it warm", "燗酒"),
    "serve.tag.jo-on": ("jo-on, drinking it at room temperature", "常温"),
    "serve.tag.reishu": ("reishu, drinking it chilled", "冷酒"),
    "serve.why.aged": ("It is known for aged, caramel-like depth ({evidence}): room temperature or a little warmth opens it up.",
                       "熟成した深み({evidence})が特徴なので、常温かぬるめの燗で味が開きます。"),
    "serve.why.ginjo": ("Most of its sakes are {grade}: chilling keeps the fruity ginjo aroma fresh, and warming would flatten it.",
                        "{grade}が中心なので、冷やすと吟醸香がみずみずしく保たれます。温めると香りが飛びがちです。"),
    "serve.why.junmai": ("Most of its sakes are {grade}: warming brings out their rice umami and softens the acidity.",
                         "{grade}が中心なので、温めると米のうま味がふくらみ、酸がやわらぎます。"),
    "serve.why.kimoto": ("It is a kimoto/yamahai sake ({evidence}): its acidity and umami open up when warmed.",
                         "生酛・山廃造り({evidence})なので、温めると酸とうま味が開きます。"),
    "serve.why.nama": ("It is namazake, unpasteurised ({evidence}): keep it cold to keep it fresh.",
                       "火入れをしていない生酒({evidence})なので、冷やしてフレッシュさを保ちます。"),
    "serve.why.fizzy": ("Drinkers note its fizz: chilled keeps it lively.", "飲み手がガス感を挙げているので、冷やすと生き生きとします。"),
    # the chart said in words: a figure like "floral 0.51" means nothing to a drinker
    "serve.why.aromatic": ("Sakenowa drinkers find it more floral than rich: chilling keeps the aroma bright.",
                           "さけのわの飲み手の評価では重厚さより華やかさが際立つので、冷やすと香りが引き立ちます。"),
    "serve.why.rich": ("Sakenowa drinkers find it rich and full: warmth rounds out that body.",
                       "さけのわの飲み手の評価では濃醇なので、温めるとコクがまろやかになります。"),
    "serve.why.balanced": ("Its flavor chart is balanced, with no strong lean: cool shows its clean side, room temperature its body.",
                           "フレーバーチャートはバランス型なので、軽く冷やすとキレが、常温でふくらみが出ます。"),
    "serve.unknown": ("The catalog has no grade, style or flavor chart for {name}, so I can only give the general rule: "
                      "fragrant ginjo chilled (花冷え, 10 °C), rich junmai or honjozo warm (ぬる燗, 40 °C).",
                      "カタログに{name}の特定名称・スタイル・フレーバーチャートがないため、一般的な目安だけお伝えします: "
                      "香りの高い吟醸は花冷え(10℃)、コクのある純米・本醸造はぬる燗(40℃)。"),
    "serve.need_name": ("Which sake? Tell me its name, e.g. \"what temperature for dassai?\".",
                        "どの銘柄ですか?「獺祭のおすすめの温度」のように聞いてください。"),
}
