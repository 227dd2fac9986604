"""Flight fixtures: a Sensei whose brain answers flights, three people in one channel, a clock to move."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import AsyncIterator

import pytest

from core import actions
from core.agent.brain import AgentBrain
from core.agent.memory import ConversationMemory
from core.catalog import Catalog, CatalogSearch
from core.db import Database
from core.flavor_space import FlavorSpace
from core.flights.announcements import Announcements
from core.flights.group import choose_flight
from core.flights.service import Flights
from core.flights.turns import FlightTurns
from core.identity import Identity
from core.inbox import Inbox
from core.messages import Message, Reply, StateKey
from core.restaurants.services import RestaurantServices
from core.sensei import Sensei
from tests.core.agent.conftest import make_services
from tests.fakes.clock import FakeClock


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
    restaurants: RestaurantServices | None = None
    announcements: Announcements | None = None
    turns: FlightTurns | None = None

    def start_process(self) -> None:
        """A new process on the same database (what a restart looks like): nothing carried over in memory."""
        services = make_services(self.db, self.catalog, self.search)
        restaurants = RestaurantServices.build(self.db, self.search, services.recommender, self.clock)
        services.restaurants = self.restaurants = restaurants
        self.flights = Flights(self.db, self.catalog, FlavorSpace.of(self.catalog), services.tastings, choose_flight,
                               vector=services.profiles.vector, roles=restaurants.restaurants, menu=restaurants.menu, clock=self.clock)
        self.announcements = Announcements(self.db, clock=self.clock)
        services.flights = self.turns = FlightTurns(self.flights, self.catalog, self.announcements)
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
