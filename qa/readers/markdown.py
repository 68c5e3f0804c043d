"""Markdown: block structure from markdown-it-py (CommonMark), inline markup stripped here.

Checked: paragraphs, headings (region "heading"), block quotes (region "quote"), list items and
table cells. Not checked: YAML front matter (kept in `Document.meta`), fenced and indented code,
inline code (replaced by "_" so the words around it do not join), HTML blocks and comments,
link and image targets, image alt text. Every character kept maps back to its source offset.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markdown_it import MarkdownIt

from ..document import HEADING, QUOTE, Document, DocumentBuilder, LineIndex
from ..yamlio import PackError, load_text
from . import InputError

_FRONT = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n(.*?\n)?(?:---|\.\.\.|\+\+\+)[ \t]*(?:\n|\Z)", re.S)
# Every part that looks ahead is bounded (a link text of 1,000 characters, a comment or code span
# of 4,000, a URL of 2,000): unbounded, a line of 400,000 "[" made each one scan to the line's end.
_INLINE = re.compile(
    r"(?P<code>(?P<ticks>`{1,16}).{1,4000}?(?P=ticks))"
    r"|(?P<comment><!--.{0,4000}?-->)"
    r"|(?P<image>!\[[^\]\n]{0,1000}\]\([^)\n]{0,2000}\))"
    r"|(?P<autolink><(?:https?|mailto|ftp):[^>\s]{0,2000}>)"
    r"|(?P<tag></?[A-Za-z][\w-]{0,64}(?:\s[^<>]{0,2000})?/?>)"
    r"|(?P<linkend>\]\((?:[^()\s]|\([^()]{0,2000}\)){0,2000}(?:\s+\"[^\"]{0,1000}\")?\)|\]\[[^\]\n]{0,1000}\])"
    r"|(?P<linkstart>\[(?=[^\]\n]{0,1000}\](?:\(|\[)))"
    r"|(?P<escape>\\[!-/:-@\[-`{-~])"
    r"|(?P<entity>&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|(?P<emph>\*+|~~|(?<![\w])_+(?=\w)|(?<=\w)_+(?![\w]))"
)
MAX_BRACKETS = 5_000  # an article has tens of links; an archive page a few hundred
_HIDDEN = "\ue000"  # a private-use character markdown-it reads as text
_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)?(?:#{1,6}[ \t]+)?")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def read(path: str, source: str) -> Document:
    b = DocumentBuilder(path, "md", source)
    lines = LineIndex(source)
    body_start = 0
    front = _FRONT.match(source)
    if front:
        body_start = front.end()
        try:
            meta = load_text(front.group(1) or "", path)
        except PackError as exc:  # a broken header is the file's error: one line, exit 2
            where = f" (line {exc.line + 1})" if exc.line else ""
            raise InputError(f"front matter{where}: {exc.reason}") from None
        if isinstance(meta, dict):
            b.meta.update({str(k): v for k, v in meta.items()})
    first_line = source.count("\n", 0, body_start)
    body = source[body_start:]
    # markdown-it reads link labels in quadratic time ("[" * 400,000 took minutes): past
    # MAX_BRACKETS the brackets are hidden from it (the blocks are the same; reference
    # definitions are then read as text) and put back in each block's content
    hidden = body.count("[") > MAX_BRACKETS and _HIDDEN not in body
    tokens = _parser().parse(body.replace("[", _HIDDEN) if hidden else body)
    quote_depth = 0
    heading = False
    seen_rows: set[int] = set()
    for tok in tokens:
        if tok.type == "blockquote_open":
            quote_depth += 1
        elif tok.type == "blockquote_close":
            quote_depth -= 1
        elif tok.type == "heading_open":
            heading = True
        elif tok.type == "heading_close":
            heading = False
        elif tok.type == "inline" and tok.map:
            start_line, end_line = tok.map[0] + first_line, tok.map[1] + first_line
            if (
                tok.content
                and "|" in source[lines.starts[start_line] : lines.line_span(start_line + 1, len(source))[1]]
            ):
                if start_line in seen_rows:
                    continue  # a table row: every cell shares the row's map; read the row once
                seen_rows.add(start_line)
            b.separate()
            doc_start = b.length
            content = tok.content.replace(_HIDDEN, "[") if hidden else tok.content
            _add_block(b, source, lines, start_line, end_line, content, heading)
            b.region(doc_start, b.length, HEADING if heading else QUOTE if quote_depth else "body")
    b.separate()
    return b.build()


def _add_block(
    b: DocumentBuilder, source: str, lines: LineIndex, start: int, end: int, content: str, heading: bool
) -> None:
    content_lines = content.split("\n")
    last_end: int | None = None
    for i, line_no in enumerate(range(start + 1, end + 1)):
        ls, le = lines.line_span(line_no, len(source))
        raw = source[ls:le]
        want = content_lines[i].strip() if i < len(content_lines) else ""
        if not want:
            continue  # a setext underline, or a line markdown-it folded away
        at = raw.find(want)
        if at < 0:
            at = _PREFIX.match(raw).end()  # type: ignore[union-attr]
            want = raw[at:].rstrip()
        s, e = ls + at, ls + at + len(want)
        if heading:
            e = ls + at + len(want.rstrip("#").rstrip()) if want.rstrip("#").strip() else e
        if i:
            b.replace(ls - 1, ls, "\n")
        _add_inline(b, source, s, e)
        last_end = e
    if last_end is not None:
        b.block_end(last_end)


def _add_inline(b: DocumentBuilder, source: str, start: int, end: int) -> None:
    pos = start
    for m in _INLINE.finditer(source, start, end):
        b.copy(pos, m.start())
        kind = m.lastgroup
        if kind in ("code", "autolink"):
            b.replace(m.start(), m.end(), "_")
        elif kind == "escape":
            b.copy(m.start() + 1, m.end())
        elif kind == "entity":
            b.replace(m.start(), m.end(), html.unescape(m.group()))
        elif kind == "emph" and source[m.start() : m.end()] == "|":
            b.copy(m.start(), m.end())
        # comment, image, tag, link start/end, emphasis: dropped
        pos = m.end()
    b.copy(pos, end)
