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


def test_schema_head_is_the_newest_migration() -> None:
    """Start-up skips Alembic for a database at SCHEMA_HEAD: it must name the real head."""
    from alembic.script import ScriptDirectory

    from core.db.engine import SCHEMA_HEAD, alembic_config

    assert ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads() == [SCHEMA_HEAD]


async def test_upgrade_at_head_leaves_alembic_alone(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = Database(await new_empty_database(tmp_path))
    try:
        assert await db.schema_version() is None
        await db.upgrade()
        from core.db.engine import SCHEMA_HEAD

        assert await db.schema_version() == SCHEMA_HEAD

        async def refuse(*_a, **_k):  # type: ignore[no-untyped-def]
            raise AssertionError("Alembic run for a database already at the head")

        monkeypatch.setattr(db, "_alembic", refuse)
        await db.upgrade()  # a no-op, without Alembic
    finally:
        await db.dispose()


async def test_0014_moves_each_web_visitor_to_their_own_workspace(tmp_path: Path) -> None:
    from sqlalchemy import text

    from core.db import utcnow

    db = Database(await new_empty_database(tmp_path))
    try:
        await db.upgrade("0013")
        async with db.transaction() as s:
            now = utcnow()
            await s.execute(
                text("INSERT INTO workspaces (platform, external_id, created_at) VALUES ('web', 'web', :t), ('slack', 'T1', :t)"),
                {"t": now},
            )
            ws = {x: i for i, x in (await s.execute(text("SELECT id, external_id FROM workspaces"))).all()}
            for ext, w in (("a" * 32, ws["web"]), ("b" * 32, ws["web"]), ("U1", ws["T1"])):
                await s.execute(text("INSERT INTO users (platform, workspace_id, external_id, created_at) VALUES ('x', :w, :e, :t)"),
                                {"w": w, "e": ext, "t": now})
        await db.upgrade()
        async with db.session() as s:
            rows = dict((await s.execute(text(
                "SELECT u.external_id, w.external_id FROM users u JOIN workspaces w ON w.id = u.workspace_id"))).all())
        assert rows == {"a" * 32: "a" * 32, "b" * 32: "b" * 32, "U1": "T1"}
        await db.downgrade("0013")
        await db.upgrade()
    finally:
        await db.dispose()


async def test_0016_flight_reveals_up_down_up_with_flights_closed_before(tmp_path: Path) -> None:
    """Flights closed before 0016 get no reveal to post (their news is old); 0016 goes down and up again."""
    from sqlalchemy import text

    from core.db import utcnow

    db = Database(await new_empty_database(tmp_path))
    try:
        await db.upgrade("0015")
        async with db.transaction() as s:
            now = utcnow()
            await s.execute(text("INSERT INTO workspaces (platform, external_id, created_at) VALUES ('slack', 'T1', :t)"), {"t": now})
            ws = await s.scalar(text("SELECT id FROM workspaces"))
            await s.execute(text("INSERT INTO flights (workspace_id, channel, status, size, lang, created_at, closed_at, closed_how) "
                                 "VALUES (:w, 'C1', 'closed', 3, 'en', :t, :t, 'timeout')"), {"w": ws, "t": now})
        await db.upgrade()
        assert "flight_reveals" in await _tables(db)
        async with db.transaction() as s:
            assert await s.scalar(text("SELECT count(*) FROM flight_reveals")) == 0
            flight = await s.scalar(text("SELECT id FROM flights"))
            await s.execute(text("INSERT INTO flight_reveals (flight_id, due_at, attempts) VALUES (:f, :t, 0)"), {"f": flight, "t": now})
        await db.downgrade("0015")
        assert "flight_reveals" not in await _tables(db)
        async with db.session() as s:
            assert await s.scalar(text("SELECT count(*) FROM flights")) == 1
        await db.upgrade()
        assert "flight_reveals" in await _tables(db)
    finally:
        await db.dispose()
