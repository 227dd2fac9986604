"""The short taste survey: six tappable questions that give a new user a taste profile on day one.

Each answer carries what it means for taste (directions on the Sakenowa flavor axes, in
catalog standard deviations, and flavor tags), so the survey and its interpretation stay in
one place. Buttons carry `survey:<question>:<answer>`; `survey:start` asks the first question.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from core.actions import SurveyAnswer
from core.db import Database, utcnow
from core.db.preference_tables import SurveyAnswerRow
from core.errors import Code, SenseiError
from core.identity import Principal
from core.messages import Button
from core.tasting import Clock


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    en: str
    ja: str
    axes: dict[str, float] = field(default_factory=dict)  # axis -> wanted shift in catalog std units
    tags: tuple[str, ...] = ()  # Sakenowa flavor tags this answer likes
    value: str | None = None  # for temperature / food / adventurousness answers

    def label(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    en: str
    ja: str
    options: tuple[Option, ...]

    def text(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en

    def option(self, answer_id: str) -> Option | None:
        return next((o for o in self.options if o.id == answer_id), None)

    def actions(self, lang: str) -> list[Button]:
        """One button per answer, in the question's order."""
        return [Button(SurveyAnswer(self.id, o.id), o.label(lang)) for o in self.options]


SURVEY: tuple[Question, ...] = (
    Question(
        "sweetness", "Sweet or dry?", "甘口と辛口、どちらが好きですか?",
        (
            Option("sweet", "Sweet", "甘口", {"f5": -1.0, "f2": 0.3}, ("甘味", "まろやか", "ジューシー")),
            Option("balanced", "In between", "中くらい", {}, ("バランス",)),
            Option("dry", "Dry", "辛口", {"f5": 1.0, "f6": 0.3}, ("辛口", "キレ", "スッキリ")),
            Option("unsure", "Not sure", "わからない"),
        ),
    ),
    Question(
        "body", "Light or rich?", "軽やかなお酒と、コクのあるお酒、どちらが好きですか?",
        (
            Option("light", "Light and crisp", "軽快・すっきり", {"f6": 1.0, "f3": -0.8}, ("軽快", "スッキリ", "さわやか")),
            Option("medium", "Medium", "中くらい", {}),
            Option("rich", "Rich and full", "濃厚・コクあり", {"f3": 1.0, "f2": 0.6, "f6": -0.8}, ("旨味", "濃厚", "コク", "しっかり")),
            Option("unsure", "Not sure", "わからない"),
        ),
    ),
    Question(
        "aroma", "Calm or aromatic?", "穏やかな香りと華やかな香り、どちらが好きですか?",
        (
            Option("calm", "Calm, quiet nose", "穏やか", {"f4": 1.0, "f1": -0.8}, ("穏やか", "優しい", "控えめ")),
            Option("balanced", "In between", "中くらい", {}),
            Option("aromatic", "Fruity and aromatic", "華やか・フルーティ", {"f1": 1.0, "f4": -0.6},
                   ("フルーティ", "華やか", "メロン", "リンゴ")),
            Option("unsure", "Not sure", "わからない"),
        ),
    ),
    Question(
        "temperature", "How do you like it served?", "どの温度で飲むのが好きですか?",
        (
            Option("chilled", "Chilled", "冷酒", {"f1": 0.2, "f6": 0.2}, ("冷酒",), "chilled"),
            Option("room", "Room temperature", "常温", {}, ("常温",), "room"),
            Option("warm", "Warm (kan)", "燗", {"f2": 0.3, "f3": 0.3, "f1": -0.3}, ("燗酒", "熱燗"), "warm"),
            Option("any", "Any way", "こだわらない", {}, (), None),
        ),
    ),
    Question(
        "food", "What do you most like to eat with it?", "一緒に食べるなら何が好きですか?",
        (
            Option("sashimi", "Sashimi / sushi", "刺身・寿司", {}, (), "sashimi"),
            Option("grilled", "Grilled fish / yakitori", "焼き魚・焼き鳥", {}, (), "grilled_fish"),
            Option("fried", "Tempura / fried", "天ぷら・揚げ物", {}, (), "tempura"),
            Option("meat", "Meat / hot pot", "肉料理・鍋", {}, (), "beef"),
            Option("cheese", "Cheese / western", "チーズ・洋食", {}, (), "cheese"),
            Option("anything", "Anything", "なんでも", {}, (), None),
        ),
    ),
    Question(
        "adventure", "Stick to classics or try something new?", "定番と冒険、どちらを飲みたいですか?",
        (
            Option("classic", "Well-loved classics", "定番・人気の銘柄", value="classic"),
            Option("some", "A bit of both", "両方", value="some"),
            Option("adventurous", "Surprise me", "知らないお酒に挑戦", value="adventurous"),
        ),
    ),
)
QUESTIONS: dict[str, Question] = {q.id: q for q in SURVEY}


