"""A run's results kept on disk, so that checking ten thousand files holds only their paths and
the run-level checks' tallies in memory.

Each file's result goes to one temporary file (removed at the end) as it is checked, with its
run-level summaries and, for the text and JSON reports, its part of the report already written
out. Iterating gives the results back in order, as often as a reporter needs, with their
run-level findings merged in and the baseline filter applied; a file whose part was written
out and that nothing changed since comes back as that part alone (no findings to unpickle and
render again: with -j, the workers did that work in parallel).
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from .engine import FileResult, RunChecks, merge_run_findings
from .finding import Severity

_PROTOCOL = pickle.HIGHEST_PROTOCOL


class Spill:
    def __init__(self, render: tuple[str, bool] | None = None) -> None:
        # one file of consecutive pickles: a file per result cost two opens per article
        self._file = tempfile.TemporaryFile(prefix="copydesk-run-")
        self.stubs: list[FileResult] = []  # path, error, rule set: no findings, no text, no summaries
        self._offsets: list[int] = []
        self._summary_offsets: list[int] = []
        self._part_offsets: list[int] = []  # -1: no part written out for that file
        # (format, colour) of the report to write parts for as results come, if any
        self.render = render
        self.run = RunChecks()  # the checks across files tally each result as it comes
        self.extra: dict[str, list] = {}
        self.filter: Callable[[FileResult], None] | None = None
        # where the run-level checks read a file's summaries back: this file, or (for a run on
        # a cluster, whose summaries stayed there) a function that has the file checked again
        self.reload: Callable[[int], tuple[str, dict, str]] | None = None
        self.ahead: Callable[[list[int]], None] | None = None  # told the files reload will be asked for
        self.worst: dict[str, Any] = {}  # path -> highest severity seen while a reporter read the results

    def add(self, result: FileResult) -> None:
        self._file.seek(0, os.SEEK_END)
        self._offsets.append(self._file.tell())
        if result.packed is not None:  # pickled by a worker already
            self._file.write(result.packed)
        else:
            pickle.dump(replace(result, ruleset=None, summaries=None), self._file, protocol=_PROTOCOL)
        # summaries go to disk too, with the source they point into: the run-level checks read
        # back only the few they report on
        self._summary_offsets.append(self._file.tell())
        record = (result.summaries, result.source) if result.summaries else None
        pickle.dump(record, self._file, protocol=_PROTOCOL)
        self._add_part(result)
        self.run.add(len(self.stubs), result)
        self.stubs.append(FileResult(result.path, [], result.error, result.format, None, result.ruleset))

    def _add_part(self, result: FileResult) -> None:
        part = None
        if result.rendered is not None:  # a worker wrote it
            part = (result.rendered, result.counted)
        elif self.render is not None and result.packed is None:
            from .reporters import render_part

            rendered, counted = render_part(result, *self.render)
            part = (rendered, counted) if rendered is not None else None
        if part is None:
            self._part_offsets.append(-1)
            return
        self._part_offsets.append(self._file.tell())
        pickle.dump(part, self._file, protocol=_PROTOCOL)

    def run_findings(self) -> dict[str, list]:
        """The findings of the checks across files, by path (kept for the passes that follow)."""
        self.extra = self.run.findings(self.reload or self._summaries, self.ahead)
        return self.extra

    def _summaries(self, index: int) -> tuple[str, dict, str]:
        self._file.seek(self._summary_offsets[index])
        summaries, source = pickle.load(self._file) or ({}, "")
        return self.stubs[index].path, summaries, source or ""

    def __len__(self) -> int:
        return len(self.stubs)

    def __iter__(self) -> Iterator[FileResult]:
        for i, stub in enumerate(self.stubs):
            result = self._part(i, stub) or self._result(i, stub)
            severities = result.severities()
            if severities:
                self.worst[result.path] = max(severities)
            yield result

    def _part(self, i: int, stub: FileResult) -> FileResult | None:
        """The file as its written-out part, when nothing has changed it since."""
        offset = self._part_offsets[i]
        if offset < 0 or self.filter is not None or stub.path in self.extra:
            return None
        self._file.seek(offset)  # seek each time: two passes may interleave
        rendered, counted = pickle.load(self._file)
        return FileResult(
            stub.path,
            [],
            stub.error,
            stub.format,
            None,
            stub.ruleset,
            rendered=rendered,
            counted=tuple(map(Severity, counted)),
        )

    def _result(self, i: int, stub: FileResult) -> FileResult:
        self._file.seek(self._offsets[i])
        result: FileResult = pickle.load(self._file)
        result.ruleset = stub.ruleset
        merge_run_findings(result, self.extra.get(result.path, []))
        if self.filter is not None:
            self.filter(result)
        return result

    def close(self) -> None:
        self._file.close()
