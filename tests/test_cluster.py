"""Archive audits on a real Dask cluster (issue 20): a distributed.LocalCluster of two worker
processes, started by the tests (`--scheduler`) or by copydesk itself (`--cluster local:2`).
The output must be byte for byte what `-j 1` prints: on the fixtures, on a generated archive
of a few thousand files, with a worker killed mid-run, and with a rule that crashes on one
file on a worker."""

from __future__ import annotations

import os
import random
import signal

import pytest

from .conftest import FIXTURES

distributed = pytest.importorskip("distributed")  # the test extra installs it: CI never skips

NO_LT = ("--ignore", "grammar", "--no-cache")


def _paragraphs() -> list[str]:
    out = []
    for path in sorted([*(FIXTURES / "clean").glob("*.txt"), *(FIXTURES / "flagged").glob("*.txt")]):
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        out.extend(p.strip() for p in text.split("\n\n") if len(p.split()) > 3)
    return out


def archive(folder, count: int, seed: int = 20):
    """`count` articles of 4 to 12 paragraphs shuffled from the fixtures, in sub-folders."""
    rng = random.Random(seed)
    pool = _paragraphs()
    for i in range(count):
        path = folder / f"{i // 500:02d}" / f"article-{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n\n".join(rng.sample(pool, rng.randint(4, 12))) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0", silence_logs=40) as c:
        yield c


def _same(cli, paths, *cluster_args, fmt="json"):
    one = cli("check", *paths, "-j", "1", "--format", fmt, *NO_LT)
    many = cli("check", *paths, *cluster_args, "--format", fmt, *NO_LT)
    assert (many.code, many.out) == (one.code, one.out)
    assert many.errors == one.errors
    return one


def test_fixtures_on_a_local_cluster_print_what_one_process_prints(cli):
    """copydesk starts the LocalCluster itself (and stops it); JSON and text alike."""
    paths = [str(FIXTURES / "flagged"), str(FIXTURES / "clean")]
    one = _same(cli, paths, "--cluster", "local:2")
    assert one.code == 1 and '"names.variant-across-files"' in one.out  # the run-level check ran
    _same(cli, paths, "--cluster", "local:2", fmt="text")


def test_a_generated_archive_on_the_cluster(cli, cluster, tmp_path):
    root = archive(tmp_path / "archive", 2500)
    _same(cli, [str(root)], "--scheduler", cluster.scheduler_address)


def test_the_client_takes_the_listing_a_window_ahead(cli, cluster, tmp_path, monkeypatch):
    """The client never lists the run's jobs in memory: it takes them from the listing on disk
    as batches are submitted, so when the first results come back at most the window (2 worker
    threads x IN_FLIGHT_PER_THREAD batches of BATCH files) and the batch that replaces the
    first has been taken."""
    import qa.cluster

    root = archive(tmp_path / "archive", 600, seed=3)
    real = qa.cluster.iter_check_cluster
    taken: list[int] = []
    at_first: list[int] = []

    def counting(run, jobs, batch=qa.cluster.BATCH):
        def counted():
            for item in jobs:
                taken.append(item[0])
                yield item

        for n, item in enumerate(real(run, counted(), batch)):
            if n == 0:
                at_first.append(len(taken))
            yield item

    monkeypatch.setattr(qa.cluster, "iter_check_cluster", counting)
    _same(cli, [str(root)], "--scheduler", cluster.scheduler_address)
    window = 2 * qa.cluster.IN_FLIGHT_PER_THREAD * qa.cluster.BATCH
    assert at_first and window < at_first[0] <= window + qa.cluster.BATCH < 600
    assert taken == list(range(600))  # every place, in order, once


