"""The human comment corpus (§1.3 population) and its per-comment scores, with an incremental cache.

Every human comment in the window is scored exactly once per run, vectorised: review bodies (non-empty),
inline review comments, and conversation comments on PRs the commenter did not author. With a cache file,
only comments whose (id, updated_at, body, diff_hunk) changed since the last run are re-scored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from analyzer.frames.model import STR, Frames

CommentScorer = Callable[[pd.Series, "pd.Series | None"], pd.DataFrame]

SCORE_COLUMNS = (
    "n_prose_tokens",
    "is_trivial",
    "lang_en",
    "has_code",
    "has_suggestion",
    "has_quote",
    "has_link",
    "has_question",
    "has_rationale",
    "shares_diff_identifier",
    "is_nit",
    "cc_label",
    "comment_type",
    "considerate",
    "harsh_prob",
    "harsh",
    "useful_prob",
    "specific",
    "markers",
)
BOOL_SCORES = (
    "is_trivial",
    "lang_en",
    "has_code",
    "has_suggestion",
    "has_quote",
    "has_link",
    "has_question",
    "has_rationale",
    "shares_diff_identifier",
    "is_nit",
    "harsh",
    "specific",
)


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
    rc = frames.review_comments
    inline = pd.DataFrame(
        {
            "comment_id": "rc:" + rc["comment_id"].astype(STR),
            "kind": "review_comment",
            "person": rc["person"],
            "is_bot": rc["is_bot"],
            "pr_id": rc["pr_id"],
            "created_at": rc["created_at"],
            "updated_at": rc["updated_at"],
            "body": rc["body"],
            "url": rc["url"],
            "diff_hunk": rc["diff_hunk"],
            "path": rc["path"],
            "line": rc["line"].fillna(rc["original_line"]),
            "in_reply_to": "rc:" + rc["in_reply_to_id"].astype(STR),
            "thread_id": rc["thread_id"],
            "review_id": rc["review_id"],
            "review_state": pd.NA,
        }
    )
    rv = frames.reviews
    bodies = pd.DataFrame(
        {
            "comment_id": "rv:" + rv["review_id"].astype(STR),
            "kind": "review_body",
            "person": rv["person"],
            "is_bot": rv["is_bot"],
            "pr_id": rv["pr_id"],
            "created_at": rv["submitted_at"],
            "updated_at": rv["submitted_at"],
            "body": rv["body"],
            "url": rv["url"],
            "diff_hunk": pd.NA,
            "path": pd.NA,
            "line": pd.NA,
            "in_reply_to": pd.NA,
            "thread_id": pd.NA,
            "review_id": rv["review_id"],
            "review_state": rv["state"],
        }
    )
    bodies = bodies[bodies["body"].fillna("").str.strip().str.len() > 0]
    ic = frames.issue_comments
    convo = pd.DataFrame(
        {
            "comment_id": "ic:" + ic["comment_id"].astype(STR),
            "kind": "issue_comment",
            "person": ic["person"],
            "is_bot": ic["is_bot"],
            "pr_id": ic["pr_id"],
            "created_at": ic["created_at"],
            "updated_at": ic["updated_at"],
            "body": ic["body"],
            "url": ic["url"],
            "diff_hunk": pd.NA,
            "path": pd.NA,
            "line": pd.NA,
            "in_reply_to": pd.NA,
            "thread_id": pd.NA,
            "review_id": pd.NA,
            "review_state": pd.NA,
        }
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
    for col in ("pr_id", "line", "review_id", "pr_number"):
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
    comments: pd.DataFrame, scorer: CommentScorer, cache: Path | None = None
) -> tuple[pd.DataFrame, dict[str, int]]:
    """``comments`` joined with their per-comment scores; returns (scored, {"scored": k, "cached": m}).

    With a cache file, comments whose key is cached are not re-scored; the cache is rewritten with exactly
    the current comments' scores (so deleted or edited comments drop out of it)."""
    if cache is None:  # no cache: score everything, no hashing needed
        return _joined(comments, _run_scorer(comments, scorer)), {"scored": len(comments), "cached": 0}
    keys = cache_keys(comments)
    cached = _read_cache(cache)
    if cached is not None:
        cached = cached.drop_duplicates("key")
        pos = pd.Index(cached["key"].to_numpy()).get_indexer(keys)
    else:
        pos = np.full(len(keys), -1)
    hit = pos >= 0
    fresh = _run_scorer(comments.loc[~hit], scorer)
    if cached is not None and hit.any():
        old = cached.iloc[pos[hit]].drop(columns="key").reset_index(drop=True)
        scores = pd.concat(
            [old.set_axis(np.flatnonzero(hit)), fresh.set_axis(np.flatnonzero(~hit))]
        ).sort_index()
    else:
        scores = fresh
    if len(fresh) or (cached is not None and len(cached) != len(keys)):
        _write_cache(cache, scores.assign(key=keys))
    return _joined(comments, scores.reset_index(drop=True)), {
        "scored": int((~hit).sum()),
        "cached": int(hit.sum()),
    }


def _joined(comments: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    scored = pd.concat([comments.reset_index(drop=True), scores], axis=1)
    for col in BOOL_SCORES:
        scored[col] = scored[col].fillna(False).astype(bool)
    return scored


def _run_scorer(todo: pd.DataFrame, scorer: CommentScorer) -> pd.DataFrame:
    if todo.empty:
        return _empty_scores()
    hunks = todo["diff_hunk"].reset_index(drop=True)
    result = scorer(todo["body"].reset_index(drop=True), hunks)
    out = result.reset_index(drop=True).reindex(columns=list(SCORE_COLUMNS))
    out["comment_type"] = out["comment_type"].astype(str)
    out["cc_label"] = out["cc_label"].fillna("").astype(str)
    out["markers"] = out["markers"].fillna("").astype(str)
    return out


def _empty_scores() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=bool if c in BOOL_SCORES else "float64") for c in SCORE_COLUMNS})
    for col in ("cc_label", "comment_type", "markers"):
        frame[col] = frame[col].astype(object)
    return frame


def _read_cache(cache: Path | None) -> pd.DataFrame | None:
    if cache is None or not cache.is_file():
        return None
    try:
        return pd.read_parquet(cache)
    except (OSError, ValueError):
        return None  # an unreadable cache only costs a full re-score


def _write_cache(cache: Path, table: pd.DataFrame) -> None:
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    table.to_parquet(tmp, index=False)
    tmp.replace(cache)
