"""Build the core once per process from Settings: database, catalog, services, the brain."""

from __future__ import annotations

import gc
import importlib
import logging
import os
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError, OperationalError

from bot.config import ConfigError, Settings
from core.catalog import Catalog, CatalogSearch
from core.catalog.loader import ensure_catalog
from core.db import Database
from core.db.engine import sqlite_path
from core.identity import Identity
from core.inbox import Inbox
from core.inbox_batching import BatchingInbox
from core.jobs import DurableJobs, JobQueue
from core.labels import LabelReader, LabelService, SeenPhotos
from core.media import MediaStore
from core.ratelimit import DatabaseCounter, RateLimiter, RedisCounter
from core.reachability import Reachability
from core.sensei import Sensei

if TYPE_CHECKING:
    from core.agent.brain import AgentBrain
    from core.agent.deps import Services
    from core.flights.turns import FlightTurns
    from core.catalog import BrandInfo
    from core.recent_turns import RecentTurns

log = logging.getLogger(__name__)


class StartupError(RuntimeError):
    """The process cannot start; the message is the one line the operator sees."""


@dataclass
class Core:
    settings: Settings
    db: Database
    catalog: Catalog
    search: CatalogSearch
    identity: Identity
    inbox: Inbox
    jobs: JobQueue
    sensei: Sensei
    media: MediaStore
    reachability: Reachability | None = None  # whom not to push to (LINE unfollow)
    # Label photos (core.labels): the OCR worker starts on the first photo, not here.
    labels: LabelService | None = None
    recent: RecentTurns | None = None  # a user's recent turns (the web chat shows them again after a reload)
    flights: FlightTurns | None = None  # group tastings: `serve` sweeps their day-old ones (bot.posters)

    async def close(self) -> None:
        await self.jobs.drain(timeout=10)
        if self.labels is not None:
            self.labels.close()
        await self.db.dispose()


def check_database_path(settings: Settings) -> None:
    path = sqlite_path(settings.database_url)
    if path is None:
        return
    folder = path.parent if str(path.parent) else None
    folder = folder or type(path)(".")
    if path.exists():
        if not os.access(path, os.W_OK):
            raise StartupError(f"the database file {path} cannot be written (check its permissions)")
    elif not folder.is_dir():
        raise StartupError(f"the folder of the database file {path} does not exist")
    elif not os.access(folder, os.W_OK):
        raise StartupError(f"the database file {path} cannot be created: its folder is not writable")


async def open_database(settings: Settings, *, migrate: bool = True) -> Database:
    check_database_path(settings)
    db = Database(settings.database_url)
    try:
        if migrate:
            await db.upgrade()
    except (OperationalError, DBAPIError, OSError) as e:
        await db.dispose()
        reason = str(getattr(e, "orig", e)).splitlines()[0]
        raise StartupError(f"cannot open the database ({_redact(settings.database_url)}): {reason}") from None
    return db


async def after_catalog_change(db: Database, catalog: Catalog) -> None:
    """Per-user stats by prefecture and grade follow the catalog: recompute them after a refresh."""
    from core.tasting import TastingLog

    await TastingLog(db, catalog).rebuild_rollups()


def prewarm_agent_imports() -> threading.Thread:
    """Import the agent (pydantic-ai: about a third of a cold start) on a thread while the main one
    opens the database and reads the catalog, whose SQLite and zlib work lets go of the GIL.
    build_brain's own import then finds it done or waits for it (imports are locked per module)."""

    def warm() -> None:
        try:
            importlib.import_module("core.agent.brain")
        except BaseException:  # build_brain imports it again on the main thread and reports the error there
            pass

    thread = threading.Thread(target=warm, name="prewarm-agent", daemon=True)
    thread.start()
    return thread


