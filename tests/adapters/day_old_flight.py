"""A flight started through the real core on a platform's channel, then aged a day in SQL: what the
posters' tests hand to the sweep that `serve` runs (bot.posters)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from core import actions
from core.db import utcnow
from core.db.flight_tables import FlightRevealRow, FlightRow
from core.messages import Message, StateKey


async def day_old_flight(core, key: StateKey, *, text: str = "start a flight of 3") -> int:  # type: ignore[no-untyped-def]
    reply = await core.sensei.handle(Message(key=key, text=text, display_name="Alice"))
    assert reply is not None and reply.cards, reply
    flight = int(reply.cards[0].extra["flight"])
    rated = await core.sensei.handle(Message(key=key, action=actions.FlightRate(flight, reply.cards[0].brand_id, 4), display_name="Alice"))
    assert rated is not None and rated.error is None  # a rating, so that the reveal has its picture
    async with core.db.transaction() as s:
        await s.execute(update(FlightRow).where(FlightRow.id == flight).values(created_at=utcnow() - timedelta(days=1, minutes=1)))
    return flight


async def reveal_row(core, flight: int) -> FlightRevealRow | None:  # type: ignore[no-untyped-def]
    async with core.db.session() as s:
        return await s.get(FlightRevealRow, flight)
