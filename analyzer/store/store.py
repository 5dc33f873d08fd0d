"""The SQLite store: one file in WAL mode, idempotent upserts keyed by GitHub ids.

Crash safety comes from SQLite itself: every page the collector fetches is written together with the
sync-state row that records how far the pass got, in one transaction. A ``kill -9`` loses only the
pages fetched but not yet committed (the one in flight and the few queued for the collector's writer),
which the next run fetches again; an upsert of an already-stored item replaces it, so nothing is
duplicated.

The ``raw`` column holds each payload as GitHub returned it, with one exception: a workflow run's
``repository`` and ``head_repository`` objects (~6 KB each, identical on every run of a repository,
and two thirds of a run's JSON) are stored as ``{"id", "full_name"}`` only; the ``repos`` table holds
the repository itself.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson

from analyzer.errors import StoreError
from analyzer.outputs import reason
from analyzer.store.access import inspect_store
from analyzer.store.schema import MIGRATIONS, SCHEMA_VERSION

Row = Mapping[str, Any]


@dataclass(frozen=True)
class SyncState:
    repo: str
    stream: str
    watermark: str | None
    pass_started_at: str | None
    pass_high_water: str | None
    cursor: str | None


def dumps(payload: Any) -> str:
    """Canonical JSON for the ``raw`` column: sorted keys (byte-stable across runs), UTF-8 unescaped.

    orjson, not ``json``: every stored item is encoded once on the collector's writer thread, and
    the stdlib encoder's time there was the writer's largest share of the interpreter lock that the
    request thread also needs (measured: 3-4x less encoding time for the same text).
    """
    try:
        return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:
        # A lone UTF-16 surrogate (GitHub sends them, e.g. in a title cut mid-emoji) is no valid UTF-8:
        # keep it as the JSON escape it arrived as, so the raw column still holds what GitHub sent.
        return json.dumps(payload, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


class Store:
    """A handle on one store file. Use as a context manager or call ``close()``."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StoreError(
                f"store not found: {self.path} - run `analyzer collect` (or `analyzer demo`) first"
            )
        if not create or (self.path.is_file() and self.path.stat().st_size):
            inspect_store(self.path)  # never turns a 0-byte file or another program's database into a store
        if create:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the store {self.path}: {reason(exc)}; choose another place"
                                 " with --store (or store.path)") from exc
        try:
            # One thread at a time, but not always the same one: the collector hands the store to its
            # writer thread and back (analyzer/collector/writer.py), hence check_same_thread=False.
            self._conn = sqlite3.connect(
                str(self.path), timeout=30.0, isolation_level=None, check_same_thread=False
            )
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a usable analyzer store ({exc}); move it aside") from exc

    # -- lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of work: every call on this store inside commits together or not at all."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._conn.execute("COMMIT")
        except BaseException as exc:
            if self._conn.in_transaction:
                with suppress(sqlite3.DatabaseError):  # closing the connection rolls back what is left
                    self._conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) and "disk is full" in str(exc):
                raise StoreError(f"the disk holding {self.path} is full; free some space and run the same"
                                 " command again (everything committed before is kept)") from exc
            raise

    def schema_version(self) -> int:
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row["value"]) if row else 0

    def _migrate(self) -> None:
        has_meta = self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
        ).fetchone()
        current = self.schema_version() if has_meta else 0
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer analyzer (schema {current} > {SCHEMA_VERSION});"
                " upgrade analyzer"
            )
        for version in range(current, SCHEMA_VERSION):
            with self.transaction():
                for statement in _split_sql(MIGRATIONS[version]):
                    self._conn.execute(statement)
                self._conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                    (str(version + 1),),
                )

    # -- generic upserts -------------------------------------------------------------------------

    def upsert(self, table: str, rows: Sequence[Row]) -> int:
        """Insert or replace ``rows`` (dicts with identical keys) into ``table``; returns the count."""
        if not rows:
            return 0
        columns = list(rows[0].keys())
        placeholders = ", ".join("?" for _ in columns)
        sql = f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
        values = itemgetter(*columns)  # one C call per row (a tuple, or the bare value for one column)
        params = map(values, rows) if len(columns) > 1 else ((values(row),) for row in rows)
        try:
            self._conn.executemany(sql, params)
        except UnicodeEncodeError:
            # a lone surrogate in some text (no valid UTF-8): store U+FFFD in the typed columns instead;
            # ``raw`` keeps the original as a JSON escape (see ``dumps``). Rows already written are replaced.
            self._conn.executemany(sql, ([_valid_text(v) for v in values(row)] for row in rows) if len(columns) > 1
                                  else ((_valid_text(values(row)),) for row in rows))
        return len(rows)

    def delete_children(self, table: str, key_column: str, keys: Iterable[Any]) -> None:
        """Remove child rows (files, commits of a PR) before re-inserting the fresh set."""
        key_list = list(keys)
        for start in range(0, len(key_list), 500):
            chunk = key_list[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            self._conn.execute(f"DELETE FROM {table} WHERE {key_column} IN ({marks})", chunk)

    # -- sync state ------------------------------------------------------------------------------

    def sync_state(self, repo: str, stream: str) -> SyncState:
        row = self._conn.execute(
            "SELECT * FROM sync_state WHERE repo = ? AND stream = ?", (repo, stream)
        ).fetchone()
        if row is None:
            return SyncState(repo, stream, None, None, None, None)
        return SyncState(
            repo, stream, row["watermark"], row["pass_started_at"], row["pass_high_water"], row["cursor"]
        )

    def save_sync_state(self, state: SyncState, now: str) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO sync_state (repo, stream, watermark, pass_started_at,"
            " pass_high_water, cursor, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                state.repo,
                state.stream,
                state.watermark,
                state.pass_started_at,
                state.pass_high_water,
                state.cursor,
                now,
            ),
        )

    # -- collection run log ----------------------------------------------------------------------

    def start_run(self, started_at: str, target: str, base_url: str) -> int:
        with self.transaction():
            cur = self._conn.execute(
                "INSERT INTO collection_runs (started_at, status, target, base_url) VALUES (?, 'running', ?, ?)",
                (started_at, target, base_url),
            )
        return int(cur.lastrowid or 0)

    def update_run(self, run_id: int, **fields: Any) -> None:
        if not fields:
            return
        assignments = ", ".join(f"{name} = ?" for name in fields)
        self._conn.execute(
            f"UPDATE collection_runs SET {assignments} WHERE run_id = ?", (*fields.values(), run_id)
        )

    def runs(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self._conn.execute("SELECT * FROM collection_runs ORDER BY run_id")]

    def close_stale_runs(self, alive: Callable[[str | None], bool], ended_at: str) -> int:
        """Mark runs still 'running' whose process is gone (killed, interrupted) as 'interrupted'."""
        stale = [
            int(r["run_id"])
            for r in self._conn.execute("SELECT run_id, message FROM collection_runs WHERE status = 'running'")
            if not alive(r["message"])
        ]
        with self.transaction():
            for run_id in stale:
                self._conn.execute(
                    "UPDATE collection_runs SET status = 'interrupted', ended_at = ?, errors = errors + 1,"
                    " message = 'the collector stopped without finishing (killed or interrupted)'"
                    " WHERE run_id = ?",
                    (ended_at, run_id),
                )
        return len(stale)

    def scrub_run_urls(self) -> None:
        """Drop user names and passwords an older analyzer stored inside ``collection_runs.base_url``."""
        rows = self._conn.execute("SELECT run_id, base_url FROM collection_runs WHERE base_url LIKE '%@%'").fetchall()
        with self.transaction():
            for run_id, url in rows:
                self._conn.execute("UPDATE collection_runs SET base_url = ? WHERE run_id = ?",
                             (re.sub(r"//[^/@]*@", "//", str(url)), run_id))

    # -- gaps: what a collection could not fetch -------------------------------------------------

    def record_gap(
        self, run_id: int | None, repo: str, pr_number: int | None, path: str | None, error: str, now: str
    ) -> None:
        """One open gap per (repo, PR, path): a repeat only refreshes its error and time."""
        self._conn.execute(
            "DELETE FROM collection_gaps WHERE repo = ? AND pr_number IS ? AND path IS ? AND resolved_at IS NULL",
            (repo, pr_number, path),
        )
        self._conn.execute(
            "INSERT INTO collection_gaps (run_id, repo, pr_number, path, error, recorded_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (run_id, repo, pr_number, path, error, now),
        )

    def resolve_gaps(self, repo: str, pr_numbers: Iterable[int | None], now: str) -> None:
        """A PR fetched whole again closes its open gaps (``None``: the gaps of PRs GitHub could not name)."""
        requested = list(pr_numbers)
        numbers = [n for n in requested if n is not None]
        if len(numbers) < len(requested):
            self._conn.execute(
                "UPDATE collection_gaps SET resolved_at = ? WHERE repo = ? AND resolved_at IS NULL"
                " AND pr_number IS NULL",
                (now, repo),
            )
        for start in range(0, len(numbers), 500):
            chunk = numbers[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            self._conn.execute(
                f"UPDATE collection_gaps SET resolved_at = ? WHERE repo = ? AND resolved_at IS NULL"
                f" AND pr_number IN ({marks})",
                (now, repo, *chunk),
            )

    def open_gaps(self, repo: str | None = None) -> list[dict[str, Any]]:
        return open_gaps(self._conn, repo)

    # -- queries used by the collector ----------------------------------------------------------

    def count(self, table: str) -> int:
        return int(self._conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def commits_missing_files(self, repo: str) -> list[str]:
        rows = self._conn.execute(
            "SELECT sha FROM commits WHERE repo = ? AND pr_number IS NULL AND files_fetched = 0"
            " ORDER BY committed_at, sha",
            (repo,),
        )
        return [str(r["sha"]) for r in rows]

    def ids(self, table: str, column: str = "id") -> set[Any]:
        return {r[0] for r in self._conn.execute(f"SELECT {column} FROM {table}")}

    def stored_pr_ids(self, repo: str, ids: Sequence[int], numbers: Sequence[int]) -> set[int]:
        """Ids of the stored PRs that are one of ``ids`` or, in ``repo``, one of ``numbers``: the earlier
        copies a page of PRs replaces (GitHub may re-create a PR under the same number with a new id)."""
        found: set[int] = set()
        for start in range(0, max(len(ids), len(numbers)), 400):
            id_chunk, number_chunk = ids[start : start + 400], numbers[start : start + 400]
            marks_ids, marks_numbers = ", ".join("?" * len(id_chunk)), ", ".join("?" * len(number_chunk))
            found.update(
                int(r[0])
                for r in self._conn.execute(
                    f"SELECT id FROM pull_requests WHERE id IN ({marks_ids})"
                    f" OR (repo = ? AND number IN ({marks_numbers}))",
                    (*id_chunk, repo, *number_chunk),
                )
            )
        return found

    def prs_without_ready(self, repo: str) -> list[str]:
        """Node ids of ``repo``'s stored PRs whose ready-for-review moment was never asked of GitHub."""
        rows = self._conn.execute(
            "SELECT node_id FROM pull_requests WHERE repo = ? AND ready_events IS NULL ORDER BY id", (repo,)
        )
        return [str(r[0]) for r in rows]

    def set_ready(self, rows: Iterable[tuple[str, str | None, int]]) -> None:
        """(node id, last ready-for-review or None, how many) for PRs already stored."""
        self._conn.executemany(
            "UPDATE pull_requests SET ready_at = ?, ready_events = ? WHERE node_id = ?",
            ((ready_at, count, node) for node, ready_at, count in rows),
        )

    def commits_with_files(self, repo: str, shas: Sequence[str]) -> set[str]:
        """Those of ``shas`` in ``repo`` whose changed files are already stored."""
        marks = ", ".join("?" for _ in shas)
        rows = self._conn.execute(
            f"SELECT sha FROM commits WHERE repo = ? AND files_fetched = 1 AND sha IN ({marks})", (repo, *shas)
        )
        return {str(r[0]) for r in rows}

    def mark_files_fetched(self, repo: str, sha: str) -> None:
        """The changed files of commit ``sha`` are stored (written in the same transaction as the files)."""
        self._conn.execute("UPDATE commits SET files_fetched = 1 WHERE repo = ? AND sha = ?", (repo, sha))


def open_gaps(conn: sqlite3.Connection, repo: str | None = None) -> list[dict[str, Any]]:
    """The gaps no later run has closed (on any connection: report reads them read-only)."""
    sql = "SELECT * FROM collection_gaps WHERE resolved_at IS NULL"
    params: tuple[Any, ...] = ()
    if repo is not None:
        sql += " AND repo = ?"
        params = (repo,)
    cursor = conn.execute(sql + " ORDER BY repo, pr_number, gap_id", params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _split_sql(script: str) -> list[str]:
    """Split a DDL script into statements; comments go first (they may hold semicolons)."""
    code = "\n".join(line.split("--", 1)[0] for line in script.splitlines())
    return [statement.strip() for statement in code.split(";") if statement.strip()]


_SURROGATE = re.compile("[\ud800-\udfff]")  # in a str, always unpaired (JSON decoders join real pairs)


def _valid_text(value: Any) -> Any:
    """``value`` with lone surrogates replaced by U+FFFD when it is text that is not valid UTF-8."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    return value
