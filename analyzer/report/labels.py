"""What each score family means, in words people read: one declaration shared by pages, figures and tests.

Each family is declared once: its label, a sentence saying what it measures, the unit a reader sees,
whether higher is better for the team, and how a stored value becomes that unit (docs volume is stored
as log1p of doc lines; the page shows doc lines).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from analyzer.report.inputs import number


@dataclass(frozen=True)
class Family:
    label: str
    what: str  # one plain sentence: what the number measures
    unit: str  # the unit a reader sees ("%", "doc lines", "hours / month", ...)
    higher_is_better: bool | None  # None: neither direction is better (shown, never marked)
    log1p: bool = False  # stored as log1p(value): shown as the value itself
    for_others: bool = True  # part of "what they did for others" (the multiplier chart)
    exploratory: bool = False
    n_unit: str = ""  # what n counts ("comments", "reviews", ...)


PERCENT = "%"
COUNT_UNITS = ("newcomers", "changes", "doc lines")


def percent(v: float) -> str:
    """A percentage with the decimals small rates need ('0.04 %', not '0.0 %')."""
    if v == 0:
        return "0 %"
    if abs(v) < 0.001:
        return "under 0.001 %"
    return f"{v:.2g} %" if abs(v) < 1 else f"{v:.1f} %"  # two significant digits below 1 %
FAMILIES: dict[str, Family] = {
    "considerate": Family(
        "Considerate comments",
        "How kind and constructive their review comments read, from -1 (harsh) to +1 (considerate).",
        "score from -1 to +1",
        True,
        n_unit="comments",
    ),
    "harsh_rate": Family(
        "Harsh comments",
        "Share of their review comments that read as harsh or dismissive.",
        PERCENT,
        False,
        n_unit="comments",
    ),
    "thoroughness": Family(
        "Review thoroughness",
        "How closely they review: specific comments on the changed files, with reasons, that lead to "
        "changes (0 = a glance, 1 = very thorough).",
        "score from 0 to 1",
        True,
        n_unit="reviews",
    ),
    "rubber_stamp_rate": Family(
        "Rubber-stamp approvals",
        "Share of their approvals of large changes given quickly and without a single comment.",
        PERCENT,
        False,
        n_unit="approvals",
    ),
    "useful_rate": Family(
        "Comments that led to a change",
        "Share of their inline review comments after which the author changed the code or resolved "
        "the thread.",
        PERCENT,
        True,
        n_unit="inline comments",
    ),
    "mentoring_reach": Family(
        "Newcomers mentored",
        "Newcomers who got at least two teaching reviews from them (comments with a reason, a link or a "
        "suggestion).",
        "newcomers",
        True,
        n_unit="teaching reviews",
    ),
    "breadth": Family(
        "Review breadth",
        "How evenly their reviews spread over the colleagues who open pull requests (0 = always the same "
        "person, 1 = everyone equally).",
        "evenness from 0 to 1",
        True,
        n_unit="reviews",
    ),
    "knowledge_spreading": Family(
        "Reviews of code few people know",
        "Share of their reviews touching files that at most one other person has recently changed.",
        PERCENT,
        True,
        n_unit="reviews",
    ),
    "mentee_retention": Family(
        "Mentees who came back",
        "Share of the newcomers they mentored who opened another pull request within 90 days.",
        PERCENT,
        True,
        n_unit="mentees",
        exploratory=True,
    ),
    "mentee_rounds_change": Family(
        "Mentees' review rounds, later vs first",
        "Change in review rounds per pull request for the newcomers they mentored: later pull requests "
        "minus the first mentored one (negative = fewer rounds later).",
        "review rounds per pull request",
        False,
        n_unit="mentees",
        exploratory=True,
    ),
    "docs_volume": Family(
        "Documentation written",
        "Lines of documentation they added in merged work (onboarding docs count double, two-line "
        "touch-ups count 0.3).",
        "doc lines",
        True,
        n_unit="doc changes",
        log1p=True,
    ),
    "docs_upkeep": Family(
        "Docs kept up to date",
        "Share of their merged code changes that also update the documentation.",
        PERCENT,
        True,
        n_unit="code changes",
    ),
    "onboarding_docs": Family(
        "Onboarding docs",
        "Merged pull requests and commits of theirs that touch onboarding docs (README, CONTRIBUTING, "
        "setup guides).",
        "changes",
        True,
        n_unit="doc changes",
    ),
    "ci_hours_saved": Family(
        "CI time saved for everyone",
        "Hours of waiting for CI that their workflow changes save the team each month.",
        "hours / month",
        True,
        n_unit="CI changes",
    ),
    "multiplier": Family(
        "Overall multiplier",
        "All families above combined: how far they are from the team's typical person, in units of "
        "how much people in the team differ (0 = typical, +1 = one spread above).",
        "team spreads (0 = typical)",
        True,
        n_unit="families",
        for_others=False,
    ),
}
FAMILY_ORDER = list(FAMILIES)


def family(name: str) -> Family:
    """The declaration of ``name``; an unknown family gets a neutral one built from its name."""
    known = FAMILIES.get(name)
    if known is not None:
        return known
    return Family(name.replace("_", " ").capitalize(), "", "", None, for_others=False)


def family_label(name: str) -> str:
    return family(name).label


def ordered_families(families: set[str]) -> list[str]:
    """Known families in the declared order, then unknown ones alphabetically."""
    known = [f for f in FAMILY_ORDER if f in families]
    return known + sorted(families - set(FAMILY_ORDER))


def shown(name: str, x: Any) -> float | None:
    """A stored value of family ``name`` in the unit a reader sees (doc lines instead of log1p)."""
    v = number(x)
    if v is None:
        return None
    if family(name).log1p:
        return math.expm1(v)
    return 100 * v if family(name).unit == PERCENT else v


def fmt(name: str, x: Any) -> str:
    """A value of family ``name`` as text with its unit: '2.4 %', '231 doc lines', '0.47'."""
    v = shown(name, x)
    if v is None:
        return "–"
    unit = family(name).unit
    if unit == PERCENT:
        return percent(v)
    if unit in COUNT_UNITS:
        word = unit if round(v) != 1 else unit[:-1]
        return f"{v:,.0f} {word}"
    if unit == "hours / month":
        return f"{v:.1f} h/month"
    if unit.startswith("team spreads"):
        return f"{v:+.2f}"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.2f}"


def fmt_interval(name: str, lo: Any, hi: Any) -> str:
    """'90 % interval 1.2 % to 3.4 %', or '' when the family has no interval for this value."""
    if shown(name, lo) is None or shown(name, hi) is None:
        return ""
    return f"{fmt(name, lo)} to {fmt(name, hi)}"


def direction(name: str) -> str:
    better = family(name).higher_is_better
    return "" if better is None else ("higher is better" if better else "lower is better")
