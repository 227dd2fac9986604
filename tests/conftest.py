"""Test databases: SQLite by default; PostgreSQL when DATABASE_URL (or TEST_POSTGRES_URL) points at one.

A template database is migrated and loaded with the catalog once per session; each test gets
a fresh copy (SQLite: a file copy; PostgreSQL: its own database cloned from the template).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from pathlib import Path
from typing import AsyncIterator, Iterator

import pytest
from hypothesis import settings
from sqlalchemy.engine import make_url

from core.catalog import Catalog, CatalogSearch
from core.catalog.loader import load_catalog
from core.db import Database


# CI runs every property test on the same examples (derandomized), so that a green run stays green
# and a red one is reproducible; developers' runs draw fresh examples and find new cases.
# A case found that way goes into the bad-input corpus or a fixed test.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

ROOT = Path(__file__).resolve().parent.parent
PG_ENV = os.environ.get("TEST_POSTGRES_URL") or (
    os.environ["DATABASE_URL"] if os.environ.get("DATABASE_URL", "").startswith("postgresql") else None
)
BACKEND = "postgresql" if PG_ENV else "sqlite"


def pytest_report_header(config: pytest.Config) -> str:
    return f"sake-sensei test database: {BACKEND}"


async def _pg_admin(sql: str) -> None:
    import asyncpg

    url = make_url(PG_ENV).set(drivername="postgresql", database="postgres")
    conn = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def new_empty_database(tmp: Path) -> str:
    """A new, empty database URL on the backend under test."""
    if BACKEND == "sqlite":
        return f"sqlite+aiosqlite:///{tmp / f'empty-{uuid.uuid4().hex[:8]}.db'}"
    name = f"ss_test_{uuid.uuid4().hex[:10]}"
    await _pg_admin(f'CREATE DATABASE "{name}"')
    _PG_CREATED.append(name)
    return make_url(PG_ENV).set(database=name).render_as_string(hide_password=False)


def create_empty_database(tmp: Path) -> str:
    """new_empty_database for synchronous tests and fixtures."""
    return asyncio.run(new_empty_database(tmp))


_PG_CREATED: list[str] = []


async def _prepare(url: str) -> None:
    db = Database(url)
    await db.upgrade()
    await load_catalog(db)
    await db.dispose()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("db")
    url = create_empty_database(tmp)
    asyncio.run(_prepare(url))
    yield url
    if BACKEND == "postgresql":
        for name in _PG_CREATED:
            asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def db_url(template_db: str, tmp_path: Path) -> str:
    """A database with the catalog loaded and nothing else, for this test alone."""
    if BACKEND == "sqlite":
        src = Path(make_url(template_db).database)
        dst = tmp_path / "test.db"
        shutil.copyfile(src, dst)
        return f"sqlite+aiosqlite:///{dst}"
    name = f"ss_test_{uuid.uuid4().hex[:10]}"
    template = make_url(template_db).database
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    _PG_CREATED.append(name)
    return make_url(PG_ENV).set(database=name).render_as_string(hide_password=False)


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    yield database
    await database.dispose()


@pytest.fixture(scope="session")
def catalog(template_db: str) -> Catalog:
    async def read() -> Catalog:
        database = Database(template_db)
        try:
            return await Catalog.from_db(database)
        finally:
            await database.dispose()

    return asyncio.run(read())


@pytest.fixture(scope="session")
def search(catalog: Catalog) -> CatalogSearch:
    return CatalogSearch(catalog)
