"""Each group's top k rows under an explicit, total order, without sorting every row.

Evidence lists ("this person's most thorough reviews") need a handful of rows per person out of a
million. Sorting everything costs a full argsort; instead each group's k-th best primary value is found
with a partial sort, only rows reaching it stay candidates, and those few are ordered completely (primary
value, then the tie-breaking keys), so equal values are ordered by a stated rule rather than by the
accidents of an unstable sort.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.intp]


def top_k_per_group(
    groups: IntArray,
    primary: npt.NDArray[np.float64] | npt.NDArray[np.int64],
    k: int,
    tie_keys: tuple[npt.NDArray[np.int64], ...] = (),
) -> IntArray:
    """Positions of each group's ``k`` rows with the largest ``primary`` (ties: smallest ``tie_keys``,
    the first key deciding first), ordered by group then rank. Rows with group -1 or a NaN primary are
    never chosen."""
    values = np.asarray(primary, dtype=np.float64)
    eligible = np.flatnonzero((groups >= 0) & ~np.isnan(values))
    if k < 1 or not len(eligible):
        return np.zeros(0, dtype=np.intp)
    g = groups[eligible]
    n_groups = int(g.max()) + 1
    small = g.astype(np.int16) if n_groups < np.iinfo(np.int16).max else g  # int16: numpy radix-sorts
    by_group = eligible[np.argsort(small, kind="stable")]
    bounds = np.r_[0, np.cumsum(np.bincount(g, minlength=n_groups))]
    threshold = np.full(n_groups, np.inf)
    for group in np.flatnonzero(np.diff(bounds)):
        own = values[by_group[bounds[group] : bounds[group + 1]]]
        cut = max(len(own) - k, 0)  # the k-th largest (the smallest when the group has <= k rows)
        threshold[group] = np.partition(own, cut)[cut]
    candidates = eligible[values[eligible] >= threshold[g]]
    # full order among the candidates only: group, primary descending, then the tie keys
    sort_keys = [key[candidates] for key in reversed(tie_keys)]
    order = np.lexsort((*sort_keys, -values[candidates], groups[candidates]))
    ranked = candidates[order]
    ranked_groups = groups[ranked]
    starts = np.flatnonzero(np.r_[True, ranked_groups[1:] != ranked_groups[:-1]])
    rank = np.arange(len(ranked)) - np.repeat(starts, np.diff(np.r_[starts, len(ranked)]))
    chosen: IntArray = ranked[rank < k]
    return chosen
