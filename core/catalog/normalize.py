"""Text folding so that the ways people type a sake name meet the way the catalog spells it."""

from __future__ import annotations

import re
import unicodedata

# Variant kanji folded to the common form (both sides are folded, so a label printed with 澤 meets
# a catalog spelling 沢 and the other way round). Each word is a pair "variant, common form".
# The old forms (旧字体) of the Jōyō kanji table, as brewers still print them (釀, 醉, 歲, 霸):
_KYUJITAI = """
    亞亜 惡悪 壓圧 圍囲 爲為 醫医 壹壱 稻稲 飮飲 隱隠 營営 榮栄 衞衛 驛駅 圓円 鹽塩 緣縁 艷艶 應応 歐欧
    毆殴 櫻桜 奧奥 橫横 溫温 價価 假仮 畫画 會会 壞壊 懷懐 繪絵 槪概 擴拡 殼殻 覺覚 學学 嶽岳 樂楽 勸勧
    卷巻 寬寛 歡歓 罐缶 觀観 關関 陷陥 巖巌 顏顔 歸帰 氣気 龜亀 僞偽 戲戯 犧犠 舊旧 據拠 擧挙 峽峡 挾挟
    狹狭 曉暁 區区 驅駆 勳勲 薰薫 徑径 莖茎 惠恵 溪渓 經経 繼継 螢蛍 輕軽 鷄鶏 藝芸 擊撃 缺欠 儉倹 劍剣
    圈圏 檢検 權権 獻献 硏研 縣県 險険 顯顕 驗験 嚴厳 廣広 效効 恆恒 黃黄 鑛鉱 號号 國国 黑黒 碎砕 濟済
    齋斎 劑剤 雜雑 參参 慘惨 棧桟 蠶蚕 贊賛 殘残 絲糸 齒歯 兒児 辭辞 濕湿 實実 寫写 舍舎 釋釈 壽寿 收収
    從従 澁渋 獸獣 縱縦 肅粛 處処 敍叙 將将 燒焼 稱称 證証 乘乗 剩剰 壤壌 孃嬢 條条 淨浄 狀状 疊畳 讓譲
    釀醸 觸触 寢寝 愼慎 晉晋 眞真 盡尽 圖図 粹粋 醉酔 隨随 髓髄 數数 樞枢 聲声 靜静 齊斉 攝摂 竊窃 專専
    戰戦 淺浅 潛潜 纖繊 踐践 錢銭 禪禅 雙双 壯壮 搜捜 插挿 爭争 總総 聰聡 莊荘 裝装 騷騒 增増 藏蔵 臟臓
    卽即 屬属 續続 墮堕 體体 對対 帶帯 滯滞 臺台 瀧滝 擇択 澤沢 單単 擔担 膽胆 團団 彈弾 斷断 癡痴 遲遅
    晝昼 蟲虫 鑄鋳 廳庁 聽聴 敕勅 鎭鎮 遞逓 鐵鉄 轉転 點点 傳伝 黨党 盜盗 燈灯 當当 鬭闘 德徳 獨独 讀読
    屆届 貳弐 惱悩 腦脳 霸覇 廢廃 拜拝 賣売 麥麦 發発 髮髪 拔抜 蠻蛮 祕秘 濱浜 甁瓶 拂払 佛仏 倂併 竝並
    變変 邊辺 辨弁 瓣弁 辯弁 舖舗 步歩 寶宝 豐豊 飜翻 每毎 萬万 滿満 默黙 彌弥 譯訳 藥薬 與与 豫予 餘余
    譽誉 搖揺 樣様 謠謡 來来 亂乱 覽覧 龍竜 兩両 獵猟 綠緑 壘塁 淚涙 勵励 禮礼 隸隷 靈霊 齡齢 戀恋 爐炉
    勞労 樓楼 錄録 灣湾 歲歳 姬姫 穗穂
"""
# Other variants seen in brand and brewery names (髙, 﨑, 㐂, 冩, 櫸).
_VARIANTS = """
    櫸欅 卄廿 瑤瑶 檜桧 槇槙 嶋島 冨富 舘館 邉辺
    﨑崎 髙高 冩写 靑青 淸清 凜凛 舩船 嵜崎 戶戸 祿禄 驒騨 翆翠 產産 麴麹 嵓巌 㐂喜 嶌島 龝秋 鐡鉄 濵浜
    曻昇 圀国
"""
# Simplified Chinese forms an OCR model trained on Chinese text sometimes reads (金鹤 for 金鶴).
_SIMPLIFIED = """
    鹤鶴 龙竜 泽沢 酿醸 乐楽 东東 长長 马馬 鸟鳥 鱼魚 纪紀 树樹 华華 兴興 飞飛 贵貴 荣栄 阳陽 凤鳳 庆慶
    满満 岛島 银銀 锦錦 镜鏡 铃鈴 关関 门門 风風 义義 云雲 归帰 乡郷 圣聖 罗羅 远遠 稳穏 园園 为為 酱醤
"""
# Marks OCR cannot tell apart: the kanji 一 and the long-vowel mark ー (越の一 read 越のー; no two
# catalog names differ only so), and the katakana and hiragana iteration marks (風のまヽ, 風のまゝ).
_LOOK_ALIKE = "ー一 ヽゝ ヾゞ"
_ITAIJI = {word[0]: word[1] for table in (_KYUJITAI, _VARIANTS, _SIMPLIFIED, _LOOK_ALIKE) for word in table.split()}
# Small connecting words written either way on labels: 越乃寒梅 / 越の寒梅, 一ノ蔵 / 一の蔵.
_PARTICLES = re.compile(r"[乃之ノの]")
_DROP = re.compile(r"[\s・･\-‐―_.,，、。'\"「」『』()（）【】\[\]!！?？~〜]+")
_ROMAJI_DROP = re.compile(r"[^a-z0-9]+")
_LONG_VOWELS = (("ou", "o"), ("oo", "o"), ("uu", "u"), ("aa", "a"), ("ii", "i"), ("jy", "j"), ("nb", "mb"), ("np", "mp"), ("nm", "mm"))


_KATA_TO_HIRA = {c: c - 0x60 for c in range(ord("ァ"), ord("ヶ") + 1)}
# One table for both folds: str.translate runs in C (start-up folds ~18,000 catalog names).
_FOLD = str.maketrans({**_ITAIJI, **_KATA_TO_HIRA})


def kata_to_hira(text: str) -> str:
    return text.translate(_KATA_TO_HIRA)


def fold_name(text: str) -> str:
    """A Japanese name for comparison: NFKC (full/half width), kana folded to hiragana, variants folded."""
    s = unicodedata.normalize("NFKC", text).lower().translate(_FOLD)
    return _DROP.sub("", s)


def fold_name_loose(text: str) -> str:
    """fold_name without the connecting particles, so 越乃寒梅 meets 越の寒梅."""
    return _PARTICLES.sub("", fold_name(text))


def fold_romaji(text: str) -> str:
    """Romaji for comparison: accents and long vowels dropped, so "Jūyondai", "juuyondai" and "juyondai" meet."""
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text)).encode("ascii", "ignore").decode().lower()
    s = _ROMAJI_DROP.sub("", s)
    for long, short in _LONG_VOWELS:
        s = s.replace(long, short)
    return s


def is_ascii(text: str) -> bool:
    return all(ord(c) < 128 for c in unicodedata.normalize("NFKC", text))
