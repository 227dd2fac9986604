"""The words the offline model knows, English and Japanese, each mapped to what it means.

Kept apart from the parsing rules (understanding.py) so that adding a word is a one-line change.
English entries are matched as whole words (case-insensitive); Japanese entries as substrings
of the NFKC-normalised text. Longer entries win over shorter ones that overlap them.
"""

from __future__ import annotations

# Flavour words: the Sakenowa axes they pull (f1 floral … f6 light) and the catalog tag they mean.
# value: (want {axis: +1/-1}, tag or None)
FLAVOURS: dict[str, tuple[dict[str, int], str | None]] = {
    # dry / sweet
    "dry": ({"f5": 1}, "辛口"), "very dry": ({"f5": 1}, "辛口"), "karakuchi": ({"f5": 1}, "辛口"),
    "辛口": ({"f5": 1}, "辛口"), "ドライ": ({"f5": 1}, "辛口"), "からくち": ({"f5": 1}, "辛口"), "辛め": ({"f5": 1}, "辛口"),
    "sweet": ({"f5": -1}, "甘味"), "amakuchi": ({"f5": -1}, "甘味"), "sweetish": ({"f5": -1}, "甘味"),
    "甘口": ({"f5": -1}, "甘味"), "甘い": ({"f5": -1}, "甘味"), "甘め": ({"f5": -1}, "甘味"), "あまくち": ({"f5": -1}, "甘味"),
    # fruity / floral / aromatic
    "fruity": ({"f1": 1}, "フルーティ"), "fruit": ({"f1": 1}, "フルーティ"), "furuti": ({"f1": 1}, "フルーティ"),
    "フルーティ": ({"f1": 1}, "フルーティ"), "フルーティー": ({"f1": 1}, "フルーティ"), "果実": ({"f1": 1}, "フルーティ"),
    "floral": ({"f1": 1}, "華やか"), "flowery": ({"f1": 1}, "華やか"), "aromatic": ({"f1": 1}, "華やか"), "fragrant": ({"f1": 1}, "華やか"),
    "華やか": ({"f1": 1}, "華やか"), "はなやか": ({"f1": 1}, "華やか"), "香り高い": ({"f1": 1}, "華やか"), "吟醸香": ({"f1": 1}, "華やか"),
    # light / crisp / clean
    "light": ({"f6": 1}, "軽快"), "light-bodied": ({"f6": 1}, "軽快"), "easy-drinking": ({"f6": 1}, "軽快"),
    "easy drinking": ({"f6": 1}, "軽快"),
    "軽快": ({"f6": 1}, "軽快"), "軽い": ({"f6": 1}, "軽快"), "軽め": ({"f6": 1}, "軽快"), "淡麗": ({"f6": 1}, "スッキリ"),
    "端麗": ({"f6": 1}, "スッキリ"),
    "crisp": ({"f6": 1}, "キレ"), "sharp": ({"f6": 1}, "キレ"), "キレ": ({"f6": 1}, "キレ"), "キリッと": ({"f6": 1}, "キレ"),
    "clean": ({"f6": 1}, "スッキリ"), "refreshing": ({"f6": 1}, "スッキリ"), "すっきり": ({"f6": 1}, "スッキリ"),
    "スッキリ": ({"f6": 1}, "スッキリ"),
    "さっぱり": ({"f6": 1}, "さっぱり"),
    # rich / full / mellow / umami
    "rich": ({"f3": 1}, "濃厚"), "full-bodied": ({"f3": 1}, "コク"), "full bodied": ({"f3": 1}, "コク"), "heavy": ({"f3": 1}, "濃厚"),
    "bold": ({"f3": 1}, "濃厚"), "robust": ({"f3": 1}, "濃厚"), "濃厚": ({"f3": 1}, "濃厚"), "濃醇": ({"f3": 1}, "濃厚"),
    "重厚": ({"f3": 1}, "濃厚"),
    "濃い": ({"f3": 1}, "濃厚"), "重め": ({"f3": 1}, "濃厚"), "どっしり": ({"f3": 1}, "濃厚"), "しっかり": ({"f3": 1}, "しっかり"),
    "コク": ({"f3": 1}, "コク"),
    "mellow": ({"f2": 1}, "芳醇"), "芳醇": ({"f2": 1}, "芳醇"), "ほうじゅん": ({"f2": 1}, "芳醇"),
    "umami": ({"f2": 1}, "旨味"), "savory": ({"f2": 1}, "旨味"), "savoury": ({"f2": 1}, "旨味"), "旨口": ({"f2": 1}, "旨味"),
    "旨味": ({"f2": 1}, "旨味"), "うまみ": ({"f2": 1}, "旨味"), "旨み": ({"f2": 1}, "旨味"), "うま口": ({"f2": 1}, "旨味"),
    # smooth / mild
    "smooth": ({"f4": 1}, "まろやか"), "mild": ({"f4": 1}, "穏やか"), "gentle": ({"f4": 1}, "優しい"), "soft": ({"f4": 1}, "柔らかい"),
    "calm": ({"f4": 1}, "穏やか"), "まろやか": ({"f4": 1}, "まろやか"), "穏やか": ({"f4": 1}, "穏やか"), "やさしい": ({"f4": 1}, "優しい"),
    "優しい": ({"f4": 1}, "優しい"), "柔らかい": ({"f4": 1}, "柔らかい"), "なめらか": ({"f4": 1}, "なめらか"),
    "滑らか": ({"f4": 1}, "なめらか"),
    # tags only: no axis moves with them
    "acidic": ({}, "酸味"), "tart": ({}, "酸味"), "sour": ({}, "酸味"), "酸味": ({}, "酸味"),
    "fresh": ({}, "フレッシュ"), "フレッシュ": ({}, "フレッシュ"), "juicy": ({}, "ジューシー"), "ジューシー": ({}, "ジューシー"),
    "elegant": ({}, "上品"), "上品": ({}, "上品"), "bitter": ({}, "苦味"), "苦味": ({}, "苦味"),
    "melon": ({}, "メロン"), "メロン": ({}, "メロン"), "banana": ({}, "バナナ"), "バナナ": ({}, "バナナ"),
    "apple": ({}, "リンゴ"), "リンゴ": ({}, "リンゴ"), "りんご": ({}, "リンゴ"), "citrus": ({}, "柑橘"), "柑橘": ({}, "柑橘"),
    "warm": ({}, "燗酒"), "hot sake": ({}, "燗酒"), "warmed": ({}, "燗酒"), "熱燗": ({}, "熱燗"), "燗": ({}, "燗酒"),
    "ぬる燗": ({}, "燗酒"),
    "chilled": ({}, "冷酒"), "cold": ({}, "冷酒"), "冷酒": ({}, "冷酒"), "冷や": ({}, "冷酒"),
    # wine drinkers' words: a white wine is fruity with acidity, a red one mellow and round
    "white wine": ({"f1": 1}, "ワイン"), "wine-like": ({"f1": 1}, "ワイン"), "like wine": ({"f1": 1}, "ワイン"),
    "like a wine": ({"f1": 1}, "ワイン"), "wine lover": ({"f1": 1}, "ワイン"), "likes wine": ({"f1": 1}, "ワイン"),
    "白ワイン": ({"f1": 1}, "ワイン"), "ワインのような": ({"f1": 1}, "ワイン"), "ワインみたい": ({"f1": 1}, "ワイン"),
    "ワインっぽい": ({"f1": 1}, "ワイン"),
    "red wine": ({"f2": 1}, None), "赤ワイン": ({"f2": 1}, None),
}

