"""Roles: the first to set up is owner, the owner manages staff, admins count as staff, guests get SS-010."""

from __future__ import annotations

import pytest

from core.db import Database
from core.errors import Code, SenseiError
from core.restaurants import Restaurants, Role, member_ref
from tests.fakes.users import principal


async def test_first_to_set_up_is_owner_and_others_cannot_take_over(db: Database) -> None:
    r = Restaurants(db)
    owner = await principal(db, "owner", "w1")
    other = await principal(db, "other", "w1")
    restaurant, created = await r.setup(owner, "  Sakaba   Tanuki ")
    assert created and restaurant.name == "Sakaba Tanuki"
    assert await r.role(owner) is Role.OWNER
    assert await r.role(other) is Role.GUEST
    with pytest.raises(SenseiError) as e:
        await r.setup(other, "Mine now")
    assert e.value.code is Code.NOT_ALLOWED
    assert "owner" in e.value.message("en") and "オーナー" in e.value.message("ja")
    renamed, created = await r.setup(owner, "Tanuki")
    assert not created and renamed.id == restaurant.id and renamed.name == "Tanuki"


async def test_owner_adds_and_removes_staff_by_mention(db: Database) -> None:
    r = Restaurants(db)
    owner = await principal(db, "owner", "w1")
    await r.setup(owner, "Tanuki")
    member, added = await r.add_staff(owner, "<@U0STAFF|hana>")
    assert added and member.external_id == "U0STAFF" and member.role is Role.STAFF
    _, again = await r.add_staff(owner, "@U0STAFF")
    assert not again
    staff = await principal(db, "U0STAFF", "w1")  # the mentioned user talks to the bot later: same user row
    assert staff.user_id == member.user_id
    assert await r.role(staff) is Role.STAFF
    assert [m.role for m in await r.members(owner)] == [Role.OWNER, Role.STAFF]
    removed = await r.remove_staff(owner, "<@U0STAFF>")
    assert removed is not None and removed.user_id == staff.user_id
    assert await r.role(staff) is Role.GUEST
    assert await r.remove_staff(owner, "U0STAFF") is None


async def test_staff_cannot_manage_staff_and_owner_cannot_be_removed(db: Database) -> None:
    r = Restaurants(db)
    owner = await principal(db, "owner", "w1")
    await r.setup(owner, "Tanuki")
    await r.add_staff(owner, "hana")
    hana = await principal(db, "hana", "w1")
    with pytest.raises(SenseiError) as e:
        await r.add_staff(hana, "jiro")
    assert e.value.code is Code.NOT_ALLOWED and "Only the owner" in e.value.message("en")
    with pytest.raises(SenseiError) as e:
        await r.remove_staff(owner, "owner")
    assert e.value.code is Code.NOT_ALLOWED


async def test_platform_admins_count_as_staff_but_not_owner(db: Database) -> None:
    r = Restaurants(db)
    owner = await principal(db, "owner", "w1")
    admin = await principal(db, "admin", "w1")
    await r.setup(owner, "Tanuki")
    assert await r.role(admin) is Role.GUEST
    assert await r.role(admin, platform_admin=True) is Role.STAFF
    assert await r.role(owner, platform_admin=True) is Role.OWNER
    assert len(await r.members(admin, platform_admin=True)) == 1
    with pytest.raises(SenseiError):
        await r.add_staff(admin, "x", platform_admin=True)


async def test_guests_see_no_staff_list_and_no_restaurant_is_explained(db: Database) -> None:
    r = Restaurants(db)
    guest = await principal(db, "guest", "w1")
    with pytest.raises(SenseiError) as e:
        await r.members(guest)
    assert e.value.code is Code.NOT_ALLOWED and "not set up as a restaurant" in e.value.message("en")
    assert "レストラン" in e.value.message("ja")
    await r.setup(await principal(db, "owner", "w1"), "Tanuki")
    with pytest.raises(SenseiError) as e:
        await r.members(guest)
    assert "guests can ask for picks" in e.value.message("en")


async def test_staff_of_one_workspace_are_not_staff_of_another(db: Database) -> None:
    r = Restaurants(db)
    owner_a = await principal(db, "owner", "A")
    owner_b = await principal(db, "owner", "B")
    await r.setup(owner_a, "A-ya")
    await r.setup(owner_b, "B-ya")
    await r.add_staff(owner_a, "hana")
    hana_in_b = await principal(db, "hana", "B")  # same platform user id, other workspace
    assert await r.role(hana_in_b) is Role.GUEST
    assert [m.external_id for m in await r.members(owner_b)] == ["owner"]
    assert await r.remove_staff(owner_b, "hana") is None
    assert await r.role(await principal(db, "hana", "A")) is Role.STAFF


@pytest.mark.parametrize(
    "text, expected",
    [("<@U123ABC>", "U123ABC"), ("<@U123|hana>", "U123"), ("<@!4242>", "4242"), ("@U9", "U9"), ("U9", "U9"), ("two words", None),
     ("", None)],
)
def test_member_ref(text: str, expected: str | None) -> None:
    assert member_ref(text) == expected
