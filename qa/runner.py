"""Checking many files: `-j N` worker processes, and a cache of results by file content.

Workers check files independently (checking is a pure function of document, configuration and
knowledge base; the parent builds the rule sets and loads their data before the workers fork,
so they share one copy); results come back in the order the files were given, so output is
deterministic. The cache (`.copydesk_cache/` beside where
copydesk runs, or COPYDESK_CACHE_DIR) keys each file's result by its bytes, the configuration,
copydesk's version and the shipped rules and data, so an unchanged file is not checked again
in CI. Run-level checks (names across files) always run, from the cached summaries. Results
of an ordinary CLI run go to qa.spill as they come.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import os
import pickle
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from .config import Config
from .engine import FileResult, build_ruleset, check_file
from .readers import InputError, read_file
from .resources import code_stamp, rules_dir
from .sealed import seal, unseal

MIN_FILES_PER_WORKER = 4  # below this, starting processes costs more than it saves


# Bump when a cached FileResult or a check's summary changes shape: a cache written by another
# build of the same version must not be read as this one's.
RESULT_FORMAT = 4


@lru_cache(maxsize=1)
def _rules_fingerprint() -> str:
    h = hashlib.sha256(f"{__version__}:{RESULT_FORMAT}:{code_stamp()}".encode())
    for path in sorted(rules_dir().rglob("*")):
        if path.is_file():
            st = path.stat()
            h.update(f"{path.relative_to(rules_dir())}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def _cache_dir() -> Path:
    return Path(os.environ.get("COPYDESK_CACHE_DIR") or ".copydesk_cache") / "results"


def _config_files(config: Config) -> list[str]:
    """Files whose content changes a result: packs, knowledge files, vocabulary lists."""
    files = [*config.packs, *config.knowledge]
    for folder in config.vocabulary:
        files += [os.path.join(folder, name) for name in ("accept.txt", "reject.txt")]
    return files


def _cache_key(path: str, data: bytes, config: Config, fmt: str | None) -> str:
    h = hashlib.sha256()
    extra = []
    for p in _config_files(config):
        try:
            extra.append(f"{p}\x00".encode() + read_file(p))
        except InputError as exc:  # missing or unreadable: the rule set reports it
            extra.append(f"{p}\x00{exc}".encode())
    # the grammar server answers, so which server is part of the result
    server = os.environ.get("LANGUAGETOOL_URL", "")
    for part in (_rules_fingerprint(), repr(config.key()), server, os.path.abspath(path), str(fmt), *extra, data):
        h.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogateescape"))
        h.update(b"\x00")
    return h.hexdigest()


def _cached(key: str) -> FileResult | None:
    try:
        with open(_cache_dir() / key[:2] / key, "rb") as fh:
            value = unseal(fh.read())
    except OSError:
        return None
    # an entry that is not this build's result (sealed, but another shape) is a miss too
    return value if isinstance(value, FileResult) and isinstance(value.diagnostics, list) else None


def _store(key: str, result: FileResult) -> None:
    sealed = seal(result)
    if sealed is None:
        return
    cached = _cache_dir() / key[:2] / key
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        ignore = _cache_dir().parent / ".gitignore"
        if not ignore.exists():  # as .ruff_cache does: the cache keeps itself out of git
            ignore.write_text("# created by copydesk\n*\n", encoding="utf-8")
        fd, tmp = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(sealed)
        os.replace(tmp, cached)  # a bad entry found at this key is replaced
    except OSError:
        pass  # a read-only folder: the cache is an optimisation only


def _check_one(job: tuple[str, Config, str | None, bool]) -> FileResult:
    path, config, fmt, use_cache = job
    try:
        data = read_file(path)  # read once: the cache key and the check see the same bytes
    except InputError as exc:
        return FileResult(path, [], str(exc))
    key = _cache_key(path, data, config, fmt) if use_cache else None
    if key is not None and (hit := _cached(key)) is not None:
        return hit
    result = check_file(path, config, fmt=fmt, data=data)
    portable = replace(result, ruleset=None)  # rule sets stay in the parent: not pickled
    if key is not None and not result.error:
        _store(key, portable)
    return portable


def _check_one_packed(job: tuple[str, Config, str | None, bool, tuple[str, bool] | None]) -> FileResult:
    """_check_one in a worker, for a parent that spills: findings and source travel as the
    bytes the spill file stores, so the parent neither unpickles nor pickles them; and the
    file's part of the report (format, colour in `job`), written out here in parallel."""
    result = _check_one(job[:4])  # type: ignore[arg-type]
    rendered = counted = None
    if job[4] is not None:
        from .reporters import render_part

        rendered, counted = render_part(result, *job[4])
    packed = pickle.dumps(replace(result, summaries=None), protocol=pickle.HIGHEST_PROTOCOL)
    # the source travels too when the run-level checks may quote it (they read it back from
    # the spill beside the summaries, not by unpickling the whole result)
    source = result.source if result.summaries else None
    return FileResult(
        result.path,
        [],
        result.error,
        result.format,
        source,
        None,
        result.summaries,
        packed=packed,
        rendered=rendered,
        counted=counted,  # type: ignore[arg-type]
    )


