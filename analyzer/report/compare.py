"""One rule for comparing a person with the team, used by the summary, the table and the chart.

A person is marked only when their 90 % interval excludes the team reference (the typical person's
estimate, ``ReportData.references``); a count without an interval is never marked.
"""

from __future__ import annotations

from typing import Any

from analyzer.report.inputs import number
from analyzer.report.labels import family

FAVOURABLE = "favourable"
UNFAVOURABLE = "unfavourable"
TYPICAL = "typical"
DIFFERENT = "different"  # the interval excludes the reference, but neither direction is better


def comparison(fam: str, row: dict[str, Any], reference: float | None) -> str:
    """FAVOURABLE, UNFAVOURABLE, TYPICAL or DIFFERENT; '' when there is no interval or no reference."""
    lo, hi = number(row.get("lo")), number(row.get("hi"))
    if reference is None or lo is None or hi is None:
        return ""
    if lo <= reference <= hi:
        return TYPICAL
    above = lo > reference
    better = family(fam).higher_is_better
    if better is None:
        return DIFFERENT
    return FAVOURABLE if above == better else UNFAVOURABLE


def comparison_words(fam: str, mark: str) -> str:
    """The comparison in words for the table: what the mark means for this family."""
    higher = family(fam).higher_is_better
    if mark == FAVOURABLE:
        return "▲ better than the team typical " + ("(higher)" if higher else "(lower)")
    if mark == UNFAVOURABLE:
        return "▼ less favourable than the team typical " + ("(lower)" if higher else "(higher)")
    if mark == TYPICAL:
        return "about the team typical (the interval includes it)"
    if mark == DIFFERENT:
        return "differs from the team typical"
    return ""
