"""Rule selection by id prefix, shared by the engine, configuration and suppression comments."""

from __future__ import annotations


def matches(rule_id: str, prefix: str) -> bool:
    """Rule-id prefix match by dotted components: 'quotes' matches 'quotes.unopened'."""
    return prefix in ("ALL", rule_id) or rule_id.startswith(prefix + ".")
