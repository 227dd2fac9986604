"""The words a user sees, in English and Japanese, in one table: buttons, commands, the tools' sentences.

Families of entries that would crowd this file live beside it, each named for what it holds, and are merged in below: core/chat_texts.py
(the chat's own answers, help, the terminal's welcome), core/describe_texts.py (a sake described from its catalog data, the flavor axes'
names), core/command_texts.py (Discord's /sake command), core/flights/notice_texts.py (what to notice in a flight's sakes),
core/flights/flight_texts.py (a flight's small words), core/reason_texts.py (where a pick's flavor stands), core/pairing_texts.py (named
sakes with a dish), core/sommelier_texts.py (comparing two sakes, serving one), core/edge_texts.py (answers that are not a request's:
Slack's Home, platform events), core/error_texts.py (each error code's sentence), core/restaurant_texts.py (a restaurant's words),
core/direction_texts.py (a flavor direction or a style in a word), core/explain_texts.py (why a pick suits a dish, a taste summed up, a
sake's rank, the honest answers when a dish, a term or a sake's flavor is not known).

Adapters and the web page take their words from here (the page gets `page_words` as JSON), so that a button, a placeholder or an apology
reads the same on every surface. A key missing from the table is a programming error and fails loudly; `{name}` fields are filled by `t`.
"""

from __future__ import annotations

from typing import Any

from core.chat_texts import CHAT_TEXTS
from core.command_texts import COMMAND_TEXTS
from core.describe_texts import DESCRIBE_TEXTS
from core.direction_texts import DIRECTION_TEXTS
from core.edge_texts import EDGE_TEXTS
from core.error_texts import ERROR_TEXTS
from core.explain_texts import EXPLAIN_TEXTS
from core.flights.flight_texts import FLIGHT_TEXTS
from core.flights.notice_texts import NOTICE_TEXTS
from core.pairing_texts import PAIRING_TEXTS
from core.reason_texts import REASON_TEXTS
from core.restaurant_texts import RESTAURANT_TEXTS
from core.sommelier_texts import SOMMELIER_TEXTS

Lang = str

