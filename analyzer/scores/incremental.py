"""The per-PR stage of scoring, and its incremental cache (``analyzer score`` uses it by default:
``store.score_cache`` in config.toml).

Everything in a PR's comment rows (per-comment scores, landed flags) and in its episodes' base features
(counts, size, review and rubber-stamp features) depends on that PR's own items only. So the stage runs
per PR, and with ``ScoringOptions.cache`` (a directory) its output is cached keyed by a content hash of
each PR's items in the window: a re-run recomputes only PRs that are new or whose items changed (new,
edited or deleted comments, reviews, commits, files, threads), re-scores only new or edited comments,
and reuses everything else. Team-level work (newcomer status, percentiles, per-person aggregates) runs
over the assembled tables every time, so a cached run gives exactly the tables of a full run.

The cache is a base generation plus small delta generations (only the recomputed PRs' rows), compacted
back into one base file after MAX_DELTAS deltas or when deltas exceed MAX_DELTA_SHARE of the base.
Files are memory-mapped Arrow IPC, every generation sorted by PR id, so the assembled tables are the
cached PRs' row blocks spliced with the fresh ones (``analyzer.scores.splice``) rather than re-sorted.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields, replace
from datetime import datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from analyzer.errors import StoreError
from analyzer.frames.model import STR, TS, Frames, cast, has_dtype
from analyzer.outputs import reason
from analyzer.scores import episodes, splice
from analyzer.scores.comment_table import (
    BOOL_SCORES,
    SCORE_COLUMNS,
    CommentScorer,
    assemble_comments,
    score_corpus,
)
from analyzer.scores.comments import active_models
from analyzer.scores.options import ScoringOptions

CACHE_VERSION = 6  # 3: episodes carry the PR title and last_at; 4: Arrow IPC; 5: leaner fingerprints; 6: checksums
NO_PR = -1  # key for items without a PR id
# Columns of the cached comment rows (the corpus minus per-PR-only inputs, plus scores and landed).
COMMENT_ROW_DTYPES: dict[str, str] = {
    "comment_id": STR,
    "kind": STR,
    "sort_id": "Int64",
    "kind_rank": "int8",
    "person": STR,
    "pr_id": "Int64",
    "created_at": TS,
    "body": STR,
    "url": STR,
    "path": STR,
    "in_reply_to": STR,
    "thread_id": STR,
    "review_id": "Int64",
    "repo": STR,
    "pr_number": "Int64",
    "pr_author": STR,
    "n_prose_tokens": "float64",
    **{c: "bool" for c in BOOL_SCORES},
    "cc_label": STR,
    "comment_type": STR,
    "considerate": "float64",
    "harsh_prob": "float64",
    "useful_prob": "float64",
    "markers": STR,
    "landed": "float64",
    "in_episode": "bool",
    "ckey": "uint64",
}
EPISODE_BASE_DTYPES: dict[str, str] = {
    "pr_id": "Int64",
    "person": STR,
    "pr_author": STR,
    "size": "int64",
    "changed_files": "int64",
    "repo": STR,
    "pr_number": "Int64",
    "url": STR,
    "title": STR,
    "last_at": TS,
    **{c: "int64" for c in episodes.COUNT_COLUMNS},
    "blocking": "bool",
    "eligible_approval": "bool",
    "rubber_stamp": "bool",
    "approved_at": TS,
}
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
MIX = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime: mixes column hashes into one row hash
NA_INT = -(2**62)
NA_HASH = np.uint64(0x6A09E667F3BCC909)  # the hash of a missing text value


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


MAX_DELTAS = 8  # compact the cache into one base file after this many delta files ...
MAX_DELTA_SHARE = 0.25  # ... or when delta rows exceed this share of the base rows
# Arrow IPC files are memory-mapped where the OS lets a mapped file be replaced (not on Windows)
MEMORY_MAP = os.name != "nt"
POPULATE: int | None = getattr(mmap, "MAP_POPULATE", None) if MEMORY_MAP else None


@dataclass(frozen=True)
class Generation:
    """One cache file pair: the comment rows and episode base rows of the PRs it held when written,
    each sorted in canonical order (PR id first)."""

    number: int
    comments: pd.DataFrame
    episodes: pd.DataFrame


@dataclass(frozen=True)
class CacheState:
    """What the cache holds: each PR's content hash and the generation whose files hold its rows."""

    keys: pd.Series  # uint64 fingerprint by PR id
    generation: pd.Series  # int64 generation by PR id
    parts: list[Generation]  # the base (0) and the delta generations, oldest first
    base_rows: int
    delta_rows: int  # comment rows in the delta files (the old versions included)
    deltas: list[int]
    files: dict[str, list[int]]  # file name -> [size, CRC-32] of the files in use


