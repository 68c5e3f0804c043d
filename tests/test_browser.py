"""The editor's page and the HTML report, in a real browser: Playwright driving Debian's
Chromium headless (installed by the README's test command). Never skipped."""

from __future__ import annotations

import json
import os

import pytest

from .conftest import FIXTURES
from .webapp import running

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE = (
    'Hostile copy <script>window.__xss = 1</script> and <img src=x onerror="window.__xss = 2"> '
    'and <svg onload="window.__xss = 3"></svg> the the end.\n\nSubscribe to our channels in Telegram and Viber.\n'
)


@pytest.fixture(scope="module")
def server():
    from qa.config import Config
    from qa.server import create_app

    with running(create_app(Config(ignore=("grammar",)))) as url:
        yield url + "/"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def test_paste_check_select_fix_download(page, server, tmp_path):
    text = (FIXTURES / "flagged" / "seedlike.txt").read_text(encoding="utf-8")
    page.goto(server)
    page.fill("#text", text)
    page.click("#check")
    page.wait_for_selector("#article mark")
    buttons = page.locator("#findings button[data-id]")
    assert buttons.count() == 6 and page.locator("#summary").inner_text() == "6 findings"
    assert page.locator("#article mark.sev-warning").count() >= 6
    page.click("#findings button:has-text('boilerplate.subscribe')")
    assert "Promotional footer" in page.inner_text("#details")
    assert (
        page.locator("#article mark.selected").inner_text()
        == "Subscribe to our channels in Telegram and Viber."
    )
    page.click("#apply-fix")
    page.wait_for_function("() => !document.getElementById('text').value.includes('Subscribe')")
    assert page.locator("#findings button[data-id]").count() == 5
    with page.expect_download() as download:
        page.click("#download-text")
    saved = tmp_path / "corrected.txt"
    download.value.save_as(saved)
    assert saved.read_text(encoding="utf-8") == page.input_value("#text")
    assert "Subscribe" not in saved.read_text(encoding="utf-8")
    with page.expect_download() as download:
        page.click("#download-json")
    download.value.save_as(tmp_path / "report.json")
    assert json.loads((tmp_path / "report.json").read_text())["summary"]["findings"] == 5
    page.click("#article mark >> nth=0")
    assert page.locator("#details h2").inner_text() == "repetition.and-same-word"


def test_hostile_article_runs_nothing(page, server):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server)
    page.fill("#text", HOSTILE)
    page.click("#check")
    page.wait_for_selector("#article mark")
    assert page.evaluate("() => window.__xss") is None and dialogs == []
    assert page.locator("#article script, #article img, #article svg").count() == 0
    assert "<script>window.__xss = 1</script>" in page.inner_text("#article")
    page.select_option("#format", "html")
    page.click("#check")
    page.wait_for_selector("#findings button[data-id]")
    assert page.evaluate("() => window.__xss") is None