def test_a_worker_killed_mid_run_changes_nothing(cli, cluster, tmp_path, monkeypatch):
    """SIGKILL to one worker process after the first results: the scheduler runs its tasks
    again on the other (and on the one its nanny starts), and the run completes unchanged."""
    import qa.cluster

    root = archive(tmp_path / "archive", 1200, seed=7)
    real = qa.cluster.iter_check_cluster
    killed = []

    def kill_one_midway(run, payload, batch=qa.cluster.BATCH):
        for n, item in enumerate(real(run, payload, batch)):
            if n == 100 and not killed:
                pids = run.client.run(os.getpid)
                victim = sorted(pids.values())[0]
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
            yield item

    monkeypatch.setattr(qa.cluster, "iter_check_cluster", kill_one_midway)
    _same(cli, [str(root)], "--scheduler", cluster.scheduler_address)
    assert killed
    client = distributed.Client(cluster)
    client.wait_for_workers(2, timeout=60)  # the nanny restarted it
    client.close()


def test_a_rule_that_crashes_on_a_worker_is_that_files_error(cli, cluster, tmp_path):
    """A rule that raises on one file, on the workers only: that file is named with the error
    (exit 2), every other file is reported, and the run goes on."""
    for i in range(40):
        (tmp_path / f"a{i:02d}.txt").write_text("Recall that the the talks ended.\n", encoding="utf-8")
    (tmp_path / "a17.txt").write_text("CRASH the the talks.\n", encoding="utf-8")
    client = distributed.Client(cluster)

    def break_a_rule() -> None:
        from qa.checks.doubled_word import DoubledWordCheck

        original = DoubledWordCheck.check

        def check(self, doc):
            if "CRASH" in doc.text:
                raise RuntimeError("a bug in the rule")
            return original(self, doc)

        DoubledWordCheck.check = check

    def mend_it() -> None:
        import importlib

        import qa.checks.doubled_word

        importlib.reload(qa.checks.doubled_word)

    client.run(break_a_rule)
    try:
        run = cli("check", str(tmp_path), "--scheduler", cluster.scheduler_address, "--format", "concise", *NO_LT)
    finally:
        client.run(mend_it)
        client.close()
    assert run.code == 2
    assert [e for e in run.errors if "a17.txt" in e] == [
        f"copydesk: {tmp_path / 'a17.txt'}: rule repetition.doubled-word failed: RuntimeError: a bug in the rule"
    ]
    flagged = {os.path.basename(line.split(":")[0]) for line in run.out.splitlines() if ": warning " in line}
    assert flagged == {f"a{i:02d}.txt" for i in range(40) if i != 17}  # every other file, all reported


