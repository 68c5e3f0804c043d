"""What `copydesk serve` accepts (issue 14, items 7, 8, 10, 14): only its own host names, uploads
kept in memory, checks off the event loop under a time limit, and JSON it can read."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request

import pytest

import qa.server
from qa.config import Config
from qa.server import create_app, host_name, parse_upload

from .webapp import asgi_request, running

CONFIG = Config(ignore=("grammar",))


# -- 7. DNS rebinding ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("127.0.0.1:8000", 200),
        ("localhost:8000", 200),
        ("LOCALHOST", 200),
        ("[::1]:8000", 200),
        ("evil.example:8000", 421),  # a rebinding page's own name
        ("127.0.0.1.evil.example", 421),
        ("", 421),
    ],
)
def test_only_the_bound_host_names_are_served(host, status):
    app = create_app(CONFIG)
    assert asgi_request(app, "GET", "/", headers={"host": host} if host else {})[0] == status


def test_the_host_given_to_serve_is_served_too():
    app = create_app(CONFIG, hosts=("desk.local",))
    assert asgi_request(app, "GET", "/", headers={"host": "desk.local:8000"})[0] == 200
    assert asgi_request(app, "GET", "/", headers={"host": "other.local:8000"})[0] == 421


def test_host_names_are_read_like_browsers_send_them():
    assert [host_name(h) for h in ("127.0.0.1:80", "[::1]:80", "[::1]", "Example.COM", "::1")] == [
        "127.0.0.1",
        "::1",
        "::1",
        "example.com",
        "::1",
    ]


# -- 8. nothing on disk --------------------------------------------------------------------------


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "copydeskboundary7f3a"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_large_upload_is_never_written_to_disk(monkeypatch):
    import tempfile

    monkeypatch.setenv("COPYDESK_NO_DISK_CACHE", "1")  # as `copydesk serve` runs

    def no_disk(*args, **kwargs):
        raise AssertionError("serve wrote an upload to a temporary file")

    for name in ("TemporaryFile", "NamedTemporaryFile", "mkstemp", "mkdtemp"):
        monkeypatch.setattr(tempfile, name, no_disk)
    article = ("The minister said the the plan was ready. " * 40 + "\n\n") * 900  # about 1.5 MB
    body, ctype = _multipart("story.txt", article.encode())
    assert len(body) > 1024 * 1024
    status, out = asgi_request(create_app(CONFIG), "POST", "/api/upload", body, {"host": "127.0.0.1:8000", "content-type": ctype})
    assert status == 200, out[:200]
    data = json.loads(out)
    assert data["filename"] == "story.txt" and data["text"] == article.replace("\r\n", "\n")


def test_upload_parser_reads_the_file_part():
    body, ctype = _multipart("a.md", b"# Title\n\nText.\n")
    assert parse_upload(ctype, body) == ("a.md", b"# Title\n\nText.\n", "")
    assert parse_upload("application/json", body) is None
    assert parse_upload(ctype, b"garbage") is None


# -- 14. JSON it cannot read ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[" * 5000 + b"]" * 5000, "The request is not JSON."),
        (b'{"text": ' + b"[" * 100 + b"]" * 100 + b"}", "The request nests more than 64 levels deep."),
        (b'{"text": "a lone \\ud800 surrogate", "format": "txt"}', "The text is not valid Unicode (it holds a lone surrogate)."),
        (b'{"text": "ok", "format": "\\udfff"}', "The format is not valid Unicode (it holds a lone surrogate)."),
    ],
)
def test_unreadable_json_is_a_400_not_a_500(body, message):
    status, out = asgi_request(create_app(CONFIG), "POST", "/api/check", body)
    assert (status, json.loads(out)) == (400, {"error": message})


# -- 10. one request cannot stall the others -------------------------------------------------------


@pytest.fixture
def live(monkeypatch):
    """A real server on a free port whose checks take 1.5 s, with a 0.5 s time limit."""
    real = qa.server._check

    def slow(text, fmt, config, path="article"):
        if "slow" in text:
            time.sleep(1.5)
        return real(text, fmt, config, path)

    monkeypatch.setattr(qa.server, "_check", slow)
    with running(create_app(CONFIG, time_limit=0.5)) as url:
        yield url


def _post(url: str, text: str) -> tuple[int, dict]:
    req = urllib.request.Request(
        url + "/api/check",
        data=json.dumps({"text": text, "format": "txt"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_a_slow_check_times_out_while_other_requests_are_answered(live):
    assert _post(live, "A first article loads the data.")[0] == 200
    slow: list = []
    worker = threading.Thread(target=lambda: slow.append(_post(live, "A slow article.")))
    started = time.monotonic()
    worker.start()
    time.sleep(0.1)
    quick = _post(live, "A quick article about Kyiv.")  # answered while the slow one runs
    quick_at = time.monotonic() - started
    worker.join(10)
    assert quick[0] == 200 and quick_at < 1.4  # the slow check holds its thread for 1.5 s
    assert slow[0] == (503, {"error": "Checking took longer than 0.5 s; check the text in parts or with the command line."})
    with urllib.request.urlopen(live + "/", timeout=5) as r:
        assert r.status == 200


def test_all_safe_fixes_in_one_call_refuses_other_origins_and_names_files_safely():
    import json as _json

    from qa.server import file_name

    app = create_app(CONFIG)
    body = _json.dumps({"text": "Aid reached Kiev. Recall that the the talks ended.\n", "format": "txt", "filename": "a/b\\\\c.txt"}).encode()
    headers = {"host": "127.0.0.1:8000", "content-type": "application/json"}
    status, out = asgi_request(app, "POST", "/api/fix-safe", body, headers | {"origin": "http://evil.example"})
    assert status == 403
    status, out = asgi_request(app, "POST", "/api/fix-safe", body, headers)
    data = _json.loads(out)
    assert status == 200 and data["applied"] == 2 and data["filename"] == "c.txt"
    assert data["text"] == "Aid reached Kyiv. Recall that the talks ended.\n"
    assert [f["rule"] for f in data["findings"]] == ["translationese.recall-that"]
    assert [file_name(v) for v in ("", None, "../../etc/passwd", "story\x00.docx", "x" * 300)] == [
        "article", "article", "passwd", "story.docx", "x" * 200
    ]
