"""Who runs a restaurant workspace: the owner (who set it up), staff, and everyone else (guests).

Every method takes the asker's Principal and works on `principal.workspace_id` only: there is
no parameter through which a caller (or a language model filling in tool arguments) could name
another workspace. Staff are added by their platform user id *within the same workspace*.

Platform admins (a Slack workspace admin or owner, a Discord member with Manage Server) count
as staff. The platform knows that and the core does not, so adapters set
`Message.platform_admin` and the call passes it on as `platform_admin=`; it is never stored,
so losing admin rights on the platform takes effect at once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.db import Database, utcnow
from core.db.identity_tables import User
from core.db.restaurant_tables import RestaurantMemberRow, RestaurantRow
from core.errors import Code, SenseiError
from core.identity import Principal
from core.tasting import Clock
from core.texts import t

MAX_NAME = 128
MAX_STAFF = 200  # a restaurant with more staff than this is a chain, and wants an admin console


class Role(str, Enum):
    OWNER = "owner"
    STAFF = "staff"
    GUEST = "guest"

    @property
    def rank(self) -> int:
        return {"guest": 0, "staff": 1, "owner": 2}[self.value]

    def label(self, lang: str) -> str:
        return t(f"role.{self.value}", lang)


@dataclass(frozen=True, slots=True)
class Restaurant:
    id: int
    workspace_id: int
    name: str


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    external_id: str
    display_name: str | None
    role: Role

    def mention(self) -> str:
        return self.display_name or self.external_id


# Slack <@U123> / <@U123|name>, Discord <@123> / <@!123>, or a bare id with or without "@".
_MENTION = re.compile(r"^<@!?([A-Za-z0-9_.\-]+)(?:\|[^>]*)?>$")
_BARE_ID = re.compile(r"^@?([A-Za-z0-9_.\-]{1,128})$")


def member_ref(text: str) -> str | None:
    """The platform user id in a mention ("<@U123>", "<@!42>", "@U123", "U123"), or None."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if (m := _MENTION.match(text)) or (m := _BARE_ID.match(text)):
        return m.group(1)
    return None


def not_allowed(en: str, ja: str) -> SenseiError:
    return SenseiError(Code.NOT_ALLOWED, en, detail_ja=ja)


def no_restaurant() -> SenseiError:
    return SenseiError(
        Code.NOT_ALLOWED,
        "This workspace is not set up as a restaurant yet; its owner can start with `/sake restaurant setup <name>`.",
        detail_ja="このワークスペースはまだレストランとして設定されていません。オーナーが `/sake restaurant setup 店名` で設定できます。",
    )


