"""The core's answers to what a platform passes on that is not a request in words: a command written
wrong (`core.actions.Usage`) and a platform event (`core.actions.PlatformEvent`: a follow, a join, a
sticker). Adapters only say what happened; the words, the error code and the language are decided here,
as for every other reply.

Language: what the core knows of the user (their words, the platform's hint, the language they last
wrote in). A follow from someone nothing is known of gets a short greeting in both languages and the
survey as a button, rather than a guess.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from core import actions
from core.catalog import CatalogSearch
from core.errors import Code, SenseiError
from core.i18n import LANGUAGES
from core.messages import Button, Reply
from core.texts import TEXTS, t

if TYPE_CHECKING:
    from core.sensei import Brain, Turn


def usage_reply(turn: Turn, usage: actions.Usage, search: CatalogSearch | None) -> Reply:
    """How to write the command, in the user's language: `/sake help` its list; `log` without what it
    needs SS-006 (nothing saved) or, its sake option naming one the catalog lacks, SS-002 with the closest."""
    lang, platform = turn.lang, turn.message.key.platform
    if usage.command in ("", "help"):
        return Reply(text=_platform_words(platform, "help", lang) or t("command.unknown", lang), lang=lang)
    if usage.command != "log":
        return Reply(text=t("command.unknown", lang), lang=lang)
    how = _platform_words(platform, "log_usage", lang)
    given = usage.given.strip()
    err = SenseiError(Code.TASTING_NOT_SAVED)
    if usage.option == "sake" and (search is None or not search.search(given, limit=1)):
        near = search.search(given, limit=3, min_score=0.5) if search is not None and given else []
        names = "、".join(m.brand.label() for m in near)
        err = SenseiError(Code.UNKNOWN_SAKE, t("search.closest", lang, names=names) if near else None)
    return Reply(text=how or err.message(lang), lang=lang, error=err.as_dict(lang))


async def event_reply(turn: Turn, event: actions.PlatformEvent, brain: Brain) -> Reply:
    """A follow: a greeting and the survey's first question (its answers as buttons); a join: how to
    talk to the bot in a group; a sticker: a friendly answer and what the user can do next."""
    lang = turn.lang
    if event.kind == "join":
        return Reply(text=_said("event.joined", lang if turn.lang_known else None), lang=lang, tools=["event_join"])
    if event.kind == "sticker":
        if not turn.lang_known:
            return Reply(text=_said("event.sticker", None), lang=lang, actions=[_survey_button(None)], tools=["event_sticker"])
        quick = [Button(actions.SurveyStart(), t("command.survey", lang)), Button(actions.Command("history"), t("command.history", lang)),
                 Button(actions.Command("help"), t("command.help", lang))]
        return Reply(text=t("event.sticker", lang), lang=lang, actions=quick, tools=["event_sticker"])
    if not turn.lang_known:
        text = _said("event.greeting_short", None) + "\n\n" + _said("event.survey_invite", None)
        return Reply(text=text, lang=lang, actions=[_survey_button(None)], tools=["event_follow"])
    survey = await brain.reply(replace(turn, message=replace(turn.message, action=actions.SurveyStart())))
    return replace(survey, text=f"{t('event.greeting', lang)}\n\n{survey.text}".strip(), tools=["event_follow", *survey.tools])


def _platform_words(platform: str, what: str, lang: str) -> str:
    """The platform's own way of writing a command (Slack's `/sake log ...`), or nothing where it has none."""
    key = f"{platform}.{what}"
    return t(key, lang) if key in TEXTS else ""


def _said(key: str, lang: str | None) -> str:
    """In `lang`; in both languages (Japanese first) when nothing tells which."""
    return t(key, lang) if lang in LANGUAGES else f"{t(key, 'ja')}\n\n{t(key, 'en')}"


def _survey_button(lang: str | None) -> Button:
    label = t("button.survey_short", lang) if lang in LANGUAGES else f"{t('button.survey_short', 'ja')} / {t('button.survey_short', 'en')}"
    return Button(actions.SurveyStart(), label, "primary")
