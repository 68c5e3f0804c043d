"""Caches that cannot run code and never crash a run (issue 14, items 6, 16, 17).

A planted entry (a pickle that runs a command when loaded) must never be loaded; a damaged
entry is a miss and is replaced; what changes a result (vocabulary files, the LanguageTool
server) is part of the result cache's key."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from qa import datacache, sealed

NO_LT = ("--ignore", "grammar")
ARTICLE = "The minister said the the plan was ready in Kyiv on Monday.\n"


class _Planted:
    """Unpickling this runs os.system: what an attacker would commit as a cache entry."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _entries(cache: Path) -> list[Path]:
    return sorted(p for p in (cache / "results").rglob("*") if p.is_file())


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(folder))
    return folder


def test_planted_result_cache_entry_is_never_unpickled(tmp_path, cache, cli):
    story = tmp_path / "story.txt"
    story.write_text(ARTICLE, encoding="utf-8")
    first = cli("check", *NO_LT, str(story))
    [entry] = _entries(cache)
    marker = tmp_path / "pwned"
    entry.write_bytes(pickle.dumps(_Planted(marker)))  # the attacker replaces the entry
    second = cli("check", *NO_LT, str(story))
    assert not marker.exists()
    assert second.out == first.out and second.code == first.code
    assert sealed.unseal(entry.read_bytes()) is not None  # checked again and replaced by a good one


def test_planted_entry_with_a_forged_header_is_refused(tmp_path):
    marker = tmp_path / "pwned"
    forged = sealed.MAGIC + b"\0" * 32 + pickle.dumps(_Planted(marker))
    assert sealed.unseal(forged) is None
    assert not marker.exists()


def test_planted_data_cache_entry_is_never_unpickled(tmp_path, cache):
    assert datacache.cached("thing", [], lambda: {"a": 1}, dict) == {"a": 1}
    [entry] = (cache / "data").glob("thing-*.pickle")
    marker = tmp_path / "pwned"
    entry.write_bytes(pickle.dumps(_Planted(marker)))
    assert datacache.cached("thing", [], lambda: {"a": 2}, dict) == {"a": 2}  # a miss: built again
    assert not marker.exists()
    assert datacache.cached("thing", [], lambda: {"a": 3}, dict) == {"a": 2}  # and replaced


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "other-type"])
def test_damaged_cache_entries_are_misses_and_are_replaced(tmp_path, cache, cli, damage):
    story = tmp_path / "story.txt"
    story.write_text(ARTICLE, encoding="utf-8")
    first = cli("check", *NO_LT, str(story))
    [entry] = _entries(cache)
    data = bytearray(entry.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x40
    elif damage == "truncate":
        data = data[: len(data) // 3]
    elif damage == "empty":
        data = bytearray()
    else:  # sealed with the right key, but not a result: a wrong type
        data = bytearray(sealed.seal({"diagnostics": "not a list"}))  # type: ignore[arg-type]
    entry.write_bytes(bytes(data))
    second = cli("check", *NO_LT, str(story))
    assert (second.code, second.out) == (first.code, first.out)
    value = sealed.unseal(entry.read_bytes())  # replaced: a good entry again
    assert value is not None and isinstance(value.diagnostics, list)


def test_key_lives_outside_the_cache_folder_and_is_private(cache):
    path = sealed.key_path()
    assert sealed.key() is not None
    assert cache not in path.parents
    assert (os.stat(path).st_mode & 0o077) == 0


def test_no_usable_key_means_no_cache(tmp_path, cache, cli, monkeypatch):
    bad = tmp_path / "short.key"
    bad.write_bytes(b"too short")
    monkeypatch.setenv("COPYDESK_KEY_FILE", str(bad))
    story = tmp_path / "story.txt"
    story.write_text(ARTICLE, encoding="utf-8")
    assert cli("check", *NO_LT, str(story)).code == 1
    assert _entries(cache) == []


def _copydesk(*args: str) -> str:
    """A run in its own process, as on an editor's machine (each run reads the files again)."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "qa", *args], capture_output=True, text=True, timeout=120).stdout


def test_vocabulary_files_are_in_the_result_cache_key(tmp_path, cache):
    (tmp_path / "vocab").mkdir()
    reject = tmp_path / "vocab" / "reject.txt"
    reject.write_text("", encoding="utf-8")
    (tmp_path / "copydesk.toml").write_text('vocabulary = ["vocab"]\n', encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_text("The minister met the mayor in Kyiv on Monday.\n", encoding="utf-8")
    assert "spelling.rejected" not in _copydesk("check", "--select", "spelling", str(story))
    reject.write_text("mayor\n", encoding="utf-8")
    assert "spelling.rejected" in _copydesk("check", "--select", "spelling", str(story))


def test_languagetool_url_is_in_the_result_cache_key(tmp_path, cache, monkeypatch):
    from qa.config import Config
    from qa.runner import _cache_key

    monkeypatch.delenv("LANGUAGETOOL_URL", raising=False)
    plain = _cache_key("story.txt", b"text", Config(), None)
    monkeypatch.setenv("LANGUAGETOOL_URL", "http://127.0.0.1:8081")
    assert _cache_key("story.txt", b"text", Config(), None) != plain


@pytest.mark.parametrize("damage", ['{"matches": [{"offset": "x"}]}', "[1, 2]", '{"matches": 5}', "not json"])
def test_damaged_languagetool_answers_are_misses(languagetool, tmp_path, damage):
    from qa import check_text
    from qa import languagetool as lt
    from qa.config import Config

    config = Config(select=("grammar",))
    text = "The mayor said their is no water.\n"
    first = [(d.rule, d.text) for d in check_text(text, config=config)]
    assert first == [("grammar.confused-words", "their")]
    entries = list((tmp_path / "cache" / "languagetool").rglob("*.json"))
    assert entries
    for entry in entries:
        entry.write_text(damage, encoding="utf-8")
    lt._memory.clear()
    asked = len(languagetool.requests)
    assert [(d.rule, d.text) for d in check_text(text, config=config)] == first
    assert len(languagetool.requests) == asked + 1  # asked again, and the entry replaced
    assert lt.matches_from_response(text, __import__("json").loads(entries[0].read_text(encoding="utf-8")))
