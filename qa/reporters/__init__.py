"""Output formats, one module each, registered in the order `--format` lists them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from ..engine import FileResult
from . import json_format, text

Reporter = Callable[[list[FileResult], TextIO, bool], None]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_format.render,
}
