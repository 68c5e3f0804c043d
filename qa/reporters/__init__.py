"""Output formats, one module each, registered in the order `--format` lists them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from ..engine import FileResult
from . import json_format, text

# render(results, out, color, notices): notices are one-line messages about the run as a whole
Reporter = Callable[..., None]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_format.render,
}
