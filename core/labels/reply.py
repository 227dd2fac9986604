"""LabelResult → Reply: the card when sure, "which one?" buttons when not, tips when nothing was read.

Pure (no I/O): the caller passes what it knows (the user's language, an earlier identical
photo, a flavor chart renderer), so the agent's tool and tests build the same reply.
"""

from __future__ import annotations

from collections.abc import Callable

from core import actions, controls
from core.catalog import BrandInfo
from core.errors import Code
from core.labels.reader import TIPS, LabelResult
from core.labels.seen import SeenPhoto
from core.messages import Button, Reply, ReplyImage
from core.texts import t

ChartRenderer = Callable[[BrandInfo, str], bytes | None]  # (brand, lang) -> PNG, e.g. core.charts.flavor_chart_png


def label_reply(
    result: LabelResult,
    *,
    lang: str = "en",
    seen: SeenPhoto | None = None,
    seen_brand: BrandInfo | None = None,
    chart: ChartRenderer | None = None,
) -> Reply:
    ja = lang == "ja"
    if not result.candidates:
        error = result.error
        assert error is not None, "a result without candidates carries its error"
        text = error.message(lang)
        if error.code is Code.UNKNOWN_SAKE and result.ocr_text:
            read = " / ".join(result.ocr_text.splitlines()[:3])
            text += f" (読み取った文字: {read})" if ja else f" (I read: {read})"
        return Reply(text=f"{text}\n{TIPS[lang]}", lang=lang, error=error.as_dict(lang))

    top = result.candidates[0]
    brand = top.brand
    if not result.confident:
        options = result.candidates[:3]
        text = "どれですか?" if ja else "Which one is it?"
        if ja:
            text = f"ラベルから候補が見つかりました。{text}"
        else:
            text = f"I'm not sure from the label. {text}"
        picks = [Button(actions.Pick(c.brand.id), c.brand.label()) for c in options]
        return Reply(text=text, lang=lang, actions=picks)

    where = (
        "、".join(x for x in (brand.brewery, brand.prefecture) if x) if ja else ", ".join(x for x in (brand.brewery, brand.prefecture) if x)
    )
    if ja:
        text = f"これは{brand.name}({where})ですね。"
    else:
        text = f"This is {brand.name}" + (f" ({brand.romaji})" if brand.romaji else "") + (f", from {where}." if where else ".")
    card = brand.card(score=top.confidence, reason="ラベルから" if ja else "from the label")
    images = []
    if chart is not None and brand.chart is not None:
        png = chart(brand, lang)
        if png:
            images.append(
                ReplyImage(png=png, alt=(f"{brand.name}のフレーバーチャート" if ja else f"Flavor chart of {brand.name}"), brand_id=brand.id)
            )
    if seen is not None:
        when = seen.seen_at.strftime("%Y-%m-%d")
        earlier = seen_brand.name if seen_brand else None
        if ja:
            text += f" この写真は{when}にも送られています" + (f"({earlier})" if earlier else "") + "。二重に記録しないようご注意ください。"
        else:
            text += (
                f" You sent this photo before, on {when}"
                + (f" ({earlier})" if earlier else "")
                + ", so I won't offer to log it in one tap."
            )
        first = Button(actions.Log(brand.id), t("button.log_again", lang))
    else:
        text += " 評価を選ぶと記録します。" if ja else " Tap a rating to log it."
        card.rating = controls.rating(brand.id, lang)  # 1 to 5, nothing pre-selected
        first = Button(actions.Note(brand.id), t("button.note", lang))  # opens the tasting-note form
    card.actions = [first, *(b for b in controls.card_buttons(brand.id, lang) if not isinstance(b.action, actions.Log))]
    return Reply(text=text, lang=lang, cards=[card], images=images)
