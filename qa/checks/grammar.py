"""Kind `languagetool`: grammar, usage and style from a LanguageTool server.

What it flags
    LanguageTool's matches in the categories the entry lists (its category ids: GRAMMAR,
    CONFUSED_WORDS, PUNCTUATION, STYLE, TYPOGRAPHY, CASING, TYPOS ...), with LanguageTool's
    message and replacements. `categories: ["*"]` takes every category that no shipped
    grammar rule names. One request per document (in batches within the request limit) serves
    every grammar rule; LanguageTool rules that duplicate copydesk's own (spelling of names,
    doubled words, quotation marks) are switched off, so nothing is reported twice.

Why
    LanguageTool is the field's standard open grammar engine: it knows thousands of English
    patterns ("deserved me to do" for "deserved for me to do") that no news-specific rule will.

Example
    with a server configured, flags "their" in "Great news: their is a problem." and suggests
    "there"; without one, every grammar rule is skipped and the run prints one notice saying
    so, with its exit status unchanged.

Options
    categories  LanguageTool category ids this rule reports; "*" for the rest

The server comes from the environment variable LANGUAGETOOL_URL or the configuration's
[languagetool] table (url, local = true, language, disabled-rules, enabled-rules,
max-request-chars, timeout, port), else the server `copydesk languagetool start` left running.
LanguageTool rules that duplicate copydesk's own or were measured to cry wolf on professional
copy are off by default: rules/data/languagetool.yaml lists each with the measured reason
(`enabled-rules` takes one back). Each finding's evidence names LanguageTool's rule id and links
to its page. Fixes (LanguageTool's first replacement) are unsafe.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Document
from ..finding import Edit, Finding, Fix
from ..languagetool import Match, Unavailable, check, client
from .base import Check, Environment, Option, RuleSpec

# the categories that the shipped grammar rules name; "*" means every other one
NAMED_CATEGORIES = frozenset(
    {
        "GRAMMAR",
        "COLLOCATIONS",
        "SEMANTICS",
        "CONFUSED_WORDS",
        "PUNCTUATION",
        "STYLE",
        "REDUNDANCY",
        "PLAIN_ENGLISH",
        "TYPOGRAPHY",
        "CASING",
        "TYPOS",
    }
)


# LanguageTool's page for a rule: its patterns, examples and discussion
RULE_LINK = "https://community.languagetool.org/rule/show/{id}?lang=en"


class LanguageToolCheck(Check):
    OPTIONS = {
        "categories": Option("list", ["*"], "LanguageTool category ids this rule reports; '*' for the rest"),
    }

    def __init__(self, spec: RuleSpec, env: Environment | None = None) -> None:
        super().__init__(spec, env)
        self.categories = frozenset(spec.options["categories"])

    def _wanted(self, m: Match) -> bool:
        return m.category in self.categories or (
            "*" in self.categories and m.category not in NAMED_CATEGORIES
        )

    def check(self, doc: Document) -> Iterator[Finding]:
        settings = self.env.languagetool
        if not settings.configured:
            return
        matches = doc.cache.get("languagetool")
        if matches is None:
            try:
                matches = check(doc.text, settings)
            except Unavailable:
                matches = []  # reported once, by notice()
            doc.cache["languagetool"] = matches
        for m in matches:
            if not self._wanted(m) or m.end <= m.start or not self.reads(doc, m.start):
                continue
            yield self.finding(
                m.start,
                m.end,
                message=f"{m.message} (LanguageTool {m.rule_id})",
                suggestions=list(m.replacements),
                evidence={
                    "languagetool_rule": m.rule_id,
                    "category": m.category,
                    "issue_type": m.issue_type,
                    "languagetool_link": RULE_LINK.format(id=m.rule_id),
                },
                fix=Fix(
                    f"Replace with '{m.replacements[0]}'",
                    (Edit(m.start, m.end, m.replacements[0]),),
                    "unsafe",
                )
                if m.replacements
                else None,
            )

    def notice(self) -> str | None:
        from ..languagetool import _failed

        if self.env.languagetool in _failed:  # it stopped answering during the run
            return f"grammar checks skipped: {_failed[self.env.languagetool]}"
        try:
            client(self.env.languagetool)
        except Unavailable as exc:
            return f"grammar checks skipped: {exc}"
        return None
