"""`-j N` worker processes that die (issue 14, item 15): a worker killed mid-run costs no file and
no report, a file that kills every worker it meets is that file's error, and workers end with
a killed parent instead of outliving it.

Workers are forked, so a patch made here is in them too: that is how a file is made to kill
its worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import qa.runner
from qa.runner import WORKER_DIED

NO_LT = ("--ignore", "grammar")
ARTICLE = "The minister said the the plan was ready in Kyiv on Monday.\n"


def _desk(tmp_path: Path, count: int = 16) -> Path:
    folder = tmp_path / "desk"
    folder.mkdir()
    for i in range(count):
        (folder / f"story-{i:02d}.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def _killing(monkeypatch, victim: str, marker: Path | None = None) -> None:
    """Checking `victim` kills the worker: every time, or (with `marker`) the first time only."""
    real = qa.runner.check_file

    def check_file(path, *args, **kwargs):
        if path.endswith(victim) and os.getpid() != PARENT and (marker is None or not marker.exists()):
            if marker is not None:
                marker.write_text("died once", encoding="utf-8")
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(qa.runner, "check_file", check_file)


PARENT = os.getpid()


def test_a_worker_killed_once_costs_nothing(tmp_path, cli, monkeypatch):
    folder = _desk(tmp_path)
    expected = cli("check", "--no-cache", "-j", "1", *NO_LT, str(folder))
    _killing(monkeypatch, "story-05.txt", tmp_path / "marker")
    run = cli("check", "--no-cache", "-j", "2", *NO_LT, str(folder))
    assert (tmp_path / "marker").exists()  # a worker really died
    assert (run.code, run.out, run.errors) == (expected.code, expected.out, expected.errors)


def test_a_file_that_kills_every_worker_is_its_error(tmp_path, cli, monkeypatch):
    folder = _desk(tmp_path)
    _killing(monkeypatch, "story-07.txt")
    run = cli("check", "--no-cache", "-j", "2", "--format", "json", *NO_LT, str(folder))
    assert run.code == 2
    assert run.errors == [f"copydesk: {folder / 'story-07.txt'}: {WORKER_DIED}"]
    files = {Path(f["path"]).name: f for f in run.json()["files"]}
    assert len(files) == 16
    assert files["story-07.txt"]["error"] == WORKER_DIED
    assert all(len(f["findings"]) == 1 for name, f in files.items() if name != "story-07.txt")


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find the workers")
def test_workers_end_with_a_killed_parent(tmp_path):
    folder = _desk(tmp_path, 400)
    (tmp_path / "slow.py").write_text(
        "import time, runpy, qa.runner\n"
        "real = qa.runner.check_file\n"
        "def slow(*a, **k):\n    time.sleep(0.5)\n    return real(*a, **k)\n"
        "qa.runner.check_file = slow\n"
        "import sys; sys.argv = ['copydesk'] + sys.argv[1:]\n"
        "from qa.cli import main\nraise SystemExit(main())\n",
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [sys.executable, str(tmp_path / "slow.py"), "check", "--no-cache", "-j", "2", *NO_LT, str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    for _ in range(200):
        time.sleep(0.05)
        workers = _children(proc.pid)
        if len(workers) >= 2:
            break
    assert len(workers) >= 2, "no worker started"
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 5
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [w for w in workers if Path(f"/proc/{w}").exists() and "Z" not in Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1].split()[0]]
    assert alive == [], f"workers {alive} outlived their parent"


def test_a_pool_that_breaks_as_a_chunk_is_sent_loses_no_file(tmp_path, monkeypatch):
    """The pool can break between two chunks (a worker died after its last result): the chunk
    being sent goes back with those in flight, in order, and every file is reported once."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from qa.config import Config
    from qa.runner import iter_check_many

    folder = _desk(tmp_path, count=40)
    paths = sorted(str(p) for p in folder.iterdir())
    real = ProcessPoolExecutor.submit
    calls = []

    def submit(self, fn, *args, **kwargs):
        calls.append(fn)
        if len(calls) == 5:
            raise BrokenProcessPool("a worker died")
        return real(self, fn, *args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit)
    config = Config(ignore=("grammar",))
    results = list(iter_check_many([(p, config) for p in paths], None, 2, use_cache=False))
    assert len(calls) > 5  # it broke, and went on
    assert [r.path for r in results] == paths
    assert all(r.error is None and len(r.diagnostics) == 1 for r in results)
