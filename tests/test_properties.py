"""Property tests (Hypothesis): any text, any bytes, any article.

The example budget is fixed and the search derandomised (the "ci" profile in conftest.py), so a
run in CI is repeatable; `HYPOTHESIS_PROFILE=deep pytest tests/test_properties.py` searches
ten times longer.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa import check_text
from qa.cli import main
from qa.config import Config
from qa.readers import InputError
from qa.segment import segment
from qa.titles import _DATES, _MONTHS, dates_in

ROOT = Path(__file__).resolve().parent.parent
NO_LT = ("--ignore", "grammar")
FIX_CONFIG = Config(ignore=("grammar",))

# Sentences of the fixtures (clean and flagged): generated articles use them, so the checks
# meet real copy with real errors, shuffled and mixed with hostile characters.
SENTENCES = [
    s.strip()
    for p in sorted((ROOT / "fixtures" / "flagged").glob("*.txt"))
    + sorted((ROOT / "fixtures" / "clean").glob("*.txt"))
    for s in re.split(r"(?<=[.!?”\"])\s+", p.read_text(encoding="utf-8-sig"))
    if len(s.split()) > 2
]

# Characters that break naive text code: right-to-left letters and marks, combining marks,
# emoji (outside the BMP, so UTF-16 offsets differ), NUL, CR, zero-width and bidi controls,
# Cyrillic look-alikes, curly quotes, the Ukrainian apostrophe, non-breaking spaces.
HOSTILE = (
    "אבג عربي \u200f\u200e\u202e\u2066 e\u0301 a\u0308\u0323 😀🇺🇦👍🏽 \x00 \r \r\n \t \u00a0 \u2028 \u200b \ufeff"
    " Кийів АВС а ’ ʼ “ ” « » „ … — – ‐ ' \" ( ) [ ] . , ; : ! ? $ % 1 2 30 2023 Sept. Gen. U.S."
)
hostile_text = st.text(alphabet=st.sampled_from(sorted(set(HOSTILE))), max_size=120)
any_unicode = st.text(max_size=200)
article = st.lists(
    st.one_of(st.sampled_from(SENTENCES), hostile_text, any_unicode), min_size=1, max_size=12
).flatmap(
    lambda parts: st.lists(
        st.sampled_from([" ", "\n", "\n\n", "\r\n\r\n", "\r", ""]), min_size=len(parts), max_size=len(parts)
    ).map(lambda seps: "".join(p + s for p, s in zip(parts, seps, strict=True)))
)
long_line = st.builds(lambda s, n: " ".join([s] * n), st.sampled_from(SENTENCES), st.integers(50, 400))
texts = st.one_of(article, any_unicode, hostile_text, long_line)


def _normalised(text: str) -> str:
    """The source as check_text reads it: BOM dropped, line ends made \\n."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _line_col(source: str, offset: int) -> tuple[int, int]:
    line_start = source.rfind("\n", 0, offset) + 1
    return source.count("\n", 0, offset) + 1, offset - line_start + 1


def _key(diagnostics) -> list[tuple]:
    return [
        (d.rule, d.start, d.end, d.line, d.column, d.finding.message, d.finding.suggestions)
        for d in diagnostics
    ]


@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
@given(text=texts)
def test_check_text_never_raises_and_locates_exactly(fmt, text):
    found = check_text(text, fmt=fmt)
    source = _normalised(text)
    for d in found:
        assert 0 <= d.start <= d.end <= len(source), d
        assert d.text == source[d.start : d.end], d
        assert (d.line, d.column) == _line_col(source, d.start), d
        assert (d.end_line, d.end_column) == _line_col(source, d.end), d
        if d.fix is not None:
            for e in d.fix.edits:
                assert 0 <= e.start <= e.end <= len(source), d
    assert _key(check_text(text, fmt=fmt)) == _key(found)  # the same on every run


# -- the command line, on any bytes --------------------------------------------------------------


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=400),
        texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
        texts.map(lambda t: t.encode("utf-16")),
        st.binary(max_size=60).map(lambda b: b"\xef\xbb\xbf" + b),
        st.binary(max_size=60).map(lambda b: b"PK\x03\x04" + b),
    ),
    suffix=st.sampled_from([".txt", ".md", ".html", ".docx"]),
)
def test_cli_on_any_bytes_exits_0_1_or_2_without_traceback(data, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "input" + suffix)
        Path(path).write_bytes(data)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", "--no-cache", "--format", "json", *NO_LT, path])
        assert code in (0, 1, 2)
        assert "Traceback" not in err.getvalue()
        if code == 2:  # an unreadable file is named, with the reason, on one line
            assert any(line.startswith(f"copydesk: {path}: ") for line in err.getvalue().splitlines())
        assert Path(path).read_bytes() == data  # checking never changes a file


