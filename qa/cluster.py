"""Archive audits on a Dask cluster: `copydesk check ARCHIVE --cluster local[:N]` (a
`distributed.LocalCluster` of N worker processes on this machine) or `--scheduler ADDRESS`
(a running scheduler, `tcp://host:8786`). Needs the optional dependency: `pip install
'copydesk[cluster]'` (distributed); nothing here is imported otherwise.

The client lists the files; the workers read and check them (so paths must be on storage the
workers share, or fsspec URLs they can read, `s3://...`), in batches of a few files a task,
with at most a few batches per worker thread in flight: the client holds a window of futures,
not one per file, and takes the results in the order of the files, as `-j` does, into the same
spill, reporters, baseline and exit codes. Checking a document is the same pure function as
in `-j` (qa.runner._check_one_packed): a run on a cluster prints byte for byte what `-j 1`
prints. Rule sets and the knowledge base are built once per worker process (a worker plugin
prepares them when the worker starts; qa.engine keeps them per configuration), and the result
cache works on the workers as it does locally (keyed by content, configuration and version).

Failures: a worker lost mid-run (killed, out of memory) has its tasks run again elsewhere by
the scheduler; a file that fails to be read or checked is that file's error (exit 2, named),
and the run goes on; a batch that fails as a whole (a worker died on it on every try) is
checked again file by file so that only the file that kills workers is reported. Ctrl-C
cancels the futures; nothing is written half-way (reports are written after the run).
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

from .config import Config
from .engine import FileResult

BATCH = 16  # files a task: a task costs the scheduler about a millisecond
IN_FLIGHT_PER_THREAD = 4  # batches queued per worker thread: the window the client holds
RELOADS_KEPT = 64  # files read back for the checks across files, kept at once on the client
RELOAD_BATCH = 8  # files read back a task
DEFAULT_GC = (700, 10, 10)  # Python's own thresholds
LOW_LEVEL_LOG = 32  # messages Dask's comms keep for debugging (Dask's default: 1000)
WORKER_LOST = "the cluster could not check this file (its worker died each time it was tried)"


class ClusterError(Exception):
    """The cluster could not be reached or started; str() says why, in one line."""


def parse_local(spec: str) -> int:
    """`local` or `local:N` -> N worker processes (default: the number of cores)."""
    name, _, count = spec.partition(":")
    if name != "local" or (count and not count.isdigit()) or count == "0":
        raise ClusterError(f"--cluster {spec!r}: use 'local' or 'local:N' (N worker processes)")
    return int(count) if count else (os.cpu_count() or 1)


@contextmanager
def connect(scheduler: str | None = None, local: str | None = None, configs: Iterable[Config] = ()) -> Iterator[Any]:
    """A distributed.Client: on a LocalCluster started here (and stopped after), or on the
    scheduler at `scheduler`. Each worker prepares the rule sets of `configs` when it starts."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError("--cluster and --scheduler need Dask: pip install 'copydesk[cluster]'") from None
    cluster = None
    try:
        # the client's log of its last messages to the scheduler (for debugging Dask): each
        # batch is a message with its files, and a thousand of them is megabytes held
        dask.config.set({"distributed.admin.low-level-log-length": LOW_LEVEL_LOG})
        if local is not None:
            workers = parse_local(local)
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                # any free port: None means Dask's 8787, and a second cluster on this machine
                # would print a warning about it into the run's output
                dashboard_address="127.0.0.1:0",
                silence_logs=40,  # logging.ERROR: the run's output is copydesk's
            )
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout=30)
    except ClusterError:
        raise
    except Exception as exc:  # noqa: BLE001 - OSError, TimeoutError, CommClosedError ...
        if cluster is not None:
            cluster.close()
        where = scheduler or local
        raise ClusterError(f"cannot reach the cluster at {where}: {type(exc).__name__}: {exc}") from None
    try:
        client.register_plugin(_prepare_plugin(list({c.key(): c for c in configs}.values())))
        # the command line collects garbage rarely, for checking's sake (qa.cli); the client
        # checks nothing, and the event loop that talks to the scheduler makes reference cycles
        # by the batch: left to the oldest generation, they would grow with the archive
        gc.set_threshold(*DEFAULT_GC)
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _prepare_plugin(configs: list[Config]) -> Any:
    """A worker plugin that builds each configuration's rule set and loads its data once, when
    the worker starts (or joins, or is restarted), not on its first file."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class Prepare(WorkerPlugin):
        name = "copydesk-prepare"

        def __init__(self, configs: list[Config]) -> None:
            self.configs = configs

        def setup(self, worker: Any) -> None:
            from .engine import build_ruleset

            for config in self.configs:
                try:
                    for check in build_ruleset(config).checks:
                        check.prepare()
                except Exception:  # noqa: BLE001 - a broken configuration is each file's error
                    continue
            # as the command line does for itself: checking allocates millions of short-lived
            # objects and few cycles, and the loaded data need never be collected
            gc.set_threshold(100_000, 20, 100)
            gc.freeze()

    return Prepare(configs)


def _check_batch(jobs: list[tuple], places: list[int]) -> tuple[list[FileResult], dict]:
    """A worker's task: the files of one batch, each as `-j` checks it, and the run-level
    checks' tallies of them (numbered by `places`, the files' places in the run). The results
    go to the client without their summaries: those stay here, in the tallies."""
    from dataclasses import replace

    from .engine import build_ruleset
    from .runner import _check_one_packed

    results, tallies = [], {}
    for place, job in zip(places, jobs, strict=True):
        result = _check_one_packed(job)
        if result.summaries:
            config = job[1]
            per = tallies.get(config.key())
            if per is None:
                ruleset = build_ruleset(config)
                per = tallies[config.key()] = {
                    c.id: (c.spec.kind, tally) for c in ruleset.checks if c.RUN_SCOPE and (tally := c.run_tally())
                }
            for check_id, (_, tally) in per.items():
                tally.add(place, result.summaries.get(check_id))
        results.append(replace(result, summaries=None, source=None))
    states = {key: {cid: (kind, t.state()) for cid, (kind, t) in per.items()} for key, per in tallies.items()}
    return results, states


def _results_of(out: tuple[list[FileResult], dict]) -> list[FileResult]:
    return out[0]


def _states_of(out: tuple[list[FileResult], dict]) -> dict:
    return out[1]


def _merge(left: dict, right: dict) -> dict:
    """Two batches' tallies as one, on a worker: a step of the tree reduction (left first)."""
    from .checks import KINDS

    merged = {key: dict(per) for key, per in left.items()}
    for key, per in right.items():
        into = merged.setdefault(key, {})
        for check_id, (kind, state) in per.items():
            if check_id in into:
                into[check_id] = (kind, KINDS[kind].merge_states(into[check_id][1], state))
            else:
                into[check_id] = (kind, state)
    return merged


