"""Request words of the offline model: one regex group per intent signal, English and Japanese.

Kept apart from the rules that weigh them (understanding.py): adding a phrasing is a one-line
change here. English words match at word boundaries, Japanese ones as substrings.
"""

from __future__ import annotations

import re

from core.agent import lexicon as lx


def _group(*words: str) -> re.Pattern[str]:
    """One regex for a group: English words at word boundaries, Japanese as substrings."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        esc = re.escape(w).replace(r"\ ", r"\s+")
        parts.append(esc if not w.isascii() else rf"(?<![a-z]){esc}(?![a-z])")
    return re.compile("|".join(parts))


LOG = _group(
    "log", "logged", "log it", "record", "note down", "write down", "rate", "rated", "rating", "score it", "gave it", "give it",
    "記録", "ログ", "評価", "採点", "つけて", "付けて",
)
DRANK = _group(
    "had", "drank", "tried", "tasted", "just had", "drinking", "i'm having", "im having", "having",
    "飲んだ", "呑んだ", "飲みました", "呑みました", "飲んでる", "飲んでいる", "いただいた", "頂いた", "飲んで",
)
EDIT = _group(
    "change", "edit", "update", "correct", "fix", "make it", "make that", "actually", "instead",
    "変更", "修正", "直して", "訂正", "変えて", "やっぱり",
)
DELETE = _group("delete", "remove", "undo", "erase", "scratch that", "take off", "drop", "削除", "消して", "取り消", "取消", "消去",
                "外して", "消す")
WISH = _group(
    "wishlist", "wish list", "want to try", "wanna try", "to-try", "to try list", "save it", "save for later", "save that",
    "bookmark", "remember this", "remember that", "my list", "add to my list", "try later",
    "ウィッシュリスト", "ウィッシュ", "飲みたいリスト", "気になる", "飲んでみたい", "後で飲みたい", "あとで飲みたい", "保存",
    "ブックマーク",
    "リストに", "メモして", "覚えておいて",
)
SHOW = _group("show", "see", "view", "list", "what's on", "whats on", "what is on", "display", "見せ", "見たい", "表示", "一覧", "確認",
              "教えて", "見る")
HISTORY = _group(
    "history", "what have i had", "what have i drunk", "what have i drank", "what did i drink", "what did i have", "what have i tried",
    "what have i logged", "my tastings", "my tasting notes", "my log", "my logs", "my notes", "past tastings", "my records",
    "recent tastings", "last tasting", "tasting log", "my tasting log", "drinking log", "my last tasting", "what i've had", "what ive had",
    "what i drank",
    "履歴", "記録を見", "記録一覧", "飲んだお酒", "今まで飲んだ", "これまで飲んだ", "飲んだ記録", "飲んだもの", "飲んだ日本酒",
    "最近飲んだ", "テイスティング記録", "私の記録", "僕の記録", "自分の記録", "わたしの記録", "記録を表示", "記録は?",
)
STATS = _group(
    "stats", "statistics", "how many", "average rating", "my average", "my numbers", "totals", "summary of my", "count",
    "統計", "何本", "何杯", "平均", "集計", "合計", "いくつ飲んだ",
)
PROFILE = _group(
    "taste profile", "my profile", "my taste", "my palate", "what do i like", "what kind of sake do i like", "flavor profile",
    "flavour profile", "what i like", "my tastes", "my style", "palate",
    "好みの傾向", "味の傾向", "好みをチャート", "好みチャート", "好みを見せ", "味の好み", "私の好み", "僕の好み", "俺の好み", "自分の好み",
    "プロフィール", "好み分析", "傾向", "好みのチャート", "好みを分析",
)
SURVEY = _group(
    "survey", "quiz", "questionnaire", "questions", "taste test", "set up my preferences", "setup my preferences", "set my preferences",
    "onboarding", "アンケート", "診断", "質問", "好みを登録", "好みを設定", "好み診断",
)
PREFS = _group("my preferences", "preferences", "my settings", "好み設定", "好みの設定", "設定した好み")
LABEL = _group(
    "label", "photo", "picture", "image", "pic", "this bottle", "what is this", "what's this", "whats this", "identify", "read this",
    "scan", "ラベル", "写真", "画像", "このお酒は何", "これ何", "これは何", "読み取", "この酒", "このボトル", "この瓶",
)
SEARCH = _group(
    "search", "find", "look up", "lookup", "which sakes", "what sakes", "list of", "list sakes", "any sakes", "are there",
    "sakes from", "breweries in", "检索", "検索", "探して", "一覧", "調べて", "ありますか", "ある?", "あるかな", "ある？",
)
RECOMMEND = _group(
    "recommend", "recommendation", "suggest", "suggestion", "what should i", "any good", "looking for", "i want", "i'd like",
    "id like", "something", "pick", "give me", "what's good", "whats good", "good sake", "could you", "can you", "a sake", "sake for",
    "need a", "want a", "which one", "what to drink", "reccomend", "recomend", "reccommend", "sugest", "anything",
    "おすすめ", "オススメ", "お勧め", "お薦め", "勧め", "すすめ", "飲みたい", "選んで", "ほしい", "欲しい", "探してる", "探しています",
    "いい日本酒", "いいお酒", "何がいい", "なにがいい", "どれがいい", "教えて", "ある?", "ない?", "ください",
)
FOR_ME = _group(
    "for me", "my taste", "suit me", "suits me", "based on my", "i would like", "i'd enjoy", "would i like", "for my palate",
    "私に合う", "私向け", "好みに合う", "僕に合う", "自分に合う", "俺に合う", "私の好みに", "私好み", "わたしに合う", "好みに合わせ",
)
POPULAR = _group(
    "popular", "best", "top", "famous", "well-known", "well known", "trending", "highest rated", "top rated", "must try", "must-try",
    "classic", "人気", "ランキング", "有名", "定番", "売れ筋", "一番", "ベスト", "評判",
)
SIMILAR = _group(
    "similar to", "similar", "like", "such as", "same as", "something like", "in the style of", "alternative to", "close to",
    "似た", "似て", "みたいで", "近くて", "みたいな", "のような", "っぽい", "近い", "系の", "系で", "ような", "みたいの",
)
PAIR = _group(
    "goes with", "go with", "pair", "pairs", "pairing", "match", "matches", "with my", "to drink with", "for dinner", "eating", "having",
    "合う", "あう", "合わせ", "と一緒", "ペアリング", "おつまみ", "つまみ", "食べる", "に合",
)
DETAILS = _group(
    "tell me about", "tell me more", "what is", "what's", "whats", "info", "information", "details", "describe", "how is", "is it good",
    "know about", "about", "more about",
    "について", "とは", "って何", "ってなに", "ってどんな", "どんな", "詳しく", "詳細", "情報", "とはどんな", "知りたい",
)
ANOTHER = _group(
    "another", "another one", "something else", "other options", "more options", "others", "one more", "different one", "next",
    "more like", "other one", "show me more", "more please", "anything else",
    "他の", "ほかの", "他に", "ほかに", "別の", "もう一つ", "もう1つ", "もういっこ", "違うの", "他には", "もう一本", "次",
)
# Turning the last picks down with nothing else asked ("not that one", "none of those", 「それ以外で」):
# the same request again without them (core.agent.intent_table._reject).
REJECT = re.compile(
    r"(?<![a-z])(?:not\s+(?:that|this)\s+one|not\s+th(?:ose|ese)(?:\s+ones)?|none\s+of\s+(?:those|these|them|that)|"
    r"(?:i\s+)?(?:don'?t|do\s+not|didn'?t|did\s+not)\s+(?:like|want|enjoy|care\s+for)\s+(?:that|this|those|these|them|it)(?:\s+ones?)?|"
    r"neither\s+of\s+(?:those|them)|(?:that|those|it)\s+(?:wasn'?t|weren'?t|isn'?t|aren'?t)\s+for\s+me|"
    r"something\s+different|not\s+(?:that|those)\s*[.!]*$)(?![a-z])"
    r"|(?:それ|これ|あれ)(?:以外|じゃな|ではな|は(?:違|ちが|いや|嫌))|どれも(?:違|ちが|いや|嫌)|(?:他|ほか|別)のが(?:いい|良い)"
    r"|口に合わなかった|好きじゃなかった|好みじゃな"
)
# "Why?" after picks, and nothing else: the reasons of the last picks (core.agent.why)
WHY = re.compile(
    r"^\s*(?:why|how\s+come|what'?s\s+the\s+reason|reason)"
    r"(?:\s+(?:these|those|them|that|this|that\s+one|this\s+one|these\s+ones|those\s+ones))?"
    r"(?:\s+(?:did|do)\s+you\s+(?:pick|choose|recommend|suggest)(?:\s+(?:these|those|them|that|it|this|that\s+one))?)?"
    r"\s*[?!.]*\s*$"
    r"|^\s*(?:なぜ|なんで|何で|どうして)(?:これ|それ|この|その|こちら|これら)?(?:を|が|に)?"
    r"(?:選んだ|すすめた|勧めた|おすすめした|推した)?(?:の|んですか|んだ|ですか)?\s*[?？!！。]*\s*$"
    r"|^\s*(?:選んだ|おすすめの|勧めた|すすめた)?理由は?\s*[?？!！。]*\s*$"
)
# Not knowing one's own taste: the taste survey is made for that
UNSURE = _group(
    "don't know what i like", "dont know what i like", "do not know what i like", "not sure what i like", "no idea what i like",
    "don't know my taste", "not sure what i want", "don't know what i want", "no idea what to get",
    "何が好きか分から", "何が好きかわから", "好みが分から", "好みがわから", "好みがよく分から", "何を選べばいいか分から",
)
# The user's own best-rated sakes
FAVOURITES = _group(
    "my favorite", "my favourite", "my favorites", "my favourites", "my favorite sake", "my favourite sake", "my favorite sakes",
    "my favourite sakes", "my best rated", "my top rated", "my highest rated", "which did i like best", "my best sakes",
    "私のお気に入り", "お気に入りは", "お気に入りの", "一番好きだった", "高評価した", "評価が高かった",
)
REF = re.compile(
    r"(?<![a-z])(that one|this one|that sake|this sake|the first|the second|the third|the last one|the 1st|the 2nd|the 3rd|"
    r"#\s*\d|number\s*\d|no\.\s*\d|option\s*\d|it|that|this)(?![a-z])"
    r"|(それ|これ|あれ|その|この|さっきの|今の|最初の|[1-5一二三四五]\s*(?:番目|つ目|個目|本目))"
)
QUESTION = _group(
    "what", "why", "how", "when", "where", "who", "can you", "could you", "do you", "is it", "are you", "will", "weather", "news",
    "なぜ", "どうして", "いつ", "どこ", "誰", "天気", "ニュース",
)
OFFTOPIC = _group(
    "weather", "news", "football", "soccer", "baseball", "homework", "essay", "stock", "stocks", "politics", "election", "movie",
    "code", "python", "math", "translate", "天気", "ニュース", "宿題", "株価", "政治", "選挙", "映画", "翻訳",
)
PRICE_WORDS = _group("cheap", "cheaper", "affordable", "budget", "inexpensive", "bargain", "安い", "お手頃", "手頃", "リーズナブル", "安め",
                     "予算")
NOTES = re.compile(r"(?:notes?|comment|memo|メモ|感想|ノート)\s*[:：]\s*(.+)$")

_CHAT_WORDS = frozenset(w for phrase in (*lx.GREETINGS, *lx.THANKS, *lx.BYES, *lx.HELP) if phrase.isascii() for w in phrase.split())
_ORDINAL = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "一": 0, "二": 1, "三": 2, "四": 3, "五": 4}
_BUDGET = re.compile(
    r"(?:[¥￥]\s*(\d[\d,]*)(?!\d))|(\d[\d,]*)\s*(?:yen|円|jpy)|(\d+(?:\.\d)?)\s*(?:k|千)\s*(?:yen|円)?(?![a-z])|(\d+(?:\.\d)?)\s*万\s*円?"
)
_DOLLARS = re.compile(r"\$\s*(\d+)|(\d+)\s*(?:dollars|bucks|usd)")

# -- words the intent table (intent_table.py) tests besides the groups above ----------------------
SAKE_WORD = re.compile(r"(?<![a-z])(sake|nihonshu)(?![a-z])|日本酒|お酒|地酒")  # the message is about sake after all
LAST_ONE = re.compile(r"(?<![a-z])(last|latest|that|it|previous)(?![a-z])|最後|最新|さっき|今の|それ|直前")  # "delete the last one"
BARE_NUMBER = re.compile(r"(?<![\d.])([0-5](?:\.5)?)(?![\d.]|\s*(?:yen|円|%))")  # "make that 4.5 instead"
WHAT_NEXT = re.compile(r"what next|what's next|whats next|次")

# "like the ones I rated 5", 「星5をつけたのに似た」, "like my favourites": the user's own best tastings as the reference.
# group "stars" when a number is said; otherwise LIKED_DEFAULT stars and up.
LIKED_EN = re.compile(
    r"(?<![a-z])(?:like|similar\s+to|close\s+to|same\s+as|along\s+the\s+lines\s+of)\s+"
    r"(?:(?:the\s+)?(?:ones?|sakes?|bottles?)|those|what)\s+(?:that\s+)?i(?:'ve|\s+have|\s+had)?\s+"
    r"(?:rated|gave|scored|loved|liked|enjoyed|starred)(?:\s+(?:it|them|a|an))?"
    r"(?:\s*(?P<stars>[0-5](?:\.5)?)(?![\d.])(?:\s*(?:stars?|★|/\s*5))?|\s+(?:highly|high|the\s+highest|the\s+most|the\s+best))?"
    r"|(?<![a-z])(?:like|similar\s+to|close\s+to)\s+my\s+(?:favou?rites?|faves?|top[\s-]rated(?:\s+sakes?)?|best[\s-]rated(?:\s+sakes?)?|"
    r"highest[\s-]rated(?:\s+sakes?)?|best\s+ones|top\s+ones)"
)
LIKED_JA = re.compile(
    r"(?:(?:星|★)\s*(?P<stars>[1-5](?:\.5)?)\s*(?:を|に|で)?\s*(?:つけた|付けた|評価した|した)|お気に入り|高く評価した|高評価(?:をつけた|の)?|好きだった)"
    r"(?:お酒|日本酒|もの|の)?(?:に|と)?(?:似た|似てる|似ている|近い|みたいな|のような|ような|っぽい)"
)
LIKED_DEFAULT = 4.0

# "not X", "nothing like X", 「X以外」: a reference brand refused (its name is looked up in group "what").
UNLIKE_EN = re.compile(
    r"(?<![a-z])(?:nothing\s+like|anything\s+but|anything\s+except|other\s+than|apart\s+from|except(?:\s+for)?|unlike|"
    r"not\s+like|not|no\s+more|instead\s+of|besides)\s+(?P<what>[a-z][a-z' -]{1,40}?)"
    r"(?=\s*(?:[,.!?;]|$)|\s+(?:and|but|or|either|please|though|too|for|from|with|this\s+time|again)(?![a-z]))"
)
UNLIKE_AFTER_JA = re.compile(r"^(?:みたい|のよう|っぽ|系)?(?:以外|じゃな|ではな|でな|じゃなく|は避け|は除い|は無し|はなし|くな)")

# "give me 5", "three picks", 「3つ」: how many picks (core.request.MAX_PICKS at most).
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                "a couple of": 2, "a few": 3, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_N_EN = r"(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|a\s+couple\s+of|a\s+few)"
COUNT_EN = re.compile(
    r"(?<![a-z\d.#])" + _N_EN + r"\s+(?:more\s+|different\s+|other\s+|good\s+)?(?:[a-z-]+\s+){0,3}?"
    r"(?:sakes?|picks?|bottles?|options?|suggestions?|recommendations?|choices?|brands?)(?![a-z])"
    r"|(?<![a-z])(?:give\s+me|show\s+me|top|just|only|pick|suggest|recommend|list)\s+(?:me\s+)?(?P<m>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)"
    r"(?![\d.]|\s*(?:stars?|yen|%|/|points?|k\b|more\s+stars))"
)
COUNT_JA = re.compile(r"(?P<n>[1-9]|10|[一二三四五六七八九十])\s*(?:つ|本|個|銘柄|種類)(?!目|星|ツ星|飲ん|呑ん)")
# The sommelier's questions about named sakes (sommelier_reading.py): two compared, one served
COMPARE = _group(
    "vs", "versus", "compare", "compared", "comparing", "comparison", "difference", "differences", "different", "differ", "between",
    "than", "or", "違い", "違う", "比べ", "比較", "対", "より", "のほうが", "の方が",
)
WHICH = _group("which", "which one", "どっち", "どちら", "どれ")
SERVE = _group(
    "temperature", "temp", "serve", "served", "serving", "warm", "warmed", "warming", "heat", "heated", "hot", "cold", "chilled",
    "chill", "cool", "cooled", "kanzake", "atsukan", "nurukan", "degrees",
    "温度", "何度", "冷や", "冷たく", "冷して", "燗", "温め", "あたため", "常温", "飲み頃", "飲みごろ", "冷酒",
)
