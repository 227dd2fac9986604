"""The chat's own words, EN/JA: keys for core/texts.py (merged into TEXTS, looked up with `t`).

What the offline model says when no tool answers (greetings, thanks, help, "I didn't understand"),
what it says when a tool failed or this server lacks it, and the terminal's welcome line. The
help text ends with Sakenowa's attribution (`chat.attribution`), which their terms ask for.
"""

from __future__ import annotations

CHAT_TEXTS: dict[str, tuple[str, str]] = {
    # short chat answers of the offline model (core.agent.models.offline), one per kind of chat
    "chat.greeting": (
        "Hello! I'm Sake Sensei, your sake sommelier. Ask for a recommendation (\"something dry from Niigata\"), "
        "tell me what you drank (\"獺祭 4/5\"), or send a label photo.",
        "こんにちは!日本酒ソムリエのSake Senseiです。"
        "「新潟の辛口」のように聞いたり、「獺祭 星4」と記録したり、ラベルの写真を送ってください。",
    ),
    "chat.thanks": ("You're welcome! Kanpai 🍶", "どういたしまして!乾杯🍶"),
    "chat.bye": ("Bye! Enjoy your sake. 🍶", "またどうぞ!よい日本酒ライフを🍶"),
    "chat.offtopic": (
        "I only know about sake, sorry! I can recommend one, pair it with food, log your tastings or read a label.",
        "ごめんなさい、日本酒のことしかわかりません。おすすめ、料理との相性、飲んだお酒の記録、ラベルの読み取りができます。",
    ),
    "chat.unclear": (
        "Sorry, I didn't understand that. Try \"recommend a fruity sake\", \"tell me about 獺祭\" or \"log kubota 4/5\".",
        "すみません、よくわかりませんでした。「フルーティなお酒をおすすめ」「獺祭について」「久保田 星4」のように送ってください。",
    ),
    "chat.help": (
        "I'm Sake Sensei, a sake sommelier. I can:\n"
        "- tell you about a sake (\"tell me about 獺祭\", \"kubota\")\n"
        "- recommend one with your conditions: flavor (\"dry and crisp\"), prefecture, grade or style "
        "(\"a kimoto from Fukushima\"), warm or chilled (\"a sake to drink warm\"), like another "
        "(\"like dassai but drier\"), or for your taste\n"
        "- pair sake with food (\"what goes with sushi?\")\n"
        "- explain terms, grades and serving temperatures (\"what is junmai?\", \"what temperature is atsukan?\")\n"
        "- read a label photo and tell you which sake it is\n"
        "- log what you drank (\"獺祭 4/5\"), show your history, stats, favourites (\"my favourites\") "
        "and taste profile, and say why I picked what I did (\"why these?\")\n"
        "- keep a wishlist and run a short taste survey\n"
        "- pour a flight for a group (\"start a flight of 3\"): everyone rates each sake, then the results\n"
        "- for restaurant staff: the sake menu and its stock (\"add 獺祭 to the menu at 900 yen a glass\", "
        "\"what's in stock?\"), picks from stock for a guest (\"fruity and light for a guest\"), "
        "and a cheat sheet (\"cheat sheet\")",
        "日本酒ソムリエのSake Senseiです。できること:\n"
        "- 銘柄の紹介(「獺祭について」)\n"
        "- 条件つきのおすすめ: 味(「淡麗辛口」)、県、特定名称や造り(「福島の生酛」)、燗や冷や(「燗で飲めるお酒」)、"
        "似たお酒(「獺祭より辛口」)、あなた好み\n"
        "- 料理との相性(「寿司に合うお酒」)\n"
        "- 用語・特定名称・飲む温度の解説(「純米酒とは」「熱燗って何度?」)\n"
        "- ラベル写真から銘柄を調べる\n"
        "- 飲んだお酒の記録(「獺祭 星4」)、履歴・統計・お気に入り(「お気に入りのお酒」)・好みの傾向、"
        "選んだ理由の説明(「なぜこれ?」)\n"
        "- 飲みたいリスト、好みアンケート\n"
        "- グループでの飲み比べ(「飲み比べしたい」): みんなで一杯ずつ評価して結果発表\n"
        "- お店のスタッフ向け: メニューと在庫の管理(「獺祭をメニューに追加 グラス900円」「在庫のあるお酒」)、"
        "お客様に在庫からおすすめ(「お客様にフルーティなお酒」)、早見表(「早見表」)",
    ),
    # Sakenowa's attribution under the help text (their wording, their link)
    "chat.attribution": (
        "Catalog data: さけのわデータを利用しています (Sakenowa, https://sakenowa.com)",
        "さけのわデータを利用しています(https://sakenowa.com)",
    ),
    # when a tool call was refused, or the tool is not on this server ({what} is one of the chat.feature.* words)
    "chat.tool_failed": ("Sorry, I couldn't do that.", "すみません、それはできませんでした。"),
    "chat.not_available": ("Sorry, {what} is not available on this server yet.",
                           "申し訳ありません、{what}はこのサーバーではまだ使えません。"),
    "chat.feature.recommend": ("recommendations", "おすすめ"),
    "chat.feature.pair_food": ("food pairing", "料理との相性"),
    "chat.feature.taste_profile": ("the taste profile", "好みの傾向"),
    "chat.feature.identify_label": ("reading label photos", "ラベルの読み取り"),
    "chat.feature.restaurant": ("restaurant menus", "レストランのメニュー"),
    # the terminal chat's first line (`sake-sensei chat`)
    "console.welcome": (
        "Welcome to Sake Sensei. Ask about a sake or what you like (Ctrl-D to quit).",
        "Sake Sensei へようこそ。銘柄名や好みを送ってください(終了: Ctrl-D)。",
    ),
}
