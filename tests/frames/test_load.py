"""load_frames on a hand-built SQLite store: dtypes, bots (§0.2), identity merge, file classes, window."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analyzer.errors import StoreError
from analyzer.frames import SCHEMAS, load_frames
from analyzer.frames.paths import glob_to_regex, match_paths
from analyzer.scores.options import ScoringOptions
from analyzer.store.schema import MIGRATIONS

T0 = "2024-06-01T00:00:00Z"
NOT_NULL_DEFAULTS = {"raw": "{}", "fetched_at": T0}


def insert(conn: sqlite3.Connection, table: str, **row: Any) -> None:
    cols = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
    row = {**{k: v for k, v in NOT_NULL_DEFAULTS.items() if k in cols}, **row}
    if "node_id" in cols and "node_id" not in row:
        row["node_id"] = f"{table}-{row.get('id', row.get('login'))}"
    keys = ", ".join(row)
    conn.execute(f"INSERT INTO {table} ({keys}) VALUES ({', '.join('?' * len(row))})", list(row.values()))


def build_store(path: Path) -> Path:
    conn = sqlite3.connect(path)
    for migration in MIGRATIONS:  # the current schema, as `Store` would create it
        conn.executescript(migration)
    insert(conn, "repos", id=1, owner="o", name="r", full_name="o/r", default_branch="main")
    insert(conn, "actors", login="alice", type="User", name="Alice A.")
    insert(conn, "actors", login="alice-work", type="User", name=None)
    insert(conn, "actors", login="helper", type="Bot", name=None)
    pr = dict(
        repo="o/r",
        title="t",
        state="MERGED",
        created_at=T0,
        updated_at=T0,
        additions=5,
        deletions=1,
        changed_files=1,
    )
    insert(conn, "pull_requests", id=1, number=1, author="alice", author_type="User", merged_at=T0, **pr)
    insert(conn, "pull_requests", id=2, number=2, author="alice-work", author_type="User", **pr)
    insert(conn, "pull_requests", id=3, number=3, author="renovate", author_type="User", **pr)
    for file in ("README.md", "docs/setup.md", "src/app.py", "yarn.lock", ".github/workflows/ci.yml"):
        insert(conn, "pr_files", pr_id=1, path=file, additions=1, deletions=0, change_type="MODIFIED")
    insert(
        conn,
        "reviews",
        id=10,
        pr_id=1,
        author="bob",
        author_type="User",
        state="APPROVED",
        body="",
        submitted_at="2024-06-02T00:00:00Z",
    )
    for i in range(6):  # a human-looking account posting a template
        insert(
            conn,
            "issue_comments",
            id=100 + i,
            pr_id=1,
            author="svc-notify",
            author_type="User",
            body=f"Build #{1000 + i} finished in {i + 3}m, see https://ci.example/{i}",
            created_at=T0,
            updated_at=T0,
        )
    insert(
        conn,
        "issue_comments",
        id=200,
        pr_id=1,
        author="appy",
        author_type="User",
        body="Thanks for the PR",
        created_at=T0,
        updated_at=T0,
        raw=json.dumps({"performed_via_github_app": {"slug": "appy"}}),
    )
    insert(
        conn,
        "issue_comments",
        id=201,
        pr_id=1,
        author="helper",
        author_type="Bot",
        body="hi",
        created_at=T0,
        updated_at=T0,
    )
    insert(
        conn,
        "review_comments",
        id=300,
        pr_id=1,
        author="bob",
        author_type="User",
        body="why this?",
        path="src/app.py",
        created_at="2024-06-02T00:00:00Z",
        updated_at="2024-06-02T00:00:00Z",
    )
    insert(
        conn,
        "commits",
        repo="o/r",
        sha="c1",
        author_login=None,
        author_email="123+carol@users.noreply.github.com",
        committed_at=T0,
        pr_number=None,
    )
    insert(
        conn,
        "commits",
        repo="o/r",
        sha="c2",
        author_login=None,
        author_email="Dave@Example.com",
        committed_at=T0,
    )
    insert(
        conn,
        "commits",
        repo="o/r",
        sha="c3",
        author_login="dave",
        author_email="dave@example.com",
        committed_at=T0,
    )
    insert(
        conn,
        "workflow_runs",
        id=7,
        repo="o/r",
        workflow_id=1,
        path=".github/workflows/ci.yml",
        conclusion="success",
        created_at=T0,
        run_started_at="2024-06-01T00:01:00Z",
        updated_at="2024-06-01T00:11:00Z",
    )
    conn.commit()
    conn.close()
    return path


OPTS = ScoringOptions(
    now=datetime(2024, 7, 1, tzinfo=UTC), aliases={"alice-work": "alice"}, bot_logins=("renovate",)
)


def test_frames_have_declared_dtypes(tmp_path: Path) -> None:
    frames = load_frames(build_store(tmp_path / "s.db"), OPTS)
    for name, schema in SCHEMAS.items():
        frame = getattr(frames, name)
        assert list(frame.columns) == list(schema), name
        for col, dtype in schema.items():
            assert str(frame[col].dtype) == str(pd.Series(dtype=dtype).dtype), (name, col)  # type: ignore[call-overload]
    assert frames.workflow_runs.loc[0, "duration_s"] == 600.0  # 00:11 - 00:01
    assert frames.now == datetime(2024, 7, 1, tzinfo=UTC)


def test_the_ready_for_review_moment_is_a_typed_column_unknown_stays_unknown(tmp_path: Path) -> None:
    path = build_store(tmp_path / "s.db")
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE pull_requests SET ready_at = '2024-05-31T12:30:00Z', ready_events = 2 WHERE id = 1")
        conn.execute("UPDATE pull_requests SET ready_at = NULL, ready_events = 0 WHERE id = 2")
    prs = load_frames(path, OPTS).prs.set_index("pr_id")
    assert prs.loc[1, "ready_at"] == pd.Timestamp("2024-05-31T12:30:00Z") and prs.loc[1, "ready_events"] == 2
    assert pd.isna(prs.loc[2, "ready_at"]) and prs.loc[2, "ready_events"] == 0  # never marked ready
    assert pd.isna(prs.loc[3, "ready_at"]) and pd.isna(prs.loc[3, "ready_events"])  # not known


def test_a_store_of_an_older_schema_is_one_error_that_says_to_collect(tmp_path: Path) -> None:
    path = build_store(tmp_path / "s.db")
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("ALTER TABLE pull_requests DROP COLUMN ready_events")
    with pytest.raises(StoreError, match=r"\(no such column: ready_events\): it is of an older schema; run"
                       " `analyzer collect` once") as caught:
        load_frames(path, OPTS)
    assert "SELECT" not in str(caught.value)


def test_bot_rules_each_fire(tmp_path: Path) -> None:
    bots = load_frames(build_store(tmp_path / "s.db"), OPTS).bots.set_index("login")
    assert bots.loc["helper", "reason"] == "type Bot"
    assert bots.loc["appy", "reason"] == "GitHub App"
    assert bots.loc["renovate", "reason"] == "configured list"
    assert bots.loc["svc-notify", "reason"] == "template-like comments"
    assert bots.loc["svc-notify", "n_comments"] == 6 and bots.loc["renovate", "n_prs"] == 1
    assert "bob" not in bots.index and "alice" not in bots.index


def test_identity_merge(tmp_path: Path) -> None:
    frames = load_frames(build_store(tmp_path / "s.db"), OPTS)
    people = frames.people.set_index("person")
    assert "alice-work" not in people.index
    assert people.loc["alice", "n_prs_authored"] == 2 and people.loc["alice", "display_name"] == "Alice A."
    commits = frames.commits.set_index("sha")
    assert commits.loc["c1", "person"] == "carol"  # no-reply email
    assert commits.loc["c2", "person"] == "dave"  # email seen with a login on another commit
    assert bool(people.loc["renovate", "is_bot"])


def test_file_classes(tmp_path: Path) -> None:
    files = load_frames(build_store(tmp_path / "s.db"), OPTS).pr_files.set_index("path")
    assert files.loc["README.md", "is_doc"] and files.loc["README.md", "is_onboarding"]
    assert files.loc["docs/setup.md", "is_onboarding"]
    assert not files.loc["src/app.py", "is_doc"]
    assert files.loc["yarn.lock", "is_generated"]
    assert files.loc[".github/workflows/ci.yml", "is_ci"]


def test_globs() -> None:
    assert glob_to_regex("**/*.md") == r"^(?:.*/)?[^/]*\.md$"
    hits = match_paths(pd.Series(["a/b/c.md", "c.md", "x.py", "docs/a/b.txt"]), ["**/*.md", "docs/**"])
    assert hits.tolist() == [True, True, False, True]


def test_missing_store_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="store not found"):
        load_frames(tmp_path / "nope.db", OPTS)