# -- fixes -------------------------------------------------------------------------------------


def _fix(path: str, *extra: str) -> bytes:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(["check", "--no-cache", "--fix", *extra, *NO_LT, path])
    data = Path(path).read_bytes()
    assert code in (0, 1) or (code == 2 and not data.strip())  # a file of boilerplate only ends empty
    return data


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=10).map(" ".join),
    unsafe=st.booleans(),
    crlf=st.booleans(),
)
def test_fix_is_idempotent(text, unsafe, crlf):
    """A second --fix changes nothing that the first left."""
    data = (text.replace("\n", "\r\n") if crlf else text).encode("utf-8")
    extra = ("--unsafe-fixes",) if unsafe else ()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "article.txt")
        Path(path).write_bytes(data)
        once = _fix(path, *extra)
        twice = _fix(path, *extra)
        assert twice == once
        if crlf:  # line ends kept: no bare \\n where the file had \\r\\n
            assert b"\n" not in once.replace(b"\r\n", b"")


MARKUP = ['"', "“", "”", "„", "«", "»", "<p>", "</p>", "<b>", "</b>", "<code>", "</code>", "\n\n", "1. ", "> ", "# ", "*"]
marked_article = st.lists(
    st.one_of(st.sampled_from(SENTENCES), st.sampled_from(MARKUP), hostile_text), min_size=1, max_size=14
).map("".join)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    text=marked_article,
    fmt=st.sampled_from(["txt", "md", "html"]),
    ends=st.sampled_from(["\n", "\r\n", "mixed"]),
)
def test_unsafe_fixes_settle_on_any_markup(text, fmt, ends):
    """Fixes that insert quotation marks, on any mix of marks, markup and line ends: fixing the
    result again changes nothing (issue 14, item 3)."""
    from qa.fixing import fix_bytes

    if ends == "mixed":
        parts = text.split("\n")
        text = "".join(p + ("\r\n" if i % 2 else "\n") for i, p in enumerate(parts))
    elif ends == "\r\n":
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8", "surrogatepass")
    try:
        once = fix_bytes(f"story.{fmt}", data, fmt, FIX_CONFIG, True)
    except InputError:
        return  # not text (a NUL byte): never fixed
    twice = fix_bytes(f"story.{fmt}", once.data, fmt, FIX_CONFIG, True)
    assert twice.data == once.data


# -- the fast paths equal their plain definitions ------------------------------------------------

# The tokenizer as first written (one character per step); qa.segment's pattern is rewritten
# for speed and must give the same tokens.
PLAIN_TOKEN = re.compile(
    r"(?P<word>(?:[^\W\d_]\.){2,}|[^\W\d_](?:\w|['’ʼ](?=[^\W_])|[-‐‑](?=\w))*)"
    r"|(?P<number>\d(?:[\d,.:]*\d)?(?:[-‐‑]\w+)*)"
    r"|(?P<punct>\.\.\.|[^\w\s])"
)


@given(text=texts)
def test_tokens_equal_the_plain_pattern(text):
    tokens = segment(text).tokens
    assert [(t.start, t.end, t.text, t.kind) for t in tokens] == [
        (m.start(), m.end(), m.group(), m.lastgroup) for m in PLAIN_TOKEN.finditer(text)
    ]


def _plain_dates(text: str, start: int, end: int, default_year: int) -> list:
    """dates_in as first written: each date pattern over the whole span."""
    import datetime as dt

    out = []
    for rx in _DATES:
        for m in rx.finditer(text, start, end):
            g = m.groupdict()
            month = int(g["mnum"]) if g.get("mnum") else _MONTHS[g["month"].lower().rstrip(".")]
            year = int(g["year"]) if g.get("year") else default_year
            try:
                out.append(dt.date(year, month, int(g["day"])))
            except ValueError:
                continue
    return out


date_text = st.lists(
    st.sampled_from(
        [
            "5",
            "12",
            "123",
            "May",
            "june",
            "Sept.",
            "Dec",
            ".",
            " ",
            "  ",
            "\n",
            ",",
            "2023",
            "x",
            "1st",
            "2024-05-06",
            "-",
        ]
    ),
    max_size=14,
).map("".join)


@given(text=st.one_of(date_text, texts), cut=st.tuples(st.floats(0, 1), st.floats(0, 1)))
def test_dates_equal_the_plain_patterns(text, cut):
    a, b = sorted(int(c * len(text)) for c in cut)
    assert dates_in(text, a, b, default_year=2024) == _plain_dates(text, a, b, 2024)
    assert dates_in(text, default_year=2024) == _plain_dates(text, 0, len(text), 2024)
