"""Reading a store without changing it, and telling what a file is before anything writes to it.

Score and report only read the collected tables, so they open the store read-only through a ``file:``
URI built from the percent-encoded absolute path (a store named ``a#b``, ``a?b`` or ``a%41`` is opened
as itself, and no stray file is created). A store on read-only media (a mounted snapshot, a CD, a
read-only bind mount) cannot hold SQLite's ``-shm`` file, so it is opened ``immutable``: nobody can be
writing to it there.

``inspect_store`` classifies a path without writing a byte: so a 0-byte file or some other program's
SQLite database is refused, never turned into an analyzer store.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from analyzer.errors import StoreError
from analyzer.store.schema import SCHEMA_VERSION

MOVE_ASIDE = "point --store (or store.path) at an analyzer store, or move this file aside"


def readonly_uri(path: str | Path, *, immutable: bool = False) -> str:
    """A ``file:`` URI that opens exactly ``path`` read-only (``#``, ``?`` and ``%`` percent-encoded)."""
    uri = f"{Path(path).expanduser().resolve().as_uri()}?mode=ro"
    return f"{uri}&immutable=1" if immutable else uri


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """A read-only connection (autocommit: ``BEGIN`` starts a read transaction, one snapshot of every
    table); ``immutable`` where the store's folder cannot be written (read-only media)."""
    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True, isolation_level=None, timeout=30.0)
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        if not _read_only_folder(Path(path)):
            raise
    conn = sqlite3.connect(readonly_uri(path, immutable=True), uri=True, isolation_level=None)
    conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    return conn


def _read_only_folder(path: Path) -> bool:
    folder = path.expanduser().resolve().parent
    return folder.is_dir() and not os.access(folder, os.W_OK)


@dataclass(frozen=True)
class StoreInfo:
    """What a store file is: its schema version (0: SQLite but no analyzer schema)."""

    path: Path
    schema_version: int


def inspect_store(path: str | Path) -> StoreInfo:
    """The schema version of the analyzer store at ``path``; ``StoreError`` (one line) for a missing
    path, a folder, a 0-byte file, a file that is not SQLite, some other program's SQLite database,
    or a store written by a newer analyzer. Reads only."""
    file = Path(path).expanduser()
    if not file.exists():
        raise StoreError(f"store not found: {file} - run `analyzer collect` (or `analyzer demo`) first")
    if file.is_dir():
        raise StoreError(f"store {file} is a folder, not a store file; {MOVE_ASIDE}")
    if file.stat().st_size == 0:
        raise StoreError(f"store {file} is an empty (0-byte) file, not an analyzer store; {MOVE_ASIDE}")
    try:
        conn = connect_readonly(file)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            row = (
                conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
                if "meta" in tables
                else None
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{file} is not a usable analyzer store ({exc}); {MOVE_ASIDE}") from exc
    version = _version(row[0] if row else None)
    if version is None or "pull_requests" not in tables:
        raise StoreError(f"{file} is a SQLite database but not an analyzer store; {MOVE_ASIDE}")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{file} was written by a newer analyzer (schema {version} > {SCHEMA_VERSION}); upgrade analyzer"
        )
    return StoreInfo(file, version)


def require_current_store(path: str | Path) -> StoreInfo:
    """``inspect_store``, and the schema must be this analyzer's: scoring never writes into a store of
    an older schema (only `analyzer collect` upgrades a store, and afterwards older analyzers refuse it)."""
    info = inspect_store(path)
    if info.schema_version < SCHEMA_VERSION:
        raise StoreError(
            f"{info.path} is a store of schema {info.schema_version}, this analyzer scores schema"
            f" {SCHEMA_VERSION}: run `analyzer collect` once to upgrade it, then score again"
        )
    return info


def _version(value: object) -> int | None:
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None
