"""The human comment corpus (docs/methodology.md, "Considerate comments")
and its per-comment scores, with an incremental cache.

Every human comment in the window is scored exactly once per run, vectorised: review bodies (non-empty),
inline review comments, and conversation comments on PRs the commenter did not author. Given the scores of
an earlier run (``analyzer.scores.incremental``), only comments whose (id, updated_at, body, diff_hunk)
changed are re-scored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import numpy as np
import numpy.typing as npt
import pandas as pd

from analyzer.frames.model import STR, Frames
from analyzer.scores.comments import OUTPUT_COLUMNS, OUTPUT_DTYPES

CommentScorer = Callable[[pd.Series, "pd.Series | None"], pd.DataFrame]

SCORE_COLUMNS = tuple(c for c in OUTPUT_COLUMNS if c != "prose")  # everything but the prose copy
BOOL_SCORES = tuple(c for c, dtype in OUTPUT_DTYPES.items() if dtype == "bool")  # flags, in output order


def assemble_comments(frames: Frames, start: datetime, end: datetime) -> pd.DataFrame:
    """All human comments created in [start, end], one row each, with their PR context."""
    prs = frames.prs[["pr_id", "repo", "number", "person", "is_bot", "author_newcomer"]].rename(
        columns={
            "number": "pr_number",
            "person": "pr_author",
            "is_bot": "pr_author_is_bot",
            "author_newcomer": "to_newcomer",
        }
    )
    rc, rv, ic = frames.review_comments, frames.reviews, frames.issue_comments
    inline = _source_rows(
        "rc:", "review_comment", 0, rc, "comment_id",
        {
            "created_at": rc["created_at"],
            "updated_at": rc["updated_at"],
            "diff_hunk": rc["diff_hunk"],
            "path": rc["path"],
            "line": rc["line"].fillna(rc["original_line"]),
            "in_reply_to": "rc:" + rc["in_reply_to_id"].astype(STR),
            "thread_id": rc["thread_id"],
            "review_id": rc["review_id"],
        },
    )
    bodies = _source_rows(
        "rv:", "review_body", 1, rv, "review_id",
        {
            "created_at": rv["submitted_at"],
            "updated_at": rv["submitted_at"],
            "review_id": rv["review_id"],
            "review_state": rv["state"],
        },
    )
    bodies = bodies[bodies["body"].fillna("").str.strip().str.len() > 0]
    convo = _source_rows(
        "ic:", "issue_comment", 2, ic, "comment_id",
        {"created_at": ic["created_at"], "updated_at": ic["updated_at"]},
    )
    parts = [p for p in (inline, bodies, convo) if not p.empty]
    if not parts:
        return _typed_corpus(pd.DataFrame(columns=list(inline.columns)).merge(prs, on="pr_id", how="left"))
    allc = pd.concat(parts, ignore_index=True)
    allc = allc[~allc["is_bot"].fillna(False).astype(bool) & allc["person"].notna()]
    allc = allc[(allc["created_at"] >= pd.Timestamp(start)) & (allc["created_at"] <= pd.Timestamp(end))]
    allc = allc.merge(prs, on="pr_id", how="left")
    own_convo = (allc["kind"] == "issue_comment") & (allc["person"] == allc["pr_author"]).fillna(False)
    return _typed_corpus(allc[~own_convo].drop(columns=["is_bot"]).reset_index(drop=True))


# the corpus's columns before the PR context joins them, in order; a source lacking one gives NA
SOURCE_COLUMNS = (
    "comment_id", "kind", "sort_id", "kind_rank", "person", "is_bot", "pr_id", "created_at", "updated_at",
    "body", "url", "diff_hunk", "path", "line", "in_reply_to", "thread_id", "review_id", "review_state",
)


def _source_rows(
    prefix: str, kind: str, rank: int, table: pd.DataFrame, id_column: str, own: dict[str, object]
) -> pd.DataFrame:
    """One source's comments as corpus rows: the columns every source has, plus ``own`` (the rest NA).
    ``prefix`` keeps ids of different sources apart ("rc:12" is not "ic:12")."""
    shared = {
        "comment_id": prefix + table[id_column].astype(STR),
        "kind": kind,
        "sort_id": table[id_column],
        "kind_rank": rank,
        "person": table["person"],
        "is_bot": table["is_bot"],
        "pr_id": table["pr_id"],
        "body": table["body"],
        "url": table["url"],
    }
    values = {**shared, **own}
    return pd.DataFrame({c: values.get(c, pd.NA) for c in SOURCE_COLUMNS}, index=table.index)


def _typed_corpus(frame: pd.DataFrame) -> pd.DataFrame:
    for col in (
        "comment_id",
        "kind",
        "person",
        "body",
        "url",
        "diff_hunk",
        "path",
        "in_reply_to",
        "thread_id",
        "review_state",
        "repo",
        "pr_author",
    ):
        if col in frame:
            frame[col] = frame[col].astype(STR)
    for col in ("pr_id", "line", "review_id", "pr_number", "sort_id"):
        if col in frame:
            frame[col] = frame[col].astype("Int64")
    frame["to_newcomer"] = frame["to_newcomer"].fillna(False).astype(bool)
    frame["body"] = frame["body"].fillna("")
    return frame.drop(columns=["pr_author_is_bot", "is_bot"], errors="ignore")


def cache_keys(comments: pd.DataFrame) -> npt.NDArray[np.uint64]:
    """64-bit key per comment over (id, updated_at, body, diff_hunk): a changed comment gets a new key."""
    parts = comments[["comment_id", "updated_at", "body", "diff_hunk"]]
    return np.asarray(pd.util.hash_pandas_object(parts, index=False).to_numpy(), dtype=np.uint64)


def score_corpus(
    comments: pd.DataFrame, scorer: CommentScorer, known: pd.DataFrame | None = None, with_keys: bool = False
) -> tuple[pd.DataFrame, dict[str, int]]:
    """``comments`` joined with their per-comment scores; returns (scored, {"scored": k, "cached": m}).

    ``known`` holds scores from an earlier run (SCORE_COLUMNS plus ``ckey``, see ``cache_keys``):
    comments whose key is there are not re-scored. With ``known`` or ``with_keys`` the result carries
    each comment's ``ckey`` so it can be cached."""
    if known is None and not with_keys:  # no cache: score everything, no hashing needed
        return _joined(comments, _run_scorer(comments, scorer)), {"scored": len(comments), "cached": 0}
    keys = cache_keys(comments)
    if known is not None and not known.empty:
        table = known.drop_duplicates("ckey")
        pos = pd.Index(table["ckey"].to_numpy()).get_indexer(keys)
    else:
        table, pos = None, np.full(len(keys), -1)
    hit = pos >= 0
    fresh = _run_scorer(comments.loc[~hit], scorer)
    if table is not None and hit.any():
        old = table.iloc[pos[hit]].loc[:, list(SCORE_COLUMNS)].reset_index(drop=True)
        scores = pd.concat([old.set_axis(np.flatnonzero(hit)), fresh.set_axis(np.flatnonzero(~hit))]).sort_index()
    else:
        scores = fresh
    scored = _joined(comments, scores.reset_index(drop=True))
    scored["ckey"] = keys
    return scored, {"scored": int((~hit).sum()), "cached": int(hit.sum())}


