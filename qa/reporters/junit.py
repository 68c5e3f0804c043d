"""JUnit XML for CI systems that show test reports: one test case a finding (classname = the
file), failing when the finding is at or above the file's fail-on level (what makes the exit
status 1), else passing with the finding as its output (an info finding in a run that exits 0
is no failure); a passing case for each clean file; an error case for a file that could not be
checked."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import TextIO

from ..engine import FileResult
from ..finding import Severity


def render(
    results: list[FileResult],
    out: TextIO,
    color: bool,
    notices: Sequence[str] = (),
    *,
    fail_on: Mapping[str, Severity] | None = None,
) -> None:
    suites = ET.Element("testsuites", name="copydesk")
    suite = ET.SubElement(suites, "testsuite", name="copydesk")
    tests = failures = errors = 0
    for r in results:
        if r.error:
            errors += 1
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=r.path, name="read and check")
            ET.SubElement(case, "error", message=r.error, type="input").text = r.error
            continue
        if not r.diagnostics:
            tests += 1
            ET.SubElement(suite, "testcase", classname=r.path, name="no problems")
        level = r.fail_on or (fail_on or {}).get(r.path, Severity.WARNING)
        for d in r.diagnostics:
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=r.path, name=f"{d.rule} {d.line}:{d.column}")
            line = f"{d.path}:{d.line}:{d.column}: {str(d.severity)} {d.rule} {d.finding.message}\n  {d.text}"
            if d.severity >= level:
                failures += 1
                ET.SubElement(case, "failure", message=d.finding.message, type=d.rule).text = line
            else:  # below fail-on: reported, not failed
                ET.SubElement(case, "system-out").text = line
    for element in (suite, suites):
        element.set("tests", str(tests))
        element.set("failures", str(failures))
        element.set("errors", str(errors))
    ET.indent(suites)
    out.write(ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n")