def test_upload_docx_and_size_limit(page, server, tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("Aid reached Kiev on Monday.")
    path = tmp_path / "story.docx"
    doc.save(path)
    page.goto(server)
    page.set_input_files("#file", str(path))
    page.wait_for_selector("#article mark")
    assert page.input_value("#text") == "Aid reached Kiev on Monday."
    assert "names.house-style" in page.inner_text("#findings")
    page.fill("#text", "word " * 500_000)  # 2.5 MB
    page.click("#check")
    page.wait_for_function("() => document.getElementById('error').textContent.length > 0")
    assert "larger than 2 MB" in page.inner_text("#error")


def test_html_report_works_offline(page, tmp_path, cli):
    report = tmp_path / "report.html"
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    cli(
        "check",
        str(FIXTURES / "flagged" / "seedlike.txt"),
        str(hostile),
        "--format",
        "html",
        "--output",
        str(report),
        "--ignore",
        "grammar",
    )
    requests = []
    page.route(
        "**/*",
        lambda route: (
            requests.append(route.request.url),
            route.continue_() if route.request.url.startswith("file:") else route.abort(),
        ),
    )
    page.goto(report.as_uri())
    assert all(u.startswith("file:") for u in requests)
    assert page.locator("main mark").count() >= 8
    assert page.evaluate("() => window.__xss") is None
    page.click("nav button:has-text('quotes.unopened')")
    assert "the quotation probably resumes" in page.inner_text("#details")
    assert page.locator("mark.selected").first.inner_text().startswith("These boats are our answer")


# -- issue 19: narrow windows, fix buttons, evidence, keys, Word files -------------------------

SHOTS = os.environ.get("COPYDESK_SCREENSHOTS")  # a folder to keep the screenshots in (docs/)
TITLES = (
    "Kyiv, October 20, 2023\n\nGeneral Mark Milley, the head of the US Army, spoke in Kyiv on Friday. "
    "Aid reached Kiev.\n\nRecall that the the talks ended.\n"
)


def _layout(page) -> dict:
    return page.evaluate(
        """() => {
        const box = id => document.getElementById(id).getBoundingClientRect();
        return {width: innerWidth, scroll: document.documentElement.scrollWidth,
                article: box('article').width, nav: box('findings').width, details: box('details').width,
                detailsTop: box('details').top, viewport: innerHeight};
    }"""
    )


@pytest.mark.parametrize("width", [1400, 800, 390], ids=["desktop", "800px", "phone"])
def test_the_page_at_three_widths(browser, server, tmp_path, width):
    """The article keeps the window's width (it was squeezed to 100 px at 800): at 1400 the
    three columns; at 800 and on a phone one column, the list a strip above, the details in
    view at the bottom; nothing scrolls sideways. Screenshots at 1400 and 800 px."""
    height = 844 if width == 390 else 900
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(server)
    page.fill("#text", TITLES)
    page.click("#check")
    page.wait_for_selector("#article mark")
    page.click("#findings button:has-text('titles.mismatch')")
    box = _layout(page)
    assert box["scroll"] <= box["width"]  # no sideways scrolling
    if width == 1400:
        assert box["article"] >= 600 and box["nav"] == 300 and box["details"] >= 300
    else:
        assert box["article"] >= width - 40  # the whole width, less the padding
        assert box["nav"] >= width - 20  # the list is a strip across the top
        assert box["detailsTop"] < box["viewport"]  # the details stay in view
    if width != 390:
        path = os.path.join(SHOTS or str(tmp_path), f"serve-{width}.png")
        page.screenshot(path=path, full_page=False)
        assert os.path.getsize(path) > 10_000
    context.close()


def test_fix_buttons_say_safe_or_unsafe_and_all_safe_fixes_apply(page, server):
    page.goto(server)
    page.fill("#text", (FIXTURES / "flagged" / "seedlike.txt").read_text(encoding="utf-8"))
    page.click("#check")
    page.wait_for_selector("#article mark")
    page.click("#findings button:has-text('boilerplate.subscribe')")
    button = page.locator("#apply-fix")
    assert button.inner_text() == "Apply safe fix: Remove the paragraph" and button.get_attribute("class") == "safe"
    page.click("#findings button:has-text('quotes.unopened')")
    assert button.inner_text().startswith("Apply unsafe fix (check the result): ")
    assert button.get_attribute("class") == "unsafe"
    assert page.inner_text("#fix-safe") == "Apply all safe fixes (2)"
    page.click("#fix-safe")
    page.wait_for_function("() => !document.getElementById('text').value.includes('Subscribe')")
    text = page.input_value("#text")
    assert "Photo:" not in text and "Recall that" in text  # the safe ones went, the unsafe stayed
    assert page.inner_text("#summary") == "4 findings · 2 fixed"
    assert page.is_disabled("#fix-safe")


def test_evidence_reads_as_fields_and_keys_move_between_findings(page, server):
    page.goto(server)
    page.fill("#text", TITLES)
    page.click("#check")
    page.wait_for_selector("#article mark")
    page.click("#findings button:has-text('titles.mismatch')")
    details = page.locator("#details")
    assert details.locator("pre").count() == 0  # no raw JSON
    fields = dict(zip(details.locator("dt").all_inner_texts(), details.locator("dd").all_inner_texts(), strict=True))
    assert fields["Person"] == "Mark Milley" and fields["Article date"] == "2023-10-20"
    assert fields["Claimed post"] == "Chief of Staff of the US Army"
    assert "Chief of Staff of the US Army, 2015-08-14 – 2019-08-09" in fields["Positions"]
    # the keyboard: j next, k previous, in the list's order; typing in the text box is typing
    rules = [label.split(" ")[1] for label in page.locator("#findings button[data-id]").all_inner_texts()]
    at = rules.index("titles.mismatch")
    assert 0 < at < len(rules) - 1
    current = lambda: page.inner_text("#details h2")  # noqa: E731
    page.locator("#findings button[data-id]").nth(at).focus()
    page.keyboard.press("j")
    assert current() == rules[at + 1]
    page.keyboard.press("k")
    page.keyboard.press("p")
    assert current() == rules[at - 1]
    assert page.evaluate("() => document.activeElement.dataset.id") == page.locator(
        "#findings button.selected"
    ).get_attribute("data-id")
    page.focus("#text")
    page.keyboard.press("j")
    assert current() == rules[at - 1]  # unchanged: a j typed in the text box
    page.focus("#article mark >> nth=-1")
    page.keyboard.press("Enter")
    assert current() == "repetition.doubled-word"


def test_a_word_file_keeps_its_name_format_and_the_clis_findings(page, server, tmp_path, cli):
    from docx import Document

    word = Document()
    word.add_heading("Aid reached Kiev", level=1)
    word.add_paragraph("Aid reached Kiev on Monday. Recall that the talks ended.")
    path = tmp_path / "story.docx"
    word.save(path)
    expected = [
        (f["rule"], f["line"], f["column"]) for f in cli("check", str(path), "--format", "json", "--ignore", "grammar").json()["files"][0]["findings"]
    ]
    page.goto(server)
    page.set_input_files("#file", str(path))
    page.wait_for_selector("#article mark")
    assert page.inner_text("#file-name") == "story.docx · Word (.docx)"
    assert page.input_value("#format") == "docx"
    found = page.evaluate("() => Array.from(document.querySelectorAll('#findings button[data-id]')).map(b => b.textContent)")
    assert sorted(tuple(x.split(" ")[:2]) for x in found) == sorted((f"{line}:{col}", rule) for rule, line, col in expected)
    assert len(expected) == 3  # the heading's and the paragraph's Kiev, and Recall that
    page.click("#findings button:has-text('names.house-style')")
    assert "Word files are corrected in Word" in page.inner_text("#details") and page.locator("#apply-fix").count() == 0
    assert page.is_disabled("#fix-safe")
    with page.expect_download() as download:
        page.click("#download-json")
    assert download.value.suggested_filename == "story-report.json"
    download.value.save_as(tmp_path / "report.json")
    report = json.loads((tmp_path / "report.json").read_text())
    assert [(f["path"], f["format"]) for f in report["files"]] == [("story.docx", "docx")]
    assert [(f["rule"], f["line"], f["column"]) for f in report["files"][0]["findings"]] == expected
    with page.expect_download() as download:
        page.click("#download-html")
    assert download.value.suggested_filename == "story-report.html"
    download.value.save_as(tmp_path / "report.html")
    assert "story.docx" in (tmp_path / "report.html").read_text()
    # editing the text makes it plain text, named so
    page.fill("#text", "Aid reached Kiev.")
    page.dispatch_event("#text", "input")
    assert page.inner_text("#file-name") == "story.txt · Plain text" and page.input_value("#format") == "txt"
