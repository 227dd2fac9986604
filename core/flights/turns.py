"""A flight's turns: the buttons, commands and words of a flight, answered with complete replies.

The brain asks `reply` first for every turn; None means "not about a flight" and the turn goes on
to the agent as usual. Buttons and `/sake flight` are typed actions; text is read by
`core.flights.words`. Every word comes from core.texts, every button from here, in the order the
platforms should keep: a card per sake in tasting order with its what-to-notice line, its
progress and its stars; then Join, then End.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core import actions, controls
from core.agent.tasting_note import trailing_note
from core.catalog.model import Catalog
from core.errors import SenseiError
from core.flights import reveal
from core.flights.flight_texts import members_key
from core.flights.service import FlightProblem, Flights
from core.flights.state import Flight
from core.flights.words import command_words, is_end, is_join, is_status, looks_like_rating, rating_words, start_words
from core.identity import Principal
from core.messages import Button, Card, Message, RatingControl, Reply, ReplyImage
from core.tasting_input import MAX_NOTES
from core.texts import TEXTS, t

if TYPE_CHECKING:
    from core.flights.announcements import Announcements

log = logging.getLogger(__name__)


@dataclass(slots=True)
class FlightTurns:
    flights: Flights
    catalog: Catalog
    # the reveal a text reply showed in the channel is not posted again by the sweep
    announcements: Announcements | None = None

    async def reply(self, message: Message, principal: Principal, lang: str) -> Reply | None:
        try:
            return await self._reply(message, principal, lang)
        except FlightProblem as p:
            if message.action is None and _reveals(p) and p.flight is not None:
                await self._shown(p.flight)
            return self._problem(p, lang)

    async def _reply(self, message: Message, principal: Principal, lang: str) -> Reply | None:
        admin = message.platform_admin
        match message.action:
            case actions.Command("flight"):
                current, closed = await self.flights.current(principal)
                if current is not None:
                    return self.status(current, lang)
                asked = start_words(command_words(message.action_values), self.catalog.prefectures)
                if asked is None:
                    return await self._start(principal, lang, admin, closed=closed)
                return await self._start(principal, lang, admin, closed=closed, size=asked.size, theme=asked.theme, req=asked.req,
                                         named=asked.named)
            case actions.FlightJoin(flight_id):
                return await self._join(principal, lang, flight_id)
            case actions.FlightRate(flight_id, brand_id, stars):
                return await self._rate(principal, lang, brand_id, stars, flight_id)
            case actions.FlightNote(flight_id, brand_id):
                return await self._note(principal, lang, flight_id, brand_id, message.action_values.get("notes"))
            case actions.FlightEnd(flight_id):
                return self.revealed(await self.flights.end(principal, platform_admin=admin, flight_id=flight_id), "flight_end")
            case None:
                pass
            case _:
                return None
        text = message.text or ""
        if not text.strip() or message.images:
            return None
        if (words := start_words(text, self.catalog.prefectures)) is not None:
            _, closed = await self.flights.current(principal)  # a day-old flight: its reveal before the new one
            out = await self._start(principal, lang, admin, size=words.size, theme=words.theme, req=words.req, named=words.named,
                                    closed=closed)
            await self._shown(closed)
            return out
        if is_join(text):
            return await self._join(principal, lang, None)
        if is_end(text):
            return self.revealed(await self.flights.end(principal, platform_admin=admin), "flight_end")
        if is_status(text):
            current, closed = await self.flights.current(principal)
            if closed is not None:
                await self._shown(closed)
                return self.revealed(closed, "flight_status")
            return self.status(current, lang) if current is not None else self._problem(FlightProblem("flight.none"), lang)
        if looks_like_rating(text):  # only then is the channel's flight read (and a day-old one closed)
            current, closed = await self.flights.current(principal)
            if closed is not None and rating_words(text, self._brands(closed)) is not None:
                await self._shown(closed)
                return self.revealed(closed, "flight_status")
            if current is not None and (hit := rating_words(text, self._brands(current))) is not None:
                rated = await self._rate(principal, lang, hit[0], hit[1], current.id)
                return await self._with_note(rated, principal, lang, current.id, hit[0], text)
        return None

    # -- the turns -----------------------------------------------------------------------------

    async def _start(self, principal: Principal, lang: str, admin: bool, *, size: int | None = None, theme: str | None = None,
                     req: object = None, closed: Flight | None = None, named: tuple[str, ...] = ()) -> Reply:
        kwargs = {"size": size} if size else {}
        flight = await self.flights.start(principal, theme=theme, req=req, lang=lang, platform_admin=admin, with_users=named,
                                          **kwargs)  # type: ignore[arg-type]
        text = t("flight.started", lang, n=len(flight.sakes))
        if flight.theme:
            text += "\n" + t("flight.theme", lang, theme=flight.theme)
        out = self._with_cards(flight, text, lang, "flight_start")
        if closed is not None:  # the channel's old flight closed itself just now: its results first
            earlier = self.revealed(closed, "flight_status")
            out.text = f"{earlier.text}\n\n{out.text}"
            out.images = earlier.images + out.images
        return out

    async def _join(self, principal: Principal, lang: str, flight_id: int | None) -> Reply:
        flight, new = await self.flights.join(principal, flight_id)
        me = flight.member(principal.user_id)
        name = me.name if me is not None else principal.key.user
        key = "flight.joined" if new else "flight.already_member"
        return self._with_cards(flight, t(key, lang, name=name, members=_members(len(flight.members), lang)), lang, "flight_join")

    async def _rate(self, principal: Principal, lang: str, brand_id: int, stars: float, flight_id: int | None) -> Reply:
        rated = await self.flights.rate(principal, brand_id, stars, flight_id)
        flight = rated.flight
        me = flight.member(principal.user_id)
        sake = self._name(brand_id)
        progress = t("flight.progress", lang, rated=flight.rated_count(brand_id), total=len(flight.members), sake=sake)
        text = t("flight.rated", lang, name=me.name if me else principal.key.user, sake=sake, stars=_stars(stars), progress=progress)
        note = Button(actions.FlightNote(flight.id, brand_id), t("button.flight_note", lang, sake=sake))
        if rated.closed_now:
            out = self.revealed(flight, "flight_rate")
            out.text = f"{text}\n\n{out.text}"
            out.actions = [note, *out.actions]
            return out
        return Reply(text=text, lang=lang, actions=[note, *self._flight_buttons(flight, lang)], tools=["flight_rate"])

    async def _with_note(self, rated: Reply, principal: Principal, lang: str, flight_id: int, brand_id: int, text: str) -> Reply:
        """"獺祭 4 stars, lovely and clean": the words after the stars go into the same record as a note."""
        brand = self.catalog.get(brand_id)
        if (note := trailing_note(text, brand.spellings if brand is not None else ())) is None:
            return rated
        _, stars = await self.flights.note(principal, flight_id, brand_id, note[:MAX_NOTES])
        rated.text = f"{rated.text}\n{t('flight.note.saved', lang, sake=self._name(brand_id), stars=_stars(stars))}"
        return rated

    async def _note(self, principal: Principal, lang: str, flight_id: int, brand_id: int, notes: object) -> Reply:
        """"Note on <sake>": tapped, it asks for the note (the brain keeps it pending for the next plain
        message); with the note, it goes into the record the member's rating put in their log."""
        sake = self._name(brand_id)
        if notes is None:
            _, stars = await self.flights.mine(principal, flight_id, brand_id)
            return Reply(text=t("flight.note.prompt", lang, sake=sake, stars=_stars(stars)), lang=lang, tools=["flight_note_form"])
        text = str(notes).strip()[:MAX_NOTES]
        if not text:
            return Reply(text=t("flight.note.empty", lang), lang=lang, tools=["flight_note"])
        _, stars = await self.flights.note(principal, flight_id, brand_id, text)
        return Reply(text=t("flight.note.saved", lang, sake=sake, stars=_stars(stars)), lang=lang, tools=["flight_note"])

    # -- replies -------------------------------------------------------------------------------

    def status(self, flight: Flight, lang: str) -> Reply:
        text = t("flight.status", lang, n=len(flight.sakes), members=_members(len(flight.members), lang))
        return self._with_cards(flight, text, lang, "flight_status")

    def revealed(self, flight: Flight, tool: str) -> Reply:
        """The reveal, in the language the flight was started in (the group's)."""
        lang = flight.lang
        res = reveal.results(flight)
        text = reveal.summary(res, self.catalog, lang)
        images = [ReplyImage(reveal.picture(res, self.catalog, lang), t("flight.reveal.alt", lang))] if res.any_rated else []
        cards = []
        for sake in flight.sakes:
            brand = self.catalog.get(sake.brand_id)
            if brand is not None:
                card = controls.with_buttons(brand.card(reason=self._average_line(res, sake.brand_id, lang)), lang)
                card.extra.update(flight=flight.id, position=sake.position + 1)
                cards.append(card)
        return Reply(text=text, lang=lang, cards=cards, images=images, tools=[tool])

    def _with_cards(self, flight: Flight, text: str, lang: str, tool: str) -> Reply:
        return Reply(text=text, lang=lang, cards=[c for s in flight.sakes if (c := self._card(flight, s.brand_id, lang))],
                     actions=self._flight_buttons(flight, lang), tools=[tool])

    def _card(self, flight: Flight, brand_id: int, lang: str) -> Card | None:
        brand = self.catalog.get(brand_id)
        sake = next(s for s in flight.sakes if s.brand_id == brand_id)
        if brand is None:
            return None
        position = t("flight.position", lang, n=sake.position + 1)
        card = brand.card(reason=f"{position} · {t(sake.notice, lang, **sake.notice_args)}" if _known(sake.notice) else position)
        card.extra.update(flight=flight.id, position=sake.position + 1)
        progress = t("flight.progress", lang, rated=flight.rated_count(brand_id), total=len(flight.members), sake=brand.name)
        card.rating = RatingControl(brand_id, progress, [
            Button(actions.FlightRate(flight.id, brand_id, n), t("rating.stars", lang, n=n)) for n in controls.STAR_VALUES
        ])
        return card

    @staticmethod
    def _flight_buttons(flight: Flight, lang: str) -> list[Button]:
        return [Button(actions.FlightJoin(flight.id), t("button.flight_join", lang), "primary"),
                Button(actions.FlightEnd(flight.id), t("button.flight_end", lang))]

    def _problem(self, p: FlightProblem, lang: str) -> Reply:
        text = t(p.key, lang)
        if p.code is not None:
            return Reply(text=text, lang=lang, error=SenseiError(p.code, text).as_dict(lang), tools=["flight"],
                         actions=self._flight_buttons(p.flight, lang) if p.flight is not None and p.flight.is_open else [])
        if _reveals(p) and p.flight is not None:
            return self.revealed(p.flight, "flight_status")
        if p.key == "flight.already_open" and p.flight is not None:
            out = self.status(p.flight, lang)
            out.text = f"{text}\n{out.text}"
            return out
        return Reply(text=text, lang=lang, tools=["flight"])

    async def _shown(self, flight: Flight | None) -> None:
        """A text turn's reply goes to the channel: the reveal it shows there is not posted again.
        (A slash command's may be seen by the asker alone, so only text turns count.)"""
        if flight is not None and flight.closed_how == "timeout" and self.announcements is not None:
            await self.announcements.shown(flight.id)

    def _brands(self, flight: Flight) -> list:  # type: ignore[type-arg]
        return [b for s in flight.sakes if (b := self.catalog.get(s.brand_id)) is not None]

    def _name(self, brand_id: int) -> str:
        brand = self.catalog.get(brand_id)
        return brand.name if brand is not None else f"#{brand_id}"

    def _average_line(self, res: reveal.Results, brand_id: int, lang: str) -> str | None:
        avg = res.averages.get(brand_id)
        return f"{t('flight.reveal.average', lang)} {avg:.1f}★" if avg is not None else None


def _members(count: int, lang: str) -> str:
    return t(members_key(count), lang, count=count)


def _reveals(p: FlightProblem) -> bool:
    """A flight that closed itself answers with its reveal rather than "closed"."""
    return p.key == "flight.closed" and p.flight is not None and not p.flight.is_open and p.flight.closed_how == "timeout"


def _known(key: str) -> bool:
    return key in TEXTS


def _stars(v: float) -> str:
    return str(int(v)) if v == int(v) else f"{v:.1f}"
