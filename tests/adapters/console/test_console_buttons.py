"""The terminal shows every button the core offers, numbered once, and /n presses the typed action."""

from __future__ import annotations

from adapters.console import pressed, render
from core import controls
from core.actions import Log, Rate, SurveyStart
from core.messages import Button, Card, Reply


def test_card_buttons_and_stars_are_numbered_once_in_the_cores_order() -> None:
    card = controls.with_buttons(Card(887, "獺祭", "dassai", "旭酒造", "山口県", None, []), "en")
    card.rating = controls.rating(887, "en")
    reply = Reply(text="Logged.", cards=[card], actions=[Button(SurveyStart(), "Take the taste survey")])
    out = render(reply)
    assert "獺祭: [1] Log it  [2] Similar  [3] Wishlist  [4] 1★" in out and "[9] Take the taste survey" in out
    assert out.count("Log it") == 1
    assert pressed("/1", reply.buttons()) == Log(887) and pressed("/5", reply.buttons()) == Rate(887, 2)
    assert pressed("/10", reply.buttons()) is None and pressed("hello", reply.buttons()) is None