def test_a_local_cluster_says_nothing_of_a_busy_dashboard_port(tmp_path):
    """Another Dask cluster on this machine holds port 8787: `--cluster local` starts its own
    on a free port, and the run's output is copydesk's alone (no Dask warning)."""
    import socket
    import subprocess
    import sys

    busy = socket.socket()
    try:
        busy.bind(("127.0.0.1", 8787))
        busy.listen()
    except OSError:
        pass  # taken already: the same condition
    story = tmp_path / "story.txt"
    story.write_text("The minister said the the plan was ready.\n", encoding="utf-8")
    try:
        run = subprocess.run(
            [sys.executable, "-m", "qa", "check", "--cluster", "local:1", "--format", "concise", *NO_LT, str(story)],
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        busy.close()
    assert run.returncode == 1
    assert run.stdout.splitlines()[0] == f"{story}:1:19: warning repetition.doubled-word [*] 'the' is doubled; delete one."
    assert run.stderr == ""


def test_cluster_errors_are_one_line(cli, tmp_path):
    story = tmp_path / "a.txt"
    story.write_text("The talks ended.\n", encoding="utf-8")
    run = cli("check", str(story), "--cluster", "local:x", *NO_LT)
    assert (run.code, run.errors) == (2, ["copydesk: --cluster 'local:x': use 'local' or 'local:N' (N worker processes)"])
    run = cli("check", str(story), "--scheduler", "tcp://127.0.0.1:9", *NO_LT)
    assert run.code == 2 and len(run.errors) == 1
    assert run.errors[0].startswith("copydesk: cannot reach the cluster at tcp://127.0.0.1:9: ")
    run = cli("check", str(story), "--cluster", "local:2", "--fix", *NO_LT)
    assert run.errors == ["copydesk: --fix, --diff and standard input run on this machine: drop --cluster/--scheduler"]


def test_an_archive_by_url_is_listed_on_the_client_and_read_on_the_workers(cli, cluster, tmp_path):
    """A file:// URL (any fsspec protocol the workers can read: s3://, gs://): the files keep
    their URLs as names, and the cluster prints what one process prints."""
    root = archive(tmp_path / "archive", 60, seed=3)
    url = root.as_uri()
    one = _same(cli, [url], "--scheduler", cluster.scheduler_address, fmt="concise")
    names = {line.split(":", 2)[0] + ":" + line.split(":", 2)[1] for line in one.out.splitlines() if ": warning " in line}
    assert names and all(n.startswith("file:///") for n in names)
    assert one.out.splitlines()[-1].endswith("of 60 files.")


def test_the_run_level_check_is_reduced_on_the_cluster_and_reads_back_only_named_files(cli, cluster, monkeypatch):
    """No file's summaries reach the client: the tallies are merged on the cluster, and only
    the files a cross-file finding names are checked again for theirs."""
    import json

    import qa.cluster
    from qa.spill import Spill

    seen, reloaded, fetched_alone = [], [], []
    real_add, real_keep = Spill.add, qa.cluster.ClusterRun._keep

    def add(self, result):
        seen.append(result.summaries)
        return real_add(self, result)

    def keep(self, index, found):
        reloaded.append(index)
        return real_keep(self, index, found)

    monkeypatch.setattr(Spill, "add", add)
    monkeypatch.setattr(qa.cluster.ClusterRun, "_keep", keep)
    monkeypatch.setattr(qa.cluster.ClusterRun, "_fetch", lambda self, index: fetched_alone.append(index))
    paths = [str(FIXTURES / "flagged"), str(FIXTURES / "clean")]
    run = cli("check", *paths, "--scheduler", cluster.scheduler_address, "--format", "json", *NO_LT)
    named = {
        f["path"] for f in json.loads(run.out)["files"] for x in f["findings"] if x["rule"] == "names.variant-across-files"
    }
    assert len(named) >= 2 and all(s is None for s in seen)
    # read back once each, fetched ahead in batches (none alone)
    assert len(set(reloaded)) == len(named) and fetched_alone == []


def test_ctrl_c_cancels_the_run_and_writes_nothing(tmp_path):
    """SIGINT while the cluster checks: exit 130, no report written half-way, no traceback,
    and no worker left running (they carry a marker in their environment)."""
    import subprocess
    import sys
    import time
    import uuid

    root = archive(tmp_path / "archive", 6000, seed=11)
    report = tmp_path / "report.json"
    marker = uuid.uuid4().hex
    env = {**os.environ, "COPYDESK_TEST_MARK": marker}
    cmd = [sys.executable, "-m", "qa", "check", str(root), "--cluster", "local:2", "--format", "json", "-o", str(report), *NO_LT]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    time.sleep(6)  # the cluster is up and checking
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and not report.exists()

    def marked() -> list[int]:
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/environ", "rb") as fh:
                    if marker.encode() in fh.read():
                        found.append(int(pid))
            except OSError:
                continue
        return found

    deadline = time.monotonic() + 30
    while marked() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert marked() == []


def test_the_result_cache_works_on_the_workers(cli, cluster, tmp_path):
    """Without --no-cache the workers store each result under the key a local run uses (the
    cache folder is the workers' own, here the same as the tests'): a second run prints the
    same, and the first run's entries are there."""
    from pathlib import Path

    root = archive(tmp_path / "archive", 40, seed=5)
    cache = Path(os.environ["COPYDESK_CACHE_DIR"]) / "results"
    before = sum(1 for p in cache.rglob("*") if p.is_file()) if cache.exists() else 0
    first = cli("check", str(root), "--scheduler", cluster.scheduler_address, "--format", "json", "--ignore", "grammar")
    after = sum(1 for p in cache.rglob("*") if p.is_file())
    second = cli("check", str(root), "--scheduler", cluster.scheduler_address, "--format", "json", "--ignore", "grammar")
    local = cli("check", str(root), "-j", "1", "--format", "json", "--ignore", "grammar")
    assert after >= before + 40
    assert first.out == second.out == local.out