class Restaurants:
    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock

    async def get(self, principal: Principal) -> Restaurant | None:
        async with self.db.session() as s:
            row = await s.scalar(select(RestaurantRow).where(RestaurantRow.workspace_id == principal.workspace_id))
            return Restaurant(row.id, row.workspace_id, row.name) if row else None

    async def setup(self, principal: Principal, name: str | None = None, *, platform_admin: bool = False) -> tuple[Restaurant, bool]:
        """Make this workspace a restaurant with the asker as owner; (restaurant, created).

        Run again by the owner, it renames; by anyone else, it is refused (SS-010).
        """
        clean = " ".join(unicodedata.normalize("NFKC", name or "").split())[:MAX_NAME] or None
        for _ in range(2):  # two people setting up at once: the unique workspace_id makes one the loser
            try:
                async with self.db.transaction() as s:
                    row = await s.scalar(select(RestaurantRow).where(RestaurantRow.workspace_id == principal.workspace_id))
                    if row is None:
                        row = RestaurantRow(workspace_id=principal.workspace_id, name=clean or "Restaurant", created_at=self.clock())
                        s.add(row)
                        await s.flush()
                        s.add(
                            RestaurantMemberRow(
                                restaurant_id=row.id, user_id=principal.user_id, role=Role.OWNER.value, added_at=self.clock()
                            )
                        )
                        return Restaurant(row.id, row.workspace_id, row.name), True
                    role = await self._role_in(s, row.id, principal, platform_admin)
                    if role is not Role.OWNER:
                        raise not_allowed(
                            f"This workspace is already the restaurant “{row.name}”; only its owner can change it.",
                            f"このワークスペースはすでにレストラン「{row.name}」です。変更できるのはオーナーだけです。",
                        )
                    if clean:
                        row.name = clean
                    return Restaurant(row.id, row.workspace_id, row.name), False
            except IntegrityError:
                continue
        raise not_allowed("Someone else set up this restaurant at the same moment.", "同時に別の人がこのレストランを設定しました。")

    async def role(self, principal: Principal, *, platform_admin: bool = False) -> Role:
        async with self.db.session() as s:
            row = await s.scalar(select(RestaurantRow).where(RestaurantRow.workspace_id == principal.workspace_id))
            if row is None:
                return Role.GUEST
            return await self._role_in(s, row.id, principal, platform_admin)

    @staticmethod
    async def _role_in(s, restaurant_id: int, principal: Principal, platform_admin: bool) -> Role:  # type: ignore[no-untyped-def]
        stored = await s.scalar(
            select(RestaurantMemberRow.role).where(
                RestaurantMemberRow.restaurant_id == restaurant_id, RestaurantMemberRow.user_id == principal.user_id
            )
        )
        if stored is not None:
            return Role(stored)
        return Role.STAFF if platform_admin else Role.GUEST

    async def require(
        self, principal: Principal, role: Role, *, platform_admin: bool = False, doing: str = "doing.anything"
    ) -> Restaurant:
        """The asker's restaurant, if the asker holds at least `role` in it; else SS-010 in plain words.

        `doing` is the catalog key of the refused action, said in both languages because the error does
        not know the reply's language: "doing.change_menu" (change the menu, メニューの変更).
        """
        async with self.db.session() as s:
            row = await s.scalar(select(RestaurantRow).where(RestaurantRow.workspace_id == principal.workspace_id))
            if row is None:
                raise no_restaurant()
            restaurant = Restaurant(row.id, row.workspace_id, row.name)
            if role is Role.GUEST:
                return restaurant
            held = await self._role_in(s, row.id, principal, platform_admin)
        if held.rank >= role.rank:
            return restaurant
        en, ja = (t(doing, lang) for lang in ("en", "ja"))
        if role is Role.OWNER:
            raise not_allowed(f"Only the owner of {restaurant.name} can {en}.", f"{ja}ができるのは{restaurant.name}のオーナーだけです。")
        raise not_allowed(
            f"Only staff of {restaurant.name} can {en}; guests can ask for picks from the menu.",
            f"{ja}ができるのは{restaurant.name}のスタッフだけです。ゲストはメニューからおすすめを聞けます。",
        )

    # -- staff -----------------------------------------------------------------------------

    async def add_staff(self, principal: Principal, who: str, *, platform_admin: bool = False) -> tuple[Member, bool]:
        """Make a user of this workspace staff; (member, added). Only the owner may."""
        external = self._ref(who)
        restaurant = await self.require(principal, Role.OWNER, platform_admin=platform_admin, doing="doing.add_staff")
        for _ in range(2):
            try:
                async with self.db.transaction() as s:
                    user = await self._user(s, principal, external, create=True)
                    assert user is not None
                    member = await s.get(RestaurantMemberRow, (restaurant.id, user.id))
                    if member is not None:
                        return Member(user.id, user.external_id, user.display_name, Role(member.role)), False
                    count = len((await s.scalars(
                        select(RestaurantMemberRow.user_id).where(RestaurantMemberRow.restaurant_id == restaurant.id)
                    )).all())
                    if count >= MAX_STAFF:
                        raise not_allowed(
                            f"{restaurant.name} already has {MAX_STAFF} staff, the most I keep.", f"スタッフは{MAX_STAFF}人までです。"
                        )
                    s.add(RestaurantMemberRow(restaurant_id=restaurant.id, user_id=user.id, role=Role.STAFF.value, added_at=self.clock()))
                    return Member(user.id, user.external_id, user.display_name, Role.STAFF), True
            except IntegrityError:  # the user row or the membership was created at the same moment
                continue
        raise not_allowed(
            "That staff change collided with another one; please try again.", "別の変更と重なりました。もう一度お試しください。"
        )

    async def remove_staff(self, principal: Principal, who: str, *, platform_admin: bool = False) -> Member | None:
        """Remove a staff member; the member removed, or None when they were not staff. Only the owner may."""
        external = self._ref(who)
        restaurant = await self.require(principal, Role.OWNER, platform_admin=platform_admin, doing="doing.remove_staff")
        async with self.db.transaction() as s:
            user = await self._user(s, principal, external, create=False)
            if user is None:
                return None
            member = await s.get(RestaurantMemberRow, (restaurant.id, user.id))
            if member is None:
                return None
            if member.role == Role.OWNER.value:
                raise not_allowed("The owner cannot be removed from staff.", "オーナーはスタッフから外せません。")
            await s.delete(member)
            return Member(user.id, user.external_id, user.display_name, Role.STAFF)

    async def members(self, principal: Principal, *, platform_admin: bool = False) -> list[Member]:
        """Owner first, then staff; staff and the owner may look."""
        restaurant = await self.require(
            principal, Role.STAFF, platform_admin=platform_admin, doing="doing.see_staff"
        )
        async with self.db.session() as s:
            rows = (
                await s.execute(
                    select(User, RestaurantMemberRow.role)
                    .join(RestaurantMemberRow, RestaurantMemberRow.user_id == User.id)
                    .where(RestaurantMemberRow.restaurant_id == restaurant.id, User.workspace_id == principal.workspace_id)
                    .order_by(RestaurantMemberRow.role, User.id)  # 'owner' sorts before 'staff'
                )
            ).all()
        return [Member(u.id, u.external_id, u.display_name, Role(role)) for u, role in rows]

    @staticmethod
    def _ref(who: str) -> str:
        external = member_ref(who)
        if external is None:
            raise SenseiError(
                Code.NOT_ALLOWED,
                f"I can't tell who {who!r} is; mention them, for example `/sake staff add @someone`.",
                detail_ja=f"「{who}」が誰かわかりません。`/sake staff add @名前` のようにメンションしてください。",
            )
        return external

    @staticmethod
    async def _user(s, principal: Principal, external: str, *, create: bool) -> User | None:  # type: ignore[no-untyped-def]
        """The user with this platform id in the asker's own workspace (created on first mention)."""
        user = await s.scalar(select(User).where(User.workspace_id == principal.workspace_id, User.external_id == external))
        if user is None and create:
            user = User(platform=principal.key.platform, workspace_id=principal.workspace_id, external_id=external)
            s.add(user)
            await s.flush()
        return user
