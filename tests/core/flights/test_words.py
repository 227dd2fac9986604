"""Flight words: what starts, joins, ends or rates a flight, and what is left to the understanding."""

from __future__ import annotations

import pytest

from core.catalog import Catalog
from core.flights.words import command_words, is_end, is_join, is_status, rating_words, start_words


@pytest.mark.parametrize("text, size", [
    ("start a flight of 3", 3), ("a flight of 4 for us", 4), ("Let's do a sake flight!", None), ("飲み比べしたい", None),
    ("5種類の飲み比べをお願い", 5), ("we want a flight of five", 5), ("/sake flight", None),
])
def test_start(text: str, size: int | None, catalog: Catalog) -> None:
    words = start_words(text, catalog.prefectures)
    assert words is not None and words.size == size


def test_themes_become_a_request(catalog: Catalog) -> None:
    niigata = start_words("a flight of 3 from Niigata", catalog.prefectures)
    assert niigata is not None and niigata.theme == "Niigata" and niigata.req is not None and niigata.req.prefecture == "niigata"
    dry = start_words("start a dry junmai ginjo flight", catalog.prefectures)
    assert dry is not None and dry.req is not None and dry.req.grade == "純米吟醸" and dry.req.want == {"f5": 1.0}
    ja = start_words("新潟の辛口で飲み比べしたい", catalog.prefectures)
    assert ja is not None and ja.req is not None and ja.req.prefecture and ja.req.want == {"f5": 1.0}
    plain = start_words("start a flight of 3", catalog.prefectures)
    assert plain is not None and plain.theme is None and plain.req is None


@pytest.mark.parametrize("text", [
    "what is a flight?", "recommend a dry sake", "I drank dassai", "flight to Tokyo", "飲み比べって何?", "how was the flight",
])
def test_not_a_flight_command(text: str, catalog: Catalog) -> None:
    assert start_words(text, catalog.prefectures) is None and not is_join(text) and not is_end(text)


def test_join_and_end() -> None:
    assert is_join("join the flight") and is_join("count me in") and is_join("飲み比べに参加します") and is_join("参加")
    assert is_end("end the flight") and is_end("wrap up the flight") and is_end("飲み比べを終了") and is_end("結果発表")
    assert not is_join("end the flight") and not is_end("join the flight")


def test_ratings_name_a_sake_of_the_flight(catalog: Catalog) -> None:
    sakes = [catalog.get(887), catalog.get(431), catalog.get(380)]
    assert all(sakes)
    dassai = catalog.get(887)
    assert rating_words("獺祭 4 stars", sakes) == (887, 4.0)  # type: ignore[arg-type]
    assert rating_words(f"{dassai.romaji} ★4.5", sakes) == (887, 4.5)  # type: ignore[union-attr, arg-type]
    assert rating_words("no. 2: 3 stars", sakes) == (431, 3.0)  # type: ignore[arg-type]
    assert rating_words("3杯目 5つ星", sakes) == (380, 5.0)  # type: ignore[arg-type]
    assert rating_words("十四代 4 stars", [catalog.get(431)]) is None  # type: ignore[list-item]
    assert rating_words("獺祭 7 stars", sakes) is None  # type: ignore[arg-type]
    assert rating_words("獺祭 is great", sakes) is None  # type: ignore[arg-type]


def test_mentions_name_the_members(catalog: Catalog) -> None:
    words = start_words("start a flight of 3 with <@U1|aki> and <@!42> <@U1>", catalog.prefectures)
    assert words is not None and words.named == ("U1", "42") and words.size == 3 and words.theme is None


@pytest.mark.parametrize("text", [
    "flight status", "how is the flight going?", "how's our flight", "progress of the flight", "show the flight", "flight?",
    "飲み比べの状況", "飲み比べどうなってる?", "飲み比べの途中経過",
])
def test_status(text: str) -> None:
    """"flight status" and 「飲み比べの状況」 were read as the tasting stats ("No tastings logged yet")."""
    assert is_status(text) and not is_end(text) and not is_join(text)


@pytest.mark.parametrize("text", [
    "what is a sake flight?", "what's a flight", "how does a flight work?", "飲み比べとは?", "飲み比べって何",
])
def test_what_a_flight_is_goes_to_the_knowledge_base(text: str, catalog: Catalog) -> None:
    assert not is_status(text) and start_words(text, catalog.prefectures) is None


@pytest.mark.parametrize("values, text", [
    ({}, "start a flight"), ({"size": 4}, "start a flight of 4"), ({"size": 5, "theme": "Niigata"}, "start a flight of 5 Niigata"),
    ({"theme": "4 niigata"}, "start a flight of 4 niigata"), ({"theme": "  junmai   ginjo "}, "start a flight junmai ginjo"),
    ({"size": "x", "theme": 3}, "start a flight"),  # a forged payload's junk is dropped
])
def test_command_options_read_as_a_starter_s_words(values: dict[str, object], text: str, catalog: Catalog) -> None:
    assert command_words(values) == text
    assert start_words(text, catalog.prefectures) is not None