TEXTS: dict[str, tuple[str, str]] = {
    # buttons on a sake card
    "button.log": ("Log it", "記録する"),
    "button.log_again": ("Log it again", "もう一度記録する"),
    "button.note": ("Log with notes", "メモを付けて記録"),
    "button.similar": ("Similar", "似たお酒"),
    "button.wish": ("Wishlist", "飲みたい"),
    "button.unwish": ("Remove from wishlist", "リストから外す"),
    "button.menu_add": ("Add to menu", "メニューに追加"),
    "button.menu_remove": ("Remove from menu", "メニューから外す"),
    "button.in_stock": ("In stock", "在庫あり"),
    "button.sold_out": ("Sold out", "品切れ"),
    "button.menu_remove_confirm": ("Yes, remove it", "はい、外します"),
    "menu.remove_confirm": ("Take #{id} {name} off the menu?", "#{id} {name} をメニューから外しますか?"),
    # reply-level buttons and commands
    "button.survey_take": ("Take the taste survey", "好みアンケートに答える"),
    "button.survey_retake": ("Retake the survey", "もう一度答える"),
    "button.survey_change": ("Change answers", "回答を変更する"),
    "command.help": ("Help", "ヘルプ"),
    "command.history": ("History", "履歴"),
    "command.profile": ("My profile", "好みの傾向"),
    "command.wishlist": ("Wishlist", "飲みたいリスト"),
    "command.survey": ("Taste survey", "好みアンケート"),
    "command.stats": ("My stats", "記録のまとめ"),
    "command.menu": ("Menu", "メニュー"),
    "command.unknown": ("I don't know that command. Try /sake.", "そのコマンドはわかりません。/sake を使ってください。"),
    "command.recommend": ("Recommend", "おすすめ"),
    "command.log": ("Log a sake", "記録する"),
    "request.recommend": ("Recommend me a sake", "おすすめの日本酒を教えて"),
    "request.log": ("I want to log a sake I drank", "飲んだお酒を記録したい"),
    "request.recommend_for": ("Recommend a sake: {request}", "{request} おすすめは?"),
    "search.closest": ("Closest matches: {names}", "近い候補: {names}"),
    # the text above a reply's cards (each card says why it was picked; the text does not repeat it)
    "lead.picks": ("My picks:", "おすすめはこちら:"),
    "lead.for_me": ("Picks for your taste:", "あなたの好みに合いそうなお酒:"),
    "lead.similar": ("Sakes like {name}:", "{name}に似たお酒:"),
    "lead.like_but": ("Like {name}, but {direction}:", "{name}に似た、{direction}なお酒:"),
    "lead.food": ("Picks for {food}:", "{food}に合うお酒:"),
    "lead.stock": ("From what's in stock:", "在庫のあるお酒から:"),
    "lead.stock_food": ("From what's in stock, for {food}:", "在庫のあるお酒から、{food}に合うもの:"),
    # ratings
    "rating.prompt": ("Rate it", "評価する"),
    "rating.stars": ("{n}★", "★{n}"),
    # the tasting-note form
    "form.note.title": ("Tasting note", "テイスティング記録"),
    "form.note.intro": ("{name}", "{name}"),
    "form.note.prompt": ("Your tasting note for {name}: a rating, and notes if you like.",
                         "{name}のテイスティング記録: 評価と、よければメモをどうぞ。"),
    "form.submit": ("Save", "保存"),
    "form.note.type_next": (
        "Notes: type them as your next message (\"cancel\" to skip), then choose the rating. Or just choose the rating.",
        "メモ: 次のメッセージで送ってください(やめるときは「キャンセル」)。そのあと評価を選べます。評価だけでも記録できます。",
    ),
    "form.note.cancelled": ("OK, no note this time.", "わかりました。メモは付けません。"),
    "form.close": ("Close", "閉じる"),
    "form.rating": ("Rating", "評価"),
    "form.notes": ("Notes", "メモ"),
    "form.temperature": ("Temperature", "温度"),
    "form.food": ("Food", "料理"),
    "form.survey.title": ("Taste survey", "好みアンケート"),
    # cards
    "card.no_chart": ("No flavor chart yet", "フレーバーチャートはまだありません"),
    "card.guess": ("no flavor chart: a guess from its tags", "フレーバーチャートなし: タグからの推測"),
    "card.match": ("{pct}% match for you", "あなたとのマッチ度 {pct}%"),
    "card.brewery": ("Brewery", "蔵元"),
    "card.flavor": ("Flavor", "味わい"),
    "card.tags": ("Tags", "タグ"),
    "card.suggestions": ("Sake suggestions", "おすすめの日本酒"),
    "card.image": ("Image", "画像"),
    "card.chart_alt": ("Flavor chart of {name}", "{name}のフレーバーチャート"),
    "card.data": ("Data: Sakenowa", "さけのわデータを利用しています"),
    **ERROR_TEXTS,  # the sentence shown with each error code (core/error_texts.py); then the turn around the answer
    "turn.thinking": ("Thinking…", "考え中…"),
    "turn.loading": ("Loading…", "読み込み中…"),
    "error.try_again": ("Please try again in a moment.", "少し待ってからもう一度お試しください。"),
    "turn.apology": ("Sorry, something went wrong on my side. Please try again in a moment.",
                     "申し訳ありません、こちらで問題が起きました。少ししてからもう一度お試しください。"),
    "turn.invalid_button": ("That button is no longer valid.", "そのボタンは使えなくなりました。"),
    # platform events without a turn
    "event.greeting": (
        "Thanks for adding me! 🍶 I'm Sake Sensei, a sake sommelier.\n"
        "Send a sake's name and I'll tell you about it, or a photo of a label and I'll find it.\n"
        "To start, take the short taste survey so I learn what you like.",
        "友だち追加ありがとうございます!🍶 日本酒ソムリエの Sake Sensei です。\n"
        "銘柄名を送ればそのお酒を、ラベルの写真を送れば銘柄を調べます。\n"
        "まずは好みを知るために、短い好み診断をどうぞ。",
    ),
    "event.joined": (
        "Sake Sensei here. 🍶 In a group, start with \"sensei\" or @mention me.\nFor example: sensei what is dassai like?",
        "Sake Sensei です。🍶 グループでは「先生」で始めるか、@メンションで話しかけてください。\n例: 先生 獺祭ってどんなお酒?",
    ),
    "event.sticker": ("Thanks for the sticker! 😊 Send me a sake's name or a photo of its label.",
                      "スタンプありがとうございます!😊 お酒の名前や、ラベルの写真を送ってくださいね。"),
    # the web chat's page (served to app.js by GET api/words; `{n}`, `{name}`, `{pct}`, `{max}` filled there)
    "page.tagline": ("Your sake sommelier", "あなたの日本酒ソムリエ"),
    "page.language": ("Language", "言語"),
    "page.conversation": ("Conversation", "会話"),
    "page.shortcuts": ("Shortcuts", "ショートカット"),
    "page.recommend": ("Recommend a sake", "おすすめを聞く"),
    "page.recommend_text": ("Recommend a sake for me", "おすすめの日本酒を教えて"),
    "page.survey": ("Taste survey", "好みアンケート"),
    "page.profile": ("My profile", "好みの傾向"),
    "page.history": ("History", "記録"),
    "page.add_photo": ("Add a label photo", "ラベルの写真を追加"),
    "page.remove_photo": ("Remove photo", "写真を取り消す"),
    "page.message": ("Message", "メッセージ"),
    "page.placeholder": ("Ask about sake…", "日本酒について質問…"),
    "page.send": ("Send", "送信"),
    "page.drop": ("Drop a label photo here", "ラベルの写真をここにドロップ"),
    "page.welcome": (
        ("Hello! I'm Sake Sensei, your sake sommelier.\nAsk me for a sake, tell me what you're eating, "
         "or send a photo of a label and I'll tell you what it is."),
        ("こんにちは、日本酒ソムリエのSake Senseiです。\nおすすめを聞いたり、食べる料理を教えてください。"
         "ラベルの写真を送れば、どのお酒か調べます。"),
    ),
    "page.suggestion1": ("Something dry and light for sashimi", "刺身に合う辛口で軽快なお酒"),
    "page.suggestion2": ("Tell me about 獺祭", "獺祭について教えて"),
    "page.suggestion3": ("What is 新政?", "新政ってどんなお酒?"),
    "page.thinking": ("Sake Sensei is thinking", "考えています"),
    "page.you": ("You", "あなた"),
    "page.sensei": ("Sake Sensei", "Sake Sensei"),
    "page.stars": ("{n} stars", "星{n}つ"),
    "page.star": ("1 star", "星1つ"),
    "page.chart_alt": ("Flavor chart of {name}: floral, mellow, heavy, mild, dry and light",
                       "{name}のフレーバーチャート(華やか・芳醇・重厚・穏やか・ドライ・軽快)"),
    "page.photo_sent": ("Label photo", "ラベルの写真"),
    "page.network": ("I couldn't reach Sake Sensei. Is the server still running? Please try again.",
                     "Sake Senseiに接続できませんでした。サーバーが動いているか確認して、もう一度お試しください。"),
    "page.too_big": ("That photo is larger than 10 MB. Please choose a smaller one.",
                     "写真が10MBを超えています。小さい写真を選んでください。"),
    "page.not_image": ("Please choose a picture (JPEG, PNG, WebP or HEIC).",
                       "画像ファイル(JPEG・PNG・WebP・HEIC)を選んでください。"),
    "page.too_long": ("This message is {n} characters; the limit is {max}. Please shorten it before sending.",
                      "このメッセージは{n}文字です。上限は{max}文字なので、短くしてから送ってください。"),
    "page.brewery": ("Brewery", "蔵元"),
    "page.data": ("さけのわデータを利用しています", "さけのわデータを利用しています"),  # Sakenowa's attribution, as they word it
    "page.noscript": ("Sake Sensei's web chat needs JavaScript.", "このページにはJavaScriptが必要です。"),
    "slack.help": (
        (
            "*Sake Sensei* — `/sake` commands:\n"
            "• `/sake rec [words]` — a recommendation (e.g. `/sake rec dry and light`)\n"
            "• `/sake log <sake> <rating 0-5> [notes]` — log a tasting\n"
            "• `/sake history` — your recent tastings\n"
            "• `/sake profile` — your taste profile\n"
            "• `/sake wishlist` — sakes you want to try\n"
            "• `/sake stats` — your tastings in figures\n"
            "• `/sake survey` — a short taste survey\n"
            "• `/sake flight` — a sake flight for everyone in the channel\n"
            "You can also DM me, mention me in a channel, or send a label photo."
        ),
        (
            "*Sake Sensei* — `/sake` コマンド:\n"
            "• `/sake rec [ことば]` — おすすめ(例: `/sake rec 辛口`)\n"
            "• `/sake log <銘柄> <評価 0-5> [メモ]` — 飲んだお酒を記録\n"
            "• `/sake history` — 最近の記録\n"
            "• `/sake profile` — 好みのプロフィール\n"
            "• `/sake wishlist` — 飲みたいリスト\n"
            "• `/sake stats` — 記録のまとめ\n"
            "• `/sake survey` — 好みアンケート\n"
            "• `/sake flight` — チャンネルのみんなで飲み比べ\n"
            "DMやメンション、ラベル写真でも話しかけられます。"
        ),
    ),
    "slack.log_usage": ("Usage: `/sake log <sake> <rating 0-5> [notes]`", "使い方: `/sake log <銘柄> <評価 0-5> [メモ]`"),
    "rec.no_liked": ("You haven't rated any sake ★{stars:g} or more yet: log one with its stars and I'll find ones like it.",
                     "まだ★{stars:g}以上をつけたお酒がありません。星をつけて記録していただければ、似たお酒を探します。"),
    "rec.unlike": ("Unlike {name}, this one is {word}.", "{name}とは違い、{word}です。"),
    "home.intro": ("Your sake sommelier. DM me, mention me, send a label photo, or use `/sake help`.",
                   "あなたの日本酒ソムリエです。DM・メンション・ラベル写真・`/sake help` でどうぞ。"),
    # sake flights (group tastings, core.flights)
    "command.flight": ("Sake flight", "飲み比べ"),
    "button.flight_join": ("Join the flight", "参加する"),
    "button.flight_end": ("End the flight", "飲み比べを終える"),
    "flight.started": ("A flight of {n} for the group! Taste them in this order, light to rich. Join with the button, then rate each one.",
                       "{n}種の飲み比べを始めます!この順番で、軽いものから濃いものへ。ボタンで参加して、一杯ずつ評価してください。"),
    "flight.theme": ("Theme: {theme}", "テーマ: {theme}"),
    "flight.status": ("A flight of {n} is open here ({members}). Rate each sake with the stars.",
                      "ここで{n}種の飲み比べが開催中です({members})。星で一杯ずつ評価してください。"),
    "flight.position": ("No. {n}", "{n}杯目"),
    "flight.progress": ("{rated} of {total} have rated {sake}", "{sake}: {total}人中{rated}人が評価済み"),
    "flight.joined": ("{name} joined the flight ({members}).", "{name}さんが飲み比べに参加しました({members})。"),
    "flight.already_member": ("{name} is already in the flight.", "{name}さんはすでに参加しています。"),
    "flight.rated": ("{name} gave {sake} {stars}★ (saved in their tasting log). {progress}.",
                     "{name}さんが{sake}に★{stars}(記録に保存しました)。{progress}。"),
    "flight.none": ("There's no flight open here. Start one with \"start a flight of 3\".",
                    "ここでは飲み比べは開かれていません。「飲み比べしたい」で始められます。"),
    "flight.closed": ("That flight is over.", "その飲み比べは終わりました。"),
    "flight.already_open": ("A flight is already open here: rate its sakes, or its starter can end it.",
                            "ここではすでに飲み比べが開催中です。評価するか、始めた人が終了してください。"),
    "flight.not_member": ("Join the flight first; then you can rate its sakes for yourself.",
                          "先に飲み比べに参加してください。参加すると自分の評価ができます。"),
    "flight.not_starter": ("Only the person who started the flight (or restaurant staff) can end it.",
                           "飲み比べを終了できるのは、始めた人(またはお店のスタッフ)だけです。"),
    "flight.not_in_flight": ("That sake isn't in this flight.", "そのお酒はこの飲み比べに入っていません。"),
    "flight.no_stock": ("Nothing is in stock on the menu, so I can't pour a flight.",
                        "メニューに在庫のあるお酒がないため、飲み比べを組めません。"),
    "flight.no_picks": ("I couldn't find sakes for that flight. Try another theme.",
                        "その飲み比べに合うお酒が見つかりませんでした。別のテーマでどうぞ。"),
    "flight.timeout": ("The flight was left open for a day, so it closed with what was rated.",
                       "飲み比べが1日開いたままだったので、評価済みの分で締めくくりました。"),
    "flight.reveal.title": ("Flight results", "飲み比べの結果"),
    "flight.reveal.favourite": ("Group favourite: {sake} ({avg}★ on average).", "みんなの一番: {sake}(平均★{avg})。"),
    "flight.reveal.split": ("Split the group most: {sake} (from {low}★ to {high}★).", "意見が一番割れたのは {sake}(★{low}〜★{high})。"),
    "flight.reveal.best": ("{name}'s best match: {sake}.", "{name}さんのベスト: {sake}。"),
    "flight.reveal.missing": ("No ratings from {names}.", "{names}さんの評価はありませんでした。"),
    "flight.reveal.nobody": ("Nobody rated anything, so there is nothing to reveal.", "評価がなかったので、結果はありません。"),
    "flight.reveal.learned": ("Everyone's ratings are in their tasting logs, so their taste profiles learn from this flight.",
                              "評価はそれぞれの記録に保存され、好みのプロフィールに反映されます。"),
    "flight.reveal.alt": ("Flight results: each member's stars for each sake", "飲み比べの結果: 参加者ごとの各銘柄の評価"),
    "flight.reveal.sake": ("Sake", "銘柄"),
    "flight.reveal.average": ("Avg", "平均"),
    "flight.reveal.legend": ("Gold frame: group favourite · {split}: split the group most · blue frame: each one's best",
                             "金の枠: みんなの一番 · {split}: 意見が一番割れた · 青の枠: 各自のベスト"),
    # what to notice in each sake of a flight (core.flights.group picks the key and its fields)
    **NOTICE_TEXTS,
    **REASON_TEXTS,
    **PAIRING_TEXTS,
    **FLIGHT_TEXTS,  # member counts, notes on flight ratings, the flight's mark in a history
    **SOMMELIER_TEXTS,  # comparing two sakes, how to serve one
    # the chat's own answers and help, the terminal's welcome (core/chat_texts.py)
    **CHAT_TEXTS,
    # a sake described from its catalog data, the flavor axes' names (core/describe_texts.py)
    **DESCRIBE_TEXTS,
    **COMMAND_TEXTS,  # Discord's /sake command (core/command_texts.py)
    # the agent tools' sentences (the offline model answers with them; a language model may rephrase them)
    "catalog.found": ("Here is what the catalog has:", "カタログで見つかったお酒:"),
    "catalog.same_name": ("\nOther sakes with this name: ", "\n同名の銘柄: "),
    "label.ask_photo": ("Send me a photo of the label and I'll tell you which sake it is.",
                        "ラベルの写真を送ってください。どのお酒か調べます。"),
    "recommend.no_prices": (
        "The catalog has no prices, so I can't choose by price; these are the easier-to-find ones (well known, widely stocked).",
        "カタログに価格の情報がないため、価格では選べません。代わりに手に入りやすい(よく知られ、扱う店の多い)お酒を選びました。",
    ),
    "recommend.relaxed": ("(Nothing met every condition, so I relaxed: {given_up}.)",
                          "(すべての条件に合うお酒がなかったため、「{given_up}」の条件をゆるめました。)"),
    "recommend.none": ("No sake matches all of that; try fewer conditions.",
                       "条件に合うお酒がありませんでした。条件を減らしてみてください。"),
    "why.head": ("Why these picks:", "選んだ理由:"),
    "why.nothing": (
        "I haven't picked anything for you yet. Ask me for one, e.g. \"something dry for sashimi\", and I'll say why for each.",
        "まだ何もおすすめしていません。「刺身に合う辛口」のように聞いてください。それぞれ選んだ理由もお伝えします。",
    ),
    "favourites.head": ("Your favourites, best rated first:", "あなたのお気に入り(評価の高い順):"),
    "favourites.line": ("- {name}: ★{stars:g} ({times})", "- {name}: ★{stars:g}({times})"),
    "favourites.once": ("once, {day}", "{day}"),
    "favourites.times": ("{count} times, last {day}", "{count}回、最後は{day}"),
    "favourites.reason": ("Your ★{stars:g}", "あなたの★{stars:g}"),
    "favourites.more": ("Say \"more like my favourites\" for sakes like these.",
                        "「お気に入りに似たお酒」と送ると、似たお酒をおすすめします。"),
    "favourites.none": (
        "No favourites yet: nothing rated ★{stars:g} or more. Tell me what you drink, e.g. \"獺祭 4/5\".",
        "まだお気に入りがありません(★{stars:g}以上の記録がありません)。「獺祭 星4」のように飲んだお酒を教えてください。",
    ),
    "recommend.capped": ("(I show {n} at most in one answer.)", "(一度にご紹介するのは{n}本までです。)"),
    "recommend.meanwhile_popular": (" Meanwhile, popular picks:", " それまでは人気のお酒をどうぞ:"),
    "survey.answers": ("Your taste survey answers:", "好みアンケートの回答:"),
    "survey.done": ("Thanks! Your taste is saved; ask me for \"something for me\".",
                    "ありがとうございます!好みを保存しました。「私に合うお酒」と聞いてください。"),
    "chart.brand_alt": ("Flavor chart of {name} ({romaji})", "{name}のフレーバーチャート"),
    "tasting.logged": ("Logged {name}{stars}.", "{name}{stars} を記録しました。"),
    "tasting.logged_note": ("Logged {name}{stars}, with your note: “{note}”.", "{name}{stars} を記録しました。メモ: 「{note}」"),
    "tasting.updated": ("Updated {name}{stars}.", "{name}{stars} に更新しました。"),
    "tasting.deleted": ("Deleted your tasting of {name} ({tasted_on}).", "{tasted_on} の {name} の記録を削除しました。"),
    "tasting.which_sake": ("Which sake did you drink? Tell me its name (and stars, e.g. 獺祭 4/5).",
                           "どのお酒を飲みましたか?銘柄名を教えてください(例: 獺祭 星4)。"),
    "tasting.ask_stars": (" How many stars?", " 星はいくつですか?"),
    "tasting.not_found": ("I couldn't find that tasting in your log.", "その記録は見つかりませんでした。"),
    "tasting.what_to_change": ("What should I change: the stars or the notes?", "星とメモ、どちらを変更しますか?"),
    "tasting.none_such": ("There is no such tasting in your log.", "該当する記録はありません。"),
    "tasting.confirm_delete": (
        "Delete your tasting of {name} ({tasted_on})? Tap to confirm, or name the sake to delete.",
        "{tasted_on} の {name} の記録を削除しますか?ボタンで確定するか、削除するお酒の名前を書いてください。",
    ),
    "tasting.logged_ask_stars": ("{name} is logged. How many stars?", "{name} は記録済みです。星はいくつですか?"),
    "button.unlog": ("Delete {name}", "{name}を削除"),
    "history.head": ("Your tastings:", "あなたの記録:"),
    "history.empty": ("No tastings logged yet. Tell me what you drank, e.g. \"獺祭 4/5\".",
                      "まだ記録がありません。「獺祭 星4」のように送ってください。"),
    "history.no_more": ("No more tastings.", "これ以上の記録はありません。"),
    "stats.summary": (
        "{count} tastings of {unique_brands} sakes, average ★{avg} ({rated} rated).",
        "{unique_brands}銘柄・{count}回の記録、平均 ★{avg}(評価あり {rated}件)。",
    ),
    "stats.empty": ("No tastings logged yet.", "まだ記録がありません。"),
    "stats.prefectures": ("Most tasted prefectures: {top}", "よく飲む県: {top}"),
    "stats.grades": ("Grades: {top}", "特定名称: {top}"),
    "stats.favourite_prefecture": ("Favourite prefecture: {fav}", "お気に入りの県: {fav}"),
    "wishlist.added": ("Added {name} to your wishlist.", "{name} を飲みたいリストに追加しました。"),
    "wishlist.already": ("{name} is already on your wishlist.", "{name} はすでに飲みたいリストにあります。"),
    "wishlist.empty": ("Your wishlist is empty.", "飲みたいリストは空です。"),
    "wishlist.removed": ("Removed {name} from your wishlist.", "{name} を飲みたいリストから外しました。"),
    "wishlist.not_there": ("{name} was not on your wishlist.", "{name} は飲みたいリストにありません。"),
    "wishlist.head": ("Your wishlist:", "飲みたいリスト:"),
    "list.more": ("… and {more} more", "…ほか{more}件"),
    "list.separator": (", ", "・"),
    **RESTAURANT_TEXTS,  # the restaurant tools' sentences and small words (core/restaurant_texts.py)
    # the product figures of a brand, in words
    "smv.very_dry": ("very dry", "大辛口"),
    "smv.dry": ("on the dry side", "辛口"),
    "smv.slightly_dry": ("slightly dry", "やや辛口"),
    "smv.medium": ("medium", "普通"),
    "smv.slightly_sweet": ("slightly sweet", "やや甘口"),
    "smv.sweet": ("on the sweet side", "甘口"),
    "smv.very_sweet": ("very sweet", "大甘口"),
    "acidity.high": ("high acidity, firm and tangy", "酸が高めで引き締まった味"),
    "acidity.low": ("low acidity, soft", "酸は控えめでやわらか"),
    "acidity.medium": ("medium acidity", "酸は中くらい"),
    "amino.high": ("rich umami", "うま味たっぷり"),
    "amino.low": ("clean, light umami", "すっきりしたうま味"),
    "amino.medium": ("moderate umami", "ほどよいうま味"),
    "spec.abv": ("Alcohol {abv} %", "アルコール度数 {abv}%"),
    "spec.acidity": ("Acidity {acidity}: {words}", "酸度 {acidity}: {words}"),
    "spec.amino": ("Amino acids {amino}: {words}", "アミノ酸度 {amino}: {words}"),
    "spec.grade": ("Grade: {grade}", "特定名称: {grade}"),
    "spec.polishing": ("Polishing ratio {polishing} %: {gone} % of each grain polished away",
                       "精米歩合 {polishing}%: 米の外側を{gone}%削っています"),
    "spec.rice": ("Rice: {rice}", "酒米: {rice}"),
    "spec.smv": ("SMV {sign}{smv}: {words}", "日本酒度 {sign}{smv}: {words}"),
    "spec.yeast": ("Yeast: {yeast}", "酵母: {yeast}"),
    **EDGE_TEXTS,
    **DIRECTION_TEXTS,
    **EXPLAIN_TEXTS,
}


def t(key: str, lang: Lang, **fields: Any) -> str:
    """The word for `key` in `lang` (English for anything but "ja"), with `{fields}` filled in."""
    en, ja = TEXTS[key]
    text = ja if lang == "ja" else en
    return text.format(**fields) if fields else text


def page_words(lang: Lang, prefix: str = "") -> dict[str, str]:
    """Every word whose key starts with `prefix`, for a page that draws replies itself (the web chat)."""
    return {key: t(key, lang) for key in TEXTS if key.startswith(prefix)}