@dataclass(frozen=True, slots=True)
class Survey:
    """One user's answers so far (question id -> answer id)."""

    answers: dict[str, str]
    updated_at: datetime

    @property
    def complete(self) -> bool:
        return all(q.id in self.answers for q in SURVEY)

    def option(self, question_id: str) -> Option | None:
        answer = self.answers.get(question_id)
        q = QUESTIONS.get(question_id)
        return q.option(answer) if q is not None and answer is not None else None

    @property
    def axis_wants(self) -> dict[str, float]:
        """Wanted shift per flavor axis, in catalog standard deviations (0 = no opinion)."""
        out: dict[str, float] = {}
        for q in SURVEY:
            if (o := self.option(q.id)) is not None:
                for axis, v in o.axes.items():
                    out[axis] = out.get(axis, 0.0) + v
        return out

    @property
    def has_taste(self) -> bool:
        """True when the answers say something about flavor (not only "not sure" everywhere)."""
        return bool(self.axis_wants) or bool(self.tags)

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for q in SURVEY if (o := self.option(q.id)) is not None for t in o.tags))

    @property
    def temperature(self) -> str | None:
        o = self.option("temperature")
        return o.value if o else None

    @property
    def food_family(self) -> str | None:
        o = self.option("food")
        return o.value if o else None

    @property
    def adventurousness(self) -> str:
        o = self.option("adventure")
        return o.value if o and o.value else "some"


def question(question_id: str) -> Question:
    q = QUESTIONS.get(question_id)
    if q is None:
        raise SenseiError(Code.PREFERENCES_NOT_FOUND, f"There is no survey question {question_id!r}.")
    return q


class Preferences:
    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock

    async def answer(self, principal: Principal, question_id: str, answer_id: str) -> Question | None:
        """Store one tapped answer (changing a previous one is fine); returns the question after it, or
        the first one still unanswered once the last is reached (None: the survey is complete)."""
        q = question(question_id)
        if q.option(answer_id) is None:
            raise SenseiError(Code.PREFERENCES_NOT_FOUND, f"{answer_id!r} is not an answer to {question_id!r}; the survey starts again.")
        for _ in range(2):  # two taps at once on the same question: the loser updates
            try:
                async with self.db.transaction() as s:
                    row = await s.get(SurveyAnswerRow, (principal.user_id, question_id))
                    if row is None:
                        s.add(
                            SurveyAnswerRow(
                                user_id=principal.user_id, question_id=question_id, answer_id=answer_id, answered_at=self.clock()
                            )
                        )
                    else:
                        row.answer_id = answer_id
                        row.answered_at = self.clock()
                break
            except IntegrityError:
                continue
        # the survey runs in its order from the question just answered: a retake (everything already
        # answered) goes through every question, not "all answered, done" after the first
        later = SURVEY[[x.id for x in SURVEY].index(question_id) + 1:]
        return later[0] if later else await self.next_question(principal)

    async def get(self, principal: Principal) -> Survey | None:
        """The user's answers, or None when they have answered nothing."""
        async with self.db.session() as s:
            rows = (await s.scalars(select(SurveyAnswerRow).where(SurveyAnswerRow.user_id == principal.user_id))).all()
        if not rows:
            return None
        answers = {r.question_id: r.answer_id for r in rows if r.question_id in QUESTIONS and QUESTIONS[r.question_id].option(r.answer_id)}
        if not answers:
            return None
        latest = max(r.answered_at for r in rows)
        return Survey(answers, latest if latest.tzinfo else latest.replace(tzinfo=UTC))

    async def next_question(self, principal: Principal) -> Question | None:
        survey = await self.get(principal)
        answered = survey.answers if survey else {}
        return next((q for q in SURVEY if q.id not in answered), None)

    async def reset(self, principal: Principal) -> None:
        async with self.db.transaction() as s:
            await s.execute(delete(SurveyAnswerRow).where(SurveyAnswerRow.user_id == principal.user_id))
