"""The agent's tools about the asker's taste: the short survey, its stored answers, the taste profile."""

from __future__ import annotations

from pydantic_ai import RunContext

from core import actions
from core.agent.deps import Deps
from core.agent.tool_common import Result, _begin, _chart_png, _done, _fail
from core.errors import Code, SenseiError
from core.messages import Button, ReplyImage
from core.texts import t


async def survey(ctx: RunContext[Deps], question_id: str | None = None, answer_id: str | None = None) -> Result:
    """The short taste survey: with no arguments, ask the next question; with both, store that answer."""
    deps = _begin(ctx, "survey")
    prefs = deps.services.preferences
    lang = deps.lang
    if question_id and answer_id:
        try:
            nxt = await prefs.answer(deps.principal, question_id, answer_id)
        except SenseiError as e:
            return _fail(deps, e)
        deps.out.wrote = True
    else:
        nxt = await prefs.next_question(deps.principal)
        if nxt is None and not question_id:  # all answered: start again from the first question
            from core.preferences import SURVEY

            nxt = SURVEY[0]
    if nxt is None:
        deps.out.add_actions([Button(actions.SurveyStart(), t("button.survey_retake", lang))])
        return _done(deps, t("survey.done", lang))
    deps.out.add_actions(nxt.actions(lang))
    options = " / ".join(o.label(lang) for o in nxt.options)
    return _done(deps, f"{nxt.text(lang)}\n({options})", question={"id": nxt.id, "answers": [o.id for o in nxt.options]})


async def preferences(ctx: RunContext[Deps]) -> Result:
    """The user's stored taste survey answers."""
    deps = _begin(ctx, "preferences")
    from core.preferences import QUESTIONS

    got = await deps.services.preferences.get(deps.principal)
    if got is None:
        deps.out.add_actions([Button(actions.SurveyStart(), t("button.survey_take", deps.lang), "primary")])
        return _fail(deps, SenseiError(Code.PREFERENCES_NOT_FOUND))
    lines = []
    for qid, aid in got.answers.items():
        q = QUESTIONS[qid]
        opt = q.option(aid)
        lines.append(f"- {q.text(deps.lang)} {opt.label(deps.lang) if opt else aid}")
    head = t("survey.answers", deps.lang)
    deps.out.add_actions([Button(actions.SurveyStart(), t("button.survey_change", deps.lang))])
    return _done(deps, "\n".join([head, *lines]), answers=got.answers)


async def taste_profile(ctx: RunContext[Deps]) -> Result:
    """The user's taste profile (from their ratings and survey) as words and a radar chart."""
    deps = _begin(ctx, "taste_profile")
    profiles = deps.services.profiles
    vector = await profiles.vector(deps.principal)
    if vector is None:  # not a failure: a newcomer's profile is simply not there yet, so invite them
        deps.out.add_actions([Button(actions.SurveyStart(), t("button.survey_take", deps.lang), "primary")])
        return _done(deps, SenseiError(Code.PREFERENCES_NOT_FOUND).message(deps.lang))
    summary = await profiles.summary(deps.principal, deps.lang)
    # Drawn from the vector read above (TasteProfiles.chart_png would read it again); the same profile is drawn once.
    chart = tuple(round(float(x), 3) for x in vector.chart(profiles.space))
    png = _chart_png(chart, deps.lang, t("profile.chart_title", deps.lang))
    deps.out.images.append(ReplyImage(png, t("profile.chart_alt", deps.lang)))
    return _done(deps, summary)