def _summaries_of(jobs: list[tuple]) -> list[tuple[str, dict, str]]:
    return [_summary_of(job) for job in jobs]


def _summary_of(job: tuple) -> tuple[str, dict, str]:
    """A file read again on a worker for its run-level summaries and source (no rule runs): the
    files a finding across files names are read back, not kept."""
    from .engine import summarize_file

    path, config, fmt = job[:3]
    return summarize_file(path, config, fmt)


class ClusterRun:
    """One run's files checked on a cluster: `check(jobs)` yields (place, job, result) in
    order; the run-level tallies are merged on the cluster as the batches finish, in a binary
    tree (the client holds a future per level, not one per file); `states()` then gathers the
    one merged tally, and `reload(place)` has a file read again for its summaries. The client
    holds a window of batches, never a list of the run's files: `job_at(place)` gives the job
    of a file to read again (the command line reads it from its listing on disk)."""

    def __init__(self, client: Any, job_at: Callable[[int], tuple], batch: int = BATCH) -> None:
        self.client, self.job_at, self.batch = client, job_at, batch
        self._levels: list[tuple[int, Any]] = []  # (level, future of merged states), left to right
        self._reloaded: dict[int, tuple[str, dict, str]] = {}
        self._order: Iterator[int] = iter(())  # files reload will be asked for, not yet fetched
        self._last = -1  # the last of them fetched ahead (a file asked twice in a row is once)
        self._ahead: deque[tuple[list[int], Any]] = deque()  # (places, future) fetched ahead, in order
        self._window: int | None = None  # reads back in flight: IN_FLIGHT_PER_THREAD per worker thread

    def _fold(self, future: Any) -> None:
        level = 0
        while self._levels and self._levels[-1][0] == level:
            _, left = self._levels.pop()
            future = self.client.submit(_merge, left, future, pure=False)
            level += 1
        self._levels.append((level, future))

    def states(self) -> dict:
        """The merged tallies of the whole run, by configuration and check: {config key:
        {check id: state}}."""
        if not self._levels:
            return {}
        future = self._levels[-1][1]
        for _, left in reversed(self._levels[:-1]):
            future = self.client.submit(_merge, left, future, pure=False)
        merged = future.result()
        self._levels.clear()
        return {key: {cid: state for cid, (_, state) in per.items()} for key, per in merged.items()}

    def ahead(self, order: Iterable[int]) -> None:
        """The files `reload` will be asked for, in order: they are read again in parallel, a
        window ahead of the asking (the client holds the window, not the list)."""
        self._order, self._last = iter(order), -1
        self._ahead.clear()
        self._top_up()

    def _top_up(self) -> None:
        if self._window is None:  # asked of the scheduler once: a round trip each time otherwise
            self._window = max(1, sum(self.client.nthreads().values())) * IN_FLIGHT_PER_THREAD
        while len(self._ahead) < self._window:
            chunk: list[int] = []
            for place in self._order:
                if place != self._last:
                    chunk.append(place)
                    self._last = place
                    if len(chunk) == RELOAD_BATCH:
                        break
            if not chunk:
                return
            jobs = [self.job_at(p) for p in chunk]
            self._ahead.append((chunk, self.client.submit(_summaries_of, jobs, pure=False)))

    def reload(self, place: int) -> tuple[str, dict, str]:
        """A file's path, summaries and source, read again on a worker; the last few are kept
        (a check across files asks for one file once for each spelling it reports there)."""
        found = self._reloaded.pop(place, None)
        if found is None:
            for n, (chunk, future) in enumerate(self._ahead):
                if place in chunk:  # in the first chunk, nearly always
                    for _ in range(n):  # those before were asked for already, or never will be
                        self._ahead.popleft()
                    self._ahead.popleft()
                    for p, got in zip(chunk, future.result(), strict=True):
                        self._keep(p, got)
                    self._top_up()
                    found = self._reloaded.pop(place)
                    break
        if found is None:
            found = self._fetch(place)
        self._keep(place, found)
        return found

    def _keep(self, place: int, found: tuple[str, dict, str]) -> None:
        while len(self._reloaded) >= RELOADS_KEPT:
            self._reloaded.pop(next(iter(self._reloaded)))
        self._reloaded[place] = found  # the most recent last

    def _fetch(self, place: int) -> tuple[str, dict, str]:
        return self.client.submit(_summary_of, self.job_at(place), pure=False).result()

    def check(self, jobs: Iterable[tuple[int, tuple]]) -> Iterator[tuple[int, tuple, FileResult]]:
        """(place, job, result) for each (place, job) of `jobs` (jobs as
        qa.runner._check_one_packed takes them), in order."""
        yield from iter_check_cluster(self, jobs, self.batch)