# Styles (core.styles): word -> (the style when asked for, the style refused when negated).
# "no bubbles" refuses any gas, "a sparkling sake" asks for a sparkling one.
STYLES: dict[str, tuple[str, str]] = {
    "sparkling": ("sparkling", "fizzy"), "fizzy": ("sparkling", "fizzy"), "bubbly": ("sparkling", "fizzy"),
    "bubbles": ("sparkling", "fizzy"),
    "carbonated": ("sparkling", "fizzy"), "awa": ("sparkling", "fizzy"),
    "発泡": ("sparkling", "fizzy"), "スパークリング": ("sparkling", "fizzy"), "微発泡": ("sparkling", "fizzy"),
    "泡": ("sparkling", "fizzy"),
    "シュワシュワ": ("sparkling", "fizzy"), "しゅわしゅわ": ("sparkling", "fizzy"), "ガス": ("sparkling", "fizzy"),
    "nigori": ("cloudy", "cloudy"), "cloudy": ("cloudy", "cloudy"), "unfiltered": ("cloudy", "cloudy"), "milky": ("cloudy", "cloudy"),
    "doburoku": ("cloudy", "cloudy"), "にごり": ("cloudy", "cloudy"), "濁り": ("cloudy", "cloudy"), "どぶろく": ("cloudy", "cloudy"),
    "にごり酒": ("cloudy", "cloudy"), "おりがらみ": ("cloudy", "cloudy"),
    "koshu": ("aged", "aged"), "aged": ("aged", "aged"), "jukusei": ("aged", "aged"), "古酒": ("aged", "aged"), "熟成": ("aged", "aged"),
    "熟成酒": ("aged", "aged"),
    "namazake": ("namazake", "namazake"), "nama": ("namazake", "namazake"), "unpasteurized": ("namazake", "namazake"),
    "生酒": ("namazake", "namazake"), "しぼりたて": ("namazake", "namazake"), "生原酒": ("namazake", "namazake"),
    "genshu": ("genshu", "genshu"), "undiluted": ("genshu", "genshu"), "cask strength": ("genshu", "genshu"), "原酒": ("genshu", "genshu"),
    "kijoshu": ("kijoshu", "kijoshu"), "貴醸酒": ("kijoshu", "kijoshu"),
    "kimoto": ("kimoto", "kimoto"), "yamahai": ("kimoto", "kimoto"), "生酛": ("kimoto", "kimoto"), "生もと": ("kimoto", "kimoto"),
    "きもと": ("kimoto", "kimoto"), "山廃": ("kimoto", "kimoto"), "山廃仕込み": ("kimoto", "kimoto"), "生酛造り": ("kimoto", "kimoto"),
    "taruzake": ("taruzake", "taruzake"), "cedar cask": ("taruzake", "taruzake"), "樽酒": ("taruzake", "taruzake"),
    "low alcohol": ("low_alcohol", "low_alcohol"), "low-alcohol": ("low_alcohol", "low_alcohol"), "low abv": ("low_alcohol", "low_alcohol"),
    "低アルコール": ("low_alcohol", "low_alcohol"), "低アル": ("low_alcohol", "low_alcohol"),
    "very sweet": ("very_sweet", "very_sweet"), "dessert sake": ("very_sweet", "very_sweet"), "極甘口": ("very_sweet", "very_sweet"),
}
# Negation around a flavour or style word: English before it, Japanese after it.
NEGATION_BEFORE = (
    "not", "no", "nothing", "without", "never", "isn't", "isnt", "aren't", "arent", "don't", "dont", "avoid", "except", "nor", "less",
    "not too", "not so", "not very", "not overly", "nothing too", "no more", "anything but", "none of",
)
NEGATION_AFTER_JA = (
    "じゃない", "じゃなく", "ではない", "ではなく", "でない", "でなく", "じゃ無い", "無し", "なし", "ナシ", "抜き", "以外", "していない",
    "してない",
    "は無し", "はなし", "は嫌", "はいや", "は苦手", "が苦手", "は要らない", "はいらない", "ではないもの", "は避けて", "を避けて",
)
# "for a beginner": approachable, well-charted, easy to find.
BEGINNER = ("beginner", "beginners", "first time", "first-timer", "first-timers", "first timer", "first timers", "first-time",
            "new to sake", "newbie", "novice", "starter", "easy to find",
            "初心者", "初めて", "はじめて", "入門", "ビギナー", "飲みやすい")
