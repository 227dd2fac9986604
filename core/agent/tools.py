"""The agent's tools: what the offline model and a language model can do for the user asking.

Every tool acts for `ctx.deps.principal` only. No tool takes a user, workspace or tasting id
from the model: tastings are found among the asker's own ("my last one", "my dassai"), and
brand ids only name catalog entries, which are public. Each tool returns a small JSON-able
dict whose `summary` is already written in the user's language (the offline model answers with
it; a language model may rephrase it), and puts cards, charts, buttons and errors into
`ctx.deps.out` for the reply.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.agent.catalog_tools import identify_label, sake_details, search_catalog
from core.agent.deps import Services
from core.agent.favourites_tools import favourites
from core.agent.recommend_tools import pair_food, recommend
from core.agent.sommelier_tools import SOMMELIER_TOOLS
from core.agent.taste_tools import preferences, survey, taste_profile
from core.agent.tasting_tools import delete_tasting, edit_tasting, log_tasting, tasting_history, tasting_stats
from core.agent.wishlist_tools import wishlist_add, wishlist_remove, wishlist_show


def optional_tools(services: Services) -> list[Callable[..., Any]]:
    """Tools whose service this process has: a tool without its service is not offered to any model."""
    out: list[Callable[..., Any]] = []
    if services.recommender is not None:
        out += [recommend, pair_food]
    if services.profiles is not None:
        out.append(taste_profile)
    if services.labels is not None:
        out.append(identify_label)
    return out

CORE_TOOLS: list[Callable[..., Any]] = [
    search_catalog, sake_details, log_tasting, edit_tasting, delete_tasting, tasting_history, tasting_stats, favourites,
    survey, preferences, wishlist_add, wishlist_show, wishlist_remove, *SOMMELIER_TOOLS,
]
