"""Fixed number formatting (the report must be byte-identical across runs and machines)."""

from __future__ import annotations

from typing import Any

from analyzer.report.inputs import number

PERCENT_UNITS = frozenset({"share", "rate", "proportion", "%"})


def value(x: Any, unit: str) -> str:
    v = number(x)
    if v is None:
        return "–"
    if unit in PERCENT_UNITS or unit.startswith("share"):
        return f"{100 * v:.1f} %"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.2f}"


def interval(lo: Any, hi: Any, unit: str) -> str:
    if number(lo) is None or number(hi) is None:
        return ""
    return f"[{value(lo, unit)}, {value(hi, unit)}]"


def count(x: Any) -> str:
    v = number(x)
    return "–" if v is None else f"{int(round(v)):,}"
