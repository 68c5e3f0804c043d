"""Hostile inputs: each measured at a size and four times that size, so that the table shows
how the time grows (4x is linear, 16x quadratic). Used by scaling.py for the "Hostile inputs"
section of SCALING.md (issue 14, item 10); run on its own with `python benchmarks/scaling.py
--only hostile`. Times are in this process (median of three), LanguageTool off."""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa import check_text  # noqa: E402
from qa.config import Config, load_config  # noqa: E402

CONFIG = Config(ignore=("grammar",))
ARTICLE_LINE = "The minister said the the plan was ready.\n"


def _median(work: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _html_nested(n: int) -> Callable[[], object]:
    text = "<p>The minister spoke.</p>" + "<pre><b>" * n + "x" + "</b>" * n + "<code>" * n + "</pre>" * n
    return lambda: check_text(text, fmt="html", config=CONFIG)


def _md_brackets(n: int) -> Callable[[], object]:
    text = "The minister spoke. " + "[" * n + "\n"
    return lambda: check_text(text, fmt="md", config=CONFIG)


def _html_view(n: int) -> Callable[[], object]:
    from qa.engine import build_ruleset, diagnose
    from qa.htmlview import page
    from qa.readers import read_source

    source = ARTICLE_LINE * n
    doc = read_source("a.txt", source, "txt")
    diagnostics = diagnose(doc, build_ruleset(CONFIG), CONFIG)
    assert len(diagnostics) == n
    return lambda: page([("a.txt", source, diagnostics)])


def _fix(n: int) -> Callable[[], object]:
    from qa.fixing import fix_bytes

    data = (ARTICLE_LINE * n).encode()
    return lambda: fix_bytes("a.txt", data, "txt", CONFIG, False)


def _chrome(n: int) -> Callable[[], object]:
    """n lines of page chrome (breadcrumbs) among n headline-like lines: every line a finding,
    one list of teasers as long as the file (a quadratic look-ahead and a slice per removal were
    found with it)."""
    import qa
    from qa.config import Config

    text = "\n".join(
        "Home › News › Politics" if i % 2 else f"Grain corridor ships record volume despite attacks {i}" for i in range(n)
    )
    config = Config(select=("boilerplate",))
    return lambda: qa.check_text(text, config=config)


def _config(n: int) -> Callable[[], object]:
    folder = Path(tempfile.mkdtemp(prefix="copydesk-hostile-"))
    lines = ["[per-file-ignores]", *[f'"desk{i}/**" = ["names"]' for i in range(n)], "[severity]"]
    lines += [f'"translationese.x{i}" = "info"' for i in range(n)]
    path = folder / "copydesk.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lambda: load_config(path)


def _docx(n: int) -> Callable[[], object]:
    import docx

    from qa.readers import read_bytes

    document = docx.Document()
    for _ in range(n):
        document.add_paragraph("")
    document.add_paragraph("The minister spoke.")
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    return lambda: read_bytes("a.docx", data, "docx")


def _yaml_bomb(n: int) -> Callable[[], object]:
    from qa.readers import InputError

    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    levels += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)]
    text = "---\n" + "\n".join(levels) + "\n---\n" + ARTICLE_LINE * n

    def run() -> None:
        try:
            check_text(text, fmt="md", config=CONFIG)
        except InputError:
            pass  # refused, as it should be: the time is the refusal's

    return run


CASES: list[tuple[str, Callable[[int], Callable[[], object]], int]] = [
    ("HTML with n nested `<pre>`, `<b>` and `<code>`, closed out of order", _html_nested, 20_000),
    ("Markdown with n '['", _md_brackets, 100_000),
    ("HTML view with n findings", _html_view, 20_000),
    ("--fix with n edits", _fix, 10_000),
    ("configuration with n globs and n severities", _config, 10_000),
    ("n lines of page chrome among n headline-like lines", _chrome, 5_000),
    (".docx of n empty paragraphs", _docx, 50_000),
    ("YAML alias bomb in front matter, then n lines", _yaml_bomb, 1_000),
]


def rows() -> list[tuple[str, int, float, float]]:
    out = []
    for label, make, n in CASES:
        small, large = _median(make(n)), _median(make(4 * n))
        out.append((label, n, small, large))
        print(out[-1], flush=True)
    return out


def markdown(measured: list[tuple[str, int, float, float]]) -> list[str]:
    return [
        "## Hostile inputs",
        "",
        "Each at a size n and at 4n, timed in one process (median of three): a ratio near 4 is linear,",
        "16 would be quadratic. Every one of these was quadratic or unbounded before issue 14.",
        "",
        "| input | n | seconds at n | seconds at 4n | ratio |",
        "|---|---:|---:|---:|---:|",
        *[f"| {label} | {n:,} | {a:.3f} | {b:.3f} | {b / a:.1f} |" for label, n, a, b in measured],
        "",
    ]
