"""A sake described from its catalog data, EN/JA: keys for core/texts.py (merged into TEXTS, looked up with `t`).

The flavor axes' names are Sakenowa's six (華やか, 芳醇, …) with our English for them; core.catalog.model
reads them from here, so a chart's legend, a card's flavor words and a description say the same.
"""

from __future__ import annotations

DESCRIBE_TEXTS: dict[str, tuple[str, str]] = {
    # Sakenowa's flavor axes, f1..f6 in chart order
    "flavor.f1": ("floral", "華やか"),
    "flavor.f2": ("mellow", "芳醇"),
    "flavor.f3": ("rich", "重厚"),
    "flavor.f4": ("calm", "穏やか"),
    "flavor.f5": ("dry", "ドライ"),
    "flavor.f6": ("light", "軽快"),
    # a chart in words: its two strongest axes, then its weakest when that one is clearly low
    "flavor.strongest": ("{first} and {second} above all", "{first}・{second}が際立つ"),
    "flavor.little": ("; little {axis}", "({axis}は控えめ)"),
    # core.describe.describe: a sake's lines
    "describe.head": ("{name} ({romaji}) — {where}", "{name} — {where}"),
    "describe.prefecture": ("{prefecture} ({romaji})", "{prefecture}"),
    "describe.where": ("{brewery}, {prefecture}", "{brewery}、{prefecture}"),
    "describe.flavor": ("Flavor: {words}", "フレーバー: {words}"),
    "describe.no_chart": ("No flavor chart yet.", "フレーバーチャートはありません。"),
    "describe.tags": ("Tags: {tags}", "タグ: {tags}"),
    "describe.rank": ("Sakenowa overall ranking: #{rank} (score {score:.2f})", "さけのわ総合ランキング {rank}位 (スコア {score:.2f})"),
    "describe.area_rank": ("#{rank} in {area} on Sakenowa", "{area}ランキング {rank}位"),
    "describe.grades": ("Grades: {grades}", "特定名称: {grades}"),
}
