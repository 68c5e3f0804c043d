"""`copydesk kb check` and `copydesk kb import-wikidata`.

check            validates the knowledge base: every file loads (unknown fields, bad dates and
                 unknown posts are errors with file and line), tenures end after they start, a
                 person's tenures of one post do not overlap, nobody is listed twice, and no alias
                 is claimed by two posts (generic aliases excepted).
import-wikidata  reads Wikidata entity JSON (the format of Special:EntityData/Q….json: one or
                 more entities with labels, aliases and claims) and writes positions: P39
                 "position held" statements with their P580 (start) and P582 (end) qualifiers.
                 Positions map to posts by the post's Wikidata item (`--post Q11696=us-president`)
                 or by the position item's English label or alias matching a post's title or alias.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from . import kb as names_kb
from . import titles
from .yamlio import PackError


def check(extra: tuple[str, ...] = ()) -> list[str]:
    """Problems found, one line each ('file:line: reason' where a line is known)."""
    problems: list[str] = []
    try:
        data = titles.load(extra)
    except PackError as exc:
        return [str(exc)]
    try:
        names_kb.load(tuple(p for p in extra if _has(p, "entities")))
    except PackError as exc:
        problems.append(str(exc))
    owners: dict[str, list[str]] = {}
    for post in data.posts.values():
        for alias in {titles._norm(a) for a in (post.title, *post.aliases)}:
            owners.setdefault(alias, []).append(post.id)
    for alias, ids in sorted(owners.items()):
        if len(ids) > 1:
            problems.append(f"posts.yaml: alias {alias!r} is claimed by {', '.join(ids)} (mark it generic)")
    names = Counter(p.name for p in data.people)
    for person in data.people:
        if names[person.name] > 1:
            problems.append(f"{person.origin}: {person.name} is listed {names[person.name]} times")
            names[person.name] = 1
        for t in person.tenures:
            if t.end is not None and t.end.hi < t.start.lo:
                problems.append(
                    f"{person.origin}: {person.name}: {t.post} ends ({t.end.text}) before it starts "
                    f"({t.start.text})"
                )
        ranks = sorted(person.ranks, key=lambda r: r.start.lo)
        for r in ranks:
            if r.end is not None and r.end.hi < r.start.lo:
                problems.append(
                    f"{person.origin}: {person.name}: rank {r.rank} ends ({r.end.text}) before it starts ({r.start.text})"
                )
        for a, b in zip(ranks, ranks[1:], strict=False):
            if a.end is None or a.end.lo > b.start.hi:  # one rank at a time: the next starts as one ends
                problems.append(
                    f"{person.origin}: {person.name}: ranks {a.rank} and {b.rank} overlap ({a.start.text} and {b.start.text})"
                )
        by_post: dict[str, list[titles.Tenure]] = {}
        for t in person.tenures:
            by_post.setdefault(t.post, []).append(t)
        for post, ts in by_post.items():
            ts.sort(key=lambda t: t.start.lo)
            for a, b in zip(ts, ts[1:], strict=False):
                if a.end is None or a.end.lo > b.start.hi:
                    problems.append(
                        f"{person.origin}: {person.name}: two tenures of {post} overlap "
                        f"({a.start.text} and {b.start.text})"
                    )
    return problems


def _has(path: str, key: str) -> bool:
    try:
        return key in (yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})
    except (OSError, yaml.YAMLError):
        return True  # let the loader report it


def _time(value: dict[str, Any] | None) -> str | None:
    """A Wikidata time value as YYYY, YYYY-MM or YYYY-MM-DD, by its precision."""
    if not value:
        return None
    v = value.get("datavalue", {}).get("value", {})
    raw, precision = v.get("time"), v.get("precision", 11)
    if not raw:
        return None
    date = raw.lstrip("+").split("T")[0]
    year, month, day = date.split("-")
    if precision >= 11 and month != "00" and day != "00":
        return f"{year}-{month}-{day}"
    if precision == 10 and month != "00":
        return f"{year}-{month}"
    return year


def import_wikidata(
    path: Path, post_map: dict[str, str], extra: tuple[str, ...] = ()
) -> tuple[dict, list[str]]:
    """Positions from Wikidata entity JSON, and notes on what could not be mapped."""
    data = titles.load(extra)
    doc = json.loads(path.read_text(encoding="utf-8"))
    entities = doc.get("entities", doc)
    if not isinstance(entities, dict):
        raise ValueError("not Wikidata entity JSON: expected {'entities': {Q…: {...}}}")
    labels: dict[str, list[str]] = {}
    for qid, entity in entities.items():
        names = [entity.get("labels", {}).get("en", {}).get("value", "")]
        names += [a.get("value", "") for a in entity.get("aliases", {}).get("en", [])]
        labels[qid] = [n for n in names if n]
    people, notes = [], []
    for qid, entity in entities.items():
        statements = entity.get("claims", {}).get("P39", [])
        if not statements:
            continue
        name = labels[qid][0] if labels[qid] else qid
        positions = []
        for st in statements:
            target = st.get("mainsnak", {}).get("datavalue", {}).get("value", {}).get("id")
            post = post_map.get(target or "") or _post_by_label(data, labels.get(target or "", []))
            if post is None:
                notes.append(
                    f"{name}: position {target} ({', '.join(labels.get(target or '', [])) or 'no label'}) "
                    f"matches no post; map it with --post {target}=<post id>"
                )
                continue
            quals = st.get("qualifiers", {})
            start = _time((quals.get("P580") or [None])[0])
            if start is None:
                notes.append(f"{name}: {post} has no start date (P580); skipped")
                continue
            positions.append(
                {
                    "post": post,
                    "start": start,
                    "end": _time((quals.get("P582") or [None])[0]),
                    "source": f"https://www.wikidata.org/wiki/{qid}",
                }
            )
        if positions:
            people.append({"name": name, "wikidata": qid, "positions": positions})
    return {"as_of": None, "people": people}, notes


def _post_by_label(data: titles.TitleData, names: list[str]) -> str | None:
    for n in names:
        posts, _ = data.posts_for_alias(n)
        if len(posts) == 1:
            return posts[0].id
    return None


def dump_positions(result: dict, as_of: str) -> str:
    """YAML in the shipped positions format (people without the wikidata key)."""
    people = [{"name": p["name"], "positions": p["positions"]} for p in result["people"]]
    header = f"# Imported from Wikidata (P39 position held, P580/P582 start and end).\nas_of: {as_of}\n"
    return header + yaml.safe_dump({"people": people}, sort_keys=False, allow_unicode=True)
