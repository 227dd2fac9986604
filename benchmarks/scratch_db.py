"""Scratch databases for benchmarks: a SQLite file in a temp folder, or a new PostgreSQL database."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy.engine import make_url


def _admin_url(pg: str) -> str:
    return make_url(pg).set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)


async def create(pg: str | None, tmp: Path, prefix: str = "ss_bench") -> tuple[str, str | None]:
    """(database URL, PostgreSQL database name to drop afterwards, or None for SQLite)."""
    if not pg:
        return f"sqlite+aiosqlite:///{tmp / f'{prefix}_{uuid.uuid4().hex[:8]}.db'}", None
    import asyncpg

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(_admin_url(pg))
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return make_url(pg).set(database=name).render_as_string(hide_password=False), name


async def drop(pg: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(_admin_url(pg))
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of a list of timings."""
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]
