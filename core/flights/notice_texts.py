"""What to notice in each sake of a flight, EN/JA: keys for core/texts.py (the lead folds them in).

Every line is a comparison that core.flights.group has checked on the charts of this flight:
"most"/"least" = the highest/lowest of the flight on that axis, `{other}` the runner-up;
"between" = above `{lower}` and below `{higher}`; "nearest" = the closest chart of the flight.
"""

from __future__ import annotations

NOTICE_TEXTS: dict[str, tuple[str, str]] = {
    "flight.notice.f1.most": (
        "The most fragrant of the flight, more so than {other}: smell it before you sip.",
        "この飲み比べで一番華やかな香り({other}以上)。口に含む前に香りを確かめて。",
    ),
    "flight.notice.f1.least": (
        "The quietest nose of the flight, quieter than {other}: look for rice rather than fruit.",
        "香りは一番控えめ({other}より穏やか)。果実より米の香りを探してみて。",
    ),
    "flight.notice.f2.most": (
        "The mellowest of the flight, more so than {other}: notice the roundness mid-sip.",
        "この中で一番芳醇({other}以上)。口の中ほどのふくらみに注目。",
    ),
    "flight.notice.f2.least": (
        "The leanest of the flight, leaner than {other}: notice how clean it tastes.",
        "この中で一番淡麗({other}よりすっきり)。雑味のなさに注目。",
    ),
    "flight.notice.f3.most": (
        "The weightiest of the flight, heavier than {other}: feel the body on your tongue.",
        "この中で一番重厚({other}以上)。舌の上の厚みを感じて。",
    ),
    "flight.notice.f3.least": (
        "The least weighty of the flight, lighter in body than {other}: notice how little it leaves behind.",
        "この中で一番軽い口当たり({other}より軽め)。後に残らない軽さに注目。",
    ),
    "flight.notice.f4.most": (
        "The calmest of the flight, calmer than {other}: notice how gently it goes down.",
        "この中で一番穏やか({other}以上)。やさしい飲み口に注目。",
    ),
    "flight.notice.f4.least": (
        "The liveliest of the flight, livelier than {other}: look for its distinct character.",
        "この中で一番個性的({other}以上)。独特の表情を探してみて。",
    ),
    "flight.notice.f5.most": (
        "The driest of the flight, drier than {other}: notice the crisp finish.",
        "この中で一番辛口({other}よりドライ)。キレのある後味に注目。",
    ),
    "flight.notice.f5.least": (
        "The sweetest of the flight, sweeter than {other}: notice the sweetness on the tip of your tongue.",
        "この中で一番甘口({other}より甘め)。舌先の甘みに注目。",
    ),
    "flight.notice.f6.most": (
        "The lightest and brightest of the flight, more so than {other}: notice how quickly it clears.",
        "この中で一番軽快({other}以上)。すっと消える軽さに注目。",
    ),
    "flight.notice.f6.least": (
        "The fullest of the flight, fuller than {other}: notice the long finish.",
        "この中で一番どっしり({other}以上)。長い余韻に注目。",
    ),
    "flight.notice.f1.between": (
        "More fragrant than {lower}, less than {higher}: compare the three noses.",
        "{lower}より華やか、{higher}ほどではない香り。三つの香りを比べて。",
    ),
    "flight.notice.f2.between": (
        "Mellower than {lower}, leaner than {higher}: the step in between.",
        "{lower}より芳醇、{higher}よりすっきり。その中間の味わい。",
    ),
    "flight.notice.f3.between": (
        "Heavier than {lower}, lighter than {higher}: the middle weight of the flight.",
        "{lower}より重厚、{higher}より軽め。中くらいの厚み。",
    ),
    "flight.notice.f4.between": (
        "Calmer than {lower}, livelier than {higher}: the step in between.",
        "{lower}より穏やか、{higher}より個性的。その中間。",
    ),
    "flight.notice.f5.between": (
        "Drier than {lower}, sweeter than {higher}: the step in between.",
        "{lower}より辛口、{higher}より甘口。その中間の味わい。",
    ),
    "flight.notice.f6.between": (
        "Lighter than {lower}, fuller than {higher}: the step in between.",
        "{lower}より軽快、{higher}よりどっしり。その中間。",
    ),
    "flight.notice.nearest": (
        "No extreme here: compare it with {other}, its closest neighbour in the flight.",
        "際立った特徴はなし。一番近い{other}と飲み比べてみて。",
    ),
    "flight.notice.alone": (
        "The only sake that fits: take your time with it.",
        "条件に合うのはこの一本だけ。じっくり味わって。",
    ),
}
