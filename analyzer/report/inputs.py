"""What the report reads from a Scores object, and how it reads cells defensively.

The report depends only on attribute access (``scores.people`` and so on): the real
``analyzer.scores.pipeline.Scores`` or a double built through the same table declarations
(``analyzer.scores.tables``). Tables must be whole; cells may be missing and read as blanks.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from analyzer.errors import StoreError
from analyzer.scores.tables import RESCORE, TABLES, require_columns

# the columns of every score table the report reads: the stored tables' declarations (scores.tables)
FRAME_COLUMNS: dict[str, tuple[str, ...]] = {name: table.columns for name, table in TABLES.items()}


def frame(scores: Any, name: str) -> pd.DataFrame:
    """A copy of ``scores.<name>``, which must hold every column its declaration names.

    A table or column that is missing means the scores come from another version (or a broken double):
    the report refuses them in one line (``StoreError``) rather than render blanks that look like data.
    """
    raw = getattr(scores, name, None)
    if not isinstance(raw, pd.DataFrame):
        raise StoreError(f"the scores have no {name} table; {RESCORE}")
    require_columns(name, raw.columns, "the scores")
    return raw.copy()


def meta(scores: Any) -> dict[str, Any]:
    raw = getattr(scores, "meta", None)
    return dict(raw) if isinstance(raw, dict) else {}


def utc(values: pd.Series) -> pd.Series:
    """Timestamps as tz-aware UTC (strings with a trailing Z, naive or aware datetimes all accepted)."""
    return pd.to_datetime(values, utc=True, errors="coerce", format="mixed")


def text(value: Any) -> str:
    """A cell as display text: missing values become the empty string."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value)


def number(value: Any) -> float | None:
    """A cell as a finite float, or None."""
    if value is None or value is pd.NA or value is pd.NaT or isinstance(value, str):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def flag(value: Any) -> bool:
    return value is True or (not isinstance(value, str) and number(value) not in (None, 0.0))
