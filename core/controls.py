"""The buttons, star ratings and forms a reply offers, built once in the core for every surface.

Which buttons a card has, in which order and with which words is decided here; renderers map
them to Block Kit, Flex, components or HTML and add nothing. Order matters: where a platform
cannot show everything (LINE's 13 quick replies, Discord's five rows) the first ones stay.
"""

from __future__ import annotations

from core import actions
from core.messages import Button, Card, Form, FormField, RatingControl
from core.tasting_input import TEMPERATURES
from core.texts import t

STAR_VALUES = (1, 2, 3, 4, 5)  # one order everywhere: 1 to 5, nothing pre-selected


def card_buttons(brand_id: int, lang: str) -> list[Button]:
    """Log it / Similar / Wishlist: what every sake card offers."""
    return [
        Button(actions.Log(brand_id), t("button.log", lang), "primary"),
        Button(actions.Similar(brand_id), t("button.similar", lang)),
        Button(actions.Wish(brand_id), t("button.wish", lang)),
    ]


def staff_menu_buttons(brand_id: int, item_id: int, in_stock: bool, lang: str) -> list[Button]:
    """A menu card as staff see it: Log it / Similar, then flip the stock and take it off the menu (which
    asks first). Wishlist gives way so that a card keeps four buttons: with its name that is one row on
    Discord (five to a row), and a menu's five cards still fit its five rows. Guests never get these
    buttons; the tools refuse them anyway (SS-010)."""
    stock = Button(actions.Stock(item_id, False), t("button.sold_out", lang)) if in_stock \
        else Button(actions.Stock(item_id, True), t("button.in_stock", lang))
    own = [b for b in card_buttons(brand_id, lang) if not isinstance(b.action, actions.Wish)]
    return [*own, stock, Button(actions.MenuRemove(item_id), t("button.menu_remove", lang), "danger")]


def rating(brand_id: int, lang: str) -> RatingControl:
    """Stars 1 to 5 for one sake."""
    return RatingControl(brand_id, t("rating.prompt", lang),
                         [Button(actions.Rate(brand_id, n), t("rating.stars", lang, n=n)) for n in STAR_VALUES])


def with_buttons(card: Card, lang: str) -> Card:
    """The card with the standard buttons, unless a tool already chose its own."""
    if not card.actions:
        card.actions = card_buttons(card.brand_id, lang)
    return card


def note_form(brand_id: int, name: str, lang: str) -> Form:
    """The tasting note: rating (required), notes, serving temperature, food."""
    stars = [(str(n), t("rating.stars", lang, n=n)) for n in STAR_VALUES]
    temps = [(ja, ja if lang == "ja" else en) for ja, en in TEMPERATURES.values()]
    return Form(
        title=t("form.note.title", lang),
        submit=Button(actions.Note(brand_id), t("form.submit", lang), "primary"),
        intro=name,
        fields=[
            FormField("rating", t("form.rating", lang), "choice", stars, optional=False),
            FormField("notes", t("form.notes", lang), "longtext", max_length=2000),
            FormField("temperature", t("form.temperature", lang), "choice", temps),
            FormField("food", t("form.food", lang), "text", max_length=200),
        ],
    )
