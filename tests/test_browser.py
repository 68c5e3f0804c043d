"""The editor's page and the HTML report, in a real browser: Playwright driving Debian's
Chromium headless (installed by the README's test command). Never skipped."""

from __future__ import annotations

import json

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
