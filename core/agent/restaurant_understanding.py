"""The offline model's reading of restaurant requests, English and Japanese.

Staff phrases ("add 獺祭 to the menu at 900 yen a glass", 「獺祭を在庫切れに」, "/sake staff add @someone")
become menu and staff tool calls; "what should I pour for a guest who likes fruity and light?" and,
in a restaurant workspace, any dish or taste request become picks from stock. The taste and dish
words are read by the general reading (core.agent.understanding) and the pairing rules, so one
vocabulary serves personal users and restaurants. Anything else returns None: the general
reading decides.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from core.agent.understanding import NOTES, Context, Intent, Understanding
from core.i18n import detect_language
from core.pairing import Pairing

_PAIRING = Pairing()

# "/sake staff add ..." (a slash command, or its text as some adapters pass it)
_COMMAND = re.compile(r"^\s*/sake\s+", re.I)
_WHO = r"(?P<who><@!?[A-Za-z0-9_.\-]+(?:\|[^>]*)?>|@[A-Za-z0-9_.\-]+|[A-Za-z0-9_.\-]{2,})"

SETUP = [
    re.compile(r"^(?:restaurant\s+setup|setup\s+restaurant|set\s*up\s+(?:this\s+(?:workspace|server|group)\s+as\s+)?(?:a\s+|the\s+|our\s+|my\s+)?restaurant)"
               r"(?:\s+(?:called|named|as))?\s*[:：]?\s*(?P<name>.*)$", re.I),
    re.compile(r"^(?P<name>.*?)\s*(?:を|で)?\s*(?:レストラン|お店|店舗)(?:として)?(?:を)?\s*(?:登録|設定|開設)(?:して|する|します)?(?:ください)?[。!]?\s*(?P<name2>.*)$"),
]
STAFF_ADD = [
    re.compile(rf"^staff\s+add\s+{_WHO}", re.I),
    re.compile(rf"^(?:add|make)\s+{_WHO}\s+(?:as\s+|to\s+(?:the\s+|our\s+)?)?(?:a\s+)?staff", re.I),
    re.compile(rf"^スタッフ(?:に|を)?\s*(?:追加|登録)\s*[:：]?\s*{_WHO}"),
    re.compile(rf"{_WHO}\s*(?:さん)?\s*を\s*スタッフ(?:に|として)?\s*(?:追加|登録|に?して)"),
]
STAFF_REMOVE = [
    re.compile(rf"^staff\s+(?:remove|delete|rm)\s+{_WHO}", re.I),
    re.compile(rf"^(?:remove|drop)\s+{_WHO}\s+(?:from|as)\s+(?:the\s+|our\s+)?staff", re.I),
    re.compile(rf"^スタッフ(?:から)?\s*(?:削除|外す|解除)\s*[:：]?\s*{_WHO}"),
    re.compile(rf"{_WHO}\s*(?:さん)?\s*を\s*スタッフから\s*(?:外|削除|消)"),
]
STAFF_LIST = re.compile(r"^staff(?:\s+list)?\s*$|who(?:'s| is| are)\s+(?:on\s+)?(?:the\s+|our\s+)?staff|list\s+(?:the\s+)?staff|"
                        r"show\s+(?:the\s+)?staff|スタッフ(?:の)?(?:一覧|リスト|は誰|はだれ)", re.I)
SHEET = re.compile(r"cheat\s*-?\s*sheet|staff\s+sheet|training\s+sheet|crib\s+sheet|^sheet$|早見表|チートシート|虎の巻|"
                   r"スタッフ用(?:の)?(?:資料|シート|メモ)", re.I)
EXPORT = re.compile(r"(?:export|download)\b.*\bmenu|menu\b.*\b(?:export|download|as\s+(?:a\s+)?csv|to\s+csv)|^menu\s+csv$|"
                    r"メニュー.*(?:書き出|エクスポート|ダウンロード|CSVで|csvで|CSVに|csvに)", re.I)
IMPORT = re.compile(r"\bimport\b|\bupload\b|\breplace\s+(?:the\s+|our\s+)?menu|取り込|インポート|読み込|置き換え", re.I)
REPLACE = re.compile(r"\breplace\b|置き換え|入れ替え|総入れ替え", re.I)
MENU_WORD = re.compile(r"\bmenu\b|\bcsv\b|メニュー|お品書き", re.I)
REMOVE = [
    re.compile(r"^(?:menu\s+(?:remove|delete|rm)\s+)(?P<item>.+)$", re.I),
    re.compile(r"^(?:remove|delete|take|drop)\s+(?P<item>.+?)\s+(?:off|from)\s+(?:the\s+|our\s+)?menu\b", re.I),
    re.compile(r"^(?P<item>.+?)\s*を?\s*メニューから\s*(?:外|削除|消|下げ|はず)"),
]
ADD = [
    re.compile(r"^menu\s+add\s+(?P<sake>.+)$", re.I),
    re.compile(r"^(?:please\s+)?(?:add|put)\s+(?P<sake>.+?)\s+(?:to|on)\s+(?:the\s+|our\s+)?menu\b(?P<rest>.*)$", re.I),
    re.compile(r"^(?P<sake>.+?)\s*を\s*メニューに\s*(?:追加|載せ|のせ|入れ|加え)(?:て|して)?(?:ください|下さい|ね)?(?P<rest>.*)$"),
    re.compile(r"^メニューに\s*(?P<sake>.+?)\s*を\s*(?:追加|載せ|のせ|入れ|加え)(?:て|して)?(?:ください|下さい|ね)?(?P<rest>.*)$"),
]
OUT = [
    re.compile(r"^(?:mark\s+)?(?P<item>.+?)\s+(?:is\s+|as\s+|are\s+)?(?:now\s+)?(?:out\s+of\s+stock|sold\s+out|86(?:'?d|ed)?)\b", re.I),
    re.compile(r"^(?:we(?:'re|\s+are)\s+)?(?:all\s+)?out\s+of\s+(?P<item>(?!stock\b).+?)(?:\s+now|\s+tonight)?[.!]?$", re.I),
    re.compile(r"^(?P<item>.+?)\s*(?:を|が|は)?\s*(?:在庫切れ|品切れ|売り切れ|売切れ|完売|欠品)"),
]
BACK = [
    re.compile(r"^(?P<item>.+?)\s+(?:is\s+|are\s+)?(?:back\s+in\s+stock|in\s+stock\s+again|back\s+on)\b", re.I),
    re.compile(r"^(?:mark\s+)?(?P<item>.+?)\s+(?:as\s+)?in\s+stock$", re.I),
    re.compile(r"^(?P<item>.+?)\s*(?:を|が|は)?\s*(?:再入荷|入荷(?:した|しました)?|在庫あり|在庫復活|在庫ありに)"),
]
COUNT = [
    re.compile(r"^(?:we\s+have\s+)?(?P<n>\d+)\s+bottles?\s+(?:of\s+)?(?P<item>.+?)\s+(?:left|in\s+stock)\b", re.I),
    re.compile(r"^(?:set\s+)?(?:the\s+)?stock\s+(?:of|for)\s+(?P<item>.+?)\s+(?:to|at|is)\s+(?P<n>\d+)\b", re.I),
    re.compile(r"^(?P<item>.+?)\s*[:：]?\s+(?:has\s+)?(?P<n>\d+)\s+(?:bottles?\s+)?left\b", re.I),
    re.compile(r"^(?P<item>.+?)\s*の?\s*(?:在庫|残り|残数)\s*(?:を|は|が)?\s*(?P<n>\d+)\s*本?"),
    re.compile(r"^(?P<item>.+?)\s*(?:は|が)?\s*(?:あと|残り)\s*(?P<n>\d+)\s*本"),
]
PRICE_CHANGE = [
    re.compile(r"^(?:set|change|make)\s+(?:the\s+)?(?P<kind>glass|bottle)\s+price\s+(?:of|for)\s+"
               r"(?P<item>.+?)\s+(?:to|at)\s+[¥￥]?\s*(?P<price>\d[\d,]*)", re.I),
    re.compile(r"^(?P<item>.+?)\s+(?:is\s+)?now\s+[¥￥]?\s*(?P<price>\d[\d,]*)\s*(?:yen|円)?"
               r"\s*(?:a|per|by\s+the|for\s+a)\s+(?P<kind>glass|bottle)", re.I),
    re.compile(r"^(?P<item>.+?)\s*の\s*(?P<kind>グラス|ボトル)\s*(?:の)?(?:価格|値段|料金)?\s*を?\s*[¥￥]?\s*(?P<price>\d[\d,]*)\s*円?\s*に"),
]
LIST_IN_STOCK = re.compile(r"what(?:'s| is| do we have)\s+in\s+stock|what\s+do\s+we\s+have|in\s+stock\s+(?:list|now)|^stock$|"
                           r"在庫(?:の)?(?:ある|一覧|リスト|確認|を見|状況)|在庫があるお酒|今ある(?:お酒|日本酒)", re.I)
LIST_MENU = re.compile(r"^menu(?:\s+list)?\s*$|"
                       r"(?:show|see|view|list|display|what(?:'s| is))\s+(?:me\s+)?(?:on\s+)?(?:the\s+|our\s+)?(?:sake\s+)?menu|"
                       r"^(?:the\s+|our\s+)?(?:sake\s+)?menu\??$|メニュー(?:を)?(?:見せ|一覧|表示|見たい|教えて|確認|は[?？]?$)|"
                       r"^メニュー[?？]?$|お品書き", re.I)
# Words that ask for a pick from the restaurant's stock rather than from the whole catalog.
POUR = re.compile(
    r"\bpour(?:ing)?\b|\bguests?\b|\bcustomers?\b|\bdiners?\b|\bserve\b|\bfrom\s+(?:the\s+|our\s+|your\s+)?(?:menu|stock)\b|\bon\s+(?:the\s+|our\s+|your\s+)?menu\b|"
    r"\bwe\s+have\b|\bin\s+stock\b|\bour\s+(?:sakes?|list)\b|お客(?:さん|様|さま)?|ゲスト|注(?:ぐ|げば|いだら)|お出し|出(?:す|せ|したい)|うちの|メニューから|在庫から|店の|当店",
    re.I,
)
# Words that ask beyond this restaurant's stock: the whole catalog.
ELSEWHERE = re.compile(r"\bcatalog(?:ue)?\b|\bany\s+sake\b|\banywhere\b|\bin\s+general\b|\bnot\s+(?:on|from)\s+(?:the|our)\s+menu|"
                       r"カタログ|全国|メニュー以外|どこでも", re.I)
# Words that ask for a pairing, so a dish is looked for ("pair with grilled mackerel", 「サバに合う」).
PAIR_WORDS = re.compile(r"\bpair|\bgoes?\s+with\b|\bgo\s+with\b|\bmatch|\bwith\b|\bfor\s+(?:dinner|the\s+dish)|合う|あう|合わせ|と一緒|"
                        r"ペアリング|つまみ", re.I)
# Prices and stock inside an "add to the menu" sentence.
_PRICE_UNIT = re.compile(
    r"(?:at|for|@)?\s*[¥￥]?\s*(?P<price>\d[\d,]*)\s*(?:yen|円|jpy)?\s*(?:a|per|by\s+the|for\s+a|/|an?)?\s*(?P<kind>glass|bottle|杯|本)\b"
    r"|(?P<kind2>glass|bottle|グラス|ボトル|一杯|1杯)\s*[:：]?\s*[¥￥]?\s*(?P<price2>\d[\d,]*)\s*(?:yen|円)?",
    re.I,
)
_PRICE_BARE = re.compile(r"(?:\bat\s+|\bfor\s+)?[¥￥]\s*(?P<a>\d[\d,]*)|(?:\bat\s+|\bfor\s+)?(?P<b>\d[\d,]*)\s*(?:yen|円)", re.I)
_STOCK_IN_ADD = re.compile(r"(?P<n>\d+)\s*(?:bottles?|本)\s*(?:in\s+stock|left|在庫|あり)?|"
                           r"(?:在庫|残り|stock)\s*[:：]?\s*(?P<n2>\d+)\s*本?", re.I)
_FILLER = re.compile(r"^(?:the|our|a|an|mark|set|please|pls)\s+|[\s、,。.!！?？:：]+$|\s+(?:now|tonight|please)$", re.I)


_HERE = frozenset(("この店", "ここ", "うち", "うちの店", "このワークスペース", "このサーバー", "このグループ", "this", "here", "us"))


def _clean_name(text: str) -> str:
    text = text.strip().strip("「」\"'“”")
    for _ in range(3):
        text = _FILLER.sub("", text).strip()
    return "" if text.lower() in _HERE else text


def _prices(text: str) -> tuple[dict[str, Any], str]:
    """Glass and bottle prices and a stock count in free text; the text with them taken out."""
    out: dict[str, Any] = {}

    def take(m: re.Match[str]) -> str:
        kind = (m.group("kind") or m.group("kind2") or "").lower()
        price = m.group("price") or m.group("price2")
        key = "price_bottle" if kind in ("bottle", "ボトル", "本") else "price_glass"
        if kind == "本" and key not in out and "price_bottle" in out:
            return m.group(0)
        out.setdefault(key, price.replace(",", ""))
        return " "

    rest = _PRICE_UNIT.sub(take, text)
    if "price_glass" not in out and "price_bottle" not in out:
        m = _PRICE_BARE.search(rest)
        if m:  # "at 900 yen" with no unit: a price by the glass, which the answer states plainly
            out["price_glass"] = (m.group("a") or m.group("b")).replace(",", "")
            rest = rest[: m.start()] + " " + rest[m.end() :]
    m = _STOCK_IN_ADD.search(rest)
    if m:
        out["stock"] = int(m.group("n") or m.group("n2"))
        rest = rest[: m.start()] + " " + rest[m.end() :]
    rest = re.sub(r"(?:\s*[,、]\s*|\s+(?:and|with)\s+)+", " ", f" {rest} ", flags=re.I)
    rest = re.sub(r"^\s*(?:and|with|at|for)\b|\b(?:and|with|at|for)\s*$", "", rest.strip(), flags=re.I)
    return out, " ".join(rest.split())


def _first(patterns: list[re.Pattern[str]], text: str) -> re.Match[str] | None:
    for p in patterns:
        m = p.search(text)
        if m:
            return m
    return None


def read_restaurant(
    understanding: Understanding, text: str, ctx: Context, lang: str | None = None, *, files: int = 0, restaurant: bool = False,
) -> Intent | None:
    """A restaurant tool call for this message, or None when it is not a restaurant request."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    lang = lang or detect_language(raw)
    command = bool(_COMMAND.match(raw))
    s = re.sub(r"\s+", " ", _COMMAND.sub("", raw)).strip()

    if files and (not s or MENU_WORD.search(s) or IMPORT.search(s)):
        return Intent("menu_import_csv", {"replace": bool(REPLACE.search(s))}, lang)
    if not s:
        return None
    if (m := _first(STAFF_ADD, s)) is not None:
        return Intent("staff_add", {"member": m.group("who")}, lang)
    if (m := _first(STAFF_REMOVE, s)) is not None:
        return Intent("staff_remove", {"member": m.group("who")}, lang)
    if STAFF_LIST.search(s):
        return Intent("staff_list", {}, lang)
    if (m := _first(SETUP, s)) is not None:
        name = _clean_name((m.groupdict().get("name") or "") + " " + (m.groupdict().get("name2") or ""))
        return Intent("restaurant_setup", {"name": name} if name else {}, lang)
    if SHEET.search(s):
        return Intent("cheat_sheet", {}, lang)
    if EXPORT.search(s) and not IMPORT.search(s):
        return Intent("menu_export_csv", {}, lang)
    if MENU_WORD.search(s) and IMPORT.search(s):
        return Intent("menu_import_csv", {"replace": bool(REPLACE.search(s))}, lang)
    if (m := _first(REMOVE, s)) is not None:
        return Intent("menu_remove", {"item": _clean_name(m.group("item"))}, lang)
    if (m := _first(ADD, s)) is not None:
        text = m.group("sake") + " " + (m.groupdict().get("rest") or "")
        note = NOTES.search(text)
        if note is not None:
            text = text[: note.start()]
        values, sake = _prices(text)
        if note is not None:
            values["notes"] = note.group(1).strip()[:500]
        return Intent("menu_add", {"sake": _clean_name(sake), **values}, lang)
    if (m := _first(PRICE_CHANGE, s)) is not None:
        kind = "price_bottle" if m.group("kind").lower() in ("bottle", "ボトル") else "price_glass"
        return Intent("menu_update", {"item": _clean_name(m.group("item")), kind: m.group("price").replace(",", "")}, lang)
    if (m := _first(COUNT, s)) is not None and understanding.brands(m.group("item").lower()):
        return Intent("menu_update", {"item": _clean_name(m.group("item")), "stock": int(m.group("n"))}, lang)
    if (m := _first(OUT, s)) is not None and understanding.brands(m.group("item").lower()):
        return Intent("menu_update", {"item": _clean_name(m.group("item")), "stock": "out of stock"}, lang)
    if (m := _first(BACK, s)) is not None and understanding.brands(m.group("item").lower()):
        return Intent("menu_update", {"item": _clean_name(m.group("item")), "stock": "in stock"}, lang)
    if not (restaurant or command):
        return None  # elsewhere "menu", "serve" and "in stock" are everyday words: the general reading decides
    if LIST_IN_STOCK.search(s) and not _taste_or_dish(understanding, s, lang):
        return Intent("menu_list", {"in_stock_only": True}, lang)
    if LIST_MENU.search(s) and not _taste_or_dish(understanding, s, lang):
        return Intent("menu_list", {}, lang)
    asks_stock = POUR.search(s) is not None or command and re.match(r"^(?:pick|picks|pour)\b", s, re.I) is not None
    if asks_stock or not ELSEWHERE.search(s):
        picks = _picks(understanding, s, ctx, lang, explicit=asks_stock)
        if picks is not None:
            return picks
    return None


