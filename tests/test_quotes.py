"""quotes.*: behaviour beyond the rule case tables (severity at the end of a text)."""

from __future__ import annotations

import qa


def test_a_quotation_open_at_the_end_of_the_text_is_info_at_most():
    """Issue 15: a text that ends inside a quotation may be an excerpt; a paragraph further up
    that never closes its quotation stays a warning."""
    end = qa.check_text('The minister spoke.\n\n"We are seeing just the opposite.\n')
    assert [(d.rule, str(d.severity), d.line) for d in end] == [("quotes.unclosed", "info", 3)]
    middle = qa.check_text('"We will fight, the commander said.\n\nThe talks ended on Friday.\n')
    assert [(d.rule, str(d.severity), d.line) for d in middle] == [("quotes.unclosed", "warning", 1)]
