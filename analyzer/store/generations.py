"""Score tables in the store, one generation at a time.

A score run replaces every ``score_*`` table in ONE transaction: a kill, Ctrl-C, full disk or error at
any moment leaves the previous run's tables (SQLite rolls the open transaction back) or the new ones,
never a mix. Each run is a generation, labelled ``<number>-<random>`` (the number counts runs on this
store; the random part tells apart two runs that started from the same generation, e.g. on copies of a
store). The label is stamped into every table's ``CREATE TABLE`` statement as a comment, so it sits in
``sqlite_master`` with the table itself: a table replaced by anything else (an older analyzer, a hand
edit) carries no stamp or another one, and ``read_generation`` refuses the mix instead of showing it.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analyzer.errors import StoreError
from analyzer.store.access import connect_readonly
from analyzer.store.score_tables import meta_from_rows, meta_rows, sql_table

PREFIX = "score_"
META = "meta"  # score_meta: one key/value row per run metadata entry
STAMP = "analyzer score generation"
STAMP_RE = re.compile(rf"/\* {STAMP} ([0-9]+-[0-9a-f]+) \*/")
SCORE_AGAIN = "run `analyzer score` again"


@dataclass
class GenerationWriter:
    """Replaces score tables inside the open transaction of one generation."""

    conn: sqlite3.Connection
    label: str

    def replace(self, name: str, columns: Sequence[str], types: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Table ``score_<name>`` with ``columns`` of SQLite ``types``, holding ``rows``."""
        table = _quoted(PREFIX + name)
        spec = ", ".join(f"{_quoted(c)} {t}" for c, t in zip(columns, types, strict=True))
        self.conn.execute(f"DROP TABLE IF EXISTS {table}")
        self.conn.execute(f"CREATE TABLE {table} /* {STAMP} {self.label} */ ({spec})")
        marks = ", ".join("?" for _ in columns)
        self.conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)

    def write_frame(self, name: str, frame: pd.DataFrame) -> None:
        """Table ``score_<name>`` holding ``frame`` (see ``analyzer.store.score_tables``)."""
        table = sql_table(frame)
        self.replace(name, table.columns, table.types, table.rows)

    def write_meta(self, meta: Mapping[str, object]) -> None:
        """``score_meta``: the run's metadata, one JSON value per key."""
        table = meta_rows(meta)
        self.replace(META, table.columns, table.types, table.rows)


@contextmanager
def new_generation(store: str | Path) -> Iterator[GenerationWriter]:
    """One write transaction on ``store`` (taken at once: a second writer waits up to 30 s); committed
    when the block ends, rolled back on any exception. SQLite failures become one-line ``StoreError``s."""
    path = Path(store)
    try:
        conn = sqlite3.connect(path, timeout=30.0, isolation_level=None)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot write scores into {path}: {exc}") from exc
    with closing(conn):
        try:
            conn.execute("BEGIN IMMEDIATE")
            writer = GenerationWriter(conn, f"{_last_number(conn) + 1}-{secrets.token_hex(6)}")
            yield writer
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            _rollback(conn)
            unchanged = "the previous scores are unchanged"
            raise StoreError(f"cannot write scores into {path}: {_why(exc)}; {unchanged}") from exc
        except BaseException:
            _rollback(conn)
            raise


def _why(exc: sqlite3.DatabaseError) -> str:
    if getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL" or "disk is full" in str(exc):
        return "the disk is full (free some space and score again)"
    return str(exc)


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        with suppress(sqlite3.DatabaseError):  # closing the connection rolls back what is left
            conn.execute("ROLLBACK")


def _last_number(conn: sqlite3.Connection) -> int:
    label = stamps(conn).get(META)
    return int(label.split("-")[0]) if label else 0


def stamps(conn: sqlite3.Connection) -> dict[str, str | None]:
    """The generation label stamped on each score table (None: a score table without a stamp)."""
    out: dict[str, str | None] = {}
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'score\\_%' ESCAPE '\\'"
    )
    for name, sql in rows:
        found = STAMP_RE.search(sql or "")
        out[name[len(PREFIX) :]] = found.group(1) if found else None
    return out


@dataclass(frozen=True)
class StoredTable:
    columns: list[str]
    rows: list[tuple[Any, ...]]

    def frame(self) -> pd.DataFrame:
        """The rows as an untyped DataFrame of the stored columns."""
        return pd.DataFrame.from_records(self.rows, columns=self.columns)


@dataclass(frozen=True)
class ScoreGeneration:
    """The current score generation: its label, its tables (untyped) and its run metadata."""

    label: str
    tables: dict[str, pd.DataFrame]
    meta: dict[str, object]


def read_score_generation(store: str | Path, names: Sequence[str]) -> ScoreGeneration:
    """``read_generation`` as DataFrames and decoded metadata."""
    label, stored = read_generation(store, names)
    return ScoreGeneration(label, {name: stored[name].frame() for name in names}, meta_from_rows(stored[META].rows))


def read_generation(store: str | Path, names: Sequence[str]) -> tuple[str, dict[str, StoredTable]]:
    """The current generation's label and its tables ``names`` plus ``meta``, read in one snapshot.
    ``StoreError`` (one line) when there are no scores, or the tables are not all of one generation."""
    path = Path(store)
    try:
        with closing(connect_readonly(path)) as conn:
            conn.execute("BEGIN")  # one snapshot: a score run committing meanwhile is not seen halfway
            found = stamps(conn)
            label = _one_generation(path, found, [*names, META])
            tables = {}
            for name in [*names, META]:
                cursor = conn.execute(f"SELECT * FROM {_quoted(PREFIX + name)}")
                tables[name] = StoredTable([d[0] for d in cursor.description], cursor.fetchall())
            conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot read the scores in {path}: {exc} ({SCORE_AGAIN})") from exc
    return label, tables


def _one_generation(path: Path, found: dict[str, str | None], names: list[str]) -> str:
    missing = [n for n in names if n not in found]
    if len(missing) == len(names):
        raise StoreError(f"no scores in {path}: run `analyzer score` first")
    if missing:
        raise StoreError(f"the scores in {path} are incomplete (no {PREFIX}{missing[0]} table); {SCORE_AGAIN}")
    labels = {found[n] for n in names}
    if None in labels:
        unstamped = next(n for n in names if found[n] is None)
        raise StoreError(
            f"the scores in {path} mix score runs ({PREFIX}{unstamped} carries no generation: written by an"
            f" older analyzer or by hand); {SCORE_AGAIN}"
        )
    if len(labels) > 1:
        raise StoreError(
            f"the scores in {path} mix score runs (generations {', '.join(sorted(str(x) for x in labels))});"
            f" {SCORE_AGAIN}"
        )
    label = labels.pop()
    assert label is not None
    return label


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