# A follow-up that edits the previous request rather than starting a new one.
EDIT_FOLLOW_UP = ("instead", "rather", "though", "but", "from there", "にして", "に変えて", "のほう", "の方", "ので", "がいい", "で")

# Comparatives used in follow-ups: "something lighter", "もう少し辛口で".
DIRECTIONS: dict[str, str] = {
    "drier": "drier", "dryer": "drier", "more dry": "drier", "less sweet": "drier", "not so sweet": "drier",
    "sweeter": "sweeter", "more sweet": "sweeter", "less dry": "sweeter",
    "lighter": "lighter", "more light": "lighter", "crisper": "lighter", "cleaner": "lighter", "less heavy": "lighter",
    "less rich": "lighter",
    "richer": "richer", "fuller": "richer", "heavier": "richer", "bolder": "richer", "more body": "richer", "more full-bodied": "richer",
    "more umami": "richer", "less light": "richer",
    "more aromatic": "more_aromatic", "more fruity": "more_aromatic", "fruitier": "more_aromatic", "more floral": "more_aromatic",
    "more fragrant": "more_aromatic",
}
# Japanese comparatives: a marker (もう少し, もっと, より, ちょっと) before a flavour word, or these forms.
DIRECTIONS_JA: dict[str, str] = {
    "辛口": "drier", "辛め": "drier", "ドライ": "drier", "辛い": "drier",
    "甘口": "sweeter", "甘め": "sweeter", "甘い": "sweeter",
    "軽い": "lighter", "軽め": "lighter", "軽快": "lighter", "すっきり": "lighter", "スッキリ": "lighter", "淡麗": "lighter",
    "さっぱり": "lighter",
    "濃い": "richer", "濃いめ": "richer", "重め": "richer", "重た": "richer", "濃厚": "richer", "しっかり": "richer", "重い": "richer",
    "濃醇": "richer", "コク": "richer", "芳醇": "richer",
    "華やか": "more_aromatic", "フルーティ": "more_aromatic", "香り": "more_aromatic",
}
JA_MORE = ("もう少し", "もうちょっと", "もうすこし", "もっと", "より", "ちょっと", "少し", "やや")

