"""Readers turn a file's bytes into a Document. One module per format, registered below.

Decoding is shared: UTF-8 with or without a BOM, UTF-16 with a BOM; CRLF and CR line ends are
normalised to LF so that offsets, lines and columns agree with what editors show.
"""

from __future__ import annotations

import codecs
import importlib
import os
from dataclasses import dataclass

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

    codec: str = "utf-8"  # utf-8, utf-16-le or utf-16-be
    bom: bool = False
    newline: str = "\n"  # the most common line end: \n, \r\n or \r

    def encode(self, text: str) -> bytes:
        """`text` (LF line ends) as the file's bytes."""
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        data = text.encode(self.codec)
        if self.bom:
            data = {
                "utf-8": codecs.BOM_UTF8,
                "utf-16-le": codecs.BOM_UTF16_LE,
                "utf-16-be": codecs.BOM_UTF16_BE,
            }[self.codec] + data
        return data


def sniff(data: bytes) -> Encoding:
    """The encoding, BOM and dominant line end of a file's bytes."""
    if data.startswith(codecs.BOM_UTF8):
        codec, bom = "utf-8", True
    elif data.startswith(codecs.BOM_UTF16_LE):
        codec, bom = "utf-16-le", True
    elif data.startswith(codecs.BOM_UTF16_BE):
        codec, bom = "utf-16-be", True
    else:
        codec, bom = "utf-8", False
    unit = 2 if codec.startswith("utf-16") else 1
    crlf = data.count("\r\n".encode(codec) if unit == 2 else b"\r\n")
    cr = data.count("\r".encode(codec) if unit == 2 else b"\r") - crlf
    lf = data.count("\n".encode(codec) if unit == 2 else b"\n") - crlf
    newline = max(((lf, "\n"), (crlf, "\r\n"), (cr, "\r")), key=lambda p: p[0])[1] if crlf or cr else "\n"
    return Encoding(codec, bom, newline)


def decode(data: bytes) -> str:
    """Bytes to text with LF line ends; raises InputError for binary or undecodable data."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        encoding = "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
        if b"\x00" in data[:8192]:
            raise InputError("binary file (contains NUL bytes), not text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid {encoding.upper()}: byte 0x{data[exc.start]:02x} at offset {exc.start}"
        ) from None
    text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_bytes(path: str, data: bytes, fmt: str | None = None) -> Document:
    if len(data) > MAX_BYTES:
        raise InputError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if (fmt or format_for(path)) == "docx":
        from .docx import read_docx

        return read_docx(path, data)
    source = decode(data)
    if not source.strip():
        raise InputError("file is empty")
    doc = read_source(path, source, fmt or format_for(path) or "txt")
    doc.encoding = sniff(data)
    return doc


def read_path(path: str, fmt: str | None = None) -> Document:
    # one open and one fstat: an archive run reads ten thousand files
    try:
        with open(path, "rb") as fh:
            if (
                os.fstat(fh.fileno()).st_size > MAX_BYTES
            ):  # refused before reading: a 50 MB file never enters memory
                raise InputError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB")
            data = fh.read()
    except FileNotFoundError:
        raise InputError("no such file or directory") from None
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from None
    return read_bytes(path, data, fmt)
