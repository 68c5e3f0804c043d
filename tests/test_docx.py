"""Word files: paragraphs, headings, captions, tables; bad and hostile .docx files."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile

import pytest
from docx import Document

from .conftest import FIXTURES


def make_docx(path):
    doc = Document()
    doc.core_properties.created = dt.datetime(2023, 10, 20, 9, 0)
    doc.add_heading("Kiev braces for winter", level=1)
    doc.add_paragraph("The council met on Monday and approved the the budget.")
    doc.add_paragraph("")
    doc.add_paragraph("Repairs at the station / Photo: Reuters")
    doc.add_paragraph("Crews at work. Photo: Reuters", style="Caption")
    table = doc.add_table(rows=1, cols=1)
    table.rows[0].cells[0].text = "Recall that the plan was approved in May."
    doc.add_paragraph("Subscribe to our channels in Telegram and Viber.")
    doc.save(path)


def test_docx_findings_by_paragraph(tmp_path, cli):
    path = tmp_path / "story.docx"
    make_docx(path)
    report = cli("check", str(path), "--format", "json", "--ignore", "grammar").json()
    [entry] = report["files"]
    assert entry["format"] == "docx"
    assert [(f["rule"], f["line"], f["column"], f["text"]) for f in entry["findings"]] == [
        ("names.house-style", 1, 1, "Kiev"),
        ("repetition.doubled-word", 2, 40, "the the"),
        ("boilerplate.photo-credit", 4, 24, "/ Photo: Reuters"),
        ("translationese.recall-that", 6, 1, "Recall that"),
        ("boilerplate.subscribe", 7, 1, "Subscribe to our channels in Telegram and Viber."),
    ]


def test_fix_refuses_docx(tmp_path, cli):
    path = tmp_path / "story.docx"
    make_docx(path)
    before = path.read_bytes()
    run = cli("check", str(path), "--fix", "--ignore", "grammar")
    assert "--fix does not write .docx files" in run.err and path.read_bytes() == before


def test_not_a_zip(tmp_path, cli):
    bad = tmp_path / "fake.docx"
    shutil.copy(FIXTURES / "clean" / "energy-repairs.txt", bad)
    run = cli("check", str(bad), str(FIXTURES / "clean" / "energy-repairs.txt"))
    assert run.code == 2 and run.errors == [f"copydesk: {bad}: not a .docx file (not a zip archive)"]


def test_zip_bomb_is_refused(tmp_path, cli):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("word/document.xml", "w") as fh:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(120):
                fh.write(chunk)
    run = cli("check", str(bomb))
    assert run.code == 2 and run.errors == [f"copydesk: {bomb}: refused: unpacks to 120 MB (a zip bomb?)"]


def test_zip_that_is_not_word(tmp_path, cli):
    other = tmp_path / "other.docx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hello")
    other.write_bytes(buf.getvalue())
    run = cli("check", str(other))
    assert run.code == 2 and run.errors[0].startswith(f"copydesk: {other}: not a readable .docx file (")


@pytest.mark.parametrize(
    "style,region", [("Heading 2", "heading"), ("Caption", "caption"), ("Quote", "quote")]
)
def test_styles_are_regions(tmp_path, style, region):
    from qa.readers import read_path

    doc = Document()
    doc.add_paragraph("A styled paragraph.", style=style)
    path = tmp_path / "s.docx"
    doc.save(path)
    parsed = read_path(str(path))
    assert [r.kind for r in parsed.regions] == [region]


def test_docx_dates_give_way_to_the_text_and_never_come_from_the_template(tmp_path):
    """A .docx made from a template carries the template's date (2013-12-23 for python-docx's):
    never the article's date; the document's own date counts only where the text names none."""
    import io

    import docx

    from qa.readers import read_bytes
    from qa.titles import article_date

    def made(created=None, text="The minister spoke on Monday."):
        document = docx.Document()
        if created is not None:
            document.core_properties.created = created
            document.core_properties.modified = created
        document.add_paragraph(text)
        out = io.BytesIO()
        document.save(out)
        return read_bytes("story.docx", out.getvalue(), "docx")

    template = made()
    assert "document_date" not in template.meta
    assert article_date(template)[1] == "today"
    own = made(dt.datetime(2023, 10, 20, 9, 0))
    assert article_date(own) == (dt.date(2023, 10, 20), "document properties")
    dated = made(dt.datetime(2023, 10, 20, 9, 0), "KYIV, March 3, 2024 — The minister spoke.")
    assert article_date(dated) == (dt.date(2024, 3, 3), "dateline, line 1")
