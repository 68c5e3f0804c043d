"""Against a real LanguageTool server (tests/conftest.py's live_languagetool: the one the README's
test command installs, started for the session). The recorded-response tests in test_grammar.py
keep the adapter's edge cases; these show what LanguageTool itself says through copydesk."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from qa import check_text
from qa import languagetool as lt
from qa.config import Config

GRAMMAR = Config(select=("grammar",))


@pytest.fixture
def live(live_languagetool, monkeypatch, tmp_path):
    monkeypatch.setenv("LANGUAGETOOL_URL", live_languagetool)
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path / "cache"))
    for cache in (lt.client.cache_clear, lt._memory.clear, lt._failed.clear):
        cache()
    yield live_languagetool
    for cache in (lt.client.cache_clear, lt._memory.clear, lt._failed.clear):
        cache()


def _found(text: str, config: Config = GRAMMAR) -> list[tuple[str, int, int, str, str]]:
    return [
        (d.rule, d.line, d.column, d.text, d.finding.evidence.get("languagetool_rule", ""))
        for d in check_text(text, config=config)
    ]


def test_live_confused_words_and_agreement(live):
    found = check_text("Great news: their is a problem. 👍 He have been worse.", config=GRAMMAR)
    assert [(d.rule, d.column, d.text, d.finding.suggestions[0]) for d in found] == [
        ("grammar.confused-words", 13, "their", "there"),
        ("grammar.grammar", 38, "have", "has"),
    ]  # columns after the emoji (two UTF-16 units for LanguageTool) are exact
    assert found[0].finding.evidence["languagetool_rule"] == "THEIR_IS"
    assert found[0].finding.evidence["languagetool_link"].endswith("/rule/show/THEIR_IS?lang=en")
    json.dumps([d.to_dict() for d in found])


def test_live_defaults_leave_out_what_copydesk_covers_or_measured_as_noise(live):
    """Double spaces of a transcript, a name without its diacritics, 'a' before a vowel (grammar.
    article-sound's, not LanguageTool's), 'February of 2022': none reported by LanguageTool."""
    text = (
        "SECRETARY BLINKEN:  Thank you very much.  The International Visegrad Fund paid for it "
        "in February of 2022. It was a early decision.\n"
    )
    found = _found(text, Config(select=("grammar",)))
    assert [f for f in found if f[4]] == []  # no finding of LanguageTool's
    assert ("grammar.article-sound", 1, 115, "a early", "") in found


def test_live_a_default_off_rule_is_taken_back_with_enabled_rules(live):
    text = "SECRETARY BLINKEN:  Thank you very much.\n"
    config = Config(select=("grammar",), languagetool=(("enabled-rules", ("WHITESPACE_RULE",)),))
    assert [(r, t, lt_id) for r, _, _, t, lt_id in _found(text, config)] == [
        ("grammar.typography", "  ", "WHITESPACE_RULE")
    ]


def test_live_long_text_in_pieces_keeps_exact_positions(live):
    """Sent in pieces of at most 300 characters at paragraph breaks: each piece's offsets are
    mapped back, so the finding in the last paragraph has its own line and column."""
    paragraphs = [f"Paragraph {i} says the talks went on as planned in the capital today." for i in range(12)]
    paragraphs.append("In the end their is a problem with the plan.")
    text = "\n\n".join(paragraphs) + "\n"
    config = Config(select=("grammar",), languagetool=(("max-request-chars", 300),))
    assert _found(text, config) == [("grammar.confused-words", 25, 12, "their", "THEIR_IS")]


def test_live_the_seed_complement_is_caught_by_copydesk_not_languagetool(live):
    """LanguageTool 6.7 has no rule for "deserved me to do"; grammar.object-infinitive has."""
    text = "This man deserved me to do something different.\n"
    assert _found(text, Config(select=("grammar",))) == [
        ("grammar.object-infinitive", 1, 10, "deserved me to do", "")
    ]


def test_live_check_finds_the_started_server_without_languagetool_url(live_languagetool, monkeypatch, tmp_path, cli):
    """`copydesk check` with no URL configured uses the server `copydesk languagetool start`
    left running (its state file in the cache), and prints no 'grammar checks skipped'."""
    from .conftest import USER_CACHE_DIR

    if not live_languagetool.startswith("http://127.0.0.1"):
        pytest.skip("LANGUAGETOOL_URL names another server: nothing to discover")
    monkeypatch.delenv("LANGUAGETOOL_URL", raising=False)
    monkeypatch.setenv("COPYDESK_CACHE_DIR", USER_CACHE_DIR)
    monkeypatch.setattr(lt, "_FOUND", [None, -1e9])
    for cache in (lt.client.cache_clear, lt._failed.clear):
        cache()
    article = tmp_path / "a.txt"
    article.write_text("Great news: their is a problem today.\n", encoding="utf-8")
    run = cli("check", str(article), "--select", "grammar", "--format", "json", "--no-cache")
    assert [(f["rule"], f["text"]) for f in run.json()["files"][0]["findings"]] == [
        ("grammar.confused-words", "their")
    ]
    assert "grammar checks skipped" not in run.err
    lt.client.cache_clear()


def test_live_a_server_killed_mid_run_leaves_a_notice_and_the_other_findings(
    live_languagetool, monkeypatch, tmp_path, cli
):
    """A LanguageTool of its own (the installed one, started on another port) answers the first
    file, then its JVM is killed (SIGKILL, as a crash or the OOM killer would) before the second
    is sent: the first file keeps LanguageTool's finding, the second gets the other families'
    findings, the run prints one notice and no traceback, and the exit status is the findings'."""
    import signal

    from qa import ltserver

    from .conftest import USER_CACHE_DIR

    if not live_languagetool.startswith("http://127.0.0.1"):
        pytest.skip("LANGUAGETOOL_URL names another server: none installed here to start")
    home = tmp_path / "cache"
    (home / "languagetool-server").mkdir(parents=True)
    (home / "languagetool-server" / ltserver.VERSION).symlink_to(
        os.path.join(USER_CACHE_DIR, "languagetool-server", ltserver.VERSION)
    )
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(home))
    server = ltserver.start(log=lambda line: None)
    try:
        monkeypatch.setenv("LANGUAGETOOL_URL", server.url)
        for cache in (lt.client.cache_clear, lt._memory.clear, lt._failed.clear):
            cache()
        real_check = lt._Remote.check
        asked: list[str] = []

        def check_then_crash(self, piece: str) -> dict:
            if asked:  # the second request: the server is gone
                return real_check(self, piece)
            answer = real_check(self, piece)
            asked.append(piece)
            os.killpg(server.pid, signal.SIGKILL)
            while ltserver.answers(server.url, timeout=0.5):
                pass
            return answer

        monkeypatch.setattr(lt._Remote, "check", check_then_crash)
        first, second = tmp_path / "a.txt", tmp_path / "b.txt"
        first.write_text("Great news: their is a problem today.\n", encoding="utf-8")
        second.write_text("Officials said the the talks ended, and their is a problem.\n", encoding="utf-8")
        run = cli("check", str(first), str(second), "-j", "1", "--format", "json", "--no-cache")
        files = {Path(f["path"]).name: [(x["rule"], x["text"]) for x in f["findings"]] for f in run.json()["files"]}
        assert files["a.txt"] == [("grammar.confused-words", "their")]
        assert files["b.txt"] == [("repetition.doubled-word", "the the")]
        notices = [line for line in run.err.splitlines() if "grammar checks skipped" in line]
        assert len(notices) == 1 and server.url in notices[0]
        assert "Traceback" not in run.err and run.code == 1
        assert len(asked) == 1
    finally:
        ltserver.stop(log=lambda line: None)
        for cache in (lt.client.cache_clear, lt._memory.clear, lt._failed.clear):
            cache()
