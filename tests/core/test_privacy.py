import pytest

from core.db import Database
from core.identity import Identity
from core.media import MediaStore
from core.messages import StateKey
from core.privacy import AmbiguousUser, UserNotFound, export_user, forget_user


async def test_export_and_forget_cover_every_user_table(db: Database, catalog) -> None:
    identity = Identity(db)
    alice = await identity.resolve(StateKey("slack", "T1", "C", "U_ALICE"), display_name="Alice")
    bob = await identity.resolve(StateKey("slack", "T1", "C", "U_BOB"))
    media = MediaStore(db, catalog, "http://x")
    await media.put(b"alice-chart", kind="profile", user_id=alice.user_id)
    await media.put(b"bob-chart", kind="profile", user_id=bob.user_id)

    data = await export_user(db, "slack:T1:U_ALICE")
    assert data["user"]["display_name"] == "Alice" and data["workspace"]["external_id"] == "T1"
    assert [m["kind"] for m in data["data"]["media"]] == ["profile"]

    removed = await forget_user(db, "U_ALICE")
    assert removed["users"] == 1 and removed["media"] == 1
    with pytest.raises(UserNotFound):
        await export_user(db, "U_ALICE")
    assert len((await export_user(db, str(bob.user_id)))["data"]["media"]) == 1  # Bob untouched


async def test_ambiguous_reference(db: Database) -> None:
    identity = Identity(db)
    await identity.resolve(StateKey("slack", "T1", "C", "same"))
    await identity.resolve(StateKey("discord", "G1", "C", "same"))
    with pytest.raises(AmbiguousUser):
        await export_user(db, "same")
