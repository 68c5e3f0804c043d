"""grammar.*: LanguageTool through a stand-in server answering with recorded responses."""

from __future__ import annotations

import json

import pytest

from qa import check_text
from qa import languagetool as lt
from qa.config import Config

from .conftest import FIXTURES
from .lt_fake import RECORDED

GRAMMAR = Config(select=("grammar",))
EMOJI = "The mayor 👍 said: their is no water, and the 🇺🇦 flag flew."


@pytest.mark.parametrize(
    "text,units,index",
    [
        ("abc", 2, 2),
        ("a👍b", 3, 2),
        ("a👍b", 4, 3),
        ("🇺🇦x", 4, 2),
        ("👍👍x", 4, 2),
        ("x", 9, 1),
    ],
)
def test_utf16_offsets(text, units, index):
    assert lt.utf16_to_index(text, units) == index


def test_recorded_response_mapping_with_emoji():
    [case] = [c for c in RECORDED["checks"] if c["text"] == EMOJI]
    raw = case["response"]["matches"]
    assert raw[0]["offset"] == EMOJI.index("their") + 1  # the emoji is two UTF-16 units
    matches = lt.matches_from_response(EMOJI, case["response"])
    assert [EMOJI[m.start : m.end] for m in matches] == ["their", "the 🇺🇦 flag"]
    assert matches[0].category == "CONFUSED_WORDS" and matches[0].replacements == ("there",)


def test_findings_through_the_engine(languagetool):
    found = check_text(EMOJI, config=GRAMMAR)
    assert [(d.rule, d.text, str(d.severity), d.finding.suggestions) for d in found] == [
        ("grammar.confused-words", "their", "warning", ("there",)),
        ("grammar.grammar", "the 🇺🇦 flag", "warning", ("the flag",)),
    ]
    assert found[0].finding.evidence == {
        "languagetool_rule": "THEIR_IS",
        "category": "CONFUSED_WORDS",
        "issue_type": "misspelling",
        "languagetool_link": "https://community.languagetool.org/rule/show/THEIR_IS?lang=en",
    }
    assert len(languagetool.requests) == 1  # one request serves every grammar rule


def test_categories_map_to_rules_and_severities(languagetool):
    found = check_text("However the talks continued.", config=GRAMMAR)
    assert [(d.rule, str(d.severity)) for d in found] == [("grammar.punctuation", "info")]
    found = check_text("Miscellaneous issue.", config=GRAMMAR)
    assert [d.rule for d in found] == ["grammar.other"]


def test_duplicate_rules_are_disabled(languagetool):
    found = check_text("It was the the plan.", config=Config(select=("grammar", "repetition")))
    assert [d.rule for d in found] == ["repetition.doubled-word"]
    disabled = languagetool.requests[-1]["disabledRules"].split(",")
    assert {"ENGLISH_WORD_REPEAT_RULE", "MORFOLOGIK_RULE_EN_US", "EN_UNPAIRED_QUOTES"} <= set(disabled)
    assert languagetool.requests[-1]["language"] == "en-US"


def test_batches_within_the_request_limit(languagetool, tmp_path, cli):
    text = "".join(
        f"Mayor {i} said their is no water in the north of the city. 👍 The pumps are broken.\n\n"
        for i in range(40)
    )
    (tmp_path / "copydesk.toml").write_text("[languagetool]\nmax-request-chars = 500\n", encoding="utf-8")
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    report = cli("check", str(tmp_path / "long.txt"), "--select", "grammar", "--format", "json").json()
    findings = report["files"][0]["findings"]
    assert len(findings) == 40 and all(f["text"] == "their" for f in findings)
    assert all(text[f["start"] : f["end"]] == "their" for f in findings)
    assert len(languagetool.requests) >= len(text) // 500
    assert all(len(r["text"]) <= 500 for r in languagetool.requests)


def test_results_are_cached_by_text(languagetool):
    check_text(EMOJI, config=GRAMMAR)
    check_text(EMOJI, config=GRAMMAR)
    assert len(languagetool.requests) == 1  # the second run is served from memory
    lt._memory.clear()
    check_text(EMOJI, config=GRAMMAR)
    assert len(languagetool.requests) == 1  # and from the disk cache
    assert list((lt._cache_dir()).rglob("*.json"))


def test_without_a_server_one_notice_and_the_same_exit(cli, monkeypatch):
    monkeypatch.delenv("LANGUAGETOOL_URL", raising=False)
    lt.client.cache_clear()
    flagged = str(FIXTURES / "flagged" / "seedlike.txt")
    clean = str(FIXTURES / "clean")
    with_grammar = cli("check", flagged, clean)
    without = cli("check", flagged, clean, "--ignore", "grammar")
    assert with_grammar.code == without.code == 1 and with_grammar.out == without.out
    notices = [line for line in with_grammar.err.splitlines() if line.startswith("copydesk: notice:")]
    assert notices == [
        "copydesk: notice: grammar checks skipped: no LanguageTool server configured "
        "(set LANGUAGETOOL_URL, or [languagetool] url or local = true in the configuration)"
    ]
    assert without.err == ""
    assert cli("check", str(FIXTURES / "clean")).code == 0
    report = cli("check", flagged, "--format", "json").json()
    assert report["notices"] == [notices[0].removeprefix("copydesk: notice: ")]


def test_unreachable_server_is_a_notice(cli, monkeypatch):
    monkeypatch.setenv("LANGUAGETOOL_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    lt.client.cache_clear()
    run = cli("check", str(FIXTURES / "clean" / "energy-repairs.txt"))
    assert run.code == 0 and run.errors == []
    assert "grammar checks skipped: http://127.0.0.1:9 is not available" in run.err
    lt.client.cache_clear()


def test_config_table_is_validated(tmp_path):
    from qa.config import ConfigError, load_config

    path = tmp_path / "copydesk.toml"
    path.write_text('[languagetool]\nurl = "http://x"\nhost = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"copydesk.toml:3: unknown key 'host' in \[languagetool\]"):
        load_config(path)
