"""The ``Frames`` container: tidy, typed DataFrames read from the store (one per entity)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

import pandas as pd

STR: Final = "string[pyarrow]"
TS: Final = "datetime64[ns, UTC]"


def cast(series: pd.Series, dtype: str) -> pd.Series:
    """``series.astype(dtype)`` for a dtype named at run time (the stubs only accept literal names)."""
    out: pd.Series = series.astype(dtype)  # type: ignore[call-overload]
    return out


def has_dtype(series: pd.Series, dtype: str) -> bool:
    """Is ``series`` already of the dtype named ``dtype``? (Names differ from ``str(dtype)``: the
    pyarrow-backed string dtype prints as "string".)"""
    try:
        return bool(series.dtype == pd.api.types.pandas_dtype(dtype))
    except TypeError:
        return False


# Declared column dtypes of every frame; ``load_frames`` and ``empty_frame`` honour them.
SCHEMAS: dict[str, dict[str, str]] = {
    "people": {
        "person": STR,
        "logins": STR,
        "display_name": STR,
        "type": STR,
        "is_bot": "boolean",
        "bot_reason": STR,
        "first_pr_at": TS,
        "first_activity_at": TS,
        "n_prs_authored": "Int64",
        "n_merged_prs": "Int64",
        "newcomer_until": TS,
        "is_newcomer": "boolean",
    },
    "prs": {
        "pr_id": "Int64",
        "repo": STR,
        "number": "Int64",
        "title": STR,
        "body": STR,
        "author": STR,
        "person": STR,
        "is_bot": "boolean",
        "author_association": STR,
        "state": STR,
        "draft": "boolean",
        "created_at": TS,
        "ready_at": TS,  # last marked ready for review; <NaT> when never (or not known: ready_events <NA>)
        "ready_events": "Int64",  # times marked ready for review; <NA> when the store does not know
        "closed_at": TS,
        "merged_at": TS,
        "additions": "Int64",
        "deletions": "Int64",
        "changed_files": "Int64",
        "url": STR,
        "author_newcomer": "boolean",
    },
    "pr_files": {
        "pr_id": "Int64",
        "path": STR,
        "additions": "Int64",
        "deletions": "Int64",
        "change_type": STR,
        "is_generated": "boolean",
        "is_doc": "boolean",
        "is_onboarding": "boolean",
        "is_ci": "boolean",
    },
    "pr_commits": {
        "pr_id": "Int64",
        "sha": STR,
        "author_login": STR,
        "person": STR,
        "authored_at": TS,
        "committed_at": TS,
        "message": STR,
    },
    "reviews": {
        "review_id": "Int64",
        "pr_id": "Int64",
        "author": STR,
        "person": STR,
        "is_bot": "boolean",
        "state": STR,
        "body": STR,
        "submitted_at": TS,
        "commit_sha": STR,
        "url": STR,
    },
    "review_comments": {
        "comment_id": "Int64",
        "pr_id": "Int64",
        "review_id": "Int64",
        "thread_id": STR,
        "in_reply_to_id": "Int64",
        "author": STR,
        "person": STR,
        "is_bot": "boolean",
        "body": STR,
        "path": STR,
        "line": "Int64",
        "original_line": "Int64",
        "diff_hunk": STR,
        "commit_sha": STR,
        "original_commit_sha": STR,
        "created_at": TS,
        "updated_at": TS,
        "url": STR,
    },
    "threads": {
        "thread_id": STR,
        "pr_id": "Int64",
        "path": STR,
        "line": "Int64",
        "original_line": "Int64",
        "is_resolved": "boolean",
        "is_outdated": "boolean",
        "resolved_by": STR,
    },
    "issue_comments": {
        "comment_id": "Int64",
        "pr_id": "Int64",
        "author": STR,
        "person": STR,
        "is_bot": "boolean",
        "body": STR,
        "created_at": TS,
        "updated_at": TS,
        "url": STR,
        "via_app": "boolean",
    },
    "commits": {
        "repo": STR,
        "sha": STR,
        "author_login": STR,
        "person": STR,
        "is_bot": "boolean",
        "author_email": STR,
        "message": STR,
        "authored_at": TS,
        "committed_at": TS,
        "pr_number": "Int64",
        "files_fetched": "boolean",
        "url": STR,
    },
    "commit_files": {
        "repo": STR,
        "sha": STR,
        "path": STR,
        "additions": "Int64",
        "deletions": "Int64",
        "status": STR,
        "is_generated": "boolean",
        "is_doc": "boolean",
        "is_onboarding": "boolean",
        "is_ci": "boolean",
    },
    "workflow_runs": {
        "run_id": "Int64",
        "repo": STR,
        "workflow_id": "Int64",
        "name": STR,
        "path": STR,
        "event": STR,
        "head_branch": STR,
        "head_sha": STR,
        "status": STR,
        "conclusion": STR,
        "created_at": TS,
        "run_started_at": TS,
        "updated_at": TS,
        "run_attempt": "Int64",
        "actor": STR,
        "url": STR,
        "duration_s": "float64",
    },
    "bots": {"login": STR, "reason": STR, "n_prs": "Int64", "n_comments": "Int64", "n_reviews": "Int64"},
    "repos": {"repo": STR, "default_branch": STR, "url": STR},
}


def empty_frame(name: str) -> pd.DataFrame:
    """An empty frame with the declared columns and dtypes of ``name``."""
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in SCHEMAS[name].items()})


def conform(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Select and cast ``frame`` to the declared schema of ``name`` (missing columns become <NA>)."""
    out: dict[str, pd.Series] = {}
    for col, dtype in SCHEMAS[name].items():
        if col in frame:
            series = frame[col]
            if dtype == TS:
                series = to_utc(series)
            out[col] = cast(series, dtype)
        else:
            out[col] = _missing(frame.index, dtype)
    return pd.DataFrame(out, index=frame.index).reset_index(drop=True)


def _missing(index: pd.Index, dtype: str) -> pd.Series:
    if dtype == TS:
        return pd.Series(pd.NaT, index=index, dtype=TS)
    if dtype == "float64":
        return pd.Series(float("nan"), index=index, dtype="float64")
    return cast(pd.Series(pd.NA, index=index, dtype=object), dtype)


def to_utc(series: pd.Series) -> pd.Series:
    """Parse ISO-8601 text (or datetimes) into tz-aware UTC nanosecond timestamps."""
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return cast(series.dt.tz_convert("UTC"), TS)
    if pd.api.types.is_datetime64_dtype(series.dtype):
        return cast(series.dt.tz_localize("UTC"), TS)
    return cast(pd.to_datetime(series, utc=True, format="ISO8601"), TS)


@dataclass(frozen=True)
class Frames:
    """Typed frames of one store, plus the resolved clock and window (all derived deterministically)."""

    people: pd.DataFrame
    prs: pd.DataFrame
    pr_files: pd.DataFrame
    pr_commits: pd.DataFrame
    reviews: pd.DataFrame
    review_comments: pd.DataFrame
    threads: pd.DataFrame
    issue_comments: pd.DataFrame
    commits: pd.DataFrame
    commit_files: pd.DataFrame
    workflow_runs: pd.DataFrame
    bots: pd.DataFrame
    repos: pd.DataFrame
    now: datetime
    window_start: datetime
    window_end: datetime
