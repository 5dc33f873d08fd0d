"""Least squares with two sets of absorbed fixed effects, a block of the design at a time.

The uplift model (``analyzer.scores.uplift``; docs/methodology.md, "Multiplier effect (uplift)") regresses
each outcome on every modelled person's exposure and current-review indicator with author and repository
x month effects absorbed. Its design has a row per PR and two columns per person, so its within
transform (the residuals of every column on both sets of dummies) held whole is the largest thing a
scoring run makes: float64 PRs x (2 people + 2), 2 GB at 5 million comments, and a fit needed two or
three copies of it at once.

Here the within transform is never held whole. A column of it is ``x - a[author] - m[repo_month]``, so
it is kept as its group effects ``a`` and ``m`` (a few hundred rows per column) beside the raw design,
which the caller already holds compactly (float32 exposure, boolean reviews): alternating projections
run on a block of columns at a time and keep only the effects; everything a fit needs from the
transformed design (its weighted Gram matrix, x'Wy, fitted values, the per-cluster score sums of the
clustered covariance) is then summed over blocks of rows rebuilt from the raw design and the effects.
Memory is the raw design plus one block; the arithmetic is the one of the whole matrix.

The fit itself stays statsmodels': its OLS on the reduced k x k system gives the estimates, and its
cluster-robust sandwich (``sandwich_covariance.cov_cluster``) the covariance, from the per-cluster score
sums (the only thing the sandwich reads of the data).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt
import statsmodels.api as sm
from scipy import sparse
from scipy.linalg import blas
from statsmodels.stats import sandwich_covariance
from statsmodels.tools.sm_exceptions import SingularMatrixWarning

FloatArray = npt.NDArray[np.float64]
Codes = npt.NDArray[np.intp]
DEMEAN_BLOCK = 64  # columns demeaned together: bounds the temporary to rows x 64
# columns of the design read and demeaned together by ``group_effects``: a temporary of rows x 32 float64
# (measured on the 1M-comment corpus: 32 as fast as 64, which needs twice the memory)
EFFECTS_BLOCK = 32
ROW_BLOCK = 4096  # rows per block of the passes over rows (measured: as fast as 8192 and more, less memory)
TOLERANCE = 1e-10  # demeaning stops when no group mean moves by more than this, relative to the column


class Regressors(Protocol):
    """A design read a block at a time (``block`` returns a new float64 array)."""

    @property
    def shape(self) -> tuple[int, int]: ...

    def block(self, rows: slice, cols: slice) -> FloatArray: ...


@dataclass(frozen=True)
class DenseRegressors:
    """A design held as one array."""

    x: npt.NDArray[np.floating]

    @property
    def shape(self) -> tuple[int, int]:
        rows, cols = self.x.shape
        return int(rows), int(cols)

    def block(self, rows: slice, cols: slice) -> FloatArray:
        return np.array(self.x[rows, cols], dtype=np.float64)


def regressors(x: FloatArray | Regressors) -> Regressors:
    return DenseRegressors(x) if isinstance(x, np.ndarray) else x


Effects = list[FloatArray]  # per grouping: groups x columns


def _weighted_sums(groups: list[Codes], weights: FloatArray) -> list[tuple[sparse.csr_matrix, FloatArray, Codes]]:
    """Per grouping: the weighted group-by-row indicator (sums a block's rows per group), the weights'
    totals per group, the codes."""
    out = []
    for codes in groups:
        n_groups = int(codes.max()) + 1 if len(codes) else 0
        transposed = sparse.csr_matrix((weights, (codes, np.arange(len(codes)))), shape=(n_groups, len(codes)))
        out.append((transposed, np.asarray(transposed.sum(axis=1)).ravel(), codes))
    return out


def _crossings(sums: list[tuple[sparse.csr_matrix, FloatArray, Codes]]) -> list[list[sparse.csr_matrix | None]]:
    """Per pair of groupings (g, h), g != h: the weighted co-occurrence G_g' W G_h (groups of g x groups of
    h), which carries one grouping's effects into the other's sums."""
    indicators = [
        sparse.csr_matrix((np.ones(len(codes)), (np.arange(len(codes)), codes)), shape=(len(codes), len(totals)))
        for _, totals, codes in sums
    ]
    return [
        [None if g == h else sparse.csr_matrix(transposed @ indicator) for h, indicator in enumerate(indicators)]
        for g, (transposed, _, _) in enumerate(sums)
    ]


def _project_sums(
    group_sums: list[FloatArray],
    sums: list[tuple[sparse.csr_matrix, FloatArray, Codes]],
    crossings: list[list[sparse.csr_matrix | None]],
    effects: Effects,
    scale: float,
    tol: float = TOLERANCE,
    max_iter: int = 500,
) -> None:
    """Alternating projections on the group level, from each grouping's weighted sums of a block of
    columns (``group_sums``: G_g' W x) alone, until no group mean moves by more than ``tol`` x ``scale``;
    the means taken out are added to ``effects`` in place (one array per grouping, groups x the block's
    columns). The block's rows less every grouping's effects have, per group of g, the weighted sum
    G_g' W x - sum_h G_g' W G_h e_h; its mean is the step. A pass then costs the groupings'
    co-occurrences (``_crossings``), not the rows (measured on the 1M-comment corpus: the fit's
    demeaning, 14.7 s of the stage with passes over the rows, 3.2 s)."""
    for _ in range(max_iter):
        moved = 0.0
        for g, (_, totals, _) in enumerate(sums):
            rest = group_sums[g] - totals[:, None] * effects[g]
            for h, crossing in enumerate(crossings[g]):
                if crossing is not None:
                    rest -= crossing @ effects[h]
            means = rest / totals[:, None]
            effects[g] += means
            moved = max(moved, float(np.abs(means).max()) if means.size else 0.0)
        if moved <= tol * scale:
            break


def demean(
    values: FloatArray,
    groups: list[Codes],
    tol: float = TOLERANCE,
    max_iter: int = 500,
    copy: bool = True,
    weights: FloatArray | None = None,
) -> FloatArray:
    """Residuals of ``values`` (rows x columns) on the dummies of every grouping, by least squares weighted
    by ``weights`` (None: unweighted): alternating projections (each pass takes out the weighted group
    means of one grouping; ``_project_sums``) until nothing moves. Columns are independent, so blocks of
    them are demeaned one after another; ``copy=False`` works in place (float64 input). Any start that
    differs from ``values`` by group effects converges to the same residuals: the Poisson fit restarts
    from the last iteration's."""
    out = np.array(values, dtype=np.float64, copy=True) if copy or values.dtype != np.float64 else values
    sums = _weighted_sums(groups, np.ones(len(out)) if weights is None else weights)
    crossings = _crossings(sums)
    for start in range(0, out.shape[1], DEMEAN_BLOCK):
        block = out[:, start : start + DEMEAN_BLOCK]  # a view: the effects are taken out of ``out`` itself
        scale = max(float(np.abs(block).max()) if block.size else 0.0, 1.0)
        effects = [np.zeros((len(totals), block.shape[1])) for _, totals, _ in sums]
        _project_sums([transposed @ block for transposed, _, _ in sums], sums, crossings, effects, scale, tol, max_iter)
        for e, codes in zip(effects, groups, strict=True):
            block -= e[codes]
    return out


def group_effects(
    x: Regressors,
    groups: list[Codes],
    weights: FloatArray | None = None,
    start: Effects | None = None,
    with_norms: bool = True,
) -> tuple[Effects, FloatArray]:
    """The group effects of every column of ``x`` (x minus them: its weighted within transform) and the
    transformed columns' norms (NaN unless ``with_norms``), a block of columns at a time: one pass over
    the block's rows for its per-group sums, the projections on the group level (``_project_sums``),
    and one more pass for the norms. ``start``: effects to begin from (any effects give the same answer;
    the last ones make it a few passes)."""
    n, k = x.shape
    sums = _weighted_sums(groups, np.ones(n) if weights is None else weights)
    crossings = _crossings(sums)
    effects = [np.zeros((len(totals), k)) for _, totals, _ in sums] if start is None else [e.copy() for e in start]
    norms = np.full(k, np.nan)
    for first in range(0, k, EFFECTS_BLOCK):
        cols = slice(first, first + EFFECTS_BLOCK)
        block = x.block(slice(None), cols)
        # the tolerance is relative to the raw columns (the row-level passes took them less ``start``)
        scale = max(float(np.abs(block).max()) if block.size else 0.0, 1.0)
        mine = [np.ascontiguousarray(e[:, cols]) for e in effects]
        _project_sums([transposed @ block for transposed, _, _ in sums], sums, crossings, mine, scale)
        for e, part in zip(effects, mine, strict=True):
            e[:, cols] = part
        if with_norms:
            for e, codes in zip(mine, groups, strict=True):
                block -= e[codes]
            norms[cols] = np.linalg.norm(block, axis=0)
    return effects, norms


def within_rows(x: Regressors, groups: list[Codes], effects: Effects, rows: slice) -> FloatArray:
    """Rows of the within transform: the design's rows less their groups' effects."""
    block = x.block(rows, slice(None))
    for e, codes in zip(effects, groups, strict=True):
        block -= e[codes[rows]]
    return block


def _row_blocks(n: int) -> list[slice]:
    return [slice(first, first + ROW_BLOCK) for first in range(0, n, ROW_BLOCK)]


def gram_and_rhs(
    x: Regressors, groups: list[Codes], effects: Effects, w: FloatArray, y: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """X' diag(w) X and X' diag(w) y of the within transform X, a block of rows at a time: the Gram matrix
    by BLAS's symmetric rank-k update (half a general product's work: the Poisson iterations spend most
    of their time here)."""
    k = x.shape[1]
    gram, rhs = np.zeros((k, k), order="F"), np.zeros(k)
    for rows in _row_blocks(x.shape[0]):
        block = within_rows(x, groups, effects, rows)
        rhs += block.T @ (w[rows] * y[rows])
        block *= np.sqrt(w[rows])[:, None]
        gram = blas.dsyrk(1.0, block.T, beta=1.0, c=gram, overwrite_c=True)  # block' block, upper half
    return np.triu(gram) + np.triu(gram, 1).T, rhs


def fitted(x: Regressors, groups: list[Codes], effects: Effects, beta: FloatArray) -> FloatArray:
    """X beta of the within transform X: the raw design's x beta less each grouping's (e beta)[codes],
    which is the same sum without rebuilding the transformed rows."""
    out = np.concatenate([x.block(rows, slice(None)) @ beta for rows in _row_blocks(x.shape[0])] or [np.zeros(0)])
    for e, codes in zip(effects, groups, strict=True):
        out -= (e @ beta)[codes]
    return out


def cluster_scores(
    x: Regressors, groups: list[Codes], effects: Effects, weighted_resid: FloatArray, clusters: Codes
) -> FloatArray:
    """Per cluster (rows: codes 0..G-1), the sum of its rows' scores X_i w_i e_i."""
    n_clusters = int(clusters.max()) + 1 if len(clusters) else 0
    out = np.zeros((n_clusters, x.shape[1]))
    for rows in _row_blocks(x.shape[0]):
        block = within_rows(x, groups, effects, rows)
        block *= weighted_resid[rows][:, None]
        codes = clusters[rows]
        n = len(codes)
        summing = sparse.csr_matrix((np.ones(n), (codes, np.arange(n))), shape=(n_clusters, n))
        out += summing @ block
    return out


@dataclass(frozen=True)
class ClusteredFit:
    """Estimates and their cluster-robust (CR1) covariance."""

    params: FloatArray
    cov: FloatArray
    n_obs: int
    # the conventional (quasi-likelihood) covariance is normalized_cov_params * scale, as in statsmodels'
    # results: (X'WX)^-1 and the weighted residual sum of squares over n - k (uplift.fit_outcome uses it)
    normalized_cov_params: FloatArray | None = None
    scale: float = float("nan")

    @property
    def bse(self) -> FloatArray:
        return np.sqrt(np.diag(self.cov))


def clustered_fit(
    x: Regressors,
    groups: list[Codes],
    effects: Effects,
    clusters: Codes,
    w: FloatArray,
    y: FloatArray,
    gram_rhs: tuple[FloatArray, FloatArray] | None = None,
) -> ClusteredFit:
    """statsmodels' weighted least squares of ``y`` (already within-transformed) on the within transform of
    ``x`` with errors clustered by ``clusters``: the same estimates and covariance as
    ``sm.WLS(y, X, weights=w).fit(cov_type="cluster", cov_kwds={"groups": clusters})`` on the whole X.

    statsmodels fits the reduced system (R, z) with R'R = X'WX and R'z = X'Wy (rank-deficient directions
    dropped, as the pseudo-inverse does) and computes the sandwich from each cluster's score sum (the
    only thing of the data it reads); the CR1 factor G/(G-1) (n-1)/(n-k) uses the whole data's n, as
    its ``use_correction`` does on the whole data."""
    gram, rhs = gram_rhs if gram_rhs is not None else gram_and_rhs(x, groups, effects, w, y)
    values, vectors = np.linalg.eigh(gram)
    keep = values > values.max(initial=0.0) * 1e-12
    root = np.sqrt(values[keep])
    reduced = sm.OLS((vectors[:, keep].T @ rhs) / root, vectors[:, keep].T * root[:, None], hasconst=False)
    with warnings.catch_warnings():  # collinear exposures: the pseudo-inverse's minimum-norm answer, as intended
        warnings.simplefilter("ignore", SingularMatrixWarning)
        result = reduced.fit()
    params = np.asarray(result.params, dtype=np.float64)
    resid = y - fitted(x, groups, effects, params)
    scores = cluster_scores(x, groups, effects, w * resid, clusters)
    present = np.flatnonzero(np.bincount(clusters, minlength=len(scores)) > 0)
    cov = sandwich_covariance.cov_cluster(
        (scores[present], result.normalized_cov_params), np.arange(len(present)), use_correction=False
    )
    n, k, g = x.shape[0], x.shape[1], len(present)
    cov = cov * (g / (g - 1.0) * (n - 1.0) / float(n - k))
    scale = float(w @ resid**2) / float(n - k)
    normalized = np.asarray(result.normalized_cov_params, dtype=np.float64)
    return ClusteredFit(params, np.asarray(cov, dtype=np.float64), n, normalized, scale)
