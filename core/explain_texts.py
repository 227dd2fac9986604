"""The sentences that explain a pick or a taste, EN and JA: why a sake suits a dish (core.pairing), a drinker's
taste summed up (core.profile), a sake's rank (core.recommend_reasons), and the honest answers when a dish, a term
or a sake's flavor is not known (core.recommender, core.knowledge.answer) or a label photo could not be read.
Merged into core.texts' one catalog.

Japanese runs its sentences together and English puts a space between them, so a sentence that follows
another carries that space in its English words ("taste.pref": " Your favourite …").
"""

from __future__ import annotations

EXPLAIN_TEXTS: dict[str, tuple[str, str]] = {
    # why a sake suits a dish: "Tempura: … Kubota is drier than most; tagged 辛口. Serve it chilled."
    "dish_why.head": ("{dish}: {why}.", "{dish}: {why}。"),
    "dish_why.traits": ("{traits} than most", "{traits}"),
    "dish_why.and": (" and ", "・"),
    "dish_why.tagged": ("tagged {tags}", "タグ「{tags}」"),
    "dish_why.brand": (" {name} is {bits}.", "{name}は{bits}。"),
    "dish_why.serve": (" Serve it {serve}.", "おすすめは{serve}。"),
    "dish.unknown": ("I don't recognise the dish {food!r}; try for example {known}.",
                     "「{food}」に合う料理の種類がわかりませんでした。例: {known}"),
    # a drinker's taste summed up
    "taste.unknown": ("I don't know your taste yet: take the short survey or rate a few sakes.",
                      "まだ好みがわかりません。短いアンケートに答えるか、飲んだお酒を評価してください。"),
    "taste.unknown_pref": (" Most of what you've logged is from {pref}.", "これまで一番多く飲んだのは{pref}のお酒です。"),
    "taste.likes": ("You like {words} sakes", "{words}なお酒がお好みのようです"),
    "taste.balanced": ("You like balanced sakes, nothing extreme", "特定の方向に偏らない、バランスの良いお酒がお好みのようです"),
    "taste.from_rating": ("from {n} rating", "{n}件の評価"),
    "taste.from_ratings": ("from {n} ratings", "{n}件の評価"),
    "taste.and_survey": (" and your survey", "とアンケート"),
    "taste.from_survey": ("from your survey", "アンケート"),
    "taste.sentence": ("{taste} ({basis}).", "{taste}({basis}から)。"),
    "taste.pref": (" Your favourite prefecture so far is {pref}.", "これまでのお気に入りの県は{pref}です。"),
    "taste.top": (" Your top sake: {name} (★{rating:g}).", "一番のお気に入りは{name}(★{rating:g})。"),
    "taste.vs": ("{brand} vs your taste", "{brand} × あなたの好み"),
    "profile.chart_title": ("Your taste", "あなたの好み"),
    "profile.chart_alt": ("Your taste profile (radar chart)", "あなたの好みのレーダーチャート"),
    # a sake's standing on Sakenowa, and a sake nothing can be found like
    "rank.overall": ("#{rank} in Sakenowa's overall ranking", "さけのわ総合ランキング{rank}位"),
    "rank.area": ("#{rank} in {where} on Sakenowa", "さけのわ{where}ランキング{rank}位"),
    "rank.none": ("not ranked on Sakenowa", "さけのわのランキング外"),
    "similar.no_data": ("{name} has no flavor data (no chart, no tags), so I can't find sakes like it.",
                        "{name}には味のデータ(チャートもタグも)がないため、似たお酒を探せません。"),
    # the knowledge notes: an entry's examples, two entries compared, a term they do not hold
    "knowledge.side_by_side": ("{a} and {b}, side by side.", "{a}と{b}の違いです。"),
    "knowledge.examples": ("{title} to try: {names}", "{title}の例: {names}"),
    "knowledge.unknown_term": ("“{term}” is not in my notes.", "「{term}」は私のノートにありません。"),
    "knowledge.unknown": ("That is not in my notes.", "それは私のノートにありません。"),
    "knowledge.closest": (" Closest entries I have: {names}.", "近い項目: {names}"),
    # a label photo that could not be read
    "label.tips": ("Tips: fill the frame with the label, hold the phone straight, and avoid glare and shadows.",
                   "ヒント: ラベルを画面いっぱいに写し、まっすぐ構えて、光の反射や影を避けてください。"),
}
