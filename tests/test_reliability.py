"""Hostile input, users' rule packs, interrupted fixes and the local web page.

Other tests cover the rest of the list in issue 9: binary, invalid UTF-8, empty and missing
files (test_cli.test_bad_inputs_are_reported_and_others_checked), UTF-16 with a BOM
(test_readers), a .docx zip bomb or not a zip (test_docx), malformed and unknown-key configs
and packs naming file and line (test_config, test_packs).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa.cli import _parser
from qa.config import Config
from qa.readers import MAX_BYTES
from qa.server import create_app, serve

from .webapp import asgi_request

ROOT = Path(__file__).resolve().parent.parent
NO_LT = ("--ignore", "grammar")


# -- hostile files ----------------------------------------------------------------------------


def test_file_over_the_size_limit_is_refused_and_others_checked(tmp_path, cli):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:  # 50 MB, written sparsely: the limit is read from the size
        fh.truncate(50 * 1024 * 1024)
    one_line = tmp_path / "one-line.txt"
    one_line.write_bytes(b"word " * (2 * 1024 * 1024 + 1))  # a single 10 MB line
    good = tmp_path / "good.txt"
    good.write_text("The the plan.\n", encoding="utf-8")
    run = cli("check", "--no-cache", *NO_LT, str(big), str(one_line), str(good))
    limit = MAX_BYTES // (1024 * 1024)
    assert run.code == 2
    assert run.errors == [
        f"copydesk: {big}: file is larger than {limit} MB",
        f"copydesk: {one_line}: file is larger than {limit} MB",
    ]
    assert f"{good}:1:1: warning repetition.doubled-word" in run.out


def test_one_long_line_under_the_limit_is_checked(tmp_path, cli):
    sentence = "Officials said the the plan would change nothing. "
    text = sentence * (1024 * 1024 // len(sentence))  # 1 MB, no line break
    path = tmp_path / "line.txt"
    path.write_text(text, encoding="utf-8")
    start = time.monotonic()
    run = cli("check", "--no-cache", "--format", "json", *NO_LT, str(path))
    elapsed = time.monotonic() - start
    findings = run.json()["files"][0]["findings"]
    assert run.code == 1
    assert len(findings) == text.count("the the")
    assert {f["line"] for f in findings} == {1}
    assert findings[-1]["column"] == text.rindex("the the") + 1
    assert elapsed < 60  # linear: about a second here; a quadratic step would take hours


def test_deeply_nested_html(tmp_path, cli):
    depth = 100_000
    nested = tmp_path / "nested.html"
    nested.write_text("<div>" * depth + "<p>The the plan.</p>" + "</div>" * depth, encoding="utf-8")
    unclosed = tmp_path / "unclosed.html"
    unclosed.write_text("<b>" * depth + "Recall that it rained.", encoding="utf-8")
    run = cli("check", "--no-cache", "--format", "json", *NO_LT, str(nested), str(unclosed))
    files = run.json()["files"]
    assert [f["rule"] for f in files[0]["findings"]] == ["repetition.doubled-word"]
    assert files[0]["findings"][0]["start"] == len("<div>") * depth + len("<p>")
    assert [f["rule"] for f in files[1]["findings"]] == ["translationese.recall-that"]


# -- rule packs users write ---------------------------------------------------------------------

CATASTROPHIC_PACK = """\
rules:
  - id: house.runaway
    kind: pattern
    severity: warning
    message: "Runaway pattern"
    description: "A pattern that backtracks catastrophically on a long run of a's (in re and regex)"
    patterns: ['(a|aa)+$']
    time_budget_ms: 200
  - id: house.fine
    kind: pattern
    severity: info
    message: "Placeholder"
    description: "A well-behaved pattern in the same pack"
    patterns: ['\\bTK\\b']
