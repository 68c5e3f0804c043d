"""Kind `unused-suppression`: a suppression comment that suppresses nothing.

What it flags
    A `<!-- copydesk-disable ... -->`, `<!-- copydesk-disable-next-line ... -->` comment in a
    Markdown or HTML file under which no finding of the named rules occurs: the problem was
    fixed, or the rule id is misspelt. (Ruff reports unused noqa comments the same way.)

Why
    Stale suppressions hide the next real problem in the same place.

Example
    flags `<!-- copydesk-disable-next-line quotes -->` above a line whose quotation marks pair
    up; the same comment above `"We will fight, he said.` is used and clean.

Options
    none beyond `regions`. The engine does the work after every other rule has run (the rule
    only switches it on and sets its severity).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Document
from ..finding import Finding
from .base import Check


class UnusedSuppressionCheck(Check):
    OPTIONS: dict = {}

    def check(self, doc: Document) -> Iterator[Finding]:
        return iter(())  # qa.suppress reports unused comments once the other rules have run
