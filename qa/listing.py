"""The files of one command-line run, in the order they are reported, kept on disk (a
qa.disklist.DiskList): an archive of a million files costs the run no more memory to list than
a folder of ten. Each file is a place in the run (0, 1, 2 ...): the spill, the checks across
files and a cluster's read-backs all number files by it.

A place holds a file to check (its path and the number of its configuration, one of the few
distinct ones kept here), or a result known already: a folder that could not be read (these
come first, as they are found while walking), a file whose configuration is broken, or
standard input (checked when listed; kept in memory, there is one).
"""

from __future__ import annotations

from collections.abc import Iterator

from .config import Config
from .disklist import DiskList
from .engine import FileResult


class Listing:
    def __init__(self) -> None:
        self._entries = DiskList()  # (path, config number) | FileResult | int (a result in `ready`)
        self.head: list[FileResult] = []  # folders that could not be read: places 0, 1 ...
        self.configs: list[Config] = []  # the distinct configurations, in the order first used
        self._config_no: dict[int, int] = {}  # id(config) -> number (the resolver shares them)
        self.ready: list[tuple[FileResult, Config]] = []
        self.jobs = 0  # files to check

    def _number(self, config: Config) -> int:
        number = self._config_no.get(id(config))
        if number is None:
            number = self._config_no[id(config)] = len(self.configs)
            self.configs.append(config)  # kept: the id stays this one's
        return number

    def add_job(self, path: str, config: Config) -> None:
        self._entries.append((path, self._number(config)))
        self.jobs += 1

    def add_result(self, result: FileResult, config: Config | None = None) -> None:
        """A result known without checking: an error, or (with its configuration) stdin's."""
        if config is None:
            self._entries.append(result)
        else:
            self._entries.append(len(self.ready))
            self.ready.append((result, config))

    def __len__(self) -> int:
        return len(self.head) + len(self._entries)

    def __iter__(self) -> Iterator[tuple[FileResult | None, Config | None]]:
        """Each place in order: (None, config) for a file to check, (result, config or None)
        for one known."""
        for result in self.head:
            yield result, None
        for entry in self._entries:
            if isinstance(entry, tuple):
                yield None, self.configs[entry[1]]
            elif isinstance(entry, int):
                yield self.ready[entry]
            else:
                yield entry, None

    def jobs_of(self) -> Iterator[tuple[int, str, Config]]:
        """(place, path, configuration) of each file to check, in order."""
        for offset, entry in enumerate(self._entries):
            if isinstance(entry, tuple):
                yield len(self.head) + offset, entry[0], self.configs[entry[1]]

    def job_at(self, place: int) -> tuple[str, Config]:
        """The path and configuration of the file to check at `place`."""
        path, number = self._entries[place - len(self.head)]
        return path, self.configs[number]

    def close(self) -> None:
        self._entries.close()