def iter_check_cluster(
    run: ClusterRun, jobs: Iterable[tuple[int, tuple]], batch: int = BATCH
) -> Iterator[tuple[int, tuple, FileResult]]:
    """(place, job, result) for every (place, job) of `jobs`, in order, as the cluster
    finishes them; at most a window of batches in flight, and `jobs` read as far as that."""
    client = run.client
    threads = max(1, sum(client.nthreads().values()))
    window = threads * IN_FLIGHT_PER_THREAD
    source = iter(jobs)
    # (places, jobs, results, tallies) in order: the jobs kept to check them one by one
    pending: deque[tuple[list[int], list[tuple], Any, Any]] = deque()

    def submit() -> None:
        while len(pending) < window:
            chunk = list(islice(source, batch))
            if not chunk:
                return
            places, batch_jobs = [p for p, _ in chunk], [j for _, j in chunk]
            # pure=False: the same files checked again (a later run) are not results cached by Dask
            out = client.submit(_check_batch, batch_jobs, places, pure=False, retries=1)
            results = client.submit(_results_of, out, pure=False)
            pending.append((places, batch_jobs, results, client.submit(_states_of, out, pure=False)))
            out.release()  # the two that read it keep it until they have

    try:
        submit()
        while pending:
            places, batch_jobs, results_future, states_future = pending.popleft()
            try:
                results = results_future.result()
                run._fold(states_future)
            except Exception:  # noqa: BLE001 - the batch failed on every try: file by file
                results, states = _one_by_one(client, batch_jobs, places)
                run._fold(client.scatter(states) if states else client.submit(dict, pure=False))
            results_future.release()
            submit()
            yield from zip(places, batch_jobs, results, strict=True)
    finally:
        if pending:  # Ctrl-C, or the caller stopped: nothing more is checked
            client.cancel([f for *_, r, t in pending for f in (r, t)])


def _one_by_one(client: Any, jobs: list[tuple], places: list[int]) -> tuple[list[FileResult], dict]:
    """A failed batch's files, each in a task of its own: the one that fails is that file's
    error; the others' results and tallies as the batch would have given them."""
    from distributed import KilledWorker

    out: list[FileResult] = []
    states: dict = {}
    for place, job in zip(places, jobs, strict=True):
        try:
            results, part = client.submit(_check_batch, [job], [place], pure=False, retries=1).result()
            out.extend(results)
            states = _merge(states, part)
        except KilledWorker:
            out.append(FileResult(job[0], [], WORKER_LOST))
        except Exception as exc:  # noqa: BLE001 - whatever a worker raised is this file's error
            out.append(FileResult(job[0], [], f"checking failed on the cluster: {type(exc).__name__}: {exc}"))
    return out, states
