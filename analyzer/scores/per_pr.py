"""The per-PR stage of scoring: every PR's comment rows (per-comment scores, landed flags) and its
episodes' base rows (counts, size, review and rubber-stamp features).

Everything here depends on the PR's own items only, so the stage can run on any subset of PRs (the
score cache, ``analyzer.scores.incremental``, reruns only the changed ones; ``analyzer.scores.distributed``
runs blocks of PRs on a cluster) and the rows are put in one canonical order however they were produced.
Team-level work (newcomer status, percentiles, per-person aggregates) runs afterwards over the whole
tables (``analyzer.scores.pipeline``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
import numpy.typing as npt
import pandas as pd

from analyzer.frames.model import STR, TS, Frames, cast, has_dtype
from analyzer.scores import episodes
from analyzer.scores.comment_table import BOOL_SCORES, CommentScorer, assemble_comments, score_corpus
from analyzer.scores.comments import OUTPUT_DTYPES
from analyzer.scores.options import ScoringOptions
from analyzer.scores.tables import COMMENTS, EPISODES

NO_PR = -1  # key for items without a PR id
# Columns of the per-PR stage's comment rows (the corpus minus per-PR-only inputs, plus scores and landed);
# the score cache stores exactly these.
COMMENT_ROW_DTYPES: dict[str, str] = {  # columns shared with a stored table or the scorer take its dtypes
    **COMMENTS.pick("comment_id", "kind"),
    "sort_id": "Int64",
    "kind_rank": "int8",
    **COMMENTS.pick("person", "pr_id", "created_at", "body", "url"),
    "path": STR,
    "in_reply_to": STR,
    "thread_id": STR,
    "review_id": "Int64",
    **COMMENTS.pick("repo", "pr_number", "pr_author"),
    "n_prose_tokens": OUTPUT_DTYPES["n_prose_tokens"],
    **{c: "bool" for c in BOOL_SCORES},
    **{c: OUTPUT_DTYPES[c] for c in ("cc_label", "comment_type", "considerate", "harsh_prob", "useful_prob")},
    "markers": OUTPUT_DTYPES["markers"],
    "landed": "float64",
    "in_episode": "bool",
    "ckey": "uint64",
}
EPISODE_BASE_DTYPES: dict[str, str] = {  # the stored episodes table's dtypes where it shares a column
    **EPISODES.pick("pr_id", "person", "pr_author", "size", "changed_files", "repo", "pr_number", "url"),
    **EPISODES.pick("title", "last_at"),
    **{c: "int64" for c in episodes.COUNT_COLUMNS},
    **EPISODES.pick("blocking", "eligible_approval", "rubber_stamp"),
    "approved_at": TS,
}
# Comment-row columns only the per-PR stage and the cache need; the team-level stage gets the others.
PER_PR_ONLY = (
    "sort_id",
    "kind_rank",
    "path",
    "thread_id",
    "review_id",
    "n_prose_tokens",
    "ckey",
    "has_code",
    "has_quote",
    "has_question",
    "shares_diff_identifier",
    "is_nit",
    "specific",
)
TEAM_COMMENT_COLUMNS = tuple(c for c in COMMENT_ROW_DTYPES if c not in PER_PR_ONLY)


@dataclass(frozen=True)
class PerPr:
    """The per-PR stage's output: comment rows, episode base rows and what was (re)computed."""

    comments: pd.DataFrame
    episodes: pd.DataFrame
    stats: dict[str, int]


# runs the per-PR stage: (frames, options, start, end, scorer, known scores, with_keys) -> PerPr
PerPrStage = Callable[
    [Frames, ScoringOptions, datetime, datetime, CommentScorer, "pd.DataFrame | None", bool], PerPr
]