# Foods: canonical English key (what the pairing service reads) for every way of writing it.
FOODS: dict[str, str] = {
    "sushi": "sushi", "寿司": "sushi", "鮨": "sushi", "すし": "sushi", "スシ": "sushi", "nigiri": "sushi",
    "sashimi": "sashimi", "刺身": "sashimi", "お造り": "sashimi", "さしみ": "sashimi",
    "tempura": "tempura", "天ぷら": "tempura", "てんぷら": "tempura", "天麩羅": "tempura",
    "yakitori": "yakitori", "焼き鳥": "yakitori", "焼鳥": "yakitori", "やきとり": "yakitori",
    "ramen": "ramen", "ラーメン": "ramen",
    "cheese": "cheese", "チーズ": "cheese",
    "oyster": "oysters", "oysters": "oysters", "牡蠣": "oysters", "カキ": "oysters",
    "grilled fish": "grilled fish", "焼き魚": "grilled fish", "焼魚": "grilled fish", "塩焼き": "grilled fish",
    "steak": "steak", "ステーキ": "steak", "beef": "beef", "牛肉": "beef", "wagyu": "beef", "和牛": "beef",
    "pork": "pork", "豚肉": "pork", "豚": "pork", "tonkatsu": "pork", "とんかつ": "pork", "豚カツ": "pork",
    "chicken": "chicken", "鶏肉": "chicken", "鶏": "chicken", "karaage": "fried chicken", "fried chicken": "fried chicken",
    "唐揚げ": "fried chicken", "からあげ": "fried chicken", "から揚げ": "fried chicken",
    "curry": "curry", "カレー": "curry", "pizza": "pizza", "ピザ": "pizza", "pasta": "pasta", "パスタ": "pasta",
    "chocolate": "chocolate", "チョコ": "chocolate", "チョコレート": "chocolate",
    "dessert": "dessert", "デザート": "dessert", "スイーツ": "dessert", "sweets": "dessert",
    "oden": "oden", "おでん": "oden", "nabe": "hot pot", "hot pot": "hot pot", "hotpot": "hot pot", "鍋": "hot pot", "鍋料理": "hot pot",
    "sukiyaki": "sukiyaki", "すき焼き": "sukiyaki", "yakiniku": "yakiniku", "焼肉": "yakiniku", "焼き肉": "yakiniku", "bbq": "yakiniku",
    "barbecue": "yakiniku", "gyoza": "gyoza", "dumplings": "gyoza", "餃子": "gyoza", "ギョーザ": "gyoza",
    "salad": "salad", "サラダ": "salad", "crab": "crab", "蟹": "crab", "カニ": "crab",
    "shrimp": "shrimp", "prawns": "shrimp", "エビ": "shrimp", "海老": "shrimp", "えび": "shrimp",
    "eel": "eel", "unagi": "eel", "うなぎ": "eel", "鰻": "eel", "ウナギ": "eel",
    "tofu": "tofu", "豆腐": "tofu", "hiyayakko": "tofu", "冷奴": "tofu",
    "seafood": "seafood", "海鮮": "seafood", "魚介": "seafood", "shellfish": "seafood", "貝": "seafood",
    "fish": "fish", "魚": "fish", "white fish": "fish", "白身魚": "fish", "salmon": "fish", "鮭": "fish", "サーモン": "fish",
    "tuna": "sashimi", "マグロ": "sashimi", "まぐろ": "sashimi",
    "meat": "meat", "肉": "meat", "肉料理": "meat",
    "vegetables": "vegetables", "野菜": "vegetables", "veggies": "vegetables",
    "spicy food": "spicy food", "辛い料理": "spicy food", "激辛": "spicy food", "chinese food": "chinese food", "中華": "chinese food",
    "soba": "soba", "そば": "soba", "蕎麦": "soba", "udon": "udon", "うどん": "udon",
    "pickles": "pickles", "漬物": "pickles", "お新香": "pickles", "miso": "miso", "味噌": "miso",
    "japanese food": "washoku", "和食": "washoku", "kaiseki": "washoku", "懐石": "washoku",
    "italian": "italian", "イタリアン": "italian", "french": "french", "フレンチ": "french",
}

