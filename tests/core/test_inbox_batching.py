import asyncio

from core.db import Database
from core.inbox import Inbox
from core.inbox_batching import BatchingInbox


async def test_concurrent_claims_share_transactions_and_each_id_wins_once(db: Database) -> None:
    inbox = BatchingInbox(db)
    ids = [f"Ev{i}" for i in range(200)]
    results = await asyncio.gather(*(inbox.claim("slack", i) for i in ids + ids[:50]))
    assert sum(results) == 200
    assert results[:200] == [True] * 200 and results[200:] == [False] * 50
    assert inbox.batches < 50  # far fewer transactions than claims
    assert await inbox.claim("slack", "Ev7") is False  # a later retry
    assert await inbox.claim("line", "Ev7") is True  # ids are per platform
    assert await inbox.status("slack", "Ev7") == "received"


async def test_two_processes_on_one_database(db_url: str) -> None:
    a, b = Database(db_url), Database(db_url)
    try:
        ia, ib = BatchingInbox(a), Inbox(b)
        got = await asyncio.gather(*(x.claim("slack", f"E{i}") for i in range(30) for x in (ia, ib)))
        assert sum(got) == 30
    finally:
        await a.dispose()
        await b.dispose()


async def test_database_failure_reaches_every_waiting_claim(tmp_path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")  # no tables
    inbox = BatchingInbox(db)
    try:
        results = await asyncio.gather(inbox.claim("slack", "a"), inbox.claim("slack", "b"), return_exceptions=True)
        assert all(isinstance(r, Exception) for r in results)
    finally:
        await db.dispose()