def fix_dtypes(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    """Exactly ``dtypes``' columns, cast only where the dtype differs (cheap on already-typed frames)."""
    out: dict[str, pd.Series] = {}
    for col, dtype in dtypes.items():
        series = frame[col] if col in frame else pd.Series(pd.NA, index=frame.index, dtype=object)
        if not has_dtype(series, dtype):
            if dtype == TS:
                series = pd.to_datetime(series, utc=True)
            series = cast(series, dtype)
        out[col] = series
    return pd.DataFrame(out, index=frame.index)


def canonical_order(
    comments: pd.DataFrame,
    base: pd.DataFrame,
    keep_comments: npt.NDArray[np.bool_] | None = None,
    keep_episodes: npt.NDArray[np.bool_] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows sorted the same way however they were produced (a full run, or cached plus fresh PRs):
    comments by (PR, kind, id), episodes by (PR, reviewer); rows where ``keep_*`` is False are dropped.
    One take per column (sorting keys are small integer arrays)."""

    def comment_keys(frame: pd.DataFrame) -> tuple[npt.NDArray[np.int64], ...]:
        return (
            frame["sort_id"].fillna(0).to_numpy(dtype=np.int64),
            frame["kind_rank"].to_numpy(dtype=np.int64),
            frame["pr_id"].fillna(NO_PR).to_numpy(dtype=np.int64),
        )

    def episode_keys(frame: pd.DataFrame) -> tuple[npt.NDArray[np.int64], ...]:
        codes, _ = pd.factorize(frame["person"], sort=True)
        return codes.astype(np.int64), frame["pr_id"].fillna(NO_PR).to_numpy(dtype=np.int64)

    return _sorted_rows(comments, keep_comments, comment_keys), _sorted_rows(base, keep_episodes, episode_keys)


def _sorted_rows(
    frame: pd.DataFrame,
    keep: npt.NDArray[np.bool_] | None,
    keys: Callable[[pd.DataFrame], tuple[npt.NDArray[np.int64], ...]],
) -> pd.DataFrame:
    positions = np.arange(len(frame)) if keep is None else np.flatnonzero(keep)
    order = stable_order(tuple(k[positions] for k in keys(frame)))
    if keep is None and bool((order == positions).all()):  # already in order (a cluster's blocks): no copy
        return frame.reset_index(drop=True)
    return frame.take(positions[order]).reset_index(drop=True)


def stable_order(keys: tuple[npt.NDArray[np.int64], ...]) -> npt.NDArray[np.intp]:
    """``np.lexsort(keys)`` (last key primary), as one stable argsort of a combined int64 key when the
    keys' ranges fit in 62 bits: much faster on the nearly sorted rows of a cached run (timsort)."""
    if not len(keys) or not len(keys[0]):
        return np.lexsort(keys) if len(keys) else np.zeros(0, dtype=np.intp)
    combined = np.zeros(len(keys[0]), dtype=np.int64)
    total = 1
    for key in reversed(keys):
        low, high = int(key.min()), int(key.max())
        span = high - low + 1
        total *= span
        if total >= 2**62:
            return np.lexsort(keys)
        combined = combined * span + (key - low)
    return np.argsort(combined, kind="stable")


def per_pr_stage(
    frames: Frames,
    options: ScoringOptions,
    start: datetime,
    end: datetime,
    scorer: CommentScorer,
    known: pd.DataFrame | None = None,
    with_keys: bool = False,
) -> PerPr:
    """Comment rows and episode base rows of every PR in ``frames`` (comments scored, reusing ``known``
    scores by comment key)."""
    corpus = assemble_comments(frames, start, end)
    comments, stats = score_corpus(corpus, scorer, known, with_keys)
    base, landed = episodes.episode_base(comments, frames, options, start, end)
    comments["landed"] = landed.to_numpy()
    comments["in_episode"] = episodes.in_episode(comments, base)
    if "ckey" not in comments:  # not caching: no key needed
        comments["ckey"] = np.zeros(len(comments), dtype=np.uint64)
    rows = fix_dtypes(comments, COMMENT_ROW_DTYPES)
    return PerPr(rows, fix_dtypes(base, EPISODE_BASE_DTYPES), stats)


def restrict(frames: Frames, pr_ids: npt.NDArray[np.int64]) -> Frames:
    """``frames`` with only the items of the PRs ``pr_ids`` (NO_PR for items without a PR)."""

    def keep(table: pd.DataFrame) -> pd.DataFrame:
        return table[table["pr_id"].fillna(NO_PR).isin(pr_ids).to_numpy()]

    pr_commits = keep(frames.pr_commits)
    commit_files = frames.commit_files[frames.commit_files["sha"].isin(pr_commits["sha"]).to_numpy()]
    return replace(
        frames,
        prs=keep(frames.prs),
        pr_files=keep(frames.pr_files),
        pr_commits=pr_commits,
        reviews=keep(frames.reviews),
        review_comments=keep(frames.review_comments),
        threads=keep(frames.threads),
        issue_comments=keep(frames.issue_comments),
        commit_files=commit_files,
    )


def team_columns(comments: pd.DataFrame) -> pd.DataFrame:
    """The comment rows without the columns only the per-PR stage needs (what the team-level stage gets,
    from a full run and a cached one alike)."""
    return comments.loc[:, list(TEAM_COMMENT_COLUMNS)]
