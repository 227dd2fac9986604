"""What every agent tool receives: who is asking, in which language, the core services, this turn's photos.

The principal comes from the platform event (Sensei resolved it); it is never a tool argument,
so nothing a model writes into a tool call can make a tool act for another user or workspace.
Tools also write what the reply will show (cards, images, buttons, error) into `out`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from core.catalog import Catalog, CatalogSearch
from core.identity import Principal
from core.messages import Button, Card, Reply, ReplyFile, ReplyImage
from core.preferences import Preferences
from core.tasting import TastingLog
from core.wishlist import Wishlist

if TYPE_CHECKING:  # the optional services are built (and their heavy imports made) only where bot.wiring wants them
    from core.labels.reader import LabelResult, VisionHook
    from core.profile import TasteProfiles
    from core.recommender import Recommender
    from core.flights.turns import FlightTurns
    from core.restaurants.services import RestaurantServices


class LabelReading(Protocol):
    """core.labels.LabelService: a photo in; the result and the reply to show (sent-before check included)."""

    async def identify_for(
        self, user_id: int, image: bytes, *, lang: str = "en", vision: VisionHook | None = None
    ) -> tuple[LabelResult, Reply]: ...


@dataclass(slots=True)
class Services:
    """The core services the tools call, built once per process by bot.wiring and shared by every turn."""

    catalog: Catalog
    search: CatalogSearch
    tastings: TastingLog
    preferences: Preferences
    wishlist: Wishlist
    # None: this process has not that service, and the tools that need it are not offered (tools.optional_tools)
    recommender: Recommender | None = None
    profiles: TasteProfiles | None = None
    labels: LabelReading | None = None
    restaurants: RestaurantServices | None = None
    flights: FlightTurns | None = None  # a flight's buttons and words, answered before the agent


@dataclass(slots=True)
class TurnOutput:
    """What the tools of one turn want the reply to show."""

    cards: list[Card] = field(default_factory=list)
    images: list[ReplyImage] = field(default_factory=list)
    actions: list[Button] = field(default_factory=list)  # reply-level only: a card's own buttons are on the card
    tools: list[str] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    error: dict[str, str] | None = None
    files: list[ReplyFile] = field(default_factory=list)
    wrote: bool = False  # a tool changed stored data: a failed turn must not be re-run

    def add_cards(self, cards: list[Card]) -> None:
        seen = {c.brand_id for c in self.cards}
        self.cards.extend(c for c in cards if c.brand_id not in seen)

    def add_actions(self, actions: list[Button]) -> None:
        seen = {a.id for a in self.actions}
        for a in actions:
            if a.id not in seen:
                self.actions.append(a)
                seen.add(a.id)

    def set_error(self, error: dict[str, str]) -> None:
        if self.error is None:
            self.error = error


@dataclass(slots=True)
class Deps:
    principal: Principal
    lang: str
    services: Services
    images: list[bytes] = field(default_factory=list)
    out: TurnOutput = field(default_factory=TurnOutput)
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (filename, data): a menu CSV shared in chat
    platform_admin: bool = False  # from the platform (Message.platform_admin): counts as restaurant staff
    restaurant: bool = False  # this workspace is a restaurant: pairing and "what to pour" come from its stock
    taken_over: bool = False  # Message.taken_over: the turn's first run died; its writes must not be repeated
