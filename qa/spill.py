"""A run's results kept on disk, so that checking a million files holds no more in memory than
checking a thousand: the run-level checks' tallies, the distinct rule sets, and a window.

Each file's result goes to one temporary file (removed at the end) as it is checked, with its
run-level summaries and, for the text and JSON reports, its part of the report already written
out; what the run needs of each file (path, error, format, rule set, fail-on and where its
records are) goes to a qa.disklist.DiskList, and the findings across files, as they are found,
to the same file, chained per file (the place of each file's last one in a DiskArray).
Iterating gives the results back in order, as often as a reporter needs, with their run-level
findings merged in and the baseline filter applied; a file whose part was written out and that
nothing changed since comes back as that part alone (no findings to unpickle and render again:
with -j, the workers did that work in parallel).
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from .disklist import DiskArray, DiskList
from .engine import FileResult, RuleSet, RunChecks, merge_run_findings
from .finding import Diagnostic, Severity

_PROTOCOL = pickle.HIGHEST_PROTOCOL


class Spill:
    def __init__(self, render: tuple[str, bool] | None = None) -> None:
        # one file of consecutive pickles: a file per result cost two opens per article
        self._file = tempfile.TemporaryFile(prefix="copydesk-run-")
        # per file: (path, error, format, rule set number, fail-on, result, summaries and part
        # offsets in the file above; -1: no part written out)
        self._stubs = DiskList()
        self._extra = DiskArray()  # per file: offset of its last finding across files, -1: none
        self.rulesets: list[RuleSet] = []  # the distinct rule sets, in the order first seen
        self._ruleset_no: dict[int, int] = {}
        self.errors = 0  # files that could not be read or checked
        # (format, colour) of the report to write parts for as results come, if any
        self.render = render
        self.run = RunChecks()  # the checks across files tally each result as it comes
        self.filter: Callable[[FileResult], None] | None = None
        # where the run-level checks read a file's summaries back: this file, or (for a run on
        # a cluster, whose summaries stayed there) a function that has the file checked again
        self.reload: Callable[[int], tuple[str, dict, str]] | None = None
        self.ahead: Callable[[Any], None] | None = None  # told the files reload will be asked for
        # seen while a reporter read the results: a file's findings reached its fail-on
        self.failed = False
        self.passes = 0  # times the results were read (a baseline counts what it hid once)

    def _write(self, value: Any) -> int:
        self._file.seek(0, os.SEEK_END)
        offset = self._file.tell()
        pickle.dump(value, self._file, protocol=_PROTOCOL)
        return offset

    def add(self, result: FileResult) -> None:
        self._file.seek(0, os.SEEK_END)
        at = self._file.tell()
        if result.packed is not None:  # pickled by a worker already
            self._file.write(result.packed)
        else:
            pickle.dump(replace(result, ruleset=None, summaries=None), self._file, protocol=_PROTOCOL)
        # summaries go to disk too, with the source they point into: the run-level checks read
        # back only the few they report on
        summary_at = self._write((result.summaries, result.source) if result.summaries else None)
        part_at = self._add_part(result)
        self.run.add(len(self._stubs), result)
        number = -1
        if result.ruleset is not None:
            number = self._ruleset_no.setdefault(id(result.ruleset), len(self.rulesets))
            if number == len(self.rulesets):
                self.rulesets.append(result.ruleset)
        self.errors += bool(result.error)
        fail_on = int(result.fail_on) if result.fail_on is not None else None
        self._stubs.append((result.path, result.error, result.format, number, fail_on, at, summary_at, part_at))

    def _add_part(self, result: FileResult) -> int:
        part = None
        if result.rendered is not None:  # a worker wrote it
            part = (result.rendered, result.counted)
        elif self.render is not None and result.packed is None:
            from .reporters import render_part

            rendered, counted = render_part(result, *self.render)
            part = (rendered, counted) if rendered is not None else None
        return -1 if part is None else self._write(part)

    def run_findings(self) -> None:
        """The findings of the checks across files, each chained to its file on disk."""
        self.run.findings(self.reload or self._summaries, self.ahead, sink=self._add_extra)

    def _add_extra(self, index: int, diagnostic: Diagnostic) -> None:
        previous = self._extra[index] if index < len(self._extra) else -1
        self._extra[index] = self._write((diagnostic, previous))

    def _extras(self, index: int) -> list[Diagnostic]:
        """The findings across files of one file, in the order they were found."""
        out = []
        offset = self._extra[index] if index < len(self._extra) else -1
        while offset >= 0:
            self._file.seek(offset)
            diagnostic, offset = pickle.load(self._file)
            out.append(diagnostic)
        return out[::-1]

    def _summaries(self, index: int) -> tuple[str, dict, str]:
        stub = self._stubs[index]
        self._file.seek(stub[6])
        summaries, source = pickle.load(self._file) or ({}, "")
        return stub[0], summaries, source or ""

    def __len__(self) -> int:
        return len(self._stubs)

    def _stub(self, stub: tuple) -> FileResult:
        path, error, fmt, number, fail_on, *_ = stub
        result = FileResult(path, [], error, fmt, None, self.rulesets[number] if number >= 0 else None)
        result.fail_on = Severity(fail_on) if fail_on is not None else None
        return result

    def stubs(self) -> Iterator[FileResult]:
        """Each file's path, error, format, rule set and fail-on: no findings, no text."""
        return map(self._stub, self._stubs)

    def __iter__(self) -> Iterator[FileResult]:
        self.passes += 1
        for i, stub in enumerate(self._stubs):
            result = self._part(i, stub) or self._result(i, stub)
            severities = result.severities()
            if severities and max(severities) >= (result.fail_on or Severity.WARNING):
                self.failed = True
            yield result

    def _part(self, i: int, stub: tuple) -> FileResult | None:
        """The file as its written-out part, when nothing has changed it since."""
        offset = stub[7]
        if offset < 0 or self.filter is not None or (i < len(self._extra) and self._extra[i] >= 0):
            return None
        self._file.seek(offset)  # seek each time: two passes may interleave
        rendered, counted = pickle.load(self._file)
        result = self._stub(stub)
        result.rendered, result.counted = rendered, tuple(map(Severity, counted))
        return result

    def _result(self, i: int, stub: tuple) -> FileResult:
        self._file.seek(stub[5])
        result: FileResult = pickle.load(self._file)
        light = self._stub(stub)
        result.ruleset, result.fail_on = light.ruleset, light.fail_on
        merge_run_findings(result, self._extras(i))
        if self.filter is not None:
            self.filter(result)
        return result

    def close(self) -> None:
        self._file.close()
        self._stubs.close()
        self._extra.close()
