"""The store: WAL, schema version, migrations, refusal of newer stores, idempotent upserts."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from analyzer.errors import StoreError
from analyzer.store import SCHEMA_VERSION, Store, SyncState


def test_new_store_is_wal_with_current_schema(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        assert store.schema_version() == SCHEMA_VERSION
    conn = sqlite3.connect(tmp_path / "s.sqlite")
    with closing(conn):
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
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


def _pr(pr_id: int, number: int, repo: str = "o/r") -> dict[str, object]:
    return {"id": pr_id, "node_id": f"PR_{pr_id}", "repo": repo, "number": number, "title": "t", "state": "OPEN",
            "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z", "additions": 1,
            "deletions": 0, "changed_files": 1, "raw": "{}", "fetched_at": "t"}


def test_the_collector_asks_the_store_which_rows_a_page_replaces(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        with store.transaction():
            store.upsert("pull_requests", [_pr(1, 1), _pr(2, 2), _pr(3, 1, repo="o/other")])
            commit = {"repo": "o/r", "committed_at": "2024-01-01T00:00:00Z", "raw": "{}", "fetched_at": "t"}
            store.upsert("commits", [{**commit, "sha": "a"}, {**commit, "sha": "b"}])
        # by id, or by number in the same repository (a PR re-created under its number gets a new id)
        assert store.stored_pr_ids("o/r", [2, 99], [1]) == {1, 2}
        assert store.stored_pr_ids("o/r", [], []) == set()
        # more PRs than one statement takes (chunks of 400)
        assert store.stored_pr_ids("o/r", list(range(1000, 1900)), [*range(5000, 5899), 2]) == {2}
        assert store.commits_with_files("o/r", ["a", "b"]) == set()
        with store.transaction():
            store.mark_files_fetched("o/r", "b")
        assert store.commits_with_files("o/r", ["a", "b", "zz"]) == {"b"}
        assert store.commits_with_files("o/other", ["b"]) == set()


def test_frames_and_the_report_read_through_the_store_without_writing(tmp_path: Path) -> None:
    from analyzer.store.collected import COLLECTED, read_collected, source_table
    from analyzer.store.run_log import last_collection_end, read_open_gaps

    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        with store.transaction():
            store.upsert("pull_requests", [_pr(1, 7)])
            comment = {"id": 5, "node_id": "IC_5", "pr_id": 1, "author": "a", "body": "hi", "raw": "{}",
                       "created_at": "2024-01-02T00:00:00Z", "updated_at": "2024-01-02T00:00:00Z", "fetched_at": "t"}
            app = {**comment, "id": 6, "node_id": "IC_6", "raw": '{"performed_via_github_app": {"id": 1}}'}
            store.upsert("issue_comments", [comment, app])
        run = store.start_run("2024-01-03T00:00:00Z", "o", "https://api.github.com")
        store.update_run(run, ended_at="2024-01-03T01:00:00Z", status="ok")
        store.record_gap(run, "o/r", 7, None, "timeout", "2024-01-03T00:30:00Z")
    before = path.read_bytes()
    tables = read_collected(path, detect_app_comments=True)
    assert set(tables) == set(COLLECTED)
    assert tables["prs"][["pr_id", "number"]].to_dict("records") == [{"pr_id": 1, "number": 7}]
    assert dict(zip(tables["issue_comments"]["comment_id"], tables["issue_comments"]["via_app"], strict=True)) == {
        5: 0, 6: 1}
    assert set(read_collected(path, detect_app_comments=False)["issue_comments"]["via_app"]) == {0}
    assert source_table("prs") == "pull_requests" and source_table("threads") == "review_threads"
    assert [g["error"] for g in read_open_gaps(path)] == ["timeout"]
    assert last_collection_end(path) == "2024-01-03T01:00:00Z"
    assert path.read_bytes() == before


def test_an_unreadable_store_is_one_store_error(tmp_path: Path) -> None:
    from analyzer.store.collected import read_collected
    from analyzer.store.run_log import last_collection_end, read_open_gaps

    path = tmp_path / "s.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\x01" * 200)
    with pytest.raises(StoreError, match="cannot read store"):
        read_collected(path, detect_app_comments=False)
    with pytest.raises(StoreError, match="cannot read the collection runs"):
        last_collection_end(path)
    with pytest.raises(StoreError):
        read_open_gaps(path)


def test_a_frame_written_as_a_score_table_reads_back_with_its_values(tmp_path: Path) -> None:
    import pandas as pd

    from analyzer.store import score_tables
    from analyzer.store.generations import new_generation, read_score_generation

    path = tmp_path / "s.sqlite"
    with Store(path):
        pass
    frame = pd.DataFrame({
        "at": pd.to_datetime(["2024-01-01T10:00:00.5Z", None], utc=True),
        "n": pd.array([3, None], dtype="Int64"),
        "flag": [True, False],
        "x": [0.5, float("nan")],
        "kind": pd.Categorical(["a", None]),
        "text": pd.array(["é", None], dtype="string"),
    })
    meta = {"window": {"days": 30}, "names": ["a", "b"]}
    with new_generation(path) as generation:
        generation.write_frame("t", frame)
        generation.write_meta(meta)
    assert score_tables.sql_table(frame).types == ["TEXT", "REAL", "INTEGER", "REAL", "TEXT", "TEXT"]
    stored = read_score_generation(path, ["t"])
    assert stored.label == generation.label and stored.meta == meta
    rows = stored.tables["t"].to_dict("records")
    assert rows[0] == {"at": "2024-01-01T10:00:00.500000Z", "n": 3.0, "flag": 1, "x": 0.5, "kind": "a", "text": "é"}
    assert all(pd.isna(rows[1][c]) for c in ("at", "n", "x", "kind", "text")) and rows[1]["flag"] == 0


def test_a_store_of_schema_2_gains_the_ready_columns_and_loses_nothing(tmp_path: Path) -> None:
    from analyzer.store.schema import MIGRATIONS

    path = tmp_path / "old.sqlite"
    with closing(sqlite3.connect(path)) as conn, conn:
        for migration in MIGRATIONS[:2]:  # exactly what the analyzer before schema 3 created
            conn.executescript(migration)
        conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '2')")
        for number in (1, 2):
            conn.execute(
                "INSERT INTO pull_requests (id, node_id, repo, number, title, state, draft, created_at, updated_at,"
                " additions, deletions, changed_files, raw, fetched_at) VALUES (?, ?, 'o/r', ?, 't', 'MERGED', 0,"
                " '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', 1, 2, 3, '{\"x\": 1}', 'f')",
                (number, f"PR_{number}", number),
            )
        conn.execute("INSERT INTO collection_gaps (repo, pr_number, error, recorded_at) VALUES ('o/r', 2, 'e', 't')")
        before = conn.execute("SELECT * FROM pull_requests ORDER BY id").fetchall()
    with Store(path) as store:
        assert store.schema_version() == SCHEMA_VERSION == 3
        assert store.prs_without_ready("o/r") == ["PR_1", "PR_2"]  # the next collection asks GitHub for these
        with store.transaction():
            store.set_ready([("PR_1", "2024-01-01T12:00:00Z", 1)])
        assert store.prs_without_ready("o/r") == ["PR_2"]
        assert len(store.open_gaps("o/r")) == 1
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT * FROM pull_requests ORDER BY id").fetchall()
    assert [row[:-2] for row in rows] == before  # every stored value kept, the new columns last
    assert [row[-2:] for row in rows] == [("2024-01-01T12:00:00Z", 1), (None, None)]
