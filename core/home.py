"""A user's home page (Slack's Home tab) as one core answer: the profile with its chart, the tasting
history and the wishlist, each the reply its own command gives, under the catalog's header words.

Composed here, once, so that the page goes through the turn pipeline like every other answer (kept
until the platform took it, sent again rather than worked out again) and no adapter asks three times.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from core import actions
from core.actions import CommandName
from core.errors import SenseiError
from core.messages import Reply
from core.texts import t

if TYPE_CHECKING:
    from core.sensei import Brain, Turn

SECTIONS: tuple[CommandName, ...] = ("profile", "history", "wishlist")


async def home_reply(turn: Turn, brain: Brain) -> Reply:
    """One reply whose sections are the commands' own replies, in the order the page shows them."""
    sections = []
    for name in SECTIONS:
        message = replace(turn.message, action=actions.Command(name), action_values={}, event_id=None)
        try:
            section = await brain.reply(replace(turn, message=message))
        except SenseiError as e:  # one part that cannot be shown (no taste known yet) says so; the page stands
            section = Reply(text=e.message(turn.lang), lang=turn.lang, error=e.as_dict(turn.lang))
        sections.append(section)
    return Reply(text=t("home.intro", turn.lang), lang=turn.lang, title=t("home.title", turn.lang), sections=sections,
                 tools=[tool for s in sections for tool in s.tools])
