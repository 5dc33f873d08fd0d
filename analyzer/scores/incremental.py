"""The incremental per-PR stage (``analyzer score`` uses it by default: ``store.score_cache`` in
config.toml): only PRs that are new or whose items changed are recomputed.

Everything in a PR's comment rows and episode base rows depends on that PR's own items only
(``analyzer.scores.per_pr``). So with ``ScoringOptions.cache`` (a directory) the stage's output is cached
keyed by a content hash of each PR's items in the window (``analyzer.scores.fingerprints``): a re-run
recomputes only PRs that are new or whose items changed (new, edited or deleted comments, reviews,
commits, files, threads), re-scores only new or edited comments, and reuses everything else. Team-level
work runs over the assembled tables every time, so a cached run gives exactly the tables of a full run.

The cache (``analyzer.scores.pr_cache``) is a base generation plus small delta generations (only the
recomputed PRs' rows), compacted back into one base file after MAX_DELTAS deltas or when deltas exceed
MAX_DELTA_SHARE of the base.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from analyzer.frames.model import Frames
from analyzer.scores import schedule, splice
from analyzer.scores.comment_table import SCORE_COLUMNS, CommentScorer
from analyzer.scores.fingerprints import global_key, pr_fingerprints
from analyzer.scores.options import ScoringOptions
from analyzer.scores.per_pr import (
    COMMENT_ROW_DTYPES,
    EPISODE_BASE_DTYPES,
    NO_PR,
    TEAM_COMMENT_COLUMNS,
    PerPr,
    PerPrStage,
    canonical_order,
    per_pr_stage,
    restrict,
    team_columns,
)
from analyzer.scores.pr_cache import Cache, CacheState

MAX_DELTAS = 8  # compact the cache into one base file after this many delta files ...
MAX_DELTA_SHARE = 0.25  # ... or when delta rows exceed this share of the base rows
CACHE_HELPER_THREADS = 1  # see cached_per_pr_stage


def cached_per_pr_stage(
    frames: Frames,
    options: ScoringOptions,
    start: datetime,
    end: datetime,
    scorer: CommentScorer,
    folder: Path,
    stage: PerPrStage | None = None,
) -> PerPr:
    """``per_pr_stage`` over only the PRs whose content changed since the cached run in ``folder``;
    the others' rows come from the cache, which is then updated. ``stage`` runs the per-PR stage
    (default ``per_pr_stage`` in this process; ``analyzer.scores.distributed`` runs it on a cluster)."""
    run_stage = stage or per_pr_stage
    cache = Cache(folder)
    key = global_key(frames, options)
    # a helper thread hashes the PRs while the cache is mapped, and later splices the episodes and
    # writes the delta while this thread splices the comments
    with schedule.steps(CACHE_HELPER_THREADS, "score-cache") as helper:
        prints_job = helper(pr_fingerprints, frames, start, end)
        state = cache.read(key)
        prints = prints_job.result()
        if state is None:
            fresh = run_stage(frames, options, start, end, scorer, None, True)
            comments, eps = canonical_order(fresh.comments, fresh.episodes)
            cache.write_base(key, prints, comments, eps)
            stats = {**fresh.stats, "prs_recomputed": len(prints), "prs_cached": 0}
            return PerPr(team_columns(comments), eps, stats)
        same = prints.reindex(state.keys.index).to_numpy() == state.keys.to_numpy()
        unchanged = state.keys.index.to_numpy()[same]
        touched = prints.index.difference(pd.Index(unchanged))
        known = _known_scores(state, state.keys.index.to_numpy()[~same])
        recompute = touched.to_numpy(dtype=np.int64)
        fresh = run_stage(restrict(frames, recompute), options, start, end, scorer, known, True)
        fresh_comments, fresh_eps = canonical_order(fresh.comments, fresh.episodes)
        eps_job = helper(_merged, state, unchanged, "episodes", fresh_eps, tuple(EPISODE_BASE_DTYPES))
        removed = len(state.keys) - int(same.sum())
        delta_rows = state.delta_rows + len(fresh_comments)
        compact = len(state.deltas) >= MAX_DELTAS or delta_rows > MAX_DELTA_SHARE * max(state.base_rows, 1)
        changed = bool(len(touched) or removed)
        delta_job = None
        if changed and not compact:
            delta_job = helper(cache.write_delta, state, key, prints, touched, fresh_comments, fresh_eps)
        # a compaction writes every column of the merged rows; otherwise only the team's are needed
        every_column = changed and compact
        columns = tuple(COMMENT_ROW_DTYPES) if every_column else TEAM_COMMENT_COLUMNS
        merged = _merged(state, unchanged, "comments", fresh_comments, columns)
        eps = eps_job.result()
        if delta_job is not None:
            delta_job.result()  # raises what the write raised (e.g. an unwritable cache directory)
        if every_column:
            cache.write_base(key, prints, merged, eps)
        comments = team_columns(merged) if every_column else merged
    stats = {
        "scored": fresh.stats["scored"],
        "cached": fresh.stats["cached"] + len(comments) - len(fresh_comments),
        "prs_recomputed": len(touched),
        "prs_cached": len(unchanged),
    }
    return PerPr(comments, eps, stats)


def _pr_ids(frame: pd.DataFrame) -> npt.NDArray[np.int64]:
    return frame["pr_id"].fillna(NO_PR).to_numpy(dtype=np.int64)


def _known_scores(state: CacheState, changed: npt.NDArray[np.int64]) -> pd.DataFrame:
    """The cached scores of the changed PRs' comments (their unedited comments are not re-scored)."""
    rows = []
    for part in state.parts:
        mine = changed[state.generation.reindex(changed).to_numpy() == part.number]
        if len(mine):
            hit = np.isin(_pr_ids(part.comments), mine)
            rows.append(part.comments.loc[hit, ["ckey", *SCORE_COLUMNS]])
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["ckey", *SCORE_COLUMNS])


def _merged(
    state: CacheState, unchanged: npt.NDArray[np.int64], kind: str, fresh: pd.DataFrame, columns: tuple[str, ...]
) -> pd.DataFrame:
    """The current cached rows of the unchanged PRs and the fresh rows, in canonical order, spliced
    block by block (each source is sorted by PR id)."""
    frames = [getattr(part, kind) for part in state.parts] + [fresh]
    ids = [_pr_ids(frame) for frame in frames]
    wanted: list[npt.NDArray[np.bool_] | None] = []
    for part, part_ids in zip(state.parts, ids, strict=False):
        block_prs = splice.pr_blocks(part_ids)[0]
        current = state.generation.reindex(block_prs).to_numpy(dtype=float) == part.number
        wanted.append(current & np.isin(block_prs, unchanged))
    wanted.append(None)
    return splice.splice(frames, splice.plan(ids, wanted), columns)
