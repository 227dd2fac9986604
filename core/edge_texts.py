"""The words of the answers that are not a request's (core.home, core.platform_replies), EN/JA: keys for
core/texts.py, which folds them into TEXTS."""

from __future__ import annotations

EDGE_TEXTS: dict[str, tuple[str, str]] = {
    # Slack's Home tab: the header above home.intro
    "home.title": ("Sake Sensei 🍶", "Sake Sensei 🍶"),
    # a LINE follow from someone whose language nothing tells: said in both languages, short
    "event.greeting_short": ("Thanks for adding me! 🍶 I'm Sake Sensei: send me a sake's name or a photo of its label.",
                             "友だち追加ありがとうございます!🍶 Sake Sensei です。銘柄名かラベルの写真を送ってください。"),
    "event.survey_invite": ("Start with the short taste survey:", "まずは短い好み診断からどうぞ:"),
    "button.survey_short": ("Taste survey", "好み診断"),
}
