"""The store: WAL, schema version, migrations, refusal of newer stores, idempotent upserts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from analyzer.errors import StoreError
from analyzer.store import SCHEMA_VERSION, Store, SyncState


def test_new_store_is_wal_with_current_schema(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"pull_requests", "reviews", "review_comments", "workflow_runs", "collection_runs", "sync_state"} <= tables


def test_store_from_a_newer_analyzer_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with Store(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer analyzer"):
        Store(path)


def test_missing_store_is_reported_when_not_creating(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="analyzer collect"):
        Store(tmp_path / "absent.sqlite", create=False)
    assert not (tmp_path / "absent.sqlite").exists()


def test_garbage_file_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable"):
        Store(path)


def test_upserts_are_idempotent_and_transactions_atomic(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        row = {"login": "a", "node_id": None, "type": "User", "name": None, "raw": "{}", "fetched_at": "t"}
        for _ in range(3):
            with store.transaction():
                store.upsert("actors", [row])
        assert store.count("actors") == 1
        with pytest.raises(RuntimeError), store.transaction():
            store.upsert("actors", [{**row, "login": "b"}])
            store.save_sync_state(SyncState("o/r", "pulls", "w", None, None, None), "t")
            raise RuntimeError("crash mid-page")
        assert store.count("actors") == 1
        assert store.sync_state("o/r", "pulls").watermark is None


def test_a_store_can_be_handed_to_another_thread_and_back(tmp_path: Path) -> None:
    """The collector's writer thread commits pages on the connection the main thread opened."""
    import threading

    from analyzer.store.store import dumps

    with Store(tmp_path / "s.sqlite") as store:
        def write() -> None:
            with store.transaction():
                store.save_sync_state(SyncState("o/r", "pulls", "2026-01-01T00:00:00Z", None, None, None), "now")

        worker = threading.Thread(target=write)
        worker.start()
        worker.join()
        assert store.sync_state("o/r", "pulls").watermark == "2026-01-01T00:00:00Z"
    assert dumps({"b": 1, "a": "é"}) == '{"a":"é","b":1}'  # canonical: sorted keys, no spaces, UTF-8 kept
