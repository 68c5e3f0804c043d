"""Pass and fail cases for every rule, from the tables in tests/cases/ (sqlfluff-style).

Each case runs only its rule (with `options`, if given, as the configuration would set them). A
fail case lists the exact flagged spans; `fixed` is the text after applying all of the rule's
fixes, unsafe ones included.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from qa import check_text
from qa.config import Config
from qa.document import plain_document
from qa.engine import build_ruleset, check_documents
from qa.fixes import apply_fixes

CASES_DIR = Path(__file__).parent / "cases"
CASES = [
    (f"{p.stem}-{i}-{c['rule']}", c)
    for p in sorted(CASES_DIR.glob("*.yaml"))
    for i, c in enumerate(yaml.safe_load(p.read_text(encoding="utf-8")))
]


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_case(case, request):
    if case["rule"].startswith("grammar."):
        request.getfixturevalue("languagetool")  # answered by the stand-in server
    # `options` are the rule's options, as a [rules."id"] table of the configuration sets them
    options = {case["rule"]: case["options"]} if "options" in case else {}
    config = Config(select=tuple(case.get("select", [case["rule"]])), rules=options)
    if "files" in case:  # a run-scope rule: the files are checked together
        docs = [plain_document(f"file{i}.txt", t) for i, t in enumerate(case["files"])]
        found = check_documents(docs, build_ruleset(config))
        assert [[d.text for d in f] for f in found] == case["expect_files"]
        return
    text = case.get("fail", case.get("pass"))
    found = check_text(text, fmt=case.get("fmt", "txt"), config=config)
    assert all(d.rule == case["rule"] for d in found)
    if "pass" in case:
        assert [d.text for d in found] == []
        return
    assert [d.text for d in found] == case["expect"]
    for d in found:
        assert text[d.start : d.end] == d.text
    if "fixed" in case:
        assert apply_fixes(text, found, unsafe=True)[0] == case["fixed"]


def test_every_rule_has_pass_and_fail_cases():
    rules = {s.id for s in build_ruleset(Config()).specs}
    failing = {c["rule"] for _, c in CASES if "fail" in c or any(c.get("expect_files", []))}
    passing = {c["rule"] for _, c in CASES if "pass" in c or ("files" in c and not any(c["expect_files"]))}
    assert rules - failing == set()
    assert rules - passing == set()
    assert {c["rule"] for _, c in CASES} <= rules