def iter_check_many(
    jobs: Iterable[tuple[str, Config]],
    fmt: str | None,
    workers: int,
    use_cache: bool,
    packed: bool = False,
    render: tuple[str, bool] | None = None,
    cluster: Any = None,
    count: int | None = None,
    places: Iterable[int] | None = None,
    configs: Iterable[Config] | None = None,
) -> Iterator[FileResult]:
    """FileResults for (path, config) pairs, in order, as they are ready, with rule sets attached.
    `jobs` is read as the work goes (at most a window ahead of the results): a run over an
    archive never holds the list; `count` is how many there are, and `configs` the distinct
configurations, when `jobs` is not a list.
    `packed`: results from worker processes may come as FileResult.packed bytes (for a Spill),
    with their part of the report in `render` (format, colour) written out by the worker.
    `cluster`: a qa.cluster.ClusterRun whose workers check the files instead (always packed,
    without the run-level summaries: the cluster tallies those itself, numbering the files by
    `places`, their places in the run; by default 0, 1, 2 ...)."""
    payload = ((path, config, fmt, use_cache) for path, config in jobs)
    if cluster is not None:  # a qa.cluster.ClusterRun: the cluster's workers read and check the files
        numbered = zip(places if places is not None else itertools.count(), ((*job, render) for job in payload))
        for _, job, result in cluster.check(numbered):
            yield _attach(result, job[1])
        return
    total = count if count is not None else len(jobs)  # type: ignore[arg-type]
    if workers > 1 and total >= MIN_FILES_PER_WORKER * 2:
        work: Callable[..., FileResult] = _check_one
        if packed:
            work = _check_one_packed
            payload = ((*job, render) for job in payload)  # type: ignore[misc]
        if configs is None:
            configs = {id(config): config for _, config in jobs}.values() if isinstance(jobs, list) else ()
        _prepare(configs)
        chunk = max(1, min(32, total // (workers * 8)))
        try:
            for job, result in _pooled(work, payload, workers, chunk):
                yield _attach(result, job[1])
        finally:
            gc.unfreeze()  # a long-lived caller (the Python API) gets its collector back whole
    else:
        for job in payload:
            yield _attach(_check_one(job), job[1])


WORKER_DIED = "a worker process died while checking this file (it was tried twice)"
CHUNKS_PER_WORKER = 4  # chunks of jobs in flight per worker process: the window held


def _run_chunk(work: Callable[..., FileResult], jobs: list) -> list[FileResult]:
    return [work(job) for job in jobs]


def _pooled(work: Callable[..., FileResult], jobs: Iterable, workers: int, chunk: int) -> Iterator[tuple[Any, FileResult]]:
    """(job, result) for every job, in order, from worker processes, with a window of chunks
    in flight (`jobs` is read as far as that). A worker that dies (killed, or out of memory)
    breaks the pool: the first file not yet reported is then checked again on its own in a
    fresh process, and reported as this file's error if that one dies too; the rest go on in a
    new pool. Workers end when the parent does (they do not outlive a killed run)."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    source = iter(jobs)
    again: deque = deque()  # jobs taken from `source` and not reported when a pool broke

    def take() -> list:
        if again:
            return [again.popleft() for _ in range(min(chunk, len(again)))]
        return list(itertools.islice(source, chunk))

    while True:
        pending: deque[tuple[list, Any]] = deque()
        try:
            with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(os.getpid(),)) as pool:
                try:
                    while True:
                        while len(pending) < workers * CHUNKS_PER_WORKER and (part := take()):
                            try:
                                future = pool.submit(_run_chunk, work, part)
                            except BrokenProcessPool:
                                again.extendleft(reversed(part))  # taken, not sent: not lost
                                raise
                            pending.append((part, future))
                        if not pending:
                            return
                        part, future = pending[0]
                        results = future.result()
                        pending.popleft()
                        yield from zip(part, results, strict=True)
                finally:
                    for _, future in pending:  # the caller stopped (Ctrl-C): nothing more is started
                        future.cancel()
        except BrokenProcessPool:
            pass
        # the pool broke: what was in flight goes back in order, before the rest
        again.extendleft(reversed([job for part, _ in pending for job in part]))
        if not again:
            continue
        first = again.popleft()
        try:
            with ProcessPoolExecutor(max_workers=1, initializer=_worker_init, initargs=(os.getpid(),)) as alone:
                result = alone.submit(work, first).result()
        except BrokenProcessPool:
            result = FileResult(first[0], [], WORKER_DIED)
        yield first, result


def _worker_init(parent: int) -> None:
    """In each worker: die with the parent. Linux sends SIGKILL when the parent ends
    (PR_SET_PDEATHSIG); a parent already gone by now means exit at once."""
    import signal

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the pool's own shutdown when the parent exits normally still applies
    if os.getppid() != parent:
        os._exit(1)


def _prepare(configs: Iterable[Config]) -> None:
    """Rule sets built and their data loaded before the workers fork, which then share them
    (copy-on-write) instead of each compiling the patterns and parsing the word lists again.
    The parent needs the rule sets anyway, to report; with another start method than fork
    the workers would not inherit them, and nothing is done here."""
    import multiprocessing

    if multiprocessing.get_start_method(allow_none=False) != "fork":
        return
    for config in configs:
        try:
            for check in build_ruleset(config).checks:
                check.prepare()
        except Exception:  # noqa: BLE001 - a broken configuration is each file's error, reported there
            continue
    gc.freeze()  # the loaded data stays out of the collector: forked pages stay shared


def _attach(result: FileResult, config: Config) -> FileResult:
    # a file that was read (its text is here, or packed with its findings) gets its rule set
    read = result.source is not None or (result.packed is not None and result.format is not None)
    if result.ruleset is None and read:
        try:
            result.ruleset = build_ruleset(config)  # for run-level checks and notices
        except Exception:  # noqa: BLE001 - the file's own result already carries the error
            pass
    return result


def check_many(
    jobs: list[tuple[str, Config]], fmt: str | None, workers: int, use_cache: bool
) -> list[FileResult]:
    """All results in memory (the Python API, tests and small runs)."""
    return list(iter_check_many(jobs, fmt, workers, use_cache))
