"""A real offline Sensei on a scratch database, for the quality benchmarks (judgment, pairing coverage).

Every conversation is a new user, so that no answer depends on an earlier item's tastings or
shown sakes; follow-ups are the later turns of one conversation.
"""

from __future__ import annotations

import os
import tempfile
import uuid

from core.agent.brain import AgentBrain
from core.agent.deps import Services
from core.agent.memory import ConversationMemory
from core.catalog import Catalog, CatalogSearch
from core.catalog.loader import load_catalog as load_rows
from core.db import Database
from core.identity import Identity
from core.inbox import Inbox
from core.messages import Message, Reply, StateKey
from core.preferences import Preferences
from core.profile import TasteProfiles
from core.recommender import Recommender
from core.sensei import Sensei
from core.tasting import TastingLog
from core.wishlist import Wishlist


class OfflineChat:
    """Sensei with the offline brain and the real services; `open()` before use, `close()` after."""

    def __init__(self) -> None:
        self.db: Database | None = None
        self.catalog: Catalog | None = None
        self.sensei: Sensei | None = None

    async def open(self) -> OfflineChat:
        url = os.environ.get("DATABASE_URL") or f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/judgment.db"
        self.db = db = Database(url)
        await db.upgrade()
        await load_rows(db)
        self.catalog = catalog = await Catalog.from_db(db)
        search = CatalogSearch(catalog)
        tastings, prefs = TastingLog(db, catalog), Preferences(db)
        profiles = TasteProfiles(db, catalog, tastings, prefs)
        services = Services(
            catalog, search, tastings, prefs, Wishlist(db, catalog=catalog),
            recommender=Recommender(catalog, tastings, prefs, profiles), profiles=profiles,
        )
        self.sensei = Sensei(Identity(db), Inbox(db), AgentBrain(services, ConversationMemory(db)))
        return self

    async def conversation(self, turns: list[str], lang: str | None = None) -> list[Reply]:
        """The replies to one new user's turns, in order."""
        assert self.sensei is not None
        key = StateKey("local", "bench", "cli", uuid.uuid4().hex[:12])
        out = []
        for text in turns:
            reply = await self.sensei.handle(Message(key=key, text=text, lang=lang))
            assert reply is not None
            out.append(reply)
        return out

    async def close(self) -> None:
        if self.db is not None:
            await self.db.dispose()