def _dish(s: str) -> str | None:
    """The dish named in a pairing request, as the user wrote it, when the pairing rules know its family."""
    family = _PAIRING.family_for(s)
    if family is None:
        return None
    m = re.search(r"(?:pair(?:s|ed|ing)?\s+with|goes?\s+with|go\s+with|with|for)"
                  r"\s+(?:the\s+|a\s+|some\s+|our\s+)?(?P<dish>[a-z][a-z' -]{2,40}?)\s*(?:[?.!]|$)", s, re.I)
    if m and _PAIRING.family_for(m.group("dish")) is family:
        return m.group("dish").strip()
    m = re.search(r"(?P<dish>[^\s、。!?！？「」]{1,20}?)(?:に|と)(?:合う|あう|合わせ|一緒)", s)
    if m and _PAIRING.family_for(m.group("dish")) is family:
        return m.group("dish")
    return family.id


def _taste_or_dish(understanding: Understanding, s: str, lang: str) -> bool:
    base = understanding.understand(POUR.sub(" ", s), Context(), lang=lang)
    return base.tool == "pair_food" or base.tool == "recommend" and base.args.get("mode") == "flavor" or _PAIRING.family_for(s) is not None


def _picks(understanding: Understanding, s: str, ctx: Context, lang: str, *, explicit: bool) -> Intent | None:
    """picks_from_stock with the taste and dish words the general reading and the pairing rules find."""
    stripped = POUR.sub(" ", s)
    base = understanding.understand(stripped, Context(), lang=lang)
    args: dict[str, Any] = {}
    # A dish only where the request asks for a pairing (the general reading found a food, or pairing words are
    # there): dish words inside other words must not turn 「飲みたい」 into 鯛.
    dish = _dish(stripped) if base.tool == "pair_food" or PAIR_WORDS.search(stripped) else None
    if dish is not None:
        args["food"] = dish
    elif base.tool == "pair_food" and base.args.get("food"):
        args["food"] = base.args["food"]
    if base.tool in ("recommend", "pair_food"):
        if base.args.get("want"):
            args["want"] = base.args["want"]
        if base.args.get("tags"):
            args["tags"] = base.args["tags"]
        if base.args.get("mode") == "for_me":
            args["for_me"] = True
    if args:
        return Intent("picks_from_stock", args, lang)
    if explicit and base.tool in ("recommend", "chat", "search_catalog"):
        return Intent("picks_from_stock", {}, lang)
    return None
