from pathlib import Path

from sqlalchemy import inspect

from core.db import Base, Database
from tests.conftest import new_empty_database


async def _tables(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


async def test_migrations_up_down_up(tmp_path: Path) -> None:
    db = Database(await new_empty_database(tmp_path))
    try:
        await db.upgrade()
        assert set(Base.metadata.tables) <= await _tables(db)
        await db.downgrade("base")
        assert await _tables(db) <= {"alembic_version"}
        await db.upgrade()
        assert set(Base.metadata.tables) <= await _tables(db)
    finally:
        await db.dispose()


async def test_models_match_migrations(tmp_path: Path) -> None:
    """Every model change ships a migration: autogenerate finds nothing to add."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    db = Database(await new_empty_database(tmp_path))
    try:
        await db.upgrade()
        async with db.engine.connect() as conn:
            diff = await conn.run_sync(lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata))
        assert diff == []
    finally:
        await db.dispose()


async def test_sqlite_pragmas(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'p.db'}")
    try:
        async with db.engine.connect() as conn:
            from sqlalchemy import text

            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() >= 1000
    finally:
        await db.dispose()
