"""Build the core once per process from Settings: database, catalog, services, the brain."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError, OperationalError

from bot.config import ConfigError, Settings
from core.catalog import Catalog, CatalogSearch
from core.catalog.loader import ensure_catalog
from core.catalog_brain import CatalogBrain
from core.db import Database
from core.db.engine import sqlite_path
from core.identity import Identity
from core.inbox import Inbox
from core.inbox_batching import BatchingInbox
from core.jobs import InProcessJobs, JobQueue
from core.sensei import Sensei

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

    async def close(self) -> None:
        await self.jobs.drain(timeout=10)
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


async def build_core(settings: Settings, *, jobs: JobQueue | None = None) -> Core:
    db = await open_database(settings)
    if await ensure_catalog(db):
        log.info("bundled catalog loaded into the database")
    catalog = await Catalog.from_db(db)
    search = CatalogSearch(catalog)
    identity = Identity(db)
    inbox = BatchingInbox(db)  # claims on the webhook path share transactions
    sensei = Sensei(identity, inbox, CatalogBrain(search))
    return Core(settings, db, catalog, search, identity, inbox, jobs or InProcessJobs(), sensei)


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "DATABASE_URL"


__all__ = ["Core", "ConfigError", "StartupError", "build_core", "open_database"]
