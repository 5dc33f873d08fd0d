"""The collected tables as the frames stage reads them: one read-only snapshot, columns renamed to the
frames' names, raw JSON never loaded (except one flag read in SQL).

Frames never see SQL or a connection: ``read_collected`` hands them plain DataFrames, so a second source
of data (another forge, a CSV export) only has to produce the same frames (``COLLECTED`` lists them).
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pandas as pd

from analyzer.errors import StoreError
from analyzer.store.access import connect_readonly

_APP = (
    "CASE WHEN json_valid(raw) AND json_type(raw, '$.performed_via_github_app') IN ('object', 'text') THEN 1 ELSE 0 END"
)

# frame table name -> the query that reads it from the store ({via_app}: the app-comment flag or 0)
COLLECTED: dict[str, str] = {
    "repos": "SELECT full_name AS repo, default_branch, html_url AS url FROM repos",
    "actors": "SELECT login, type, name FROM actors",
    "prs": """SELECT id AS pr_id, repo, number, title, body, author, author_type, author_association, state,
        draft, created_at, ready_at, ready_events, closed_at, merged_at, additions, deletions, changed_files,
        html_url AS url FROM pull_requests""",
    "pr_files": "SELECT pr_id, path, additions, deletions, change_type FROM pr_files",
    "pr_commits": """SELECT pr_id, sha, author_login, author_email, authored_at, committed_at, message
        FROM pr_commits""",
    "reviews": """SELECT id AS review_id, pr_id, author, author_type, state, body, submitted_at, commit_sha,
        html_url AS url FROM reviews WHERE state != 'PENDING' AND submitted_at IS NOT NULL""",
    "review_comments": """SELECT id AS comment_id, pr_id, review_id, thread_id, in_reply_to_id, author,
        author_type, body, path, line, original_line, diff_hunk, commit_sha, original_commit_sha, created_at,
        updated_at, html_url AS url FROM review_comments""",
    "threads": """SELECT node_id AS thread_id, pr_id, path, line, original_line, is_resolved, is_outdated,
        resolved_by FROM review_threads""",
    "issue_comments": """SELECT id AS comment_id, pr_id, author, author_type, body, created_at, updated_at,
        html_url AS url, {via_app} AS via_app FROM issue_comments""",
    "commits": """SELECT repo, sha, author_login, author_email, message, authored_at, committed_at, pr_number,
        files_fetched, html_url AS url FROM commits""",
    "commit_files": "SELECT repo, sha, path, additions, deletions, status FROM commit_files",
    "workflow_runs": """SELECT id AS run_id, repo, workflow_id, name, path, event, head_branch, head_sha,
        status, conclusion, created_at, run_started_at, updated_at, run_attempt, actor, html_url AS url
        FROM workflow_runs""",
}


def source_table(name: str) -> str:
    """The store table the frame table ``name`` is read from (for messages that point at a stored row)."""
    found = re.search(r"FROM (\w+)", COLLECTED.get(name, ""))
    return found.group(1) if found else name


def read_collected(path: Path, *, detect_app_comments: bool) -> dict[str, pd.DataFrame]:
    """Every collected table of the store at ``path`` as an untyped DataFrame, all from one snapshot
    (a collector writing meanwhile is not seen halfway). ``detect_app_comments``: flag issue comments
    posted through a GitHub App (``via_app``; else 0). ``StoreError`` (one line) for an unreadable store."""
    try:
        with closing(connect_readonly(path)) as conn:
            conn.execute("BEGIN")  # one snapshot of every table, even while a collector writes
            return _read_tolerant(conn, detect_app_comments)
    except (sqlite3.DatabaseError, pd.errors.DatabaseError) as exc:  # pandas wraps the errors of a query
        missing = re.search(r"no such column: [\w.]+", str(exc))
        if missing:  # written by an older analyzer (only `analyzer collect` migrates a store)
            raise StoreError(f"cannot read store {path} ({missing[0]}): it is of an older schema; run `analyzer"
                             " collect` once to upgrade it") from exc
        raise StoreError(f"cannot read store {path}: {exc} (is it an analyzer store?)") from exc


def _read_tolerant(conn: sqlite3.Connection, detect_app_comments: bool) -> dict[str, pd.DataFrame]:
    """``_read``; text that is not valid UTF-8 (one bad byte in a comment) is read with U+FFFD for it.

    The fast path decodes in C; only a store holding such text pays for the per-value fallback.
    """
    try:
        return _read(conn, detect_app_comments)
    except sqlite3.OperationalError as exc:
        if "decode" not in str(exc):
            raise
        conn.text_factory = lambda raw: raw.decode("utf-8", "replace")
        return _read(conn, detect_app_comments)


def _read(conn: sqlite3.Connection, detect_app_comments: bool) -> dict[str, pd.DataFrame]:
    via_app = _APP if detect_app_comments else "0"
    return {name: pd.read_sql_query(sql.format(via_app=via_app), conn) for name, sql in COLLECTED.items()}