def _joined(comments: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    scored = pd.concat([comments.reset_index(drop=True), scores.reset_index(drop=True)], axis=1)
    return normalise_scores(scored)


def normalise_scores(scored: pd.DataFrame) -> pd.DataFrame:
    """Fixed dtypes for the score columns, whether fresh from the scorer or read back from a cache."""
    for col in BOOL_SCORES:
        scored[col] = scored[col].fillna(False).astype(bool)
    for col in ("comment_type", "cc_label", "markers"):
        scored[col] = scored[col].astype(STR).fillna("")
    for col in ("considerate", "harsh_prob", "useful_prob", "n_prose_tokens"):
        scored[col] = scored[col].astype("float64")
    return scored


def _run_scorer(todo: pd.DataFrame, scorer: CommentScorer) -> pd.DataFrame:
    if todo.empty:
        return _empty_scores()
    hunks = todo["diff_hunk"].reset_index(drop=True)
    result = scorer(todo["body"].reset_index(drop=True), hunks)
    return result.reset_index(drop=True).reindex(columns=list(SCORE_COLUMNS))


def _empty_scores() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=bool if c in BOOL_SCORES else "float64") for c in SCORE_COLUMNS})
    for col in ("cc_label", "comment_type", "markers"):
        frame[col] = frame[col].astype(object)
    return frame