"""


def test_catastrophic_pattern_is_stopped_and_other_rules_still_report(tmp_path, cli):
    pack = tmp_path / "house.yaml"
    pack.write_text(CATASTROPHIC_PACK, encoding="utf-8")
    (tmp_path / "copydesk.toml").write_text(f'packs = ["{pack.name}"]\n', encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_text("The the count is TK: " + "a" * 40 + "!\n", encoding="utf-8")
    start = time.monotonic()
    run = cli("check", "--no-cache", "--format", "json", *NO_LT, str(article), cwd=tmp_path)
    elapsed = time.monotonic() - start
    assert elapsed < 30  # (a|aa)+$ on 40 a's and a "!" would take longer than the universe has left
    assert run.code == 2
    entry = run.json()["files"][0]
    assert [f["rule"] for f in entry["findings"]] == ["repetition.doubled-word", "house.fine"]
    assert entry["error"] == (
        "rule house.runaway stopped: pattern '(a|aa)+$' ran past the rule's time budget of 200 ms on this document"
    )
    assert run.errors == [f"copydesk: {article}: {entry['error']}"]


def test_invalid_user_pattern_is_refused_when_loaded(tmp_path, cli):
    pack = tmp_path / "house.yaml"
    pack.write_text(CATASTROPHIC_PACK.replace("'(a|aa)+$'", "'(unclosed'"), encoding="utf-8")
    (tmp_path / "copydesk.toml").write_text(f'packs = ["{pack.name}"]\n', encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_text("Fine copy.\n", encoding="utf-8")
    run = cli("check", "--no-cache", *NO_LT, str(article), cwd=tmp_path)
    assert run.code == 2
    assert len(run.errors) == 1
    assert f"{pack}:7: rule house.runaway: invalid pattern '(unclosed'" in run.errors[0]


def test_pattern_from_the_configuration_runs_under_the_budget(tmp_path, cli):
    (tmp_path / "copydesk.toml").write_text(
        "[rules.\"boilerplate.byline\"]\npatterns = ['(a|aa)+$']\nanchor = 'any'\ntime_budget_ms = 100\n",
        encoding="utf-8",
    )
    article = tmp_path / "article.txt"
    article.write_text("a" * 40 + "!\n\nThe the end.\n", encoding="utf-8")
    run = cli("check", "--no-cache", "--format", "json", *NO_LT, str(article), cwd=tmp_path)
    entry = run.json()["files"][0]
    assert run.code == 2
    assert entry["error"].startswith("rule boilerplate.byline stopped: pattern '(a|aa)+$' ran past")
    assert [f["rule"] for f in entry["findings"]] == ["repetition.doubled-word"]


# -- fixes and files ----------------------------------------------------------------------------

FIXABLE = (
    "Subscribe to our channels in Telegram and Viber.\n\n"
    "The the minister of Ukraine said on Sept. 30 that the plan was ready.\n\n"
    + "Officials in Kyiv said the reform would take a year and cost more than planned. " * 40
    + "\n"
)


def test_killing_fix_midway_leaves_each_file_whole(tmp_path):
    """Kill `copydesk check --fix` at many moments: every file is its original or its fixed
    version, never a mix or a truncation, and no temporary file is left as an article."""
    command = [sys.executable, "-m", "qa", "check", "--no-cache", "-j", "1", "--fix", *NO_LT]
    probe = tmp_path / "probe"
    probe.mkdir()
    (probe / "a.txt").write_text(FIXABLE, encoding="utf-8")
    subprocess.run([*command, str(probe)], capture_output=True, check=False)
    fixed = (probe / "a.txt").read_text(encoding="utf-8")
    assert fixed != FIXABLE

    def fresh(name: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        for i in range(150):
            (folder / f"article-{i:03d}.txt").write_text(FIXABLE, encoding="utf-8")
        return folder

    start = time.monotonic()
    whole = fresh("whole")
    subprocess.run([*command, str(whole)], capture_output=True, check=False)
    duration = time.monotonic() - start
    interrupted_midway = 0
    # kill at these shares of a whole run's time; more tries near the end (where the writes
    # are) until one kill has landed among the writes, so that the test proves something
    shares = [0.3, 0.6, 0.8, 0.85, 0.9, 0.93, 0.96, 0.98, 0.99] + [0.7 + 0.03 * i for i in range(10)] * 2
    for k, share in enumerate(shares):
        if k >= 9 and interrupted_midway:
            break
        folder = fresh(f"run-{k}")
        proc = subprocess.Popen([*command, str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * share)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        states = []
        for path in sorted(folder.iterdir()):
            if path.name.endswith(".copydesk-tmp"):
                continue  # a write that was cut short: never renamed over the article
            text = path.read_text(encoding="utf-8")
            assert text in (FIXABLE, fixed), path
            states.append(text == fixed)
        assert len(states) == 150
        interrupted_midway += 0 < sum(states) < 150
    assert all(p.read_text(encoding="utf-8") == fixed for p in whole.iterdir())
    assert interrupted_midway, "no kill landed while files were being written; the test proved nothing"


# -- the local web page -------------------------------------------------------------------------


def _request(method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None):
    """One request to the app, through its ASGI interface (no network, no extra client)."""
    app = create_app(Config(ignore=("grammar",)), max_bytes=1024)
    return asgi_request(app, method, path, body, {"host": "127.0.0.1:8000", **(headers or {})})


FIX_BODY = json.dumps({"text": "The the plan.", "format": "txt", "fingerprints": []}).encode()


def test_web_page_binds_to_this_machine_by_default():
    import inspect

    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
    assert _parser().parse_args(["serve"]).host == "127.0.0.1"


def test_web_page_refuses_cross_origin_requests():
    status, body = _request(
        "POST", "/api/fix", FIX_BODY, {"origin": "http://evil.example", "content-type": "application/json"}
    )
    assert status == 403 and json.loads(body)["error"] == "Cross-origin requests are refused."
    status, _ = _request(
        "POST", "/api/check", FIX_BODY, {"origin": "http://evil.example", "content-type": "application/json"}
    )
    assert status == 403
    status, _ = _request(
        "POST", "/api/fix", FIX_BODY, {"origin": "http://127.0.0.1:8000", "content-type": "application/json"}
    )
    assert status != 403


def test_web_page_limits_upload_size():
    body = json.dumps({"text": "word " * 1000, "format": "txt"}).encode()
    status, answer = _request("POST", "/api/check", body, {"content-type": "application/json"})
    assert status == 413 and "larger than" in json.loads(answer)["error"]


@pytest.mark.parametrize(
    "path",
    ["/pyproject.toml", "/../pyproject.toml", "/etc/passwd", "/static/../../README.md", "/qa/server.py"],
)
def test_web_page_serves_no_files(path):
    status, body = _request("GET", path)
    assert status == 404
    assert b"[project]" not in body and b"root:" not in body and b"def create_app" not in body
