"""Hard constraints of a request as boolean masks over the catalog, and what to give up when none fits.

Every constraint is named, so that an answer that had to relax one can say which. Flavor
directions are judged on the Sakenowa chart against the catalog median ("dry" = drier than
the median brand), so a flavor request is never answered by an uncharted brand. Opt-in styles
(sparkling, cloudy, very sweet, aged) are left out unless asked for or called for by the dish.
A restaurant's menu is a short list the staff chose: there the flavor words rank, they do not filter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.request import AXES, RecRequest
from core.styles import OPT_IN, StyleIndex, allowed_by_dish
from core.texts import t


@dataclass(frozen=True, slots=True)
class Constraint:
    key: str  # flavor:f5+ | style:sparkling | avoid:fizzy | optin:cloudy
    mask: np.ndarray
    implicit: bool = False  # the opt-in default: given up first, and not worth a word when it is

    def words(self, lang: str) -> str:
        kind, _, what = self.key.partition(":")
        if kind == "charted":
            return t("constraint.charted", lang)
        if kind == "flavor":
            return t(f"constraint.{what}", lang)
        name = t(f"style_name.{what}", lang)
        if kind == "style":
            return name
        return t("constraint.not", lang, name=name)


def hard_constraints(req: RecRequest, styles: StyleIndex, family_id: str | None = None) -> list[Constraint]:
    """The request's hard constraints, most important first (what relaxing gives up last)."""
    out = []
    if req.among is None and (req.mode in ("similar", "like_but") or req.mode == "flavor" and (req.want or req.tags)):
        out.append(Constraint("charted:flavor", styles.charted))  # a flavor request is never answered from guesses
    out += [Constraint(f"style:{s}", styles.mask(s)) for s in req.styles]
    out += [Constraint(f"avoid:{s}", ~styles.mask(s)) for s in req.avoid]
    if req.among is None and req.mode in ("flavor", "food"):
        for axis, v in req.want.items():
            k = AXES.index(axis)
            col = styles.charts[:, k]
            with np.errstate(invalid="ignore"):
                m = styles.charted & ((col >= styles.median[k]) if v > 0 else (col <= styles.median[k]))
            out.append(Constraint(f"flavor:{axis}{'+' if v > 0 else '-'}", m))
    if req.among is None and (req.mode in ("flavor", "food") or req.beginner):
        allowed = set(req.styles) | set(allowed_by_dish(family_id))
        if req.want.get("f5", 0) < 0:
            allowed.add("very_sweet")  # asked for sweet: very sweet is only the far end of it
        out += [Constraint(f"optin:{s}", ~styles.mask(s), implicit=True) for s in OPT_IN if s not in allowed and s not in req.avoid]
    if req.beginner and req.among is None:
        out.append(Constraint("charted:beginner", styles.charted, implicit=True))
    return out


def satisfy(base: np.ndarray, constraints: list[Constraint]) -> tuple[np.ndarray, tuple[Constraint, ...]]:
    """The rows meeting every constraint; when none does, give up the fewest, least important first.

    Implicit defaults go first, then explicit ones from the last (least important) upwards; a
    single constraint whose removal leaves candidates is preferred over removing two.
    """
    if not constraints:
        return base, ()
    every = base.copy()
    for c in constraints:
        every &= c.mask
    if every.any():
        return every, ()
    order = [c for c in constraints if c.implicit] + [c for c in reversed(constraints) if not c.implicit]
    for drop in order:  # one at a time
        m = base.copy()
        for c in constraints:
            if c is not drop:
                m &= c.mask
        if m.any():
            return m, (drop,)
    kept = list(constraints)
    dropped: list[Constraint] = []
    for drop in order:  # cumulatively
        kept.remove(drop)
        dropped.append(drop)
        m = base.copy()
        for c in kept:
            m &= c.mask
        if m.any():
            return m, tuple(dropped)
    return base, tuple(dropped)
