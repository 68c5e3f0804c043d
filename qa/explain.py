"""`copydesk explain RULE`: the rule's description, its kind's documentation, its options and
its examples, each run through the rule so the reader sees exactly what it reports."""

from __future__ import annotations

import sys
import textwrap

from .checks import KINDS
from .config import Config
from .document import plain_document
from .engine import RuleSet, check_documents


def explain(rule_id: str, ruleset: RuleSet, config: Config) -> str | None:
    spec = next((s for s in ruleset.specs if s.id == rule_id), None)
    if spec is None:
        return None
    kind = KINDS[spec.kind]
    doc = sys.modules[kind.__module__].__doc__ or ""
    single = RuleSet(ruleset.specs, (kind(spec),))
    lines = [
        f"{spec.id}  ({spec.kind}, {spec.severity}{'' if spec.enabled else ', off by default'})",
        "",
        spec.description,
        f"Defined at {spec.origin}",
        "",
        textwrap.dedent(doc).strip(),
        "",
        "Settings of this rule:",
    ]
    for key, value in spec.options.items():
        lines.append(f"    {key} = {value!r}")
    run_scope = single.checks[0].RUN_SCOPE
    for label in ("flagged", "clean"):
        examples = spec.examples.get(label, ())
        if run_scope:  # the examples are files checked together
            docs = [
                plain_document(f"<file {i + 1}>", text, spec.example_format)
                for i, text in enumerate(examples)
            ]
            lines += ["", f"{label.capitalize()} example (files checked together):"]
            for doc, found in zip(docs, check_documents(docs, single), strict=True):
                lines += [f"  {doc.path}:", textwrap.indent(doc.text, "    | ")]
                lines += [f"    -> {d.line}:{d.column} '{d.text}': {d.finding.message}" for d in found]
            continue
        for example in examples:
            lines += ["", f"{label.capitalize()} example:", textwrap.indent(example, "    | ")]
            [found] = check_documents([plain_document("<example>", example, spec.example_format)], single)
            for d in found:
                lines.append(f"    -> {d.line}:{d.column} '{d.text}': {d.finding.message}")
            if not found:
                lines.append("    -> no finding")
    return "\n".join(lines)
