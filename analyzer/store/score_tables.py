"""How a score table (a typed DataFrame) is held in SQLite, and read back.

Timestamps become ISO-8601 'Z' text, categories and strings plain text, booleans and integers INTEGER,
floats REAL (NaN and missing values NULL). Reading gives the stored columns untyped; the scores stage
types them with its own declarations (``analyzer.scores.pipeline.conform_scores``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

SQL_CHUNK = 50_000  # rows converted to Python values at a time (a million rows at once would cost ~1 GB)


@dataclass(frozen=True)
class SqlTable:
    """A frame as SQLite takes it: column names, their SQLite types, and the rows (Python values)."""

    columns: list[str]
    types: list[str]
    rows: Iterator[tuple[object, ...]]


def sql_table(frame: pd.DataFrame) -> SqlTable:
    """``frame`` as columns, SQLite types and rows, converted ``SQL_CHUNK`` rows at a time."""
    text = _to_sql_text(frame)
    columns = [str(c) for c in text.columns]
    types = [_sql_type(text[c]) for c in text.columns]

    def rows() -> Iterator[tuple[object, ...]]:
        for start in range(0, len(text), SQL_CHUNK):
            chunk = text.iloc[start : start + SQL_CHUNK]
            yield from zip(*(_python_values(chunk[c]) for c in chunk.columns), strict=True)

    return SqlTable(columns, types, rows())


def meta_rows(meta: Mapping[str, object]) -> SqlTable:
    """Run metadata as a key/value table (each value as JSON)."""
    keys = list(meta)
    values = [json.dumps(v, default=str) for v in meta.values()]
    return SqlTable(["key", "value"], ["TEXT", "TEXT"], iter(zip(keys, values, strict=True)))


def meta_from_rows(rows: list[tuple[Any, ...]]) -> dict[str, object]:
    """The metadata ``meta_rows`` stored."""
    return {str(k): json.loads(v) for k, v in rows}


def _sql_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_integer_dtype(series.dtype):
        return "INTEGER"
    if pd.api.types.is_float_dtype(series.dtype):
        return "REAL"
    return "TEXT"


def _python_values(series: pd.Series) -> list[object]:
    if pd.api.types.is_float_dtype(series.dtype):  # NaN is stored as NULL by SQLite itself
        return series.to_numpy(dtype="float64").tolist()
    if series.dtype.kind in "biu":
        return series.tolist()
    return series.astype(object).where(series.notna(), None).tolist()


def _to_sql_text(frame: pd.DataFrame) -> pd.DataFrame:
    """SQLite-friendly copy: timestamps as ISO-8601 'Z' text, categories and strings as plain text."""
    out = {}
    for col in frame.columns:
        s = frame[col]
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            out[col] = s.dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ").astype(object).where(s.notna(), None)
        elif isinstance(s.dtype, pd.CategoricalDtype) or str(s.dtype).startswith(("string", "str")):
            out[col] = s.astype(object).where(s.notna(), None)
        elif str(s.dtype) == "Int64":
            out[col] = s.astype("float64")
        else:
            out[col] = s
    return pd.DataFrame(out)
