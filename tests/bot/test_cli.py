"""The CLI as a user runs it: a real process, exit codes and output as in the README's Command line table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def run(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=full, timeout=timeout, cwd=ROOT)


@pytest.fixture
def env(db_url: str) -> dict[str, str]:
    return {"DATABASE_URL": db_url}


def test_ask_json_contract(env: dict[str, str]) -> None:
    r = run(["ask", "--json", "tell me about 獺祭"], env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) == {"text", "lang", "cards", "tools", "error"}
    assert out["lang"] == "en" and out["error"] is None
    card = out["cards"][0]
    assert card["brand_id"] == 887 and card["name"] == "獺祭" and card["brewery"] == "旭酒造" and card["prefecture"] == "山口県"
    assert set(card["flavor"]) == {"f1", "f2", "f3", "f4", "f5", "f6"}
    assert {"name_romaji", "tags", "score", "reason"} <= set(card)
    assert "旭酒造" in out["text"]


def test_ask_text_in_japanese(env: dict[str, str]) -> None:
    r = run(["ask", "獺祭について教えて"], env)
    assert r.returncode == 0 and "旭酒造" in r.stdout and "フレーバー" in r.stdout


def test_unknown_sake_is_ss002_with_closest(env: dict[str, str]) -> None:
    r = run(["ask", "--json", "dassaj"], env)
    out = json.loads(r.stdout)
    assert out["cards"][0]["name"] == "獺祭"  # a typo still finds it
    r = run(["ask", "--json", "qwzxv plonk"], env)
    out = json.loads(r.stdout)
    assert out["error"]["code"] == "SS-002"


def test_huge_and_empty_queries(env: dict[str, str]) -> None:
    r = run(["ask", "--json", "x" * 10_000], env)
    assert r.returncode == 0 and json.loads(r.stdout)["error"]["code"] == "SS-002"
    r = run(["ask", "--json", " "], env)
    assert r.returncode == 0 and json.loads(r.stdout)["error"] is None


def test_usage_errors_exit_2(env: dict[str, str]) -> None:
    assert run(["bogus"], env).returncode == 2
    assert run(["ask"], env).returncode == 2
    assert run(["db"], env).returncode == 2


def test_config_errors_exit_1_with_one_line(env: dict[str, str]) -> None:
    for bad in ({"PORT": "abc"}, {"DATABASE_URL": "mysql://x/y"}):
        r = run(["ask", "hi"], {**env, **bad})
        assert r.returncode == 1 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_worker_without_redis_exits_1_with_one_line(env: dict[str, str]) -> None:
    r = run(["worker"], {**env, "REDIS_URL": ""})
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "REDIS_URL" in r.stderr, r.stderr


def test_unwritable_database_path_exit_1(tmp_path: Path) -> None:
    r = run(["ask", "hi"], {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/missing/dir/x.db"})
    assert r.returncode == 1 and "database" in r.stderr and "Traceback" not in r.stderr
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        if os.access(ro, os.W_OK):  # root ignores permissions: nothing to check here
            pytest.skip("running as root: a read-only folder is still writable")
        r = run(["ask", "hi"], {"DATABASE_URL": f"sqlite+aiosqlite:///{ro}/x.db"})
        assert r.returncode == 1 and "Traceback" not in r.stderr
    finally:
        ro.chmod(0o700)


def test_db_upgrade_and_catalog_load_on_a_fresh_database(tmp_path: Path) -> None:
    from tests.conftest import create_empty_database

    env = {"DATABASE_URL": create_empty_database(tmp_path)}
    r = run(["db", "upgrade"], env)
    assert r.returncode == 0, r.stderr
    r = run(["catalog", "load"], env)
    assert r.returncode == 0 and "3167 brands" in r.stdout and "1355 flavor charts" in r.stdout
    r = run(["catalog", "load"], env)
    assert r.returncode == 0 and "already up to date" in r.stdout


def test_chat_answers_in_the_terminal(env: dict[str, str]) -> None:
    full = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    r = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--user", "alice"], input="kubota\n", capture_output=True, text=True, env=full, timeout=60
    )
    assert r.returncode == 0 and "久保田" in r.stdout


def test_export_and_forget(env: dict[str, str]) -> None:
    assert run(["ask", "--user", "carol", "kubota"], env).returncode == 0
    r = run(["export", "--user", "carol"], env)
    assert r.returncode == 0 and json.loads(r.stdout)["user"]["external_id"] == "carol"
    r = run(["forget", "--user", "local:local:carol"], env)
    assert r.returncode == 0 and "1 users" in r.stdout
    r = run(["export", "--user", "carol"], env)
    assert r.returncode == 1 and "no user" in r.stderr


# -- identify ------------------------------------------------------------------------------


def test_identify_json_one_object_per_path_and_exit_codes(env: dict[str, str], tmp_path: Path) -> None:
    import random

    from tests.fakes.label_photos import LabelSpec, font, render_label, scan_png, secondary_lines

    if font("Noto Serif CJK JP Bold") is None:
        pytest.skip("Japanese fonts not installed (see .ci/apt-packages)")
    label = tmp_path / "label.png"
    spec = LabelSpec(
        "獺祭", secondary_lines(random.Random(5), grade="純米大吟醸", brewery="旭酒造", prefecture="山口県"), layout="vertical"
    )
    label.write_bytes(scan_png(render_label(spec)))
    pdf = tmp_path / "scan.jpg"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF")
    missing = tmp_path / "nope.jpg"
    r = run(["identify", "--json", str(label), str(pdf), str(missing)], env, timeout=120)
    assert r.returncode == 1  # a path could not be opened at all
    assert r.stderr.strip() == f"sake-sensei: cannot read {missing}: No such file or directory"
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["path"] for row in rows] == [str(label), str(pdf), str(missing)]
    for row in rows:
        assert list(row) == ["path", "candidates", "ocr_text", "elapsed_ms", "error"]
    good, bad, gone = rows
    assert good["error"] is None and good["candidates"][0]["brand_id"] == 887
    assert good["candidates"][0]["name"] == "獺祭" and good["candidates"][0]["brewery"] == "旭酒造"
    assert 0 < good["candidates"][0]["confidence"] <= 1 and "獺祭" in good["ocr_text"]
    assert bad["error"]["code"] == "SS-005" and "PDF" in bad["error"]["message"] and bad["candidates"] == []
    assert gone["error"]["code"] == "SS-005"


def test_identify_unreadable_image_exits_0_with_the_error_in_the_output(env: dict[str, str], tmp_path: Path) -> None:
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    r = run(["identify", str(empty)], env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"{empty}: SS-005 I couldn't read that image. The file is empty."


def test_identify_usage(env: dict[str, str]) -> None:
    r = run(["identify"], env)
    assert r.returncode == 2 and "PATH" in r.stderr


def test_ask_with_a_label_photo_goes_through_the_agent(env: dict[str, str], tmp_path: Path) -> None:
    import random

    from tests.fakes.label_photos import LabelSpec, font, render_label, scan_png, secondary_lines

    if font("Noto Serif CJK JP Bold") is None:
        pytest.skip("Japanese fonts not installed (see .ci/apt-packages)")
    label = tmp_path / "label.png"
    spec = LabelSpec(
        "獺祭", secondary_lines(random.Random(5), grade="純米大吟醸", brewery="旭酒造", prefecture="山口県"), layout="vertical"
    )
    label.write_bytes(scan_png(render_label(spec)))
    r = run(["ask", "--json", "--image", str(label), "このお酒は何?"], env, timeout=120)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["tools"] == ["identify_label"] and out["lang"] == "ja" and out["cards"][0]["brand_id"] == 887
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not a photo")
    out = json.loads(run(["ask", "--json", "--image", str(bad)], env, timeout=120).stdout)
    assert out["tools"] == ["identify_label"] and out["error"]["code"] == "SS-005"


def test_a_model_string_that_cannot_be_used_stops_at_start(env: dict[str, str]) -> None:
    for model in ("nosuchprovider:model-x", "openai:gpt-4o-mini"):
        r = run(["ask", "hi"], {**env, "SAKE_SENSEI_MODEL": model, "OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})
        assert r.returncode == 1 and r.stderr.count("\n") == 1 and "SAKE_SENSEI_MODEL" in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_chat_buttons_are_numbered_and_pressed_with_a_slash(env: dict[str, str]) -> None:
    full = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    r = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--user", "bob"], input="kubota\n/1\n4 stars\n/9\nshow my tasting history\n",
        capture_output=True, text=True, env=full, timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert "[1] Log it" in r.stdout and "[image: Flavor chart of 久保田" in r.stdout
    assert "How many stars?" in r.stdout and "4★" in r.stdout  # /1 pressed "Log it": star buttons follow
    assert "Logged 久保田 ★4." in r.stdout and r.stdout.count("久保田 ★4") >= 2  # "4 stars" completed that log; history shows one
