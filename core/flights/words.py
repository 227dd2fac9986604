"""Reading flight commands in a message: start (with a size and a theme), join, end, and
"<sake> 4 stars" while a flight is open.

Only the flight's own vocabulary is read here ("flight", 飲み比べ, 利き酒); anything else goes on
to the understanding untouched, so a flight never steals an ordinary question. A rating is
matched only against the sakes of the channel's open flight (by name, romaji or position), so
"dassai 4 stars" logs a flight rating only when 獺祭 is being poured.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from core.catalog.model import BrandInfo
from core.catalog.normalize import fold_name, fold_romaji
from core.catalog.prefectures import resolve as resolve_prefecture
from core.request import RecRequest
from core.tasting_input import GRADES

_FLIGHT = r"(?:flight|tasting flight)"
_FLIGHT_JA = r"(?:飲み比べ|飲みくらべ|のみくらべ|呑み比べ|利き酒|ききざけ)"
_START = re.compile(
    rf"(?<![a-z])(?:start|begin|do|have|want|set up|pour|let'?s|make|plan)\b.*\b{_FLIGHT}\b"
    rf"|\b(?:a|one)\s+(?:\w+\s+){{0,3}}{_FLIGHT}\s+(?:of|for|please)\b|^/?sake\s+flight\b"
    rf"|{_FLIGHT_JA}.*(?:したい|しよう|しましょう|始め|はじめ|やりたい|やろう|お願い|頼む|を?セット|を?組んで)"
    rf"|{_FLIGHT_JA}\s*[をで]?\s*[!！。]*$"
)
_QUESTION = re.compile(r"^(?:what|how|why|where|when|who|which|is|are|does|did|was|were)\b|って何|とは")
_JOIN = re.compile(rf"(?<![a-z])(?:join|count me in|i'?m in)\b.*\b{_FLIGHT}\b|^\s*(?:join|count me in|i'?m in)\s*[.!]*$"
                   rf"|{_FLIGHT_JA}.*参加|参加.*{_FLIGHT_JA}|^\s*参加(?:します|する|したい)?\s*[!！。]*$")
_END = re.compile(rf"(?<![a-z])(?:end|finish|close|stop|wrap up|reveal|results? of)\b.*\b{_FLIGHT}\b"
                  rf"|{_FLIGHT_JA}.*(?:終了|終わ|おわ|締め|結果)|^\s*(?:結果発表|終了)\s*[!！。]*$")
_STATUS = re.compile(
    rf"(?<![a-z])(?:show|where|what)\b.*\b{_FLIGHT}\b|^\s*{_FLIGHT}\s*\??$|\b{_FLIGHT}\s+(?:status|progress|so far)\b"
    rf"|\bhow(?:'s|\s+is|\s+are\s+we\s+doing\s+with)\s+(?:the|our|this)\s+{_FLIGHT}\b|\b(?:status|progress)\s+of\s+(?:the\s+|our\s+)?{_FLIGHT}\b"
    rf"|{_FLIGHT_JA}\s*の?\s*(?:状況|進み具合|進捗|途中経過)|{_FLIGHT_JA}.*(?:どう(?:なって|です)|今どこ)"
)
_DEFINE = re.compile(
    rf"^\s*(?:what(?:'s|\s+is|\s+are)\s+(?:an?\s+)?(?:sake\s+)?{_FLIGHT}s?|how\s+do(?:es)?\s+(?:an?\s+)?{_FLIGHT}s?\s+work)\b"
    rf"|{_FLIGHT_JA}\s*(?:とは|って何|ってなに)"
)
_SIZE = re.compile(r"(?:of|for)\s+(\d)\b|(\d)\s*(?:sakes?|glasses|kinds?|種類?|杯|銘柄)|\b(three|four|five|two)\b|([三四五])\s*(?:種|杯)")
_WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "三": 3, "四": 4, "五": 5}
# "<sake> N stars", then nothing or a note after a separator ("獺祭 4 stars, lovely": core.agent.tasting_note reads it)
_RATING = re.compile(
    r"^\s*(?P<sake>.+?)\s*[:：,、]?\s*(?:★\s*(?P<a>\d(?:\.5)?)|(?P<b>\d(?:\.5)?)\s*(?:stars?|★|つ星|点|/\s*5))"
    r"(?:\s*[.!。！]*\s*$|\s*[,、;:：.。!！\-–—]\s*\S|\s+\S)"
)
_POSITION = re.compile(r"^(?:no\.?\s*|#|number\s+)?(\d)(?:杯目|番目?)?$")
_FILLER = re.compile(
    r"(?<![a-z])(?:please|start|begin|do|have|want|set up|pour|let'?s|make|plan|us|for us|a|an|the|of|for|with|i|we|sake|sakes|"
    r"flight|tasting|glasses|kinds?|two|three|four|five|from|some|and|me)(?![a-z])"
    r"|[三四五\d]\s*(?:種類?|杯)|\d|飲み比べ|飲みくらべ|のみくらべ|呑み比べ|利き酒|ききざけ|したい|しよう|しましょう|を|で|の|が|お願い|やりたい|始め(?:たい|よう|て)?|[三四五\d]\s*(?:種類?|杯)|[!！。、,.?？/]"
)
_WANT = {"dry": {"f5": 1.0}, "辛口": {"f5": 1.0}, "sweet": {"f5": -1.0}, "甘口": {"f5": -1.0}, "fruity": {"f1": 1.0},
         "floral": {"f1": 1.0}, "華やか": {"f1": 1.0}, "light": {"f6": 1.0}, "軽快": {"f6": 1.0}, "rich": {"f3": 1.0},
         "濃醇": {"f3": 1.0}, "mellow": {"f2": 1.0}, "芳醇": {"f2": 1.0}}


_MENTION = re.compile(r"<@!?([A-Za-z0-9_.\-]{1,128})(?:\|[^>]*)?>")  # Slack <@U1|name>, Discord <@1>, LINE (made <@U…> by its adapter)


@dataclass(frozen=True, slots=True)
class StartWords:
    size: int | None
    theme: str | None
    req: RecRequest | None = field(default=None, compare=False)
    named: tuple[str, ...] = ()  # platform user ids the starter mentioned: members from the start


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().lower()


def is_join(text: str) -> bool:
    return bool(_JOIN.search(_norm(text)))


def is_end(text: str) -> bool:
    return bool(_END.search(_norm(text)))


def is_status(text: str) -> bool:
    s = _norm(text)
    return bool(_STATUS.search(s)) and not _DEFINE.search(s)  # "what is a flight?" is for the knowledge base


def command_words(values: dict[str, object]) -> str:
    """`/sake flight` with its options (size 3-5, a theme in the starter's words) as the words a starter would
    type, so that a command and a message start the same flight: {"size": 4, "theme": "niigata"} → "start a
    flight of 4 niigata"."""
    size, theme = values.get("size"), values.get("theme")
    if size is None and isinstance(theme, str) and (lead := re.match(r"\s*([3-5])(?:\s+|$)", theme)):  # "/sake flight 4 niigata"
        size, theme = lead.group(1), theme[lead.end() :]
    words = ["start a flight"]
    if isinstance(size, (int, str)) and str(size).strip().isdigit():
        words.append(f"of {int(str(size).strip())}")
    if isinstance(theme, str) and theme.strip():
        words.append(" ".join(theme.split())[:100])
    return " ".join(words)


def start_words(text: str, prefectures: dict[int, str]) -> StartWords | None:
    """A request to start a flight, with its size and theme; None when the text asks for none."""
    named = tuple(dict.fromkeys(_MENTION.findall(unicodedata.normalize("NFKC", text or ""))))
    s = _norm(_MENTION.sub(" ", text or ""))
    if not _START.search(s) or _QUESTION.search(s) or is_join(s) or is_end(s):
        return None
    size = None
    if m := _SIZE.search(s):
        digit = m.group(1) or m.group(2)
        size = int(digit) if digit else _WORD_NUMBERS[m.group(3) or m.group(4)]
    rest = re.sub(r"\s+", " ", _FILLER.sub(" ", s)).strip(" -")
    found = theme_request(rest, prefectures) if rest else None
    return StartWords(size, found[1] if found else None, found[0] if found else None, named)


def theme_request(theme: str, prefectures: dict[int, str]) -> tuple[RecRequest, str] | None:
    """"Niigata", "dry", "junmai ginjo", 「新潟の辛口」 as a request the picks honour, and the words it
    understood (the theme to show); None when it names nothing known."""
    s = _norm(theme)
    prefecture = grade = None
    for grade_name, words in GRADES.items():
        if any(w in s for w in (grade_name, *words)):
            grade = grade_name
            break
    for word in re.split(r"[\s、,・の]+", s):
        if word and resolve_prefecture(word, prefectures) is not None:
            prefecture = word
            break
    if prefecture is None:  # 「新潟の辛口」: a prefecture written without spaces
        for name in prefectures.values():
            if name.rstrip("県府都") and name.rstrip("県府都") in s:
                prefecture = name
                break
    want: dict[str, float] = {}
    words = [w for w in (prefecture, grade) if w]
    for word, axes in _WANT.items():
        if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])" if word.isascii() else re.escape(word), s):
            want.update(axes)
            words.append(word)
    if not words:
        return None
    label = " ".join(w.title() if w.isascii() else w for w in words)
    return RecRequest(mode="flavor" if want else "for_me", prefecture=prefecture, grade=grade, want=want), label


def looks_like_rating(text: str) -> bool:
    """"<something> N stars" in any form: worth asking whether a flight is open (a read) before the agent."""
    return _RATING.match(_norm(text)) is not None


def rating_words(text: str, sakes: Sequence[BrandInfo]) -> tuple[int, float] | None:
    """(brand_id, stars) when the text rates one of `sakes` ("獺祭 4 stars", "no. 2: ★3.5"); None otherwise."""
    m = _RATING.match(_norm(text))
    if m is None:
        return None
    stars = float(m.group("a") or m.group("b"))
    if not 0.5 <= stars <= 5:
        return None
    named = m.group("sake").strip()
    if (p := _POSITION.match(named)) and 1 <= int(p.group(1)) <= len(sakes):
        return sakes[int(p.group(1)) - 1].id, stars
    key, ro = fold_name(named), fold_romaji(named)
    for brand in sakes:
        names = [fold_name(brand.name), *(fold_name(a) for a in brand.aliases)]
        if key and any(n and (n == key or key in n or n in key) for n in names):
            return brand.id, stars
        if ro and brand.romaji and (fold_romaji(brand.romaji) == ro or ro in fold_romaji(brand.romaji)) and len(ro) >= 3:
            return brand.id, stars
    return None
