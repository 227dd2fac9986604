"""A user's data out (export) and gone (forget), across every table that holds it.

Tables are found by their `user_id` column rather than listed by hand, so a table added
by a later change is covered without anyone remembering to add it here.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, delete, select

from core.db import Base, Database
from core.db.identity_tables import User, Workspace


class UserNotFound(LookupError):
    pass


class AmbiguousUser(LookupError):
    pass


def _user_tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if "user_id" in t.c and t.name != "users"]


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode()}
    return value


async def find_users(db: Database, ref: str) -> list[User]:
    """`ref` is a numeric user id, "platform:workspace:user", or a platform user id."""
    async with db.session() as s:
        if ref.isdigit() and (user := await s.get(User, int(ref))) is not None:
            return [user]
        parts = ref.split(":")
        if len(parts) == 3:
            platform, workspace, external = parts
            q = (
                select(User).join(Workspace, Workspace.id == User.workspace_id)
                .where(User.platform == platform, Workspace.external_id == workspace, User.external_id == external)
            )
            return list((await s.scalars(q)).all())
        return list((await s.scalars(select(User).where(User.external_id == ref))).all())


async def resolve_user(db: Database, ref: str) -> User:
    users = await find_users(db, ref)
    if not users:
        raise UserNotFound(f"no user {ref!r}")
    if len(users) > 1:
        raise AmbiguousUser(f"{ref!r} names {len(users)} users; use platform:workspace:user or the numeric id")
    return users[0]


async def export_user(db: Database, ref: str) -> dict[str, Any]:
    user = await resolve_user(db, ref)
    async with db.session() as s:
        ws = await s.get(Workspace, user.workspace_id)
        out: dict[str, Any] = {
            "user": {c.name: _plain(getattr(user, c.key)) for c in User.__table__.c},
            "workspace": {"platform": ws.platform, "external_id": ws.external_id, "name": ws.name} if ws else None,
            "data": {},
        }
        for table in _user_tables():
            rows = (await s.execute(select(table).where(table.c.user_id == user.id))).mappings().all()
            out["data"][table.name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    return out


async def forget_user(db: Database, ref: str) -> dict[str, int]:
    """Erase the user and everything keyed to them, in one transaction."""
    user = await resolve_user(db, ref)
    removed: dict[str, int] = {}
    async with db.transaction() as s:
        for table in reversed(_user_tables()):  # children before parents
            result = await s.execute(delete(table).where(table.c.user_id == user.id))
            removed[table.name] = int(result.rowcount or 0)
        await s.execute(delete(User).where(User.id == user.id))
        removed["users"] = 1
    return removed


__all__ = ["AmbiguousUser", "UserNotFound", "export_user", "find_users", "forget_user"]
