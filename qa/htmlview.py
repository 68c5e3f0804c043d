"""The article with its findings highlighted, as HTML: for `--format html` and `copydesk serve`.

Every character of the article is escaped (html.escape), findings become <mark> elements, and
the findings' details travel as JSON in a <script type="application/json"> block with "<"
escaped, read by script with textContent only: an article containing <script> or
<img onerror=...> runs nothing. No external asset is referenced: the page works offline.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

from .finding import Diagnostic, Severity

SEVERITY_ORDER = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


def finding_data(diagnostics: Sequence[Diagnostic], offset: int = 0) -> list[dict]:
    out = []
    for i, d in enumerate(diagnostics):
        item = d.to_dict()
        item["id"] = offset + i
        out.append(item)
    return out


def article_html(source: str, diagnostics: Sequence[Diagnostic], offset: int = 0) -> str:
    """`source` escaped, with each finding's span wrapped in <mark>; ids count from `offset`."""
    points = {0, len(source)}
    for d in diagnostics:
        points.update((d.start, d.end))
    bounds = sorted(p for p in points if 0 <= p <= len(source))
    first_mark: set[int] = set()
    parts = []
    for d_index, d in enumerate(diagnostics):  # a zero-length finding still needs an anchor
        if d.start == d.end:
            parts.append((d.start, d_index))
    zero = {}
    for pos, i in parts:
        zero.setdefault(pos, []).append(i)
    # a sweep over the span boundaries: the findings covering each piece are those started and
    # not yet ended (20,000 findings must not mean 20,000 x 40,000 comparisons)
    starting: dict[int, list[int]] = {}
    ending: dict[int, list[int]] = {}
    for i, d in enumerate(diagnostics):
        if d.start < d.end:
            starting.setdefault(d.start, []).append(i)
            ending.setdefault(d.end, []).append(i)
    active: set[int] = set()
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        for i in zero.pop(a, []):
            out.append(_mark("", [i], diagnostics, offset, first_mark))
        active.difference_update(ending.get(a, ()))
        active.update(starting.get(a, ()))
        covering = sorted(active)
        text = html.escape(source[a:b])
        out.append(_mark(text, covering, diagnostics, offset, first_mark) if covering else text)
    for pos in sorted(zero):
        for i in zero[pos]:
            out.append(_mark("", [i], diagnostics, offset, first_mark))
    return "".join(out)


def _mark(
    text: str, covering: list[int], diagnostics: Sequence[Diagnostic], offset: int, first: set[int]
) -> str:
    worst = max(covering, key=lambda i: SEVERITY_ORDER[diagnostics[i].severity])
    sev = str(diagnostics[worst].severity)
    ids = " ".join(str(offset + i) for i in covering)
    anchors = "".join(f'<a id="f{offset + i}" class="anchor"></a>' for i in covering if i not in first)
    first.update(covering)
    return f'{anchors}<mark class="sev-{sev}" data-ids="{ids}" tabindex="0">{text}</mark>'


