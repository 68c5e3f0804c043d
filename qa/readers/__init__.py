"""Readers turn a file's bytes into a Document. One module per format, registered below.

Decoding is shared: UTF-8 with or without a BOM, UTF-16 or UTF-32 with a BOM; CRLF and CR line
ends are normalised to LF so that offsets, lines and columns agree with what editors show.

Only regular files are read (a FIFO named story.txt would block forever, /dev/zero never ends),
and every read, standard input included, stops at MAX_BYTES.
"""

from __future__ import annotations

import codecs
import hashlib
import importlib
import os
import stat
from bisect import bisect_left
from dataclasses import dataclass
from typing import BinaryIO

from ..document import Document


class InputError(Exception):
    """A file that cannot be checked; the message is one line naming the reason."""


# format -> reader module (each has `read(path, source) -> Document`); imported on first use so
# that checking plain text never loads the Markdown parser
READERS: dict[str, str] = {
    "txt": "qa.readers.txt",
    "md": "qa.readers.markdown",
    "html": "qa.readers.html",
}


def read_source(path: str, source: str, fmt: str) -> Document:
    """A Document from already-decoded source text in format `fmt`."""
    return importlib.import_module(READERS[fmt]).read(path, source)  # type: ignore[no-any-return]


EXTENSIONS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".mdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
}

# Copy, not data: a long feature is 100 KB and a book 1 MB. Larger files are refused with a
# message (a 100,000-word article takes about a second; 5 MB of text, ten times that).
MAX_BYTES = 5 * 1024 * 1024


def format_for(path: str) -> str | None:
    return EXTENSIONS.get(os.path.splitext(path)[1].lower())


@dataclass(frozen=True)
class Encoding:
    """How a file was written, so that a fix writes it back the same way."""

    codec: str = "utf-8"  # utf-8, utf-16-le, utf-16-be, utf-32-le or utf-32-be
    bom: bool = False
    newline: str = "\n"  # the most common line end: \n, \r\n or \r

    def encode(self, text: str) -> bytes:
        """`text` (LF line ends) as the file's bytes."""
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        data = text.encode(self.codec)
        return _BOMS[self.codec] + data if self.bom else data


# UTF-32 first: its little-endian BOM begins with UTF-16's (FF FE 00 00)
_BOMS = {
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
    "utf-8": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
}


def _codec(data: bytes) -> tuple[str, bool]:
    for codec, bom in _BOMS.items():
        if data.startswith(bom):
            return codec, True
    return "utf-8", False


def sniff(data: bytes) -> Encoding:
    """The encoding, BOM and dominant line end of a file's bytes."""
    codec, bom = _codec(data)
    crlf = data.count("\r\n".encode(codec))
    cr = data.count("\r".encode(codec)) - crlf
    lf = data.count("\n".encode(codec)) - crlf
    newline = max(((lf, "\n"), (crlf, "\r\n"), (cr, "\r")), key=lambda p: p[0])[1] if crlf or cr else "\n"
    return Encoding(codec, bom, newline)


def decode_raw(data: bytes) -> tuple[Encoding, str]:
    """The file's encoding and its text exactly as written (line ends and any further leading
    U+FEFF kept, the BOM itself removed): `encoding.encode`-free round trip for fixes."""
    codec, bom = _codec(data)
    body = data[len(_BOMS[codec]) :] if bom else data
    if not bom and b"\x00" in body[:8192]:
        raise InputError("binary file (contains NUL bytes), not text")
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        name = codec.upper().replace("-LE", "").replace("-BE", "")
        raise InputError(f"not valid {name}: byte 0x{body[exc.start]:02x} at offset {exc.start}") from None
    return Encoding(codec, bom), text


def normalise(raw: str) -> str:
    """Text as checked: leading U+FEFF removed, CRLF and CR turned into LF."""
    text = raw.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def decode(data: bytes) -> str:
    """Bytes to text with LF line ends; raises InputError for binary or undecodable data."""
    return normalise(decode_raw(data)[1])


