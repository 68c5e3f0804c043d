"""A stand-in LanguageTool server for the tests: answers /v2/languages and /v2/check on
127.0.0.1 from responses recorded in LanguageTool's documented JSON (data/languagetool/).

For a text it has no recording of, it answers like a server that knows one rule: every
"their is" is a CONFUSED_WORDS match (offsets in UTF-16 units, as LanguageTool counts), so
batching can be tested on long texts. Matches of rules named in `disabledRules` are dropped, as
a real server drops them. Every request is kept in `requests` for the tests to inspect.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RECORDED = json.loads(
    (Path(__file__).parent / "data" / "languagetool" / "recorded.json").read_text(encoding="utf-8")
)
BY_TEXT = {case["text"]: case["response"] for case in RECORDED["checks"]}


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def generated(text: str) -> dict:
    matches = [
        {
            "message": "Did you mean 'there'?",
            "shortMessage": "",
            "replacements": [{"value": "there"}],
            "offset": _u16(text[: m.start()]),
            "length": 5,
            "context": {"text": text[max(0, m.start() - 10) : m.end() + 10], "offset": 0, "length": 5},
            "sentence": "",
            "type": {"typeName": "Other"},
            "rule": {
                "id": "THEIR_IS",
                "description": "their/there",
                "issueType": "misspelling",
                "category": {"id": "CONFUSED_WORDS", "name": "Commonly Confused Words"},
            },
        }
        for m in re.finditer(r"\btheir(?= is\b)", text)
    ]
    return {"software": {"name": "LanguageTool", "version": "6.5", "apiVersion": 1}, "matches": matches}


class FakeLanguageTool:
    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def _send(self, body: object) -> None:
                data = json.dumps(body).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path.startswith("/v2/languages"):
                    self._send(RECORDED["languages"])
                else:
                    self.send_error(404)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = {
                    k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8")).items()
                }
                if not self.path.startswith("/v2/check"):
                    self.send_error(404)
                    return
                fake.requests.append(form)
                text = form.get("text", "")
                response = json.loads(json.dumps(BY_TEXT.get(text) or generated(text)))
                disabled = set(form.get("disabledRules", "").split(","))
                response["matches"] = [m for m in response["matches"] if m["rule"]["id"] not in disabled]
                self._send(response)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeLanguageTool:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
