"""`copydesk serve`: a local web page where an editor pastes or uploads copy and sees it checked.

Starlette and uvicorn. The page posts text (or an uploaded .txt, .md, .html or .docx) to
/api/check and shows the article highlighted as `--format html` does; /api/fix applies one
finding's fix and checks again; the corrected text and the report (JSON or HTML) download from
the browser.

What it accepts: requests whose Host header names the address it is bound to (127.0.0.1,
localhost, [::1] and the --host given, with any port), so that a page on another site cannot
reach it by DNS rebinding; API calls from its own origin only; bodies up to the size limit (2 MB),
kept in memory, uploads included: nothing is written to disk (the LanguageTool disk cache is off
while it runs); JSON at most 64 levels deep, with text that is valid Unicode. Checks run in worker
threads, off the event loop, at most two at a time, each with a time limit (30 s; 503 past it),
so one request cannot stall the others. It serves no file from disk by path.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from .config import Config
from .engine import build_ruleset, diagnose
from .fingerprint import fingerprints
from .fixes import apply_fixes
from .htmlview import article_html, finding_data, nav_html, page
from .readers import EXTENSIONS, InputError, decode, read_bytes, read_source

MAX_BYTES = 2 * 1024 * 1024
FORMATS = ("txt", "md", "html")  # what text sent as JSON may be (a Word file is uploaded)
TIME_LIMIT = 30.0  # seconds a check may take before the request is answered 503
CONCURRENT_CHECKS = 2  # checks at once (the machine's cores); more wait their turn
MAX_JSON_DEPTH = 64
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def host_name(header: str) -> str:
    """The host of a Host header, without the port; IPv6 without brackets; lower case."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _json_depth(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether `value` nests at most `limit` levels (iteratively: the check cannot overflow)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


def parse_upload(content_type: str, body: bytes) -> tuple[str, bytes, str] | None:
    """The first file of a multipart/form-data body, as (filename, bytes, the `kind` field:
    "json" or "html" asks for a report, "" for the check), parsed in memory (Starlette's parser
    spools parts over 1 MB to a temporary file)."""
    if not content_type.lower().startswith("multipart/form-data"):
        return None
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1", "replace") + b"\r\n\r\n" + body
    )
    if not message.is_multipart():
        return None
    found, kind = None, ""
    for part in message.iter_parts():
        field = part.get_param("name", header="content-disposition")
        if field == "file" and found is None:
            payload = part.get_payload(decode=True)
            found = part.get_filename() or "upload.txt", payload if isinstance(payload, bytes) else b""
        elif field == "kind":
            value = part.get_payload(decode=True)
            kind = value.decode("ascii", "replace").strip() if isinstance(value, bytes) else ""
    return (*found, kind) if found is not None else None


def _check(text: str, fmt: str, config: Config, path: str = "article") -> tuple[str, list]:
    source = text.replace("\r\n", "\n").replace("\r", "\n")
    doc = read_source(path, source, fmt)
    return source, diagnose(doc, build_ruleset(config), config)


def _payload(source: str, fmt: str, diagnostics: list, path: str = "article") -> dict[str, Any]:
    data = finding_data(diagnostics)
    for item, fp in zip(data, fingerprints(diagnostics, source), strict=True):
        item["path"] = path
        item["fingerprint"] = fp
    return {
        "text": source,
        "format": fmt,
        "filename": path,
        "findings": data,
        "article": article_html(source, diagnostics),
        "nav": nav_html(data),
    }


