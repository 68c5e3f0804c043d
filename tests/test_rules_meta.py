"""Structure of rules and kinds: documented, registered, with examples that behave as shown."""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys

import pytest

import qa.checks
from qa.checks import KINDS
from qa.config import Config
from qa.document import plain_document
from qa.engine import RuleSet, build_ruleset, check_documents
from qa.finding import FAMILY_KINDS

SPECS = build_ruleset(Config()).specs
SECTIONS = ("What it flags", "Why", "Example", "Options")


def test_every_check_module_is_registered():
    modules = {m.name for m in pkgutil.iter_modules(qa.checks.__path__)} - {"base"}
    registered = {sys.modules[k.__module__].__name__.rsplit(".", 1)[1] for k in KINDS.values()}
    assert modules == registered


@pytest.mark.parametrize("kind", list(KINDS))
def test_kind_docstring_is_user_documentation(kind):
    doc = importlib.import_module(KINDS[kind].__module__).__doc__ or ""
    assert doc.startswith(f"Kind `{kind}`:")
    for section in SECTIONS:
        assert re.search(rf"^{section}\b", doc, re.M), f"{kind}: missing section {section!r}"
    for option in KINDS[kind].OPTIONS:
        assert option in doc, f"{kind}: option {option!r} is not documented"


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_rule_examples_behave_as_documented(spec, request):
    if spec.kind == "languagetool":
        request.getfixturevalue("languagetool")  # the stand-in server answers the examples
    single = RuleSet(SPECS, (KINDS[spec.kind](spec),))
    assert spec.examples.get("flagged") and spec.examples.get("clean")
    if single.checks[0].RUN_SCOPE:  # examples are files checked together; the last is the one
        flagged = check_documents(
            [plain_document(f"f{i}", t, spec.example_format) for i, t in enumerate(spec.examples["flagged"])],
            single,
        )
        assert [len(found) for found in flagged] == [0] * (len(flagged) - 1) + [1]
        clean = check_documents(
            [plain_document(f"c{i}", t, spec.example_format) for i, t in enumerate(spec.examples["clean"])],
            single,
        )
        assert all(found == [] for found in clean)
        return
    for text in spec.examples["flagged"]:
        [found] = check_documents([plain_document("<ex>", text, spec.example_format)], single)
        assert [d.rule for d in found], text
    for text in spec.examples["clean"]:
        assert check_documents([plain_document("<ex>", text, spec.example_format)], single) == [[]], text


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_rule_ids_and_messages(spec):
    family = spec.id.split(".")[0]
    assert family in FAMILY_KINDS
    assert spec.description and not spec.description.endswith(".")
    assert spec.message


def test_explain_shows_examples_and_their_findings(cli):
    r = cli("explain", "repetition.and-same-word")
    assert r.code == 0
    assert "Kind `conjoined-repeat`" in r.out
    assert "Flagged example:" in r.out and "Clean example:" in r.out
    assert "-> 1:30 'angry and angry'" in r.out
    assert "-> no finding" in r.out


def test_explain_unknown_rule(cli):
    r = cli("explain", "nope.nothing")
    assert r.code == 2 and "no rule 'nope.nothing'" in r.err


def test_rules_lists_every_rule(cli):
    r = cli("rules")
    assert r.code == 0
    lines = r.out.splitlines()
    assert lines[0].split() == ["RULE", "KIND", "SEVERITY", "DESCRIPTION"]
    assert len(lines) == 1 + len([s for s in SPECS if s.enabled])
    every = cli("rules", "--all").out.splitlines()
    assert len(every) == 1 + len(SPECS)
    assert [line.split()[0] for line in every if line.endswith(" (off)")] == [s.id for s in SPECS if not s.enabled]
    row = next(line for line in lines if line.startswith("quotes.unopened"))
    assert row.split()[:3] == ["quotes.unopened", "quote-balance", "warning"]