async def build_core(settings: Settings, *, jobs: JobQueue | None = None) -> Core:
    prewarm_agent_imports()
    db = await open_database(settings)
    changed = await ensure_catalog(db)
    catalog = await Catalog.from_db(db)
    if changed:
        log.info("bundled catalog loaded into the database")
        await after_catalog_change(db, catalog)
    search = CatalogSearch(catalog)
    identity = Identity(db)
    inbox = BatchingInbox(db)  # claims and finishes that arrive together share one transaction
    counter = RedisCounter(settings.redis_url) if settings.redis_url else DatabaseCounter(db)
    labels = LabelService(LabelReader(catalog), SeenPhotos(db), chart=chart_for_labels)
    brain = build_brain(settings, db, catalog, search, labels=labels)
    sensei = Sensei(identity, inbox, brain, RateLimiter(counter), search=search)
    media = MediaStore(db, catalog, settings.public_base_url)
    # The catalog, search indexes and agent built above live as long as the process: keep them out of
    # the garbage collector's full passes, which otherwise walk them all and stall turns (p99).
    gc.collect()
    gc.freeze()
    return Core(
        settings, db, catalog, search, identity, inbox, jobs or job_queue(settings, db), sensei, media, Reachability(db),
        labels=labels, recent=recent_turns(identity, brain), flights=brain.services.flights,
    )


def job_queue(settings: Settings, db: Database) -> JobQueue:
    """Redis (several processes: web processes submit, `sake-sensei worker`s run) or, without
    REDIS_URL, the database-backed queue that runs jobs in this very process."""
    if settings.redis_url:
        from core.jobs_redis import RedisJobs

        return RedisJobs(settings.redis_url, queue=settings.job_queue, timeout=settings.job_timeout,
                         concurrency=settings.worker_concurrency)
    return DurableJobs(db)


def chart_for_labels(brand: "BrandInfo", lang: str) -> bytes | None:
    """The flavor chart shown with an identified label (drawn once per brand and language)."""
    from core.agent.tool_common import brand_chart_png

    return brand_chart_png(brand, lang)


def recent_turns(identity: Identity, brain: AgentBrain) -> RecentTurns:
    """The recent-turns service over the brain's own conversation memory (one store, read and written)."""
    from core.recent_turns import RecentTurns

    return RecentTurns(identity, brain.memory)


def build_brain(
    settings: Settings, db: Database, catalog: Catalog, search: CatalogSearch, *, labels: LabelService | None = None,
) -> "AgentBrain":
    """The agent with the services this process has; a language model when SAKE_SENSEI_MODEL names one."""
    from core.agent.brain import AgentBrain
    from core.agent.deps import Services
    from core.agent.memory import ConversationMemory
    from core.preferences import Preferences
    from core.tasting import TastingLog
    from core.profile import TasteProfiles
    from core.recommender import Recommender
    from core.wishlist import Wishlist

    from core.restaurants.services import RestaurantServices

    tastings, preferences = TastingLog(db, catalog), Preferences(db)
    profiles = TasteProfiles(db, catalog, tastings, preferences)
    recommender = Recommender(catalog, tastings, preferences, profiles)
    services = Services(
        catalog, search, tastings, preferences, Wishlist(db, catalog=catalog),
        recommender=recommender, profiles=profiles,
        labels=labels if labels is not None else LabelService(LabelReader(catalog), SeenPhotos(db), chart=chart_for_labels),
        restaurants=RestaurantServices.build(db, search, recommender),
    )
    services.flights = build_flights(db, catalog, services)
    model = None
    if settings.model and settings.model != "offline":
        from core.agent.models.llm import build_llm

        try:
            model = build_llm(settings.model)
        except Exception as e:  # unknown provider, missing SDK or key: say so at start-up
            why = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise StartupError(f"SAKE_SENSEI_MODEL={settings.model!r} cannot be used: {why}") from None
        log.info("agent model: %s (offline model as fallback)", settings.model)
    return AgentBrain(services, ConversationMemory(db), model=model)


def build_flights(db: Database, catalog: Catalog, services: "Services") -> "FlightTurns":
    """Group tastings: picks from core.flights.group, members' tastes from their profiles, a
    restaurant's flight from its stock and its staff allowed to end one."""
    from core.flights.announcements import Announcements
    from core.flights.group import choose_flight
    from core.flights.service import Flights
    from core.flights.turns import FlightTurns

    restaurants = services.restaurants
    flights = Flights(db, catalog, services.recommender.space, services.tastings, choose_flight,
                      vector=services.profiles.vector if services.profiles is not None else None,
                      roles=restaurants.restaurants if restaurants is not None else None,
                      menu=restaurants.menu if restaurants is not None else None)
    return FlightTurns(flights, catalog, Announcements(db))


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "DATABASE_URL"


__all__ = ["Core", "ConfigError", "StartupError", "build_core", "open_database"]