def file_name(value: Any) -> str:
    """The name a file is reported under: the last part of what the browser sent, printable,
    at most 200 characters; "article" for pasted text."""
    name = str(value or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip()[:200]
    return name or "article"


def _upload_format(name: str) -> str:
    """The format an uploaded file is read as: its extension's, as the command line reads it."""
    return EXTENSIONS.get(os.path.splitext(name)[1].lower(), "txt")


def create_app(
    config: Config | None = None,
    max_bytes: int = MAX_BYTES,
    hosts: tuple[str, ...] = (),
    time_limit: float = TIME_LIMIT,
):
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    config = config or Config()
    too_big = f"The text is larger than {max_bytes // (1024 * 1024)} MB; check it in parts or with the command line."
    allowed = {host_name(h) for h in (*LOCAL_HOSTS, *hosts)}
    slots = threading.BoundedSemaphore(CONCURRENT_CHECKS)

    def refuse(status: int, message: str) -> JSONResponse:
        return JSONResponse({"error": message}, status_code=status)

    async def off_loop(work, *args):  # type: ignore[no-untyped-def]
        """Run a check in a worker thread, so the event loop keeps answering; 503 past the limit
        (the thread finishes on its own, holding its slot until then)."""
        loop = asyncio.get_running_loop()
        acquired = await loop.run_in_executor(None, slots.acquire, True, time_limit)
        if not acquired:
            return refuse(503, "The server is busy checking other texts; try again in a moment.")

        def run():  # type: ignore[no-untyped-def]
            try:
                return work(*args)
            finally:
                slots.release()

        try:
            return await asyncio.wait_for(loop.run_in_executor(None, run), time_limit)
        except asyncio.TimeoutError:
            return refuse(503, f"Checking took longer than {time_limit:g} s; check the text in parts or with the command line.")

    async def guarded(request: Request) -> bytes | JSONResponse:
        origin = request.headers.get("origin")
        if origin is not None and origin.split("://", 1)[-1] != request.headers.get("host"):
            return refuse(403, "Cross-origin requests are refused.")
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes + 65536:
            return refuse(413, too_big)
        body = bytearray()  # in memory: the limit bounds it
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_bytes + 65536:
                return refuse(413, too_big)
        return bytes(body)

    async def index(request: Request) -> HTMLResponse:
        return HTMLResponse(INDEX, headers={"Content-Security-Policy": CSP})

    async def read_text(request: Request) -> tuple[dict, str, str] | Response:
        """The guarded JSON body of an API call, its text and its format (or the refusal)."""
        body = await guarded(request)
        if isinstance(body, Response):
            return body
        data = await _json(request, body)
        if isinstance(data, Response):
            return data
        text, fmt = str(data.get("text", "")), str(data.get("format", "txt"))
        if fmt not in FORMATS:
            return refuse(400, f"Unknown format {fmt!r}.")
        if len(text.encode("utf-8")) > max_bytes:
            return refuse(413, too_big)
        return data, text, fmt

    def checked(text: str, fmt: str, filename: str = "") -> Response:
        name = file_name(filename)
        source, diagnostics = _check(text, fmt, config, name)
        return JSONResponse(_payload(source, fmt, diagnostics, name))

    def text_endpoint(work, *keys: tuple[str, str]):  # type: ignore[no-untyped-def]
        """An API call taking JSON text and format (and the `keys` given, with defaults) whose
        work runs off the event loop."""

        async def endpoint(request: Request) -> Response:
            got = await read_text(request)
            if isinstance(got, Response):
                return got
            data, text, fmt = got
            return await off_loop(work, text, fmt, *(str(data.get(k, default)) for k, default in keys))

        return endpoint

    api_check = text_endpoint(checked, ("filename", ""))

    def uploaded(name: str, raw: bytes, kind: str) -> Response:
        name = file_name(name)
        fmt = _upload_format(name)
        try:
            doc = read_bytes(name, raw, fmt)
        except InputError as exc:
            return refuse(400, f"{name}: {exc}")
        # the file as the command line reads it: a Word file keeps its styles (headings,
        # captions), dates and comments, so the findings are the CLI's
        diagnostics = diagnose(doc, build_ruleset(config), config)
        if kind in ("json", "html"):
            return _report(doc.source, doc.format, diagnostics, name, kind)
        return JSONResponse(_payload(doc.source, doc.format, diagnostics, name))

    async def api_upload(request: Request) -> Response:
        body = await guarded(request)
        if isinstance(body, Response):
            return body
        try:
            upload = parse_upload(request.headers.get("content-type", ""), body)
        except (ValueError, TypeError, LookupError):
            upload = None
        if upload is None:
            return refuse(400, "No file was uploaded.")
        name, raw, kind = upload
        if len(raw) > max_bytes:
            return refuse(413, too_big)
        return await off_loop(uploaded, name, raw, kind)

    def fixed_one(text: str, fmt: str, wanted: str, filename: str) -> Response:
        source, diagnostics = _check(text, fmt, config, file_name(filename))
        chosen = [
            d for d, fp in zip(diagnostics, fingerprints(diagnostics, source), strict=True) if fp == wanted
        ]
        if not chosen or chosen[0].fix is None:
            return refuse(409, "That finding has no fix any more; the text was checked again.")
        fixed, _ = apply_fixes(source, chosen, unsafe=True)
        return checked(fixed, fmt, filename)

    api_fix = text_endpoint(fixed_one, ("fingerprint", ""), ("filename", ""))

    def fixed_safe(text: str, fmt: str, filename: str) -> Response:
        """Every safe fix, in rounds until none is left, as `check --fix` applies them."""
        from .fixing import fix_source

        source = text.replace("\r\n", "\n").replace("\r", "\n")
        result = fix_source(file_name(filename), source, fmt, config, unsafe=False)
        response = checked(result.fixed, fmt, filename)
        body = json.loads(bytes(response.body))
        return JSONResponse(body | {"applied": result.applied})

    api_fix_safe = text_endpoint(fixed_safe, ("filename", ""))

    def _report(source: str, fmt: str, diagnostics: list, name: str, kind: str) -> Response:
        if kind == "html":
            return HTMLResponse(page([(name, source, diagnostics)]))
        from .engine import FileResult
        from .reporters.json_format import report

        return JSONResponse(report([FileResult(name, diagnostics, None, fmt, source)]))

    def reported(text: str, fmt: str, kind: str, filename: str) -> Response:
        name = file_name(filename)
        source, diagnostics = _check(text, fmt, config, name)
        return _report(source, fmt, diagnostics, name, kind)

    api_report = text_endpoint(reported, ("kind", "json"), ("filename", ""))

    async def _json(request: Request, body: bytes) -> dict | Response:
        try:
            data = json.loads(decode(body) if body else "{}")
        except (ValueError, InputError, RecursionError):
            return refuse(400, "The request is not JSON.")
        if not _json_depth(data):
            return refuse(400, f"The request nests more than {MAX_JSON_DEPTH} levels deep.")
        if not isinstance(data, dict):
            return refuse(400, "The request is not a JSON object.")
        for key in ("text", "format", "kind", "fingerprint", "filename"):
            value = data.get(key)
            if isinstance(value, str):
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:  # a lone surrogate (\\ud800): not text
                    return refuse(400, f"The {key} is not valid Unicode (it holds a lone surrogate).")
        return data

    class HostCheck:
        """Refuse a request whose Host header is not one of the bound names (DNS rebinding)."""

        def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
            self.app = app

        async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
            if scope["type"] == "http":
                host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
                if host_name(host) not in allowed:
                    response = PlainTextResponse("Unknown host: copydesk serves this machine only.", 421)
                    await response(scope, receive, send)
                    return
            await self.app(scope, receive, send)

    routes = [
        Route("/", index),
        Route("/api/check", api_check, methods=["POST"]),
        Route("/api/upload", api_upload, methods=["POST"]),
        Route("/api/fix", api_fix, methods=["POST"]),
        Route("/api/fix-safe", api_fix_safe, methods=["POST"]),
        Route("/api/report", api_report, methods=["POST"]),
    ]
    from starlette.middleware import Middleware

    return Starlette(routes=routes, middleware=[Middleware(HostCheck)])


def serve(host: str = "127.0.0.1", port: int = 8000, config: Config | None = None) -> None:
    import uvicorn

    os.environ["COPYDESK_NO_DISK_CACHE"] = "1"  # this process serves the page: it writes nothing to disk
    uvicorn.run(create_app(config, hosts=(host,)), host=host, port=port, log_level="warning")


CSP = "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'none'; object-src 'none'"


_PAGE_STYLE = """
.controls { display:flex; gap:8px; align-items:center; flex-wrap:wrap; }
.controls button, .controls select, .controls label.file { font:inherit; font-size:14px; padding:4px 10px; border-radius:4px;
  border:1px solid #90a4ae; background:#eceff1; color:#263238; cursor:pointer; }
.controls button:disabled { opacity:.5; cursor:default; }
#input { padding:12px 20px; background:#fff; border-bottom:1px solid #ddd; }
#text { width:100%; height:140px; font:14px/1.4 Georgia, serif; padding:8px; border:1px solid #ccc; border-radius:4px; }
#error { color:#c62828; margin:6px 0 0; min-height:1em; }
#file-name { font-size:13px; color:#cfd8dc; }
#apply-fix { margin-top:8px; font:inherit; padding:4px 10px; border-radius:4px; cursor:pointer; text-align:left; }
#apply-fix.safe { border:1px solid #2e7d32; background:#e8f5e9; }
#apply-fix.unsafe { border:1px solid #ef6c00; background:#fff3e0; }
.fix-note { font-size:13px; color:#555; }
@media (max-width: 820px) { #input { padding:8px 12px; } #text { height:96px; } }
"""

_PAGE_SCRIPT = """
(function () {
  /* the article as last checked: its text, format (txt, md, html, or docx for an uploaded Word
     file, which is re-sent as the file itself until its text is edited), name and findings */
  let state = {text: '', format: 'txt', findings: [], filename: 'article', file: null};
  let selected = null;
  const $ = id => document.getElementById(id);
  const FORMATS = {txt: 'Plain text', md: 'Markdown', html: 'HTML', docx: 'Word (.docx)'};
  function el(tag, text, cls) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
  function show(payload, file) {
    state = {text: payload.text, format: payload.format, findings: payload.findings, filename: payload.filename || 'article', file: file || null};
    $('text').value = payload.text;
    $('docx-option').disabled = payload.format !== 'docx';
    $('format').value = payload.format;
    $('article').innerHTML = payload.article;   /* rendered and escaped by the server */
    $('findings').innerHTML = payload.nav;      /* idem */
    const n = payload.findings.length;
    $('summary').textContent = n + ' finding' + (n === 1 ? '' : 's');
    $('file-name').textContent = state.filename === 'article' ? '' : state.filename + ' \u00b7 ' + FORMATS[state.format];
    const safe = payload.findings.filter(f => f.fix && f.fix.applicability === 'safe').length;
    $('fix-safe').disabled = state.format === 'docx' || safe === 0;
    $('fix-safe').textContent = 'Apply all safe fixes' + (safe ? ' (' + safe + ')' : '');
    $('details').replaceChildren(el('p', 'Click a highlighted passage or a finding to see what is wrong and what to do.', 'empty'),
      el('p', 'Keys: j or n next finding, k or p previous; Enter on a highlight selects it.', 'keys'));
    selected = null;
  }
  async function post(url, body, isForm) {
    $('error').textContent = '';
    const r = await fetch(url, isForm ? {method: 'POST', body} : {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
    const data = await r.json().catch(() => ({error: 'The server answered ' + r.status + '.'}));
    if (!r.ok) { $('error').textContent = data.error || ('Error ' + r.status); return null; }
    return data;
  }
  function textBody(extra) { return Object.assign({text: state.text, format: state.format, filename: state.filename}, extra || {}); }
  function select(id) {
    const f = state.findings.find(x => x.id === id); if (!f) return;
    selected = f;
    document.querySelectorAll('.selected').forEach(e => e.classList.remove('selected'));
    document.querySelectorAll('#article mark').forEach(m => { if (m.dataset.ids.split(' ').map(Number).includes(id)) m.classList.add('selected'); });
    const b = document.querySelector('#findings button[data-id="' + id + '"]'); if (b) { b.classList.add('selected'); b.scrollIntoView({block: 'nearest'}); }
    const a = document.getElementById('f' + id); if (a && a.nextElementSibling) a.nextElementSibling.scrollIntoView({block: 'center'});
    const p = $('details'); p.replaceChildren();
    p.appendChild(el('h2', f.rule)); p.appendChild(el('span', f.severity, 'sev ' + f.severity));
    p.appendChild(el('p', (state.filename === 'article' ? 'Line ' : state.filename + ', line ') + f.line + ', column ' + f.column));
    p.appendChild(el('p', f.message, 'message'));
    if (f.suggestions.length) { p.appendChild(el('h3', 'Suggestions')); const ul = el('ul'); f.suggestions.forEach(s => ul.appendChild(el('li', s))); p.appendChild(ul); }
    if (Object.keys(f.evidence).length) { p.appendChild(el('h3', 'Evidence')); p.appendChild(copydeskFields(f.evidence)); }
    if (f.fix) {
      const safe = f.fix.applicability === 'safe';
      if (state.format === 'docx') {
        p.appendChild(el('p', (safe ? 'Safe fix: ' : 'Unsafe fix: ') + f.fix.title + '. Word files are corrected in Word; edit the text here to fix it as plain text.', 'fix-note'));
      } else {
        const b = el('button', (safe ? 'Apply safe fix: ' : 'Apply unsafe fix (check the result): ') + f.fix.title, safe ? 'safe' : 'unsafe');
        b.id = 'apply-fix'; b.type = 'button'; p.appendChild(b);
      }
    }
  }
  document.addEventListener('click', async function (e) {
    const b = e.target.closest('#findings button[data-id]'); if (b) return select(Number(b.dataset.id));
    const m = e.target.closest('#article mark[data-ids]'); if (m) return select(Number(m.dataset.ids.split(' ')[0]));
    if (e.target.id === 'apply-fix' && selected) {
      const data = await post('api/fix', textBody({fingerprint: selected.fingerprint}));
      if (data) show(data);
    }
  });
  copydeskKeys(() => Array.from(document.querySelectorAll('#findings button[data-id]')).map(b => Number(b.dataset.id)), () => selected ? selected.id : null, select);
  /* edited text is plain text: a Word file becomes its text, named as such */
  $('text').addEventListener('input', () => {
    if (state.format === 'docx') { state.format = 'txt'; state.file = null; state.filename = state.filename.replace(/\\.docx$/i, '.txt'); $('format').value = 'txt'; $('docx-option').disabled = true; $('file-name').textContent = state.filename + ' \u00b7 ' + FORMATS.txt; }
  });
  $('check').addEventListener('click', async () => {
    if (state.file && state.format === 'docx') { const d = await upload(state.file); if (d) show(d, state.file); return; }
    state.text = $('text').value; state.format = $('format').value;
    const d = await post('api/check', textBody()); if (d) show(d);
  });
  $('fix-safe').addEventListener('click', async () => {
    const d = await post('api/fix-safe', textBody({text: $('text').value}));
    if (d) { show(d); $('error').textContent = ''; $('summary').textContent += ' \u00b7 ' + d.applied + ' fixed'; }
  });
  async function upload(file, kind) {
    const form = new FormData(); form.append('file', file); if (kind) form.append('kind', kind);
    return kind ? fetch('api/upload', {method: 'POST', body: form}) : post('api/upload', form, true);
  }
  $('file').addEventListener('change', async () => {
    const f = $('file').files[0]; if (!f) return;
    const d = await upload(f); if (d) show(d, f);
  });
  function download(name, blob) { const a = document.createElement('a'); a.href = URL.createObjectURL(blob); a.download = name; document.body.appendChild(a); a.click(); a.remove(); }
  function base() { return state.filename.replace(/\\.[^.]*$/, ''); }
  $('download-text').addEventListener('click', () => {
    const ext = {txt: 'txt', md: 'md', html: 'html'}[state.format] || 'txt';
    download(base() + '-corrected.' + ext, new Blob([$('text').value], {type: 'text/plain;charset=utf-8'}));
  });
  for (const kind of ['json', 'html']) {
    $('download-' + kind).addEventListener('click', async () => {
      const r = state.file && state.format === 'docx'
        ? await upload(state.file, kind)
        : await fetch('api/report', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(textBody({text: $('text').value, format: $('format').value, kind}))});
      download((state.filename === 'article' ? 'copydesk' : base()) + '-report.' + kind, await r.blob());
    });
  }
})();
"""

from .htmlview import SHARED_SCRIPT as _SHARED_SCRIPT  # noqa: E402
from .htmlview import STYLE as _REPORT_STYLE  # noqa: E402

INDEX = (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>copydesk</title>'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    f"<style>{_REPORT_STYLE}{_PAGE_STYLE}</style></head><body>"
    '<header><h1>copydesk</h1><span id="file-name"></span><span id="summary">Paste an article or open a file</span></header>'
    '<section id="input"><textarea id="text" placeholder="Paste the article here" spellcheck="false" aria-label="Article"></textarea>'
    '<div class="controls"><select id="format" aria-label="Format"><option value="txt">Plain text</option>'
    '<option value="md">Markdown</option><option value="html">HTML</option>'
    '<option value="docx" id="docx-option" disabled>Word (.docx)</option></select>'
    '<button type="button" id="check">Check</button>'
    '<label class="file">Open a file <input type="file" id="file" accept=".txt,.text,.md,.markdown,.mdown,.html,.htm,.xhtml,.docx" hidden></label>'
    '<button type="button" id="fix-safe" disabled>Apply all safe fixes</button>'
    '<button type="button" id="download-text">Download text</button>'
    '<button type="button" id="download-json">Report (JSON)</button>'
    '<button type="button" id="download-html">Report (HTML)</button></div><p id="error" role="alert"></p></section>'
    '<div class="layout"><nav id="findings" aria-label="Findings"></nav><main><div class="article" id="article"></div></main>'
    '<aside id="details" aria-live="polite"></aside></div>'
    f"<script>{_SHARED_SCRIPT}{_PAGE_SCRIPT}</script></body></html>\n"
)
