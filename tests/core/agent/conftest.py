"""Agent fixtures: the real services on a per-test database, a fake label reader, and a Sensei to talk to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, AsyncIterator

import pytest

from core import actions
from core.agent.brain import AgentBrain
from core.agent.deps import Services
from core.agent.tool_common import brand_chart_png
from core.agent.memory import ConversationMemory
from core.catalog import Catalog, CatalogSearch
from core.db import Database
from core.identity import Identity
from core.inbox import Inbox
from core.labels import LabelService, SeenPhotos
from core.messages import Image, Message, Reply, StateKey
from core.preferences import Preferences
from core.profile import TasteProfiles
from core.recommender import Recommender
from core.sensei import Sensei
from core.tasting import TastingLog
from core.wishlist import Wishlist
from tests.fakes.labels import FakeLabelReader

DASSAI_PHOTO = b"\xff\xd8\xff fake jpeg of a dassai label"
BLURRY_PHOTO = b"\xff\xd8\xff fake jpeg of a blurry label"


def make_services(db: Database, catalog: Catalog, search: CatalogSearch) -> Services:
    tastings, prefs = TastingLog(db, catalog), Preferences(db)
    profiles = TasteProfiles(db, catalog, tastings, prefs)
    reader = FakeLabelReader(catalog, {DASSAI_PHOTO: [(887, 0.93)], BLURRY_PHOTO: [(887, 0.5), (431, 0.4), (380, 0.3)]})
    labels = LabelService(reader, SeenPhotos(db), chart=brand_chart_png)  # type: ignore[arg-type]
    return Services(
        catalog, search, tastings, prefs, Wishlist(db, catalog=catalog),
        recommender=Recommender(catalog, tastings, prefs, profiles), profiles=profiles, labels=labels,
    )


@dataclass
class Chat:
    """One user talking to the bot through Sensei.handle, as an adapter would."""

    sensei: Sensei
    brain: AgentBrain
    key: StateKey = field(default_factory=lambda: StateKey("local", "local", "cli", "alice"))

    async def say(self, text: str = "", *, images: list[bytes] | None = None, lang: str | None = None) -> Reply:
        reply = await self.sensei.handle(Message(key=self.key, text=text, images=[Image(data=b) for b in images or []], lang=lang))
        assert reply is not None
        return reply

    async def press(self, action: str, values: dict[str, Any] | None = None) -> Reply:
        """A tap as a platform gives it back: the packed string, read as every adapter reads it."""
        reply = await self.sensei.handle(Message(key=self.key, action=actions.read(action), action_values=values or {}))
        assert reply is not None
        return reply

    def as_user(self, user: str, workspace: str = "local") -> "Chat":
        return Chat(self.sensei, self.brain, StateKey(self.key.platform, workspace, self.key.channel, user))


def make_chat(db: Database, catalog: Catalog, search: CatalogSearch, **brain_options: Any) -> Chat:
    brain = AgentBrain(make_services(db, catalog, search), ConversationMemory(db), **brain_options)
    return Chat(Sensei(Identity(db), Inbox(db), brain), brain)


@pytest.fixture
async def chat(db: Database, catalog: Catalog, search: CatalogSearch) -> AsyncIterator[Chat]:
    yield make_chat(db, catalog, search)
