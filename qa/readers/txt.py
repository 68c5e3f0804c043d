"""Plain text: the checked text is the file itself, less its suppression lines
("copydesk: disable-next-line RULE" on a line of its own, qa.suppress), which are read as
directives and never checked."""

from __future__ import annotations

from ..document import Document, DocumentBuilder, plain_document
from ..suppress import LINE_DIRECTIVE


def read(path: str, source: str) -> Document:
    if "copydesk:" not in source:
        return plain_document(path, source, "txt")
    b = DocumentBuilder(path, "txt", source)
    pos = 0
    for m in LINE_DIRECTIVE.finditer(source):
        b.copy(pos, m.start())
        pos = m.end() + 1 if source.startswith("\n", m.end()) else m.end()  # the line and its end
    b.copy(pos, len(source))
    return b.build()
