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


def test_a_read_only_uri_names_exactly_the_file_whatever_its_name(tmp_path: Path) -> None:
    from analyzer.store.access import connect_readonly, readonly_uri

    path = tmp_path / "team#1?mode=rw&x=%41.sqlite"
    with Store(path):
        pass
    uri = readonly_uri(path)
    assert "%23" in uri and "%3F" in uri and "%2541" in uri and uri.endswith("?mode=ro")
    conn = connect_readonly(path)
    try:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("CREATE TABLE x (a)")
    finally:
        conn.close()
    assert {p.name for p in tmp_path.iterdir()} <= {path.name, f"{path.name}-wal", f"{path.name}-shm"}


@pytest.mark.parametrize("content", [b"", b"SQLite format 3\x00" + b"\x00" * 100])
def test_opening_an_existing_file_never_turns_it_into_a_store(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "s.sqlite"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="store"):
        Store(path, create=False)
    assert path.read_bytes() == content and [p.name for p in tmp_path.iterdir()] == ["s.sqlite"]


def test_a_generation_replaces_every_score_table_or_none(tmp_path: Path) -> None:
    from analyzer.store.generations import new_generation, read_generation

    path = tmp_path / "s.sqlite"
    with Store(path):
        pass
    with new_generation(path) as first:
        for name in ("a", "b", "meta"):
            first.replace(name, ["x"], ["INTEGER"], [(1,), (2,)])
    with pytest.raises(RuntimeError), new_generation(path) as second:
        second.replace("a", ["x"], ["INTEGER"], [(3,)])
        raise RuntimeError("killed halfway")
    label, tables = read_generation(path, ["a", "b"])
    assert label == first.label and label.startswith("1-")
    assert tables["a"].rows == [(1,), (2,)] and tables["b"].rows == [(1,), (2,)]
    with new_generation(path) as third:
        assert third.label.startswith("2-")
        third.replace("a", ["x"], ["INTEGER"], [(4,)])
    with pytest.raises(StoreError, match="mix score runs"):
        read_generation(path, ["a", "b"])