def json_for_script(data: object) -> str:
    """JSON safe inside a <script> element: no "</script>" or "<!--" can close or open anything."""
    return (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


STYLE = """
:root { --error:#c62828; --warning:#ef6c00; --info:#1565c0; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color:#1d1d1f; background:#fafafa; }
header { padding:12px 20px; background:#263238; color:#fff; display:flex; gap:16px; align-items:baseline; flex-wrap:wrap; }
header h1 { font-size:18px; margin:0; }
.layout { display:grid; grid-template-columns: 300px 1fr 340px; gap:0; min-height: calc(100vh - 52px); }
nav { border-right:1px solid #ddd; overflow:auto; max-height: calc(100vh - 52px); padding:8px; background:#fff; }
nav h2 { font-size:13px; text-transform:uppercase; letter-spacing:.04em; color:#555; margin:12px 4px 4px; }
nav button { display:block; width:100%; text-align:left; border:0; background:none; padding:4px 6px; border-radius:4px;
  cursor:pointer; font:inherit; font-size:13px; }
nav button:hover, nav button.selected { background:#e3f2fd; }
.count { color:#777; font-weight:normal; }
main { padding:16px 24px; overflow:auto; max-height: calc(100vh - 52px); }
.file h2 { font-size:14px; color:#555; margin:0 0 8px; word-break: break-all; }
.article { white-space:pre-wrap; font-family: Georgia, "Times New Roman", serif; font-size:16px; line-height:1.7;
  background:#fff; border:1px solid #e0e0e0; padding:20px 24px; border-radius:6px; max-width: 820px; }
mark { background:transparent; border-bottom:3px solid; cursor:pointer; padding:0 1px; }
mark.sev-error { border-color:var(--error); background:#ffebee; }
mark.sev-warning { border-color:var(--warning); background:#fff3e0; }
mark.sev-info { border-color:var(--info); background:#e3f2fd; }
mark.selected { outline:2px solid #263238; }
aside { border-left:1px solid #ddd; padding:16px; background:#fff; max-height: calc(100vh - 52px); overflow:auto; }
aside h2 { font-size:15px; margin:0 0 6px; }
aside .sev { display:inline-block; font-size:12px; padding:1px 6px; border-radius:8px; color:#fff; }
.sev.error { background:var(--error); } .sev.warning { background:var(--warning); } .sev.info { background:var(--info); }
aside pre { white-space:pre-wrap; font-size:12px; background:#f5f5f5; padding:8px; border-radius:4px; }
aside ul { padding-left:18px; }
aside dl { display:grid; grid-template-columns: max-content 1fr; gap:2px 10px; font-size:13px; margin:4px 0 8px; }
aside dt { color:#555; } aside dd { margin:0; overflow-wrap:anywhere; }
aside dd ul { margin:0; padding-left:16px; }
.empty { color:#777; }
.keys { color:#777; font-size:12px; }
/* narrower windows: the findings list and the details share the width, the article keeps it */
@media (max-width: 1100px) {
  .layout { grid-template-columns: 240px 1fr; }
  aside { grid-column: 1 / -1; border-left:0; border-top:1px solid #ddd; max-height:none; }
}
/* 800 px and phones: one column; the list folds to a strip, the details stay in view */
@media (max-width: 820px) {
  .layout { display:block; min-height:0; }
  nav { border-right:0; border-bottom:1px solid #ddd; max-height: 22vh; }
  main { padding:8px; max-height:none; overflow:visible; }
  .article { padding:12px 14px; max-width:none; }
  aside { position:sticky; bottom:0; max-height: 34vh; box-shadow: 0 -2px 8px rgba(0,0,0,.12); }
  aside:has(> p.empty) { display:none; }  /* nothing selected: the article has the room */
  header { padding:8px 12px; }
}
"""

# Shared by the report page and `copydesk serve`: evidence as readable fields, and keys to
# move between findings. Values are set with textContent only (an article's text is data).
SHARED_SCRIPT = """
function copydeskLabel(key) { const s = String(key).replace(/_/g, ' '); return s.charAt(0).toUpperCase() + s.slice(1); }
function copydeskValue(value) {
  const el = (tag, text) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; };
  if (value === null || value === undefined) return el('span', '\u2014');
  if (Array.isArray(value)) {
    if (value.every(v => v === null || typeof v !== 'object')) return el('span', value.join(', '));
    const ul = el('ul');
    value.forEach(v => {
      const li = el('li');
      if (v && typeof v === 'object' && !Array.isArray(v) && ('start' in v || 'end' in v)) {
        /* a tenure: "Minister of Defence, 2021-11-04 \u2013 2023-09-06" */
        const name = v.title || v.post || v.name || '';
        li.textContent = (name ? name + ', ' : '') + (v.start || '?') + ' \u2013 ' + (v.end || 'now');
        const rest = Object.keys(v).filter(k => !['title', 'post', 'name', 'start', 'end'].includes(k));
        if (rest.length) li.appendChild(el('span', ' (' + rest.map(k => copydeskLabel(k).toLowerCase() + ': ' + v[k]).join('; ') + ')'));
      } else if (v && typeof v === 'object') {
        li.appendChild(copydeskFields(v));
      } else {
        li.textContent = String(v);
      }
      ul.appendChild(li);
    });
    return ul;
  }
  if (typeof value === 'object') return copydeskFields(value);
  const text = String(value);
  if (/^https:\\/\\/[^\\s"<>]+$/.test(text)) { const a = el('a', text); a.href = text; a.target = '_blank'; a.rel = 'noopener noreferrer'; return a; }
  return el('span', typeof value === 'boolean' ? (value ? 'yes' : 'no') : text);
}
function copydeskFields(evidence) {
  const dl = document.createElement('dl');
  Object.keys(evidence).forEach(k => {
    const dt = document.createElement('dt'); dt.textContent = copydeskLabel(k);
    const dd = document.createElement('dd'); dd.appendChild(copydeskValue(evidence[k]));
    dl.appendChild(dt); dl.appendChild(dd);
  });
  return dl;
}
/* j or n: next finding, k or p: previous, in the list's order; Enter on a highlight selects it */
function copydeskKeys(order, current, select) {
  document.addEventListener('keydown', function (e) {
    const t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey || (t && (t.tagName === 'TEXTAREA' || t.tagName === 'INPUT' || t.tagName === 'SELECT'))) return;
    if ((e.key === 'Enter' || e.key === ' ') && t && t.matches && t.matches('mark[data-ids]')) { e.preventDefault(); select(Number(t.dataset.ids.split(' ')[0])); return; }
    const step = {j: 1, n: 1, k: -1, p: -1}[e.key];
    if (!step) return;
    const ids = order(); if (!ids.length) return;
    const at = ids.indexOf(current());
    const next = at < 0 ? (step > 0 ? 0 : ids.length - 1) : Math.min(ids.length - 1, Math.max(0, at + step));
    e.preventDefault();
    select(ids[next]);
    const b = document.querySelector('nav button[data-id="' + ids[next] + '"]'); if (b) b.focus({preventScroll: true});
  });
}
"""

SCRIPT = """
(function () {
  const data = JSON.parse(document.getElementById('copydesk-data').textContent);
  const byId = new Map(data.findings.map(f => [f.id, f]));
  const panel = document.getElementById('details');
  function el(tag, text, cls) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
  window.copydeskSelect = function (id) {
    const f = byId.get(id); if (!f) return;
    document.querySelectorAll('.selected').forEach(e => e.classList.remove('selected'));
    document.querySelectorAll('mark').forEach(m => { if (m.dataset.ids.split(' ').map(Number).includes(id)) m.classList.add('selected'); });
    const item = document.querySelector('nav button[data-id="' + id + '"]'); if (item) item.classList.add('selected');
    const anchor = document.getElementById('f' + id); if (anchor) anchor.nextElementSibling.scrollIntoView({block: 'center'});
    panel.replaceChildren();
    panel.appendChild(el('h2', f.rule));
    panel.appendChild(el('span', f.severity, 'sev ' + f.severity));
    panel.appendChild(el('p', f.path + ':' + f.line + ':' + f.column));
    panel.appendChild(el('p', f.message, 'message'));
    panel.appendChild(el('p', '\u201c' + f.text + '\u201d', 'flagged'));
    if (f.suggestions.length) { panel.appendChild(el('h3', 'Suggestions')); const ul = el('ul'); f.suggestions.forEach(s => ul.appendChild(el('li', s))); panel.appendChild(ul); }
    if (f.fix) panel.appendChild(el('p', (f.fix.applicability === 'safe' ? 'Safe fix: ' : 'Unsafe fix (check the result): ') + f.fix.title, 'fix'));
    if (Object.keys(f.evidence).length) { panel.appendChild(el('h3', 'Evidence')); panel.appendChild(copydeskFields(f.evidence)); }
    if (f.related.length) { panel.appendChild(el('h3', 'See also')); const ul = el('ul'); f.related.forEach(r => ul.appendChild(el('li', r.line + ':' + r.column + ' ' + r.note))); panel.appendChild(ul); }
    panel.dispatchEvent(new CustomEvent('copydesk-select', {detail: f, bubbles: true}));
  };
  let current = null;
  panel.addEventListener('copydesk-select', e => { current = e.detail.id; });
  document.addEventListener('click', function (e) {
    const b = e.target.closest('nav button[data-id]'); if (b) { copydeskSelect(Number(b.dataset.id)); return; }
    const m = e.target.closest('mark[data-ids]'); if (m) copydeskSelect(Number(m.dataset.ids.split(' ')[0]));
  });
  copydeskKeys(() => Array.from(document.querySelectorAll('nav button[data-id]')).map(b => Number(b.dataset.id)), () => current, copydeskSelect);
})();
"""


def nav_html(findings: list[dict]) -> str:
    groups: dict[str, list[dict]] = {}
    for f in findings:
        groups.setdefault(f["kind"], []).append(f)
    if not findings:
        return '<p class="empty">No problems found.</p>'
    out = []
    for kind in sorted(groups):
        items = groups[kind]
        out.append(f'<h2>{html.escape(kind)} <span class="count">({len(items)})</span></h2>')
        several = len({f["path"] for f in findings}) > 1
        for f in items:
            where = f"{f['path'].rsplit('/', 1)[-1]}:" if several else ""
            label = f"{where}{f['line']}:{f['column']} {f['rule']} \u2014 {f['text'][:40]}"
            out.append(
                f'<button type="button" data-id="{f["id"]}" class="sev-{f["severity"]}">{html.escape(label)}</button>'
            )
    return "".join(out)


def page(files: list[tuple[str, str, list[Diagnostic]]], title: str = "copydesk report") -> str:
    """A whole self-contained page for (path, source, diagnostics) of each file."""
    findings: list[dict] = []
    sections = []
    for path, source, diagnostics in files:
        offset = len(findings)
        data = finding_data(diagnostics, offset)
        for item in data:
            item["path"] = path
        findings.extend(data)
        sections.append(
            f'<section class="file"><h2>{html.escape(path)}</h2>'
            f'<div class="article">{article_html(source, diagnostics, offset)}</div></section>'
        )
    counts = {s: sum(1 for f in findings if f["severity"] == s) for s in ("error", "warning", "info")}
    summary = (
        ", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items() if n)
        or "no problems"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'\">"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
        f'<header><h1>{html.escape(title)}</h1><span id="summary">{len(files)} file{"s" if len(files) != 1 else ""}: '
        f"{html.escape(summary)}</span></header>"
        f'<div class="layout"><nav id="findings">{nav_html(findings)}</nav><main>{"".join(sections)}</main>'
        '<aside id="details"><p class="empty">Click a highlighted passage or a finding to see what is wrong '
        "and what to do.</p></aside></div>"
        f'<script id="copydesk-data" type="application/json">{json_for_script({"findings": findings})}</script>'
        f"<script>{SHARED_SCRIPT}{SCRIPT}</script></body></html>\n"
    )
