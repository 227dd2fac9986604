"""A whole flight from the terminal: `sake-sensei ask --workspace W --user U`, one process per turn
(so every turn is also a restart), the flight's sakes as `--json` cards, ratings in words."""

from __future__ import annotations

import json

import pytest

from tests.bot.test_cli import run


@pytest.fixture
def env(db_url: str) -> dict[str, str]:
    return {"DATABASE_URL": db_url}


def ask(env: dict[str, str], user: str, text: str, *, as_json: bool = False) -> str:
    r = run(["ask", "--workspace", "bar", "--user", user, *(["--json"] if as_json else []), text], env)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_a_whole_flight_from_the_command_line(env: dict[str, str]) -> None:
    started = json.loads(ask(env, "alice", "start a flight of 3", as_json=True))
    assert started["error"] is None and started["tools"] == ["flight_start"]
    cards = started["cards"]
    assert [c["position"] for c in cards] == [1, 2, 3] and len({c["flight"] for c in cards}) == 1
    assert all(c["name"] and c["flavor"] and c["reason"] for c in cards)  # charted sakes, each with what to notice
    assert "joined" in ask(env, "bob", "join the flight")
    for user, stars in (("alice", (4, 3, 5)), ("bob", (2, 4, 3))):
        for card, n in zip(cards, stars, strict=True):
            out = ask(env, user, f"{card['name_romaji']} {n} stars")
    assert "Flight results" in out and "Group favourite" in out
    assert cards[2]["name"] in out.split("Group favourite")[1].splitlines()[0]  # 4 on average against 3 and 3.5
    assert "no flight open" in ask(env, "alice", "end the flight")