@dataclass(frozen=True)
class Cache:
    """The cache directory: a base generation (0) and delta generations holding only the rows of PRs
    recomputed since, so a re-score after a few new comments writes a small file instead of rewriting
    the million-row cache. ``prs.arrow`` says which generation holds each PR's current rows (rows of
    older generations for that PR, or of PRs no longer present, are ignored on reading).

    Files are uncompressed Arrow IPC, memory-mapped on reading: a re-score maps the million cached rows
    in milliseconds instead of decoding them (disk cost: about 0.5 KB per comment). Arrow trusts the
    offsets in a file, so a damaged file could crash the process or garble text: ``meta.json`` records
    each file's size and CRC-32 (damage detection, as in gzip or PNG; whoever can write the cache can
    write the store too), checked on the mapped bytes before Arrow reads them. Any mismatch costs one
    full run, which rewrites the cache."""

    folder: Path

    @property
    def meta(self) -> Path:
        return self.folder / "meta.json"

    @property
    def prs(self) -> Path:
        return self.folder / "prs.arrow"

    def part(self, kind: str, generation: int) -> Path:
        return self.folder / f"{kind}-{generation}.arrow"

    def read(self, key: str) -> CacheState | None:
        """The last run's state, or None when absent, unreadable, of other columns or dtypes, or made
        under a different global key (an unusable cache only costs a full run)."""
        try:
            meta = json.loads(self.meta.read_text(encoding="utf-8"))
            if meta.get("key") != key or meta.get("version") != CACHE_VERSION:
                return None
            files: dict[str, list[int]] = meta["files"]
            prs = _read(self.prs, files)
            parts = [
                Generation(g, _read(self.part("comments", g), files), _read(self.part("episodes", g), files))
                for g in [0, *meta["deltas"]]
            ]
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
            return None
        if not all(_typed(p.comments, COMMENT_ROW_DTYPES) and _typed(p.episodes, EPISODE_BASE_DTYPES) for p in parts):
            return None
        ids = prs["pr_id"].to_numpy(dtype=np.int64)
        return CacheState(
            pd.Series(prs["key"].to_numpy(dtype=np.uint64), index=ids),
            pd.Series(prs["gen"].to_numpy(dtype=np.int64), index=ids),
            parts,
            int(meta["base_rows"]),
            int(meta["delta_rows"]),
            list(meta["deltas"]),
            files,
        )

    def write_base(self, key: str, prs: pd.Series, comments: pd.DataFrame, eps: pd.DataFrame) -> None:
        """Replace the cache with one base generation (each file written aside, then moved; meta last)."""
        self._begin()
        for stale in [*self.folder.glob("*-*.arrow"), *self.folder.glob("*-*.parquet")]:
            stale.unlink()
        generation = pd.Series(np.zeros(len(prs), dtype=np.int64), index=prs.index)
        files = self._write(self.part("comments", 0), comments) | self._write(self.part("episodes", 0), eps)
        self._finish(key, prs, generation, (len(comments), 0), [], files)

    def write_delta(
        self, state: CacheState, key: str, prs: pd.Series, touched: pd.Index, comments: pd.DataFrame, eps: pd.DataFrame
    ) -> None:
        """Add a generation holding only the recomputed PRs' rows (``touched``), in canonical order."""
        self._begin()
        new = max([0, *state.deltas]) + 1
        files = state.files | self._write(self.part("comments", new), comments)
        files |= self._write(self.part("episodes", new), eps)
        generation = state.generation.reindex(prs.index).fillna(0).astype(np.int64)
        generation[generation.index.isin(touched)] = new
        rows = (state.base_rows, state.delta_rows + len(comments))
        self._finish(key, prs, generation, rows, [*state.deltas, new], files)

    def _begin(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.meta.unlink(missing_ok=True)  # a half-written cache must not be trusted
        except OSError as exc:
            raise self._unwritable(exc) from exc

    def _unwritable(self, exc: OSError) -> StoreError:
        return StoreError(
            f"cannot write the score cache {self.folder}: {reason(exc)}"
            ' (free some space, or set store.score_cache = "" in config.toml or pass --no-cache)'
        )

    def _finish(
        self,
        key: str,
        prs: pd.Series,
        generation: pd.Series,
        rows: tuple[int, int],
        deltas: list[int],
        files: dict[str, list[int]],
    ) -> None:
        table = pd.DataFrame(
            {"pr_id": prs.index.to_numpy(dtype=np.int64), "key": prs.to_numpy(), "gen": generation.to_numpy()}
        )
        files = files | self._write(self.prs, table)
        meta = {
            "key": key,
            "version": CACHE_VERSION,
            "base_rows": rows[0],
            "delta_rows": rows[1],
            "deltas": deltas,
            "files": files,
        }
        try:  # meta last, and whole or not at all: without it the cache is ignored
            tmp = self.meta.with_suffix(".tmp")
            tmp.write_text(json.dumps(meta), encoding="utf-8")
            tmp.replace(self.meta)
        except OSError as exc:
            raise self._unwritable(exc) from exc

    def _write(self, path: Path, frame: pd.DataFrame) -> dict[str, list[int]]:
        """``_write``, with a full disk or an unwritable folder as one-line ``StoreError``."""
        try:
            return _write(path, frame)
        except OSError as exc:
            path.with_suffix(".tmp").unlink(missing_ok=True)
            raise self._unwritable(exc) from exc


def _write(path: Path, frame: pd.DataFrame) -> dict[str, list[int]]:
    """``frame`` as one uncompressed Arrow IPC record batch (one chunk per column, so reading needs no
    re-assembly), written aside and then moved into place; returns {file name: [size, CRC-32]}."""
    tmp = path.with_suffix(".tmp")
    table = pa.Table.from_pandas(frame, preserve_index=False).combine_chunks()
    with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=max(table.num_rows, 1))
    size, crc = 0, 0
    with tmp.open("rb") as written:  # just written: read back from the page cache, 16 MB at a time
        while chunk := written.read(1 << 24):
            size, crc = size + len(chunk), zlib.crc32(chunk, crc)
    tmp.replace(path)
    return {path.name: [size, crc]}


