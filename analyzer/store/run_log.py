"""What the collection runs recorded, read without changing the store (score and report never write
into the collected tables, nor upgrade a store's schema)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from analyzer.errors import StoreError
from analyzer.store.access import connect_readonly, inspect_store
from analyzer.store.store import open_gaps


def read_open_gaps(store: str | Path) -> list[dict[str, Any]]:
    """The gaps no later collection has closed; ``StoreError`` when ``store`` is no readable store."""
    path = inspect_store(store).path
    try:
        with closing(connect_readonly(path)) as conn:
            return open_gaps(conn)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read the collection gaps of {path}: {exc}") from exc


def last_collection_end(path: Path) -> str | None:
    """When the newest collection run of the store at ``path`` ended, as stored (None: none ended)."""
    try:
        with closing(connect_readonly(path)) as conn:
            (ended,) = conn.execute("SELECT MAX(ended_at) FROM collection_runs").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot read the collection runs of {path}: {exc}; move the store aside") from exc
    return None if ended is None else str(ended)