class RawText:
    """A file's text as written and as checked, with offsets of the second mapped to the first,
    so that a fix changes only the characters it edits (mixed line ends and a second leading
    U+FEFF come back as they were)."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.lead = len(raw) - len(raw.lstrip("\ufeff"))
        self.text = normalise(raw)
        body = raw[self.lead :]
        # checked offsets before which one CR of a CRLF pair was dropped (a lone CR became LF)
        self._dropped: list[int] = []
        at = body.find("\r\n")
        while at >= 0:
            self._dropped.append(at - len(self._dropped))
            at = body.find("\r\n", at + 2)

    def to_raw(self, offset: int) -> int:
        return self.lead + offset + bisect_left(self._dropped, offset)


def digest(data: bytes) -> str:
    """What `--fix` compares before it writes: the file must still be the one checked."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_bytes(path: str, data: bytes, fmt: str | None = None) -> Document:
    if len(data) > MAX_BYTES:
        raise InputError(_TOO_LARGE)
    if (fmt or format_for(path)) == "docx":
        from .docx import read_docx

        doc = read_docx(path, data)
    else:
        source = decode(data)
        if not source.strip():
            raise InputError("file is empty")
        doc = read_source(path, source, fmt or format_for(path) or "txt")
        doc.encoding = sniff(data)
    doc.digest = digest(data)
    return doc


_TOO_LARGE = f"file is larger than {MAX_BYTES // (1024 * 1024)} MB"


def read_limited(stream: BinaryIO, limit: int = MAX_BYTES) -> bytes:
    """At most `limit` bytes of a stream; InputError past it (`check - < /dev/zero` ends)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(_TOO_LARGE)
    return data


def open_regular(path: str, flags: int = os.O_RDONLY) -> tuple[int, os.stat_result]:
    """A descriptor on `path` if it is a regular file, and its status. Opened without blocking,
    so a FIFO is refused instead of waiting for a writer; InputError for anything else."""
    try:
        fd = os.open(path, flags | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError("no such file or directory") from None
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError("is a directory")
        raise InputError("not a regular file (a device, FIFO or socket); only files are read")
    os.set_blocking(fd, True)
    return fd, st


def is_url(path: str) -> bool:
    """Whether `path` is an fsspec URL ("s3://bucket/a.txt", "file:///srv/a.txt"), read through
    fsspec (copydesk[cluster]) rather than opened as a local file."""
    scheme, sep, _ = path.partition("://")
    return bool(sep) and scheme.isalnum() and len(scheme) > 1 and not os.path.exists(path)


def read_url(url: str) -> bytes:
    """A file's bytes by fsspec URL, at most MAX_BYTES."""
    try:
        import fsspec
    except ImportError:
        raise InputError("reading by URL needs fsspec: pip install 'copydesk[cluster]'") from None
    try:
        with fsspec.open(url, "rb") as fh:
            return read_limited(fh)
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError("no such file or directory") from None
    except Exception as exc:  # noqa: BLE001 - a protocol without its library, a refused request ...
        raise InputError(f"cannot read by URL: {type(exc).__name__}: {exc}") from None


def read_file(path: str) -> bytes:
    """A regular file's bytes, at most MAX_BYTES (one open and one fstat: an archive run reads
    ten thousand files; a 50 MB file is refused before it enters memory). An fsspec URL is
    read through fsspec."""
    if "://" in path and is_url(path):
        return read_url(path)
    fd, st = open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        if st.st_size > MAX_BYTES:
            raise InputError(_TOO_LARGE)
        try:
            return read_limited(fh)  # the limit again: the file may grow while it is read
        except OSError as exc:
            raise InputError(exc.strerror or str(exc)) from None


def read_path(path: str, fmt: str | None = None) -> Document:
    return read_bytes(path, read_file(path), fmt)
