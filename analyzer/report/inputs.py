"""What the report reads from a Scores object, and how it reads it defensively.

The report depends only on attribute access (``scores.people`` and so on), so any object with the
Scores attributes works: the real ``analyzer.scores.pipeline.Scores`` or a test double.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

import pandas as pd

FRAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "people": (
        "person",
        "display_name",
        "is_newcomer",
        "first_activity_at",
        "n_prs_authored",
        "n_reviews_given",
        "n_comments",
    ),
    "comments": (
        "comment_id",
        "kind",
        "person",
        "pr_id",
        "repo",
        "pr_number",
        "pr_author",
        "created_at",
        "body",
        "url",
        "considerate",
        "harsh",
        "harsh_prob",
        "useful_prob",
        "comment_type",
        "markers",
        "is_trivial",
        "lang_en",
        "to_newcomer",
    ),
    "family_scores": (
        "person",
        "family",
        "estimate",
        "lo",
        "hi",
        "raw",
        "n",
        "min_n",
        "status",
        "unit",
        "higher_is_better",
    ),
    "ci_changes": (
        "person",
        "repo",
        "sha",
        "pr_number",
        "workflow_path",
        "changed_at",
        "shift_s",
        "shift_lo_s",
        "shift_hi_s",
        "hours_saved_month",
        "hours_lo",
        "hours_hi",
        "credited",
        "status",
        "change_type",
        "url",
        "runs_before",
        "runs_after",
    ),
    "ci_series": ("repo", "workflow_path", "run_id", "created_at", "duration_s", "conclusion", "url"),
    "doc_changes": (
        "person",
        "repo",
        "kind",
        "ref",
        "at",
        "doc_lines",
        "weighted_lines",
        "onboarding",
        "with_code",
        "url",
    ),
    "mentoring": ("mentor", "mentee", "n_interactions", "first_at", "last_at", "pr_ids"),
    "review_edges": ("reviewer", "author", "n_episodes", "author_is_newcomer"),
    "bots": ("login", "reason", "n_prs", "n_comments", "n_reviews"),
    # "title" (the PR's title) is optional: shown above the excerpt when the scorer provides it.
    "evidence": ("person", "family", "kind", "ref", "url", "excerpt", "markers", "at", "title"),
    "team": (
        "harsh_rate",
        "harsh_lo",
        "harsh_hi",
        "rubber_stamp_rate",
        "rs_lo",
        "rs_hi",
        "sharing_index",
        "n_people",
        "n_newcomers",
        "ci_hours_saved",
        "ci_lo",
        "ci_hi",
        "window_start",
        "window_end",
    ),
    "newcomer_inflow": ("month", "n_newcomers", "n_helped"),
    "uplift": ("person", "outcome", "estimate", "lo", "hi", "n_authors", "min_n", "status", "credited"),
    "episodes": ("person", "pr_id", "repo", "pr_number", "pr_author", "rubber_stamp", "url"),
}


class ScoresLike(Protocol):
    """The attributes of ``analyzer.scores.pipeline.Scores`` that the report reads."""

    @property
    def people(self) -> pd.DataFrame: ...
    @property
    def comments(self) -> pd.DataFrame: ...
    @property
    def episodes(self) -> pd.DataFrame: ...
    @property
    def family_scores(self) -> pd.DataFrame: ...
    @property
    def ci_changes(self) -> pd.DataFrame: ...
    @property
    def ci_series(self) -> pd.DataFrame: ...
    @property
    def doc_changes(self) -> pd.DataFrame: ...
    @property
    def mentoring(self) -> pd.DataFrame: ...
    @property
    def review_edges(self) -> pd.DataFrame: ...
    @property
    def bots(self) -> pd.DataFrame: ...
    @property
    def evidence(self) -> pd.DataFrame: ...
    @property
    def team(self) -> pd.DataFrame: ...
    @property
    def newcomer_inflow(self) -> pd.DataFrame: ...
    @property
    def meta(self) -> dict[str, Any]: ...


def frame(scores: Any, name: str) -> pd.DataFrame:
    """Return ``scores.<name>`` with every contract column present (missing ones filled with NA).

    Why: an empty frame from the pipeline may come without columns, and the report must still render.
    """
    raw = getattr(scores, name, None)
    df = raw.copy() if isinstance(raw, pd.DataFrame) else pd.DataFrame()
    for col in FRAME_COLUMNS.get(name, ()):
        if col not in df.columns:
            df[col] = pd.Series([pd.NA] * len(df), index=df.index, dtype="object")
    return df


def meta(scores: Any) -> dict[str, Any]:
    raw = getattr(scores, "meta", None)
    return dict(raw) if isinstance(raw, dict) else {}


def utc(values: pd.Series) -> pd.Series:
    """Timestamps as tz-aware UTC (strings with a trailing Z, naive or aware datetimes all accepted)."""
    return pd.to_datetime(values, utc=True, errors="coerce", format="mixed")


def text(value: Any) -> str:
    """A cell as display text: missing values become the empty string."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value)


def number(value: Any) -> float | None:
    """A cell as a finite float, or None."""
    if value is None or value is pd.NA or value is pd.NaT or isinstance(value, str):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def flag(value: Any) -> bool:
    return value is True or (not isinstance(value, str) and number(value) not in (None, 0.0))