def _read(path: Path, files: dict[str, list[int]]) -> pd.DataFrame:
    """An Arrow IPC file as a frame whose columns point into the mapped file (no decoding, no copy),
    after its size and CRC-32 match ``files`` (``ValueError`` otherwise: Arrow never sees damaged bytes).
    Where the OS offers MAP_POPULATE (Linux) the mapping is pre-faulted in one call: touching a
    million rows' pages one fault at a time would cost more than the read it saves."""
    buffer = _mapped(path)
    size, crc = files[path.name]
    if buffer.size != size or zlib.crc32(memoryview(buffer)) != crc:  # crc32 releases the GIL
        raise ValueError(f"{path} does not match its checksum")
    table = pa.ipc.open_file(pa.BufferReader(buffer)).read_all()
    frame: pd.DataFrame = table.to_pandas()
    return frame


def _mapped(path: Path) -> pa.Buffer:
    if POPULATE is not None:
        with path.open("rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, flags=mmap.MAP_SHARED | POPULATE, prot=mmap.PROT_READ)
        return pa.py_buffer(mapped)  # the buffer keeps the mapping alive as long as any column uses it
    if MEMORY_MAP:
        with pa.memory_map(str(path)) as source:
            return source.read_buffer()
    return pa.py_buffer(path.read_bytes())


def _typed(frame: pd.DataFrame, dtypes: dict[str, str]) -> bool:
    return list(frame.columns) == list(dtypes) and all(has_dtype(frame[c], d) for c, d in dtypes.items())


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
    # writes the delta while this thread splices the comments (Arrow, numpy and hashing release the GIL)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="score-cache") as helper:
        prints_job = helper.submit(pr_fingerprints, frames, start, end)
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
        eps_job = helper.submit(_merged, state, unchanged, "episodes", fresh_eps, tuple(EPISODE_BASE_DTYPES))
        removed = len(state.keys) - int(same.sum())
        delta_rows = state.delta_rows + len(fresh_comments)
        compact = len(state.deltas) >= MAX_DELTAS or delta_rows > MAX_DELTA_SHARE * max(state.base_rows, 1)
        changed = bool(len(touched) or removed)
        delta_job = None
        if changed and not compact:
            delta_job = helper.submit(cache.write_delta, state, key, prints, touched, fresh_comments, fresh_eps)
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


def team_columns(comments: pd.DataFrame) -> pd.DataFrame:
    """The comment rows without the columns only the per-PR stage needs (what the team-level stage gets,
    from a full run and a cached one alike)."""
    return comments.loc[:, list(TEAM_COMMENT_COLUMNS)]


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
