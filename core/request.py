"""The structured request: everything a user asked of a recommendation, typed.

The offline understanding fills it from the words (core.agent.understanding), a language model
fills the same fields through the recommend tool's parameters (core.agent.recommend_tools), and the
recommender honours every hard constraint at once (core.constraints). Follow-ups edit it:
"drier" sets an axis, "from Niigata instead" replaces the place, "another one" adds exclusions.

Own history: `liked` (the user's tastings rated that or more are the reference). "not X": `unlike`
(X excluded and its neighbours ranked down). How many: `limit` (at most MAX_PICKS in a chat reply).

Hard constraints: `want` axes (against the catalog median, charted brands only), `styles`
(must be), `avoid` (must not be), prefecture, grade, menu. Soft: food, tags, temperature,
the user's taste, popularity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.styles import STYLES

AXES = ("f1", "f2", "f3", "f4", "f5", "f6")
MAX_PICKS = 5  # "give me 10": a chat reply stays readable; the cards of one answer never exceed this


@dataclass(slots=True)
class RecRequest:
    mode: str = "for_me"  # for_me · similar · like_but · flavor · food · popular
    brand_id: int | None = None  # similar / like_but: the reference brand ("like X", "drier than X")
    direction: str | None = None  # like_but: drier | sweeter | lighter | richer | more_aromatic | calmer
    want: dict[str, float] = field(default_factory=dict)  # axis -> +strength (more) / -strength (less): "dry, not fruity"
    tags: list[str] = field(default_factory=list)  # Sakenowa flavor tags wanted (soft)
    food: str | None = None  # a dish, in any words ("grilled mackerel", "サバの塩焼き") or a family id
    prefecture: str | None = None
    grade: str | None = None
    styles: list[str] = field(default_factory=list)  # wanted styles (core.styles.STYLES): "sparkling", "cloudy" ...
    avoid: list[str] = field(default_factory=list)  # refused styles: "nothing fizzy", 「にごりじゃない」
    temperature: str | None = None  # warm | chilled | room (soft: serving-style tags)
    beginner: bool = False  # approachable and easy to find: well-charted, ranked, no opt-in styles
    easy_to_find: bool = False  # "cheaper?": the catalog has no prices, so brands that are widely known come first
    among: list[int] | None = None  # choose only among these (a restaurant's menu)
    include_logged: bool = False
    exclude: list[int] = field(default_factory=list)  # already shown or refused ("something else")
    unlike: list[int] = field(default_factory=list)  # "not X", "nothing like X", 「X以外」: excluded, and picks steer away from X
    liked: float | None = None  # "like the ones I rated 5": start from the user's own tastings rated this or more
    anchors: list[int] = field(default_factory=list)  # the brands `liked` resolved to (the recommender fills it)
    limit: int = 5

    def __post_init__(self) -> None:
        self.want = {a: float(v) for a, v in self.want.items() if a in AXES and v}
        self.styles = [s for s in dict.fromkeys(self.styles) if s in STYLES]
        self.avoid = [s for s in dict.fromkeys(self.avoid) if s in STYLES and s not in self.styles]
        self.liked = None if self.liked is None else min(max(float(self.liked), 0.5), 5.0)


def describe_request(req: RecRequest) -> dict[str, Any]:
    """The request as plain data, for logs and the agent's tool trace."""
    return {k: getattr(req, k) for k in req.__dataclass_fields__ if getattr(req, k) not in (None, [], {}, False)}
