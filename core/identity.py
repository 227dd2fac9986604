"""Users and workspaces, created on first sight from a StateKey."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from core.db import Database
from core.db.identity_tables import User, Workspace
from core.messages import StateKey


@dataclass(frozen=True, slots=True)
class Principal:
    """The database ids behind a StateKey: what every tool acts for, and nothing else."""

    user_id: int
    workspace_id: int
    key: StateKey


MAX_CACHED = 50_000  # principals kept in memory; a long-running process meets more users than that


class Identity:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._cache: dict[tuple[str, str, str], Principal] = {}

    async def resolve(self, key: StateKey, *, display_name: str | None = None, language: str | None = None) -> Principal:
        cache_key = (key.platform, key.workspace, key.user)
        if (hit := self._cache.get(cache_key)) is not None:
            return Principal(hit.user_id, hit.workspace_id, key)
        for _ in range(3):  # two processes may create the same row at once: the loser re-reads
            try:
                principal = await self._get_or_create(key, display_name, language)
                break
            except IntegrityError:
                continue
        else:  # pragma: no cover - three lost races in a row
            raise RuntimeError("could not create user")
        if len(self._cache) >= MAX_CACHED:  # unbounded, it grew with every user ever seen (RSS under load)
            self._cache.clear()
        self._cache[cache_key] = principal
        return principal

    async def find(self, key: StateKey) -> Principal | None:
        """The user behind `key` if there is one; never creates one (reading must not sign anyone up)."""
        if (hit := self._cache.get((key.platform, key.workspace, key.user))) is not None:
            return Principal(hit.user_id, hit.workspace_id, key)
        async with self.db.session() as s:
            row = (await s.execute(
                select(User.id, Workspace.id).join(Workspace, User.workspace_id == Workspace.id)
                .where(Workspace.platform == key.platform, Workspace.external_id == key.workspace, User.external_id == key.user)
            )).first()
        return Principal(row[0], row[1], key) if row is not None else None

    async def _get_or_create(self, key: StateKey, display_name: str | None, language: str | None) -> Principal:
        async with self.db.transaction() as s:
            ws = await s.scalar(select(Workspace).where(Workspace.platform == key.platform, Workspace.external_id == key.workspace))
            if ws is None:
                ws = Workspace(platform=key.platform, external_id=key.workspace)
                s.add(ws)
                await s.flush()
            user = await s.scalar(select(User).where(User.workspace_id == ws.id, User.external_id == key.user))
            if user is None:
                user = User(platform=key.platform, workspace_id=ws.id, external_id=key.user, display_name=display_name, language=language)
                s.add(user)
                await s.flush()
            return Principal(user.id, ws.id, key)

    async def set_language(self, principal: Principal, language: str) -> None:
        async with self.db.transaction() as s:
            user = await s.get(User, principal.user_id)
            if user is not None and user.language != language:
                user.language = language

    # The language each user last wrote in (users.language): a button, a slash command or a rich-menu
    # tap has no words to read, and its answer follows the user's own messages. Not cached: another
    # process may have seen the user's latest message.

    async def language(self, key: StateKey) -> str | None:
        """The language this user last wrote in; None for a user never seen."""
        async with self.db.session() as s:
            stored = await s.scalar(
                select(User.language).join(Workspace, User.workspace_id == Workspace.id)
                .where(Workspace.platform == key.platform, Workspace.external_id == key.workspace, User.external_id == key.user)
            )
        return stored if stored in ("en", "ja") else None

    async def remember_language(self, principal: Principal, language: str) -> None:
        """The user wrote in `language`: stored when it changed. Read first, so that the usual turn (no
        change) takes no write lock (SQLite serialises writers)."""
        async with self.db.session() as s:
            stored = await s.scalar(select(User.language).where(User.id == principal.user_id))
        if stored == language:
            return
        async with self.db.transaction() as s:
            await s.execute(
                update(User).where(User.id == principal.user_id, or_(User.language.is_(None), User.language != language))
                .values(language=language)
            )

    def forget_cached(self, key: StateKey) -> None:
        self._cache.pop((key.platform, key.workspace, key.user), None)
