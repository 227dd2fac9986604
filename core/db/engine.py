"""One async engine per process; SQLite tuned for a chat bot's many small writes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "migrations"
SQLITE_BUSY_MS = 5000
# The newest migration. A database already there is not handed to Alembic at start-up (importing it
# and reading every revision file costs a tenth of a second of every CLI command's start);
# tests/core/test_migrations.py fails when a new revision is added without updating this.
SCHEMA_HEAD = "0016"


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets readers go on while one writer writes; the busy timeout makes writers wait
    # for each other instead of failing at once with "database is locked".
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # The driver's own BEGIN (deferred, issued before the first write) is replaced by ours, below.
    dbapi_conn.isolation_level = None


def _sqlite_begin(conn) -> None:  # type: ignore[no-untyped-def]
    """BEGIN IMMEDIATE for the write transactions (`Database.transaction`, the inbox's batches): they
    take the write lock first, waiting for it under the busy timeout. A deferred transaction that
    reads and then writes cannot wait: when another connection wrote in between, SQLite fails it at
    once with "database is locked" (its snapshot is stale), which bursts of writers made common.
    Reads keep the deferred BEGIN, so they never wait for writers (WAL)."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("sqlite_write") else "BEGIN")


class Database:
    def __init__(self, url: str, *, echo: bool = False, immediate_writes: bool = True) -> None:
        self.url = url
        parsed = make_url(url)
        self.dialect = parsed.get_backend_name()
        kwargs: dict = {"echo": echo}
        if self.dialect == "sqlite":
            kwargs["connect_args"] = {"timeout": SQLITE_BUSY_MS / 1000}
            if parsed.database in (None, "", ":memory:"):
                raise ValueError("an in-memory SQLite database cannot be shared between connections; use a file")
        else:
            kwargs.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin)
        # The same engine and pool; its transactions are writes (BEGIN IMMEDIATE on SQLite).
        self.writer: AsyncEngine = self.engine.execution_options(sqlite_write=immediate_writes)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        self.write_sessionmaker = async_sessionmaker(self.writer, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessionmaker() as session:
            yield session

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work commits together or not at all (on SQLite it holds the write lock
        from its start: keep it short, and read-only work in `session`)."""
        async with self.write_sessionmaker() as session, session.begin():
            yield session

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - whatever failed, the database is not reachable
            return False

    async def upgrade(self, revision: str = "head") -> None:
        """Apply migrations: the only way the schema changes."""
        if revision == "head" and await self.schema_version() == SCHEMA_HEAD:
            return
        await self._alembic("upgrade", revision)

    async def schema_version(self) -> str | None:
        """The revision the database is at; None for a new database."""
        async with self.engine.connect() as conn:
            has_table = await conn.run_sync(lambda c: c.dialect.has_table(c, "alembic_version"))
            if not has_table:
                return None
            return (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()

    async def downgrade(self, revision: str) -> None:
        await self._alembic("downgrade", revision)

    async def _alembic(self, verb: str, revision: str) -> None:
        from alembic import command

        cfg = alembic_config(self.url)

        def run(sync_conn) -> None:  # type: ignore[no-untyped-def]
            cfg.attributes["connection"] = sync_conn
            getattr(command, verb)(cfg, revision)

        async with self.engine.begin() as conn:
            await conn.run_sync(run)

    async def dispose(self) -> None:
        await self.engine.dispose()


def alembic_config(url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return Path(parsed.database)


def run_sync(coro):  # type: ignore[no-untyped-def]
    """Run a coroutine from synchronous code (the CLI)."""
    return asyncio.run(coro)
