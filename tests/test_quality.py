"""benchmarks/quality.py, the corpus scorecard, on a small annotated corpus of its own
(tests/data/quality/): exact counts for every column it reports."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "data" / "quality"


def _quality():
    spec = importlib.util.spec_from_file_location("quality", ROOT / "benchmarks" / "quality.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["quality"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_scorecard_counts_caught_missed_extra_and_not_errors():
    q = _quality()
    t = q.score_folder(CORPUS / "news", None)
    assert (t.files, t.items, t.strict, t.lenient, t.uncertain) == (2, 4, 3, 3, 1)
    assert (t.extras, t.not_errors_flagged, t.missing) == (1, 1, 0)
    assert t.by_kind == {"spelling": [1, 1, 1], "repetition": [1, 1, 1], "boilerplate": [1, 1, 1], "other": [1, 0, 0]}
    assert dict(t.caught_by_rule) == {
        "spelling.unknown-word": 1,
        "repetition.doubled-word": 1,
        "boilerplate.subscribe": 1,
    }
    assert dict(t.extras_by_rule) == {"translationese.recall-that": 1}


def test_article_dates_come_from_the_header_or_the_name():
    q = _quality()
    assert q.article_date(["# stored-date: 2023-07-20"], "grain_talks") == "2023-07-20"
    assert q.article_date([], "harbour_repairs_2024-02") == "2024-02-15"
    assert q.article_date([], "harbour_repairs_2024-02-03") == "2024-02-03"
    assert q.article_date([], "galweek_budanov_2023") == "2023-06-30"
    assert q.article_date([], "undated") is None


def test_annotated_spans_are_found_on_their_line_as_whole_words():
    q = _quality()
    text = "Zaluzhnyi spoke.\nZaluzhny left; Zaluzhny returned.\n"
    assert q.spans_of(text, {"text": "Zaluzhny", "line": 2}) == [(17, 25), (32, 40)]
    assert q.spans_of(text, {"text": "Zaluzhny", "line": 1}) == [(17, 25), (32, 40)]  # not on line 1: anywhere


def test_the_command_line_report(tmp_path):
    missing = tmp_path / "corpus" / "news"
    missing.mkdir(parents=True)
    (missing / "gone.expected.yaml").write_text("items: []\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "quality.py"), "--annotations", str(CORPUS)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == (
        "news: 2 files, 58 words; recall strict 3/4 lenient 3/4; extras 1 (17.24/1k words); not-errors flagged 1"
    )
    gone = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "quality.py"), "--annotations", str(tmp_path / "corpus")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "1 annotated articles have no text: not scored" in gone.stdout

