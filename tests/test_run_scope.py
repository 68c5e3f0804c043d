"""Checks across the files of a run (names.variant-across-files) by every route a run takes:
the Python API (results in memory), the CLI in one process and with `-j 2` (results spilled to
disk, summaries read back only for the files reported on), and the tally on its own."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from qa import check_paths
from qa.config import Config
from qa.engine import build_ruleset
from qa.runner import check_many
from qa.spill import Spill

from .conftest import FIXTURES

RUN = FIXTURES / "run"
FIELDS = ("rule", "line", "column", "end_line", "end_column", "text")


def golden() -> list[dict]:
    lines = (RUN / "expected.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def flat(report: dict) -> list[dict]:
    return [
        {"path": Path(f["path"]).name, **{k: d[k] for k in FIELDS}}
        for f in report["files"]
        for d in f["findings"]
    ]


def test_cli_run_matches_golden(cli):
    """The CLI spills results and summaries to disk; the findings equal the in-memory golden."""
    run = cli("check", str(RUN), "--format", "json", "--no-cache", "-j", "1")
    assert run.code == 1
    assert flat(run.json()) == golden()


def doubled(tmp_path: Path) -> Path:
    """Two copies of the run folder: ten files, enough for `-j 2` to start workers."""
    for sub in ("a", "b"):
        shutil.copytree(RUN, tmp_path / sub, ignore=shutil.ignore_patterns("*.jsonl"))
    return tmp_path


def test_workers_give_the_same_run_findings(cli, tmp_path):
    root = doubled(tmp_path)
    one = cli("check", str(root), "--format", "json", "--no-cache", "-j", "1").json()
    two = cli("check", str(root), "--format", "json", "--no-cache", "-j", "2").json()
    assert one["files"] == two["files"]
    # the text report too: its parts written by the workers, or by the one process
    text = [cli("check", str(root), "--no-cache", "-j", j).out for j in ("1", "2")]
    assert text[0] == text[1] and "Found 4 problems" in text[0]
    api = check_paths([str(root)], config=Config())
    assert [d.to_dict() for r in api for d in r.diagnostics] == [
        d for f in one["files"] for d in f["findings"]
    ]
    across = [d for f in one["files"] for d in f["findings"] if d["rule"] == "names.variant-across-files"]
    # each copy of 03 and 05 is reported once; counts double from the one-folder run (2 and 1)
    assert [(d["text"], d["evidence"]["files_with_canonical"]) for d in across] == [
        ("Zaluzhny", 4),
        ("Hnatyuk", 2),
        ("Zaluzhny", 4),
        ("Hnatyuk", 2),
    ]


def test_spill_reads_back_only_the_files_it_reports_on(monkeypatch):
    paths = sorted(str(p) for p in RUN.iterdir() if p.suffix != ".jsonl")
    config = Config()
    spill = Spill()
    read: list[int] = []
    original = Spill._summaries

    def counting(self, index):
        read.append(index)
        return original(self, index)

    monkeypatch.setattr(Spill, "_summaries", counting)
    try:
        for result in check_many([(p, config) for p in paths], None, 1, use_cache=False):
            spill.add(result)
        assert all(stub.summaries is None and stub.source is None for stub in spill.stubs())
        spill.run_findings()
        assert sorted({Path(paths[i]).name for i in read}) == ["03-interview.txt", "05-plant.txt"]
        extra = {
            Path(r.path).name: [d.text for d in r.diagnostics if "of this run" in d.finding.message] for r in spill
        }
    finally:
        spill.close()
    assert {name: texts for name, texts in extra.items() if texts} == {
        "03-interview.txt": ["Zaluzhny"],
        "05-plant.txt": ["Hnatyuk"],
    }


SOURCE = "Kovalenko spoke. Kovalenco left.\n"


def tally_findings(summaries: list[dict]) -> list[tuple[str, str, int, int, str]]:
    """The tally on hand-written summaries; every file's source is SOURCE."""
    from qa.document import LineIndex
    from qa.engine import place

    [check] = [c for c in build_ruleset(Config()).checks if c.id == "names.variant-across-files"]
    tally = check.run_tally()
    for index, summary in enumerate(summaries):
        tally.add(index, summary)

    def load(i):
        return f"f{i}", summaries[i], lambda s, e: place(f"f{i}", SOURCE, LineIndex(SOURCE), s, e)

    found = list(tally.findings(load))
    assert all(d.path == f"f{index}" for index, d in found)  # each with its file's number
    return [
        (d.path, d.text, d.column, d.finding.evidence["files_with_canonical"], d.finding.message)
        for _, d in found
    ]


def name(spelling: str, count: int) -> tuple:
    """A summary entry: spelling, count, its first source span in SOURCE, no following name."""
    start = SOURCE.index(spelling)
    return (spelling, count, start, start + len(spelling), (None,))


