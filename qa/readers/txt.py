"""Plain text: the checked text is the file itself."""

from __future__ import annotations

from ..document import Document, plain_document


def read(path: str, source: str) -> Document:
    return plain_document(path, source, "txt")
