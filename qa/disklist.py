"""Sequences kept on disk, for a run over an archive: what the run needs per file (the listing,
the spilled results' places) lives in temporary files, so the memory of a run of a million
files is that of a run of a thousand.

- `DiskArray`: 64-bit integers at fixed places (index i at byte 8*i), read and written in place;
  a place never written reads as `default`.
- `DiskList`: picklable values appended in order, read back by index or in order (a few
  iterations may interleave: each read seeks), an offset per value in a DiskArray.
- `sorted_on_disk`: strings in sorted order, sorted in runs of a bounded size written to disk
  and merged (heapq.merge), as `sorted()` would give them.
"""

from __future__ import annotations

import heapq
import pickle
import struct
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

_INT = struct.Struct("<q")
_PROTOCOL = pickle.HIGHEST_PROTOCOL
SORT_RUN = 20_000  # strings sorted in memory at once


class DiskArray:
    """Integers by index in a temporary file; unwritten places are `default` (a sparse file)."""

    def __init__(self, default: int = -1) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="copydesk-index-")
        self.default = default
        self._len = 0

    def __len__(self) -> int:
        return self._len

    def __setitem__(self, index: int, value: int) -> None:
        self._file.seek(index * _INT.size)
        # stored plus one: a never-written place (zeros in a sparse file) reads as the default
        self._file.write(_INT.pack(value - self.default + 1))
        self._len = max(self._len, index + 1)

    def __getitem__(self, index: int) -> int:
        if not 0 <= index < self._len:
            raise IndexError(index)
        self._file.seek(index * _INT.size)
        raw = self._file.read(_INT.size)
        stored = _INT.unpack(raw)[0] if len(raw) == _INT.size else 0
        return self.default if stored == 0 else stored + self.default - 1

    def append(self, value: int) -> None:
        self[self._len] = value

    def close(self) -> None:
        self._file.close()


class DiskList:
    """Values appended to a temporary file; `self[i]`, `len()`, iteration in order."""

    def __init__(self, values: Iterable[Any] = ()) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="copydesk-list-")
        self._offsets = DiskArray()
        self._end = 0
        for value in values:
            self.append(value)

    def __len__(self) -> int:
        return len(self._offsets)

    def append(self, value: Any) -> None:
        self._file.seek(self._end)
        self._offsets.append(self._end)
        pickle.dump(value, self._file, protocol=_PROTOCOL)
        self._end = self._file.tell()

    def __getitem__(self, index: int) -> Any:
        if index < 0:
            index += len(self)
        self._file.seek(self._offsets[index])
        return pickle.load(self._file)

    def __iter__(self) -> Iterator[Any]:
        return self.iter_from(0)

    def iter_from(self, start: int) -> Iterator[Any]:
        """The values from index `start` on (values appended meanwhile included)."""
        index = start
        while index < len(self):
            yield self[index]
            index += 1

    def close(self) -> None:
        self._file.close()
        self._offsets.close()


def sorted_on_disk(items: Iterable[str], run: int = SORT_RUN) -> Iterator[str]:
    """`sorted(items)`, holding at most `run` of them in memory: sorted runs go to temporary
    files, read back merged."""
    runs: list[IO[bytes]] = []
    chunk: list[str] = []
    try:
        for item in items:
            chunk.append(item)
            if len(chunk) >= run:
                runs.append(_write_run(sorted(chunk)))
                chunk = []
        if not runs:  # all of it fitted: no file
            yield from sorted(chunk)
            return
        if chunk:
            runs.append(_write_run(sorted(chunk)))
        chunk = []
        yield from heapq.merge(*(_read_run(fh) for fh in runs))
    finally:
        for fh in runs:
            fh.close()


def _write_run(items: list[str]) -> IO[bytes]:
    fh = tempfile.TemporaryFile(prefix="copydesk-sort-")
    for item in items:
        # NUL ends each: no path contains one; surrogateescape keeps undecodable names as given
        fh.write(item.encode("utf-8", "surrogateescape") + b"\0")
    fh.seek(0)
    return fh


def _read_run(fh: IO[bytes], block: int = 1 << 16) -> Iterator[str]:
    rest = b""
    while True:
        data = fh.read(block)
        if not data:
            return
        *whole, rest = (rest + data).split(b"\0")
        for raw in whole:
            yield raw.decode("utf-8", "surrogateescape")