def test_tally_counts_spellings_across_files():
    # 'Kovalenko' three times in two files against 'Kovalenco' once: the majority wins
    summaries = [
        {"kovalenko": name("Kovalenko", 2)},
        {"kovalenco": name("Kovalenco", 1)},
        {"kovalenko": name("Kovalenko", 1)},
    ]
    assert tally_findings(summaries) == [
        (
            "f1",
            "Kovalenco",
            18,
            2,
            "'Kovalenco' (used 1 time here) is spelled 'Kovalenko' in 2 other files of this run",
        )
    ]


def test_tally_leaves_a_file_with_both_spellings_to_the_document_rule():
    summaries = [
        {"kovalenko": name("Kovalenko", 2)},
        {"kovalenco": name("Kovalenco", 1), "kovalenko": name("Kovalenko", 1)},
    ]
    assert tally_findings(summaries) == []


def test_tally_of_one_spelling_is_silent():
    summaries = [{"kovalenko": name("Kovalenko", 1)} for _ in range(5)]
    assert tally_findings(summaries) == []


PREPARED = """
import qa.datacache as dc
from qa.config import Config
from qa.engine import check_file
from qa.runner import _prepare

_prepare([Config()])
loads = []
original = dc.cached
dc.cached = lambda name, extra, build, kind=None: loads.append(name) or original(name, extra, build, kind)
result = check_file({path!r}, Config())
assert result.diagnostics, "the fixture has findings"
print(sorted(set(loads)))
"""


def test_prepare_loads_every_checks_data_before_workers_fork(tmp_path):
    """After _prepare (called before the worker processes fork) checking an article parses no
    data: knowledge base, titles, word lists and spellchecker are all in the parent already."""
    import ast
    import subprocess
    import sys

    article = FIXTURES / "flagged" / "names.txt"
    env = {"COPYDESK_CACHE_DIR": str(tmp_path), "PATH": ""}
    code = PREPARED.format(path=str(article))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    # and without _prepare the same check does load them: the test can fail
    lazy = code.replace("_prepare([Config()])", "")
    done = subprocess.run([sys.executable, "-c", lazy], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert {"kb", "titles", "english-words", "pos-lexicon"} <= set(ast.literal_eval(done.stdout))


def test_run_findings_do_not_keep_the_files_they_read_back():
    """Reporting 500 files of a run reads each one's summary and source back in turn; memory
    holds one at a time (an archive run reports thousands), so the peak stays small."""
    import tracemalloc

    from qa.engine import FileResult, RunChecks

    ruleset = build_ruleset(Config())
    spellings = ["Kovalenko"] * 1500 + ["Kovalenco"] * 500
    run = RunChecks()
    for index, spelling in enumerate(spellings):
        summary = {spelling.casefold(): (spelling, 1, 0, len(spelling), (None,))}
        run.add(
            index,
            FileResult(f"f{index}", [], ruleset=ruleset, summaries={"names.variant-across-files": summary}),
        )

    def load(index):
        source = spellings[index] + " spoke." + " Filler text." * 2000  # ~26 KB a file
        return (
            f"f{index}",
            {
                "names.variant-across-files": {
                    spellings[index].casefold(): (spellings[index], 1, 0, 9, (None,))
                }
            },
            source,
        )

    tracemalloc.start()
    found = run.findings(load)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(found) == 500 and all(d.text == "Kovalenco" for ds in found.values() for d in ds)
    assert peak < 3_000_000, f"peak {peak:,} bytes: sources kept"


def test_spill_writes_report_parts_and_renders_again_only_what_changed():
    """With a per-file report (text), each file's part is written out as it is checked; the
    files that the run-level check adds to come back with their findings, to be rendered anew,
    and the report equals one rendered from results held in memory."""
    import io

    from qa.engine import finish_run
    from qa.reporters.text import render

    paths = sorted(str(p) for p in RUN.iterdir() if p.suffix != ".jsonl")
    jobs = [(p, Config()) for p in paths]
    spill = Spill(("text", False))
    try:
        for result in check_many(jobs, None, 1, use_cache=False):
            spill.add(result)
        spill.run_findings()
        seen = [(Path(r.path).name, r.rendered is not None, len(r.diagnostics)) for r in spill]
        spilled = io.StringIO()
        render(spill, spilled, False)
        spill.filter = lambda r: None  # a baseline: every file is read back with its findings
        assert all(r.rendered is None for r in spill)
    finally:
        spill.close()
    assert seen == [
        ("01-briefing.txt", True, 0),
        ("02-visit.md", True, 0),
        ("03-interview.txt", False, 1),  # the across-files finding
        ("04-mayor.txt", True, 0),
        ("05-plant.txt", False, 1),
    ]
    in_memory = check_many(jobs, None, 1, use_cache=False)
    finish_run(in_memory)
    expected = io.StringIO()
    render(in_memory, expected, False)
    assert spilled.getvalue() == expected.getvalue() and "Found 2 problems" in expected.getvalue()
