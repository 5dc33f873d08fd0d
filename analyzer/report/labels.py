"""What each score family means, in words people read, and its values as text.

Each family is declared once, in ``analyzer.scores.families``: its label, a sentence saying what it
measures, the unit a reader sees, whether higher is better for the team, and how a stored value becomes
that unit (docs volume is stored as log1p of doc lines; the page shows doc lines). This module formats
with those declarations; families registered later (plugins, tests) are found too.
"""

from __future__ import annotations

import math
from typing import Any

from analyzer.report.inputs import number
from analyzer.scores.families import PERCENT, Family, all_families, find

COUNT_UNITS = ("newcomers", "changes", "doc lines")


def percent(v: float) -> str:
    """A percentage with the decimals small rates need ('0.04 %', not '0.0 %')."""
    if v == 0:
        return "0 %"
    if abs(v) < 0.001:
        return "under 0.001 %"
    return f"{v:.2g} %" if abs(v) < 1 else f"{v:.1f} %"  # two significant digits below 1 %


def family_order() -> list[str]:
    """Every declared family's name, in the order pages show them (analyzer.scores.families)."""
    return [f.name for f in all_families()]


def family(name: str) -> Family:
    """The declaration of ``name``; an unknown family gets a neutral one built from its name."""
    known = find(name)
    if known is not None:
        return known
    return Family(name, name.replace("_", " ").capitalize(), "", "", None, for_others=False)


def family_label(name: str) -> str:
    return family(name).label


def ordered_families(families: set[str]) -> list[str]:
    """Known families in the declared order, then unknown ones alphabetically."""
    order = family_order()
    return [f for f in order if f in families] + sorted(families - set(order))


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
