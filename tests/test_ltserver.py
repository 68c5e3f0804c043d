"""`copydesk languagetool install|start|status|stop` without a JVM: a stand-in `mvn` on the
PATH, state files written by hand. The real server is exercised by test_languagetool_live.py."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from qa import languagetool as lt
from qa import ltserver

FAKE_MVN = """#!{python}
import sys, zipfile, pathlib
out = next(a.split("=", 1)[1] for a in sys.argv if a.startswith("-DoutputDirectory="))
pathlib.Path(out).mkdir(parents=True, exist_ok=True)
with open(pathlib.Path(__file__).with_name("calls"), "a") as f:
    f.write(" ".join(sys.argv[1:]) + "\\n")
mode = pathlib.Path(__file__).with_name("mode").read_text().strip()
if mode == "fail":
    print("[ERROR] Could not resolve dependencies: org.languagetool:languagetool-server:jar:6.7")
    sys.exit(1)
for name in ("languagetool-server-6.7.jar", "language-en-6.7.jar"):
    path = pathlib.Path(out) / name
    if mode == "broken":
        path.write_bytes(b"<html>proxy error</html>")
        continue
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("org/languagetool/server/HTTPServer.class" if "server" in name else "x.txt", b"x")
"""


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty cache, and a stand-in mvn first on the PATH (writing jars, or failing)."""
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path / "cache"))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    mvn = bin_dir / "mvn"
    mvn.write_text(FAKE_MVN.format(python=sys.executable), encoding="utf-8")
    mvn.chmod(mvn.stat().st_mode | stat.S_IEXEC)
    (bin_dir / "mode").write_text("ok", encoding="utf-8")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(lt, "_FOUND", [None, -1e9])
    return bin_dir


def test_install_fetches_with_mvn_verifies_and_then_reuses(home, cli):
    run = cli("languagetool", "install")
    assert run.code == 0
    folder = ltserver.install_dir()
    assert run.err.splitlines() == [
        "copydesk: fetching LanguageTool 6.7 (languagetool-server, language-en) from Maven Central with mvn ...",
        f"copydesk: LanguageTool 6.7 installed in {folder} (2 files, from maven)",
    ]
    assert sorted(p.name for p in (folder / "lib").iterdir()) == ["language-en-6.7.jar", "languagetool-server-6.7.jar"]
    assert "-C" in (home / "calls").read_text().split()  # strict checksums
    again = cli("languagetool", "install")
    assert again.err.splitlines() == [f"copydesk: LanguageTool 6.7 is installed in {folder}"]
    assert len((home / "calls").read_text().splitlines()) == 1  # nothing fetched the second time
    done = ltserver.installed()
    assert done is not None and done.classpath == str(folder / "lib" / "*")


def test_a_damaged_installation_is_not_used(home, cli):
    assert cli("languagetool", "install").code == 0
    jar = ltserver.install_dir() / "lib" / "language-en-6.7.jar"
    jar.write_bytes(jar.read_bytes()[:10])  # a truncated file
    assert ltserver.installed() is None
    run = cli("languagetool", "start")
    assert (run.code, run.err) == (
        2, "copydesk: LanguageTool 6.7 is not installed: run 'copydesk languagetool install' first\n"
    )


def test_a_broken_download_leaves_nothing_installed(home, cli):
    (home / "mode").write_text("broken", encoding="utf-8")
    run = cli("languagetool", "install")
    assert run.code == 2
    assert run.err.splitlines()[-1] == "copydesk: language-en-6.7.jar is not a readable jar (a broken download)"
    assert not ltserver.install_dir().exists()
    assert [p.name for p in ltserver.home().iterdir()] == []  # no half-made folder left behind


def test_mvn_failing_is_one_line(home, cli):
    (home / "mode").write_text("fail", encoding="utf-8")
    run = cli("languagetool", "install")
    assert run.code == 2
    assert run.err.splitlines()[-1].startswith("copydesk: mvn could not fetch LanguageTool 6.7: [ERROR] Could not resolve")


def test_status_and_stop_with_no_server(home, cli):
    run = cli("languagetool", "status")
    assert (run.code, run.out.splitlines()) == (
        1, ["installed: no (run 'copydesk languagetool install')", "running: no (run 'copydesk languagetool start')"]
    )
    stop = cli("languagetool", "stop")
    assert (stop.code, stop.err) == (0, "copydesk: no LanguageTool server of copydesk's is running\n")


def _state(pid: int, url: str = "http://127.0.0.1:59999") -> None:
    ltserver.home().mkdir(parents=True, exist_ok=True)
    (ltserver.home() / "server.json").write_text(
        json.dumps({"url": url, "pid": pid, "version": "6.7", "log": "x.log"}), encoding="utf-8"
    )


def test_runs_find_the_started_server_by_its_state_file(home):
    """A live process in the state file: its URL is the run's server, with no LANGUAGETOOL_URL;
    a process that has ended is not (a stale file after a reboot)."""
    _state(os.getpid())
    assert lt.Settings.from_config({}, lt._discovered()).url == "http://127.0.0.1:59999"
    assert lt.Settings.from_config({"url": "http://elsewhere:1"}, lt._discovered()).url == "http://elsewhere:1"
    assert lt.Settings.from_config({"local": True}, lt._discovered()).url is None
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    _state(dead.pid)
    lt._FOUND[:] = [None, -1e9]
    assert lt._discovered() is None


def test_status_of_a_server_that_does_not_answer(home, cli):
    _state(os.getpid())
    run = cli("languagetool", "status")
    assert run.code == 1
    assert run.out.splitlines()[1].startswith("running: not answering at http://127.0.0.1:59999")


def test_a_run_with_a_discovered_server_that_died_gives_one_notice(home, tmp_path, cli):
    """The state file names a live process but nothing answers on its port (the JVM hung or
    was replaced): the other families' findings, one notice, exit status unchanged."""
    _state(os.getpid(), "http://127.0.0.1:9")
    article = tmp_path / "a.txt"
    article.write_text("Recall that the the talks ended.\n", encoding="utf-8")
    for cache in (lt.client.cache_clear, lt._failed.clear, lt._memory.clear):
        cache()
    run = cli("check", str(article), "--format", "json", "--no-cache")
    rules = [f["rule"] for f in run.json()["files"][0]["findings"]]
    assert "repetition.doubled-word" in rules and not any(r.startswith("grammar.") and r != "grammar.article-sound" for r in rules)
    notices = [line for line in run.err.splitlines() if "grammar checks skipped" in line]
    assert len(notices) == 1 and "http://127.0.0.1:9" in notices[0]
    assert "Traceback" not in run.err
    for cache in (lt.client.cache_clear, lt._failed.clear, lt._memory.clear):
        cache()
