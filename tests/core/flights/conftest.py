"""Flight fixtures: a Sensei whose brain answers flights, three people in one channel, a clock to move."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, AsyncIterator

import pytest

from core import actions
from core.agent.brain import AgentBrain
from core.agent.memory import ConversationMemory
from core.catalog import Catalog, CatalogSearch
from core.db import Database
from core.flavor_space import FlavorSpace
from core.flights.service import Flights
from core.flights.state import FlightSake
from core.flights.turns import FlightTurns
from core.identity import Identity
from core.inbox import Inbox
from core.messages import Message, Reply, StateKey
from core.restaurants.services import RestaurantServices
from core.sensei import Sensei
from tests.core.agent.conftest import make_services
from tests.fakes.clock import FakeClock


def ordered_choose(space: FlavorSpace, catalog: Catalog, members: Sequence[Any], n: int, *, candidates: Sequence[int] | None = None,
                   req: Any = None, exclude: set[int] = set()) -> list[FlightSake]:  # noqa: B006 - the contract's signature
    """A chooser with choose_flight's contract and no judgment, so that these tests are about running
    a flight, not about which sakes it pours: the n best-ranked charted brands, lightest first."""
    pool = [catalog.get(b) for b in candidates] if candidates is not None else list(catalog.brands.values())
    charted = sorted((b for b in pool if b is not None and b.chart is not None and b.id not in exclude),
                     key=lambda b: (b.rank or 10_000, b.id))[:n]
    charted.sort(key=lambda b: -b.chart[5])  # f6 light first
    return [FlightSake(b.id, i, "flight.notice.f6" if i == 0 else "flight.notice.compare") for i, b in enumerate(charted)]


@dataclass
class Person:
    """One person in the channel, talking to the bot through Sensei.handle as an adapter would."""

    sensei: Sensei
    key: StateKey
    admin: bool = False

    async def say(self, text: str, *, event_id: str | None = None) -> Reply:
        reply = await self.sensei.handle(Message(key=self.key, text=text, display_name=self.key.user.title(), event_id=event_id,
                                                 platform_admin=self.admin))
        assert reply is not None
        return reply

    async def press(self, action: actions.UserAction | str, *, event_id: str | None = None) -> Reply | None:
        return await self.sensei.handle(Message(key=self.key, action=action, display_name=self.key.user.title(), event_id=event_id,
                                                platform_admin=self.admin))


@dataclass
class Room:
    db: Database
    catalog: Catalog
    search: CatalogSearch
    clock: FakeClock = field(default_factory=FakeClock)
    channel: str = "C-sake-night"
    workspace: str = "T1"
    sensei: Sensei | None = None
    flights: Flights | None = None

    def start_process(self) -> None:
        """A new process on the same database (what a restart looks like): nothing carried over in memory."""
        services = make_services(self.db, self.catalog, self.search)
        restaurants = RestaurantServices.build(self.db, self.search, services.recommender, self.clock)
        services.restaurants = restaurants
        self.flights = Flights(self.db, self.catalog, FlavorSpace.of(self.catalog), services.tastings, ordered_choose,
                               vector=services.profiles.vector, roles=restaurants.restaurants, menu=restaurants.menu, clock=self.clock)
        services.flights = FlightTurns(self.flights, self.catalog)
        brain = AgentBrain(services, ConversationMemory(self.db))
        self.sensei = Sensei(Identity(self.db), Inbox(self.db), brain)

    def person(self, user: str, *, channel: str | None = None, admin: bool = False) -> Person:
        assert self.sensei is not None
        return Person(self.sensei, StateKey("slack", self.workspace, channel or self.channel, user), admin)


@pytest.fixture
async def room(db: Database, catalog: Catalog, search: CatalogSearch) -> AsyncIterator[Room]:
    r = Room(db, catalog, search)
    r.start_process()
    yield r
