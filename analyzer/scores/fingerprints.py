"""Fingerprints for the score cache: one 64-bit content hash per PR over every item the per-PR stage
reads (a PR whose hash changed is recomputed), and the global key every cached row depends on besides
its own PR (options, bot list, comment model, cache version).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from datetime import datetime

import numpy as np
import numpy.typing as npt
import pandas as pd

from analyzer.frames.model import Frames
from analyzer.scores.comments import active_models
from analyzer.scores.options import ScoringOptions
from analyzer.scores.per_pr import NO_PR
from analyzer.scores.pr_cache import CACHE_VERSION

# (frame name, columns the per-PR stage reads, timestamp column that must fall in the window or None)
# Only what can change for an item with the same GitHub id is hashed: a commit's content is fixed by its
# sha, a comment's text by its updated_at (an edit bumps it, as the collector relies on too), and its
# path, hunk, URL and thread never change once it exists. Bot status and aliases are options and the bot
# list, which the cache's global key covers.
FINGERPRINTED: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    (
        "prs",
        ("person", "created_at", "merged_at", "body", "additions", "deletions", "changed_files")
        + ("repo", "number", "url", "title"),
        None,
    ),
    ("pr_files", ("path", "additions", "deletions", "is_generated"), None),
    ("pr_commits", ("sha", "person"), None),
    ("threads", ("thread_id", "is_resolved", "is_outdated"), None),
    ("reviews", ("review_id", "person", "state", "body", "submitted_at"), "submitted_at"),
    (
        "review_comments",
        ("comment_id", "person", "line", "original_line", "created_at", "updated_at", "in_reply_to_id", "review_id"),
        "created_at",
    ),
    ("issue_comments", ("comment_id", "person", "created_at", "updated_at"), "created_at"),
)
MIX = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime: mixes column hashes into one row hash
NA_INT = -(2**62)
NA_HASH = np.uint64(0x6A09E667F3BCC909)  # the hash of a missing text value


def pr_fingerprints(frames: Frames, start: datetime, end: datetime) -> pd.Series:
    """One 64-bit content hash per PR id over all its items (comments and reviews in the window only):
    any new, edited or deleted item changes it. Order-independent (a wrapped sum of row hashes)."""
    ids: list[npt.NDArray[np.int64]] = []
    hashes: list[npt.NDArray[np.uint64]] = []
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    for salt, (name, cols, when) in enumerate(FINGERPRINTED, start=1):
        table: pd.DataFrame = getattr(frames, name)
        row_ids = table["pr_id"].fillna(NO_PR).to_numpy(dtype=np.int64)
        row_hash = row_hashes(table, cols, salt)
        if when is not None:  # mask the hashes, not the table (filtering copies every text column)
            inside = ((table[when] >= lo) & (table[when] <= hi)).fillna(False).to_numpy(dtype=bool)
            row_ids, row_hash = row_ids[inside], row_hash[inside]
        ids.append(row_ids)
        hashes.append(row_hash)
    files = frames.commit_files[["sha", "path"]].merge(frames.pr_commits[["pr_id", "sha"]], on="sha")
    ids.append(files["pr_id"].fillna(NO_PR).to_numpy(dtype=np.int64))
    hashes.append(row_hashes(files, ("sha", "path"), len(FINGERPRINTED) + 1))
    all_ids, all_hashes = np.concatenate(ids), np.concatenate(hashes)
    if not len(all_ids):
        return pd.Series(dtype="uint64")
    # a wrapped uint64 sum per PR id: hash-group the ids (no sort of the million rows)
    codes, uniques = pd.factorize(all_ids)
    sums = np.zeros(len(uniques), dtype=np.uint64)
    np.add.at(sums, codes, all_hashes)
    order = np.argsort(uniques)
    return pd.Series(sums[order], index=pd.Index(np.asarray(uniques)[order], name="pr_id"), dtype="uint64")


def row_hashes(table: pd.DataFrame, cols: tuple[str, ...], salt: int) -> npt.NDArray[np.uint64]:
    """A 64-bit hash of each row over ``cols``, salted per table so equal rows of different tables
    neither collide nor cancel."""
    out = np.full(len(table), np.uint64((0x9E3779B97F4A7C15 * salt) % 2**64 | 1), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for col in cols:
            out = out * MIX ^ column_hash(table[col])
    return out


def column_hash(series: pd.Series) -> npt.NDArray[np.uint64]:
    """Fast per-value hash: numbers and timestamps through their int64 bits, text through pandas."""
    dtype = series.dtype
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype):
        values = series.to_numpy(dtype="datetime64[ns]").view(np.int64)
    elif pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_integer_dtype(dtype):
        values = series.to_numpy(dtype=np.int64, na_value=NA_INT)
    elif pd.api.types.is_float_dtype(dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan).view(np.int64)
    else:  # text: hash each distinct value once (factorising Arrow strings is far cheaper than hashing)
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        distinct = np.asarray(pd.util.hash_pandas_object(pd.Series(uniques), index=False).to_numpy(), dtype=np.uint64)
        return np.where(codes >= 0, distinct[np.maximum(codes, 0)] if len(distinct) else np.uint64(0), NA_HASH)
    return np.asarray(pd.util.hash_array(values), dtype=np.uint64)


def global_key(frames: Frames, options: ScoringOptions) -> str:
    """What every cached row depends on besides its own PR: options (except the clock, window and cache
    location, which the per-PR hashes already account for), the bot list, the comment model and the code
    version."""
    skip = {"cache", "now", "window_start", "window_end", "window_days"}
    opts = {f.name: getattr(options, f.name) for f in fields(options) if f.name not in skip}
    state = {
        "version": CACHE_VERSION,
        "options": json.loads(json.dumps(opts, default=str, sort_keys=True)),
        "bots": sorted(frames.bots["login"].dropna().astype(str)),
        # the comment model's own hash, not its path: a refit written to the same file changes every score
        "comment_model": active_models().sha256,
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()
