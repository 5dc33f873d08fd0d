"""Merging sorted row blocks without a full sort: the incremental cache's output is the cached rows of
unchanged PRs interleaved with the recomputed PRs' fresh rows, in the canonical order of a full run.

Every source (the cache's base generation, each delta generation, the fresh rows) is sorted by PR id
first, so each PR's rows form one contiguous block in exactly one source. The merged table is those
blocks ordered by PR id; neighbouring blocks of the same source coalesce into one slice, so a re-score
that touches a few hundred PRs copies a few hundred slices per column instead of taking (gathering) a
million rows one by one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
from pandas.api.extensions import ExtensionArray

from analyzer.errors import AnalyzerError

IntArray = npt.NDArray[np.int64]
# Arrow columns stay chunked (zero-copy slices of the sources) up to this many pieces: a re-score after
# a collect mostly touches one tail block of recent PRs (GitHub numbers them consecutively), and even a
# thousand scattered PRs make chunks that the team-level stage reads at full speed.
MAX_CHUNKS = 4096
MAX_SLICES = 64  # more pieces: the non-Arrow columns are gathered with one index instead of sliced


class SpliceError(AnalyzerError):
    """Sources that cannot be spliced (not sorted by PR, or a PR in two sources): a bug, not user input."""


@dataclass(frozen=True)
class Pieces:
    """Slices to concatenate, in order: rows ``start[i]:stop[i]`` of source ``source[i]``."""

    source: IntArray
    start: IntArray
    stop: IntArray


def pr_blocks(pr_ids: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """(PR id, start, stop) of each run of equal ids in ``pr_ids`` (rows sorted by PR id)."""
    if not len(pr_ids):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    if np.any(pr_ids[1:] < pr_ids[:-1]):
        raise SpliceError("rows are not sorted by PR id")
    change = np.flatnonzero(pr_ids[1:] != pr_ids[:-1]) + 1
    starts = np.r_[0, change].astype(np.int64)
    stops = np.r_[change, len(pr_ids)].astype(np.int64)
    return pr_ids[starts], starts, stops


def plan(sources: list[IntArray], wanted: list[npt.NDArray[np.bool_] | None]) -> Pieces:
    """The pieces of the merged table: from each source (its rows' PR ids, sorted), the PR blocks whose
    ``wanted`` flag (one per block, None = all) is set, ordered by PR id; adjacent slices coalesced."""
    prs, srcs, starts, stops = [], [], [], []
    for index, ids in enumerate(sources):
        pr, start, stop = pr_blocks(ids)
        keep = wanted[index]
        if keep is not None:
            pr, start, stop = pr[keep], start[keep], stop[keep]
        prs.append(pr)
        srcs.append(np.full(len(pr), index, dtype=np.int64))
        starts.append(start)
        stops.append(stop)
    pr_all = np.concatenate(prs) if prs else np.zeros(0, dtype=np.int64)
    order = np.argsort(pr_all, kind="stable")
    pr_sorted = pr_all[order]
    if np.any(pr_sorted[1:] == pr_sorted[:-1]):
        raise SpliceError("a PR has current rows in two sources")
    src = np.concatenate(srcs)[order] if srcs else pr_all
    start = np.concatenate(starts)[order] if starts else pr_all
    stop = np.concatenate(stops)[order] if stops else pr_all
    if not len(src):
        return Pieces(src, start, stop)
    # a piece continues the previous one when it is the next slice of the same source
    joins = np.r_[False, (src[1:] == src[:-1]) & (start[1:] == stop[:-1])]
    first = np.flatnonzero(~joins)
    last = np.r_[first[1:], len(src)] - 1
    return Pieces(src[first], start[first], stop[last])


def splice(frames: list[pd.DataFrame], pieces: Pieces, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The rows of ``pieces`` from ``frames`` (same columns and dtypes), as one frame with a fresh index;
    only ``columns`` when given (the others are never read, so memory-mapped ones are never paged in)."""
    columns = columns if columns is not None else tuple(frames[0].columns)
    triples = list(zip(pieces.source.tolist(), pieces.start.tolist(), pieces.stop.tolist(), strict=True))
    gather = gather_index([len(frame) for frame in frames], pieces) if len(triples) > MAX_SLICES else None
    out = {col: splice_column([frame[col].array for frame in frames], triples, gather) for col in columns}
    total = int((pieces.stop - pieces.start).sum())
    return pd.DataFrame(out, index=pd.RangeIndex(total), copy=False)


def gather_index(lengths: list[int], pieces: Pieces) -> IntArray:
    """Positions, in the concatenation of sources of ``lengths`` rows, of the pieces' rows in order."""
    offsets = np.r_[0, np.cumsum(lengths)][:-1].astype(np.int64)
    sizes = pieces.stop - pieces.start
    first = offsets[pieces.source] + pieces.start
    before = np.r_[0, np.cumsum(sizes)][:-1]
    index: IntArray = np.repeat(first - before, sizes) + np.arange(int(sizes.sum()), dtype=np.int64)
    return index


def splice_column(
    arrays: list[ExtensionArray], triples: list[tuple[int, int, int]], gather: IntArray | None = None
) -> ExtensionArray | np.ndarray:
    """One column's pieces concatenated. Arrow-backed columns become chunks pointing into the sources
    (copied into one array past MAX_CHUNKS pieces); the others are concatenated piece by piece, or, given
    ``gather`` (many pieces), taken from the sources' concatenation in one go."""
    first = arrays[0]
    if any(array.dtype != first.dtype for array in arrays):
        raise SpliceError(f"sources differ in dtype: {sorted({str(array.dtype) for array in arrays})}")
    pa_arrays = [_arrow_of(array) for array in arrays]
    if all(array is not None for array in pa_arrays):
        sliced = [pa_arrays[s].slice(a, b - a) for s, a, b in triples]  # type: ignore[union-attr]
        if not sliced:
            return pd.array(pa_arrays[0].slice(0, 0), dtype=first.dtype)  # type: ignore[union-attr]
        if len(sliced) <= MAX_CHUNKS:  # chunks pointing at the sources, nothing copied
            return pd.array(pa.chunked_array(sliced), dtype=first.dtype)
        return pd.array(pa.concat_arrays(sliced), dtype=first.dtype)
    if not triples:
        return first[:0]
    # numpy, masked (Int64, boolean) and datetime arrays concatenate their numpy buffers
    concat_same_type = getattr(type(first), "_concat_same_type")  # noqa: B009 (private: untyped in the stubs)
    if gather is not None:
        whole: ExtensionArray = first if len(arrays) == 1 else concat_same_type(arrays)
        return whole.take(gather)
    joined_array: ExtensionArray = concat_same_type([arrays[s][a:b] for s, a, b in triples])
    return joined_array


def _arrow_of(array: ExtensionArray | np.ndarray) -> pa.Array | None:
    """The single contiguous pyarrow array behind an Arrow-backed pandas array, else None."""
    chunked = getattr(array, "_pa_array", None)
    if not isinstance(chunked, pa.ChunkedArray):
        return None
    return chunked.combine_chunks() if chunked.num_chunks != 1 else chunked.chunk(0)