# Grades (特定名称): longest first when matching.
GRADES: dict[str, str] = {
    "junmai daiginjo": "純米大吟醸", "junmai daiginjou": "純米大吟醸", "junmai-daiginjo": "純米大吟醸", "純米大吟醸": "純米大吟醸",
    "junmai ginjo": "純米吟醸", "junmai ginjou": "純米吟醸", "junmai-ginjo": "純米吟醸", "純米吟醸": "純米吟醸",
    "tokubetsu junmai": "特別純米", "特別純米": "特別純米", "tokubetsu honjozo": "特別本醸造", "特別本醸造": "特別本醸造",
    "daiginjo": "大吟醸", "daiginjou": "大吟醸", "dai ginjo": "大吟醸", "大吟醸": "大吟醸",
    "ginjo": "吟醸", "ginjou": "吟醸", "吟醸": "吟醸",
    "junmai": "純米", "junmaishu": "純米", "純米": "純米", "純米酒": "純米",
    "honjozo": "本醸造", "honjouzou": "本醸造", "本醸造": "本醸造", "futsushu": "普通酒", "普通酒": "普通酒",
}

# Serving-style words that are not sake names.
GREETINGS = (
    "hi", "hello", "hey", "hiya", "yo", "howdy", "good morning", "good evening", "good afternoon", "greetings", "heya",
    "こんにちは", "こんばんは", "おはよう", "はじめまして", "初めまして", "やあ", "ハロー", "もしもし", "よろしく",
)
THANKS = (
    "thanks", "thank you", "thx", "ty", "thank u", "cheers", "much appreciated", "appreciate it", "great, thanks",
    "ありがとう", "ありがと", "サンキュー", "助かった", "助かります", "感謝",
)
BYES = ("bye", "goodbye", "good bye", "see you", "see ya", "good night", "またね", "さようなら", "さよなら", "おやすみ", "じゃあね")
HELP = (
    "help", "what can you do", "what do you do", "how does this work", "how do i use", "how to use", "commands", "who are you",
    "what are you", "about you", "what is this bot", "usage", "menu", "features",
    "ヘルプ", "何ができる", "なにができる", "使い方", "あなたは誰", "あなたはだれ", "誰ですか", "できること", "機能",
)

# English words that carry the request and never name a sake (blanked before brand look-up).
STOPWORDS = frozenset(
    """a an the me my i i'm im you your it its it's is are was were be been am for to of and or in on at with about tell what
    which who how some something anything any like likes liked love loved want wants need needs please pls plz show find give get
    recommend recommendation recommendations suggest suggestion suggestions sake sakes nihonshu bottle bottles drink drinks
    drank drunk drinking tried try trying had have has one ones another more less other others else similar same good great best
    nice top popular favorite favourite taste tastes tasted tasting flavor flavour profile my also but not too very really so
    that this these those them they he she we us our do does did can could would should will just only from into than then there
    here now today tonight yesterday maybe kind sort type go goes going pair pairs pairing match matches food dinner lunch
    eating eat having log logs logged record rate rated rating stars star out by if as up down bit little lot alot much many
    search list all where when why know think thought wish wishlist save later add remove delete edit change update undo history
    stats statistics summary survey quiz preferences preference set yes no ok okay cool wow hmm new old first second third last
    number brand brands label photo picture image pic identify read what's whats how's thats that's let let's lets see
    under below around within budget cheap cheaper affordable expensive price yen dollars bucks glass
    hi hello hey thanks thank help back again next""".split()
)
