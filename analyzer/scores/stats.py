"""Small-sample statistics (docs/methodology.md, "How rates are estimated"): one recipe for every per-person number.

All functions are vectorised over people (numpy arrays in, arrays/frames out) and deterministic
(bootstraps take a seed).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats as sps

from analyzer.scores.tables import EVIDENCE, FAMILY_SCORES

FloatArray = npt.NDArray[np.float64]
Z90 = 1.6448536269514722  # two-sided 90 %


def z_for(level: float) -> float:
    """Standard-normal quantile for a two-sided interval at ``level``."""
    return float(sps.norm.ppf(0.5 + level / 2.0))


def wilson_interval(x: npt.ArrayLike, n: npt.ArrayLike, level: float = 0.90) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval for x successes in n trials (NaN where n == 0)."""
    xa, na = np.asarray(x, dtype=float), np.asarray(n, dtype=float)
    z = z_for(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = xa / na
        denom = 1.0 + z * z / na
        centre = (p + z * z / (2 * na)) / denom
        half = z * np.sqrt(p * (1 - p) / na + z * z / (4 * na * na)) / denom
    lo, hi = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
    return np.where(na > 0, lo, np.nan), np.where(na > 0, hi, np.nan)


@dataclass(frozen=True)
class BetaPrior:
    alpha: float
    beta: float


def fit_beta_prior(x: npt.ArrayLike, n: npt.ArrayLike, min_n: int = 10, cap: float = 50.0) -> BetaPrior:
    """Team prior Beta(alpha, beta) by method of moments over people with n >= ``min_n``.

    m = mean(p_i), v = var(p_i) (ddof 1); alpha + beta = m(1 - m)/v - 1, capped at ``cap`` (the prior never
    outweighs ~50 observations) and set to the cap when v is 0 or fewer than two people qualify. With nobody
    qualifying, m is the pooled rate of everyone. m is kept inside [0.001, 0.999] so the prior is proper.
    """
    xa, na = np.asarray(x, dtype=float), np.asarray(n, dtype=float)
    keep = na >= min_n
    if keep.sum() >= 1:
        rates = xa[keep] / na[keep]
        m = float(rates.mean())
    else:
        m = float(xa.sum() / na.sum()) if na.sum() > 0 else 0.5
        rates = np.array([m])
    var = float(rates.var(ddof=1)) if len(rates) >= 2 else 0.0
    m = min(max(m, 1e-3), 1 - 1e-3)
    strength = cap if var <= 0 else m * (1 - m) / var - 1.0
    strength = min(max(strength, 1e-3), cap)
    return BetaPrior(alpha=m * strength, beta=(1 - m) * strength)


def beta_binomial(
    x: npt.ArrayLike,
    n: npt.ArrayLike,
    min_n: int = 10,
    cap: float = 50.0,
    level: float = 0.90,
    prior: BetaPrior | None = None,
) -> pd.DataFrame:
    """Empirical-Bayes rates: posterior mean (x + a)/(n + a + b) and the central credible interval of
    Beta(x + a, n - x + b); also the raw rate and its Wilson interval. One row per input element."""
    xa, na = np.asarray(x, dtype=float), np.asarray(n, dtype=float)
    prior = prior or fit_beta_prior(xa, na, min_n, cap)
    a_post, b_post = xa + prior.alpha, na - xa + prior.beta
    tail = (1 - level) / 2
    w_lo, w_hi = wilson_interval(xa, na, level)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(na > 0, xa / na, np.nan)
    return pd.DataFrame(
        {
            "estimate": a_post / (a_post + b_post),
            "lo": sps.beta.ppf(tail, a_post, b_post),
            "hi": sps.beta.ppf(1 - tail, a_post, b_post),
            "raw": raw,
            "wilson_lo": w_lo,
            "wilson_hi": w_hi,
            "x": xa,
            "n": na,
            "alpha": prior.alpha,
            "beta": prior.beta,
        }
    )


def shrink_means(
    means: npt.ArrayLike,
    variances: npt.ArrayLike,
    n: npt.ArrayLike,
    min_n: int = 10,
    level: float = 0.90,
) -> pd.DataFrame:
    """Normal-normal shrinkage of per-person means toward the team mean (Efron & Morris).

    mu = unweighted mean of person means; sigma_i^2 = the person's within variance when n_i >= min_n, else
    the pooled within variance sum((n_i-1) s_i^2)/sum(n_i-1);
    tau^2 = var(person means) - mean(sigma_i^2/n_i), truncated at 0 (tau^2 = inf, i.e. no shrinkage,
    with a single person); w_i = tau^2/(tau^2 + sigma_i^2/n_i);
    estimate = w_i*xbar_i + (1-w_i)*mu; interval = estimate +/- z*sqrt(w_i*sigma_i^2/n_i).
    """
    xbar, s2, na = (np.asarray(a, dtype=float) for a in (means, variances, n))
    s2 = np.nan_to_num(s2, nan=0.0)
    dof = np.clip(na - 1, 0, None)
    pooled = float((dof * s2).sum() / dof.sum()) if dof.sum() > 0 else 0.0
    sigma2 = np.where(na >= min_n, s2, pooled)
    mu = float(xbar.mean()) if len(xbar) else np.nan
    # method of moments, truncated at 0; a single person cannot be shrunk toward anyone
    tau2 = max(float(xbar.var(ddof=1)) - float(np.mean(sigma2 / na)), 0.0) if len(xbar) >= 2 else np.inf
    se2 = sigma2 / na
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(np.isinf(tau2), 1.0, np.where(tau2 + se2 > 0, tau2 / (tau2 + se2), 1.0))
    est = w * xbar + (1 - w) * mu
    half = z_for(level) * np.sqrt(w * se2)
    return pd.DataFrame(
        {
            "estimate": est,
            "lo": est - half,
            "hi": est + half,
            "raw": xbar,
            "n": na,
            "weight": w,
            "mu": mu,
            "tau2": tau2,
            "sigma2": sigma2,
        }
    )


def gini(values: npt.ArrayLike) -> float:
    """Gini coefficient normalised to [0, 1] for a finite team: G = sum|xi-xj| / (2 n^2 mean) * n/(n-1),
    so one person holding everything gives exactly 1 and a perfectly even split gives 0."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    if n < 2 or x.sum() <= 0:
        return 0.0
    x = np.sort(x)
    # sum_i sum_j |xi - xj| = 2 * sum_i (2i - n - 1) x_(i) for sorted x, i = 1..n
    idx = np.arange(1, n + 1)
    total = 2.0 * float(((2 * idx - n - 1) * x).sum())
    return float(total / (2.0 * n * n * float(x.mean())) * n / (n - 1))


def sharing_index(values: npt.ArrayLike) -> float:
    """Flow-style Sharing index: 1 - Gini (0 = one person does every review, 1 = perfectly even)."""
    return 1.0 - gini(values)


def normalized_entropy(counts: npt.ArrayLike, n_categories: int | None = None) -> float:
    """Shannon entropy of ``counts`` divided by ln(K), K = ``n_categories`` (default: number of non-zero
    counts). 0 when everything falls in one category or K < 2."""
    c = np.asarray(counts, dtype=float)
    c = c[c > 0]
    k = n_categories if n_categories is not None else len(c)
    if k < 2 or c.sum() <= 0:
        return 0.0
    p = c / c.sum()
    return max(0.0, float(-(p * np.log(p)).sum() / np.log(k)))


def hodges_lehmann(before: npt.ArrayLike, after: npt.ArrayLike, max_pairs: int = 40_000) -> float:
    """Hodges-Lehmann shift after - before: the median of all pairwise differences. Above ``max_pairs``
    pairs the difference of medians is used instead (same target for symmetric shifts, O(n) cost)."""
    b, a = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    if len(a) * len(b) <= max_pairs:
        return float(np.median(np.subtract.outer(a, b)))
    return float(np.median(a) - np.median(b))


def hodges_lehmann_interval(
    before: npt.ArrayLike,
    after: npt.ArrayLike,
    n_boot: int = 400,
    seed: int = 0,
    level: float = 0.90,
    max_pairs: int = 40_000,
) -> tuple[float, float, float]:
    """(shift, lo, hi): HL shift with a seeded percentile-bootstrap interval (each side resampled)."""
    b, a = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    shift = hodges_lehmann(b, a, max_pairs)
    rng = np.random.default_rng(seed)
    boot = np.empty(n_boot)
    for i in range(n_boot):
        boot[i] = hodges_lehmann(rng.choice(b, len(b)), rng.choice(a, len(a)), max_pairs)
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(boot, [tail, 100 - tail])
    return shift, float(lo), float(hi)


def newcombe_difference(
    x_before: float, n_before: float, x_after: float, n_after: float, level: float = 0.90
) -> tuple[float, float, float]:
    """(p_after - p_before, lo, hi) with Newcombe's hybrid score interval (method 10, from Wilson limits):
    lo = d - sqrt((p_a - l_a)^2 + (u_b - p_b)^2), hi = d + sqrt((u_a - p_a)^2 + (p_b - l_b)^2)."""
    if n_before <= 0 or n_after <= 0:
        return np.nan, np.nan, np.nan
    pb, pa = x_before / n_before, x_after / n_after
    (lb,), (ub,) = wilson_interval([x_before], [n_before], level)
    (la,), (ua,) = wilson_interval([x_after], [n_after], level)
    d = pa - pb
    lo = d - np.sqrt((pa - la) ** 2 + (ub - pb) ** 2)
    hi = d + np.sqrt((ua - pa) ** 2 + (pb - lb) ** 2)
    return float(d), float(lo), float(hi)


def display_value(estimate: float, n: int, min_n: int, fmt: str = "{:.2f}") -> str:
    """Display rule: a point score only at n >= min_n, else 'insufficient data (n = k)'."""
    if n < min_n or not np.isfinite(estimate):
        return f"insufficient data (n = {n})"
    return fmt.format(estimate)


def status_for(n: npt.ArrayLike, min_n: int) -> npt.NDArray[np.object_]:
    """'ok' where n >= min_n else 'insufficient' (vectorised)."""
    return np.where(np.asarray(n) >= min_n, "ok", "insufficient").astype(object)


FAMILY_COLUMNS = FAMILY_SCORES.columns


def family_rows(
    person: npt.ArrayLike,
    family: str,
    estimate: npt.ArrayLike,
    lo: npt.ArrayLike,
    hi: npt.ArrayLike,
    raw: npt.ArrayLike,
    n: npt.ArrayLike,
    min_n: int,
    unit: str,
    higher_is_better: bool,
    status: npt.ArrayLike | None = None,
) -> pd.DataFrame:
    """Long-format rows of one score family; status defaults to the display rule on n."""
    people = np.asarray(person, dtype=object)
    counts = np.asarray(n, dtype=float)
    frame = pd.DataFrame(
        {
            "person": people,
            "family": family,
            "estimate": np.asarray(estimate, dtype=float),
            "lo": np.asarray(lo, dtype=float),
            "hi": np.asarray(hi, dtype=float),
            "raw": np.asarray(raw, dtype=float),
            "n": np.nan_to_num(counts).astype("int64"),
            "min_n": int(min_n),
            "status": status_for(counts, min_n) if status is None else np.asarray(status, dtype=object),
            "unit": unit,
            "higher_is_better": bool(higher_is_better),
        }
    )
    return frame.loc[:, list(FAMILY_COLUMNS)]


def excerpt(text: pd.Series, width: int = 280) -> pd.Series:
    """First ``width`` characters of each text, whitespace collapsed, with an ellipsis when cut."""
    flat = text.fillna("").astype(str).str.replace(r"\s+", " ", regex=True).str.strip()
    return flat.where(flat.str.len() <= width, flat.str.slice(0, width - 1) + "…")


EVIDENCE_COLUMNS = EVIDENCE.columns
# the comment columns an evidence row is made of (take only these rows' text: see rows_at)
COMMENT_EVIDENCE_SOURCE = ["person", "comment_id", "url", "body", "markers", "created_at"]


def comment_evidence(rows: pd.DataFrame, family: str, markers: object = None) -> pd.DataFrame:
    """Evidence rows (EVIDENCE_COLUMNS) pointing at the comments ``rows`` (COMMENT_EVIDENCE_SOURCE
    columns); ``markers`` replaces the comments' own markers when given."""
    return pd.DataFrame(
        {
            "person": rows["person"].to_numpy(),
            "family": family,
            "kind": "comment",
            "ref": rows["comment_id"].to_numpy(),
            "url": rows["url"].to_numpy(),
            "excerpt": excerpt(rows["body"]).to_numpy(),
            "markers": rows["markers"].to_numpy() if markers is None else markers,
            "at": rows["created_at"].to_numpy(),
            "title": None,  # a comment's own words are the excerpt
        }
    ).loc[:, list(EVIDENCE_COLUMNS)]


# Row selection on numpy arrays. The evidence and score functions run over tables with a million rows and
# text columns; sorting or filtering those frames copies every text column. These helpers find the few
# rows wanted on numeric arrays first (with exactly pandas' ordering and tie-breaking), so only those rows'
# text is ever taken.


# Inside ``sharing_codes()`` group_codes remembers its result per Arrow array: the team-level stage
# groups the same million-row person columns by person in several families, and Arrow arrays are
# immutable, so the same array always gets the same codes. Outside the context nothing is kept.
_CODE_MEMO: dict[int, tuple[object, npt.NDArray[np.intp], pd.Index]] | None = None


@contextmanager
def sharing_codes() -> Iterator[None]:
    """Within the block, ``group_codes`` of the same Arrow-backed column is computed once."""
    global _CODE_MEMO
    outer, _CODE_MEMO = _CODE_MEMO, {}
    try:
        yield
    finally:
        _CODE_MEMO = outer


def group_codes(values: pd.Series) -> tuple[npt.NDArray[np.intp], pd.Index]:
    """(code per row, sorted distinct values): the groups ``groupby(values)`` forms, as integers
    (-1: missing, which groupby drops). The codes are read-only."""
    source = getattr(values.array, "_pa_array", None)
    memo = _CODE_MEMO if source is not None else None
    if memo is not None and id(source) in memo and memo[id(source)][0] is source:
        _, codes, uniques = memo[id(source)]
        return codes, pd.Index(uniques, name=values.name)
    raw_codes, raw_uniques = pd.factorize(values, sort=True)
    codes = np.asarray(raw_codes, dtype=np.intp)
    codes.flags.writeable = False
    uniques = pd.Index(raw_uniques, name=values.name)
    if memo is not None:
        memo[id(source)] = (source, codes, uniques)  # the array itself is kept, so its id stays unique
    return codes, uniques


def pandas_sort_order(values: npt.NDArray[np.generic], descending: bool) -> npt.NDArray[np.intp]:
    """The row order of pandas' single-column ``sort_values`` (default quicksort, missing values last) on
    a numeric or datetime64 array, ties included: quicksort is not stable, so the order among equal values
    is only reproduced by running the same argsort on the same array, as pandas' ``nargsort`` does."""
    missing = np.isnat(values) if values.dtype.kind in "mM" else np.isnan(values) if values.dtype.kind == "f" else None
    positions = np.arange(len(values))
    present, present_at = (values, positions) if missing is None else (values[~missing], positions[~missing])
    if descending:
        present, present_at = present[::-1], present_at[::-1]
    order = present_at[present.argsort(kind="quicksort")]
    if descending:
        order = order[::-1]
    return order if missing is None else np.concatenate([order, np.flatnonzero(missing)])


def descending_time_key(ns: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """An ascending key for newest-first ordering of int64 nanoseconds with NaT last (bitwise not: NaT,
    the smallest int64, becomes the largest), as pandas' descending multi-column sort orders them."""
    key: npt.NDArray[np.int64] = ~ns
    return key


def head_per_group(groups: npt.NDArray[np.intp], order: npt.NDArray[np.intp], k: int) -> npt.NDArray[np.intp]:
    """The rows ``groupby(...).head(k)`` keeps when rows are visited in ``order``: the first ``k`` of each
    group (group -1, a missing key, is dropped), returned in ``order``'s sequence."""
    visited = groups[order]
    small = len(visited) == 0 or int(visited.max()) < np.iinfo(np.int16).max
    # within a group: still in visiting order (a stable sort; on int16 numpy uses a radix sort)
    by_group = np.argsort(visited.astype(np.int16) if small else visited, kind="stable")
    sorted_groups = visited[by_group]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    lengths = np.diff(np.r_[starts, len(visited)])
    rank = np.empty(len(visited), dtype=np.intp)
    rank[by_group] = np.arange(len(visited)) - np.repeat(starts, lengths)
    kept: npt.NDArray[np.intp] = order[(rank < k) & (visited >= 0)]
    return kept


def rows_at(frame: pd.DataFrame, positions: npt.NDArray[np.intp], columns: list[str]) -> pd.DataFrame:
    """``frame[columns]`` at integer ``positions`` (index kept), taking only those rows of each column."""
    return pd.DataFrame({c: frame[c].take(positions) for c in columns}, index=frame.index.take(positions))


def codes_in(values: pd.Series, index: pd.Index) -> npt.NDArray[np.intp]:
    """Per row, the position of its value in ``index`` (-1: missing or not in it), as
    ``index.get_indexer(values)`` gives, but matching only the distinct values (a million rows of text
    hold a few hundred names)."""
    codes, uniques = pd.factorize(values)
    positions = np.append(index.get_indexer(pd.Index(uniques)), -1).astype(np.intp)
    found: npt.NDArray[np.intp] = positions[codes]  # code -1 (missing) picks the appended -1
    return found


def is_member(values: npt.NDArray[np.int64], targets: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """``np.isin(values, targets)`` for integers by binary search in the few sorted targets (np.isin would
    first de-duplicate all of a million ``values``)."""
    wanted = np.unique(targets)
    if len(wanted) == 0:
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(wanted, values), len(wanted) - 1)
    found: npt.NDArray[np.bool_] = wanted[at] == values
    return found


def kth_largest_per_group(
    values: npt.NDArray[Any], rows: npt.NDArray[np.intp], groups: npt.NDArray[np.intp], n_groups: int, k: int
) -> npt.NDArray[Any]:
    """Per group (0..n_groups-1), the k-th largest of ``values`` over ``rows`` (its smallest value when
    the group has <= k rows; unset for empty groups), by one partial sort per group."""
    of_rows = groups[rows]
    small = of_rows.astype(np.int16) if n_groups < np.iinfo(np.int16).max else of_rows  # int16: radix sort
    by_group = rows[np.argsort(small, kind="stable")]
    bounds = np.r_[0, np.cumsum(np.bincount(of_rows, minlength=n_groups))]
    threshold = np.empty(n_groups, dtype=values.dtype)
    for group in np.flatnonzero(np.diff(bounds)):
        own = values[by_group[bounds[group] : bounds[group + 1]]]
        cut = max(len(own) - k, 0)
        threshold[group] = np.partition(own, cut)[cut]
    return threshold


def top_per_group(values: npt.NDArray[np.generic], groups: npt.NDArray[np.intp], k: int) -> npt.NDArray[np.intp]:
    """``head_per_group(groups, pandas_sort_order(values, descending=True), k)``, without sorting all rows
    when ties cannot matter.

    Quicksort orders equal values in a way only a full sort reproduces, but ties only matter when they
    straddle a group's k-th value or fall among the chosen rows. So: find each group's k-th largest value
    (a partial sort per group); if exactly min(k, n) rows per group reach it and the chosen values are all
    distinct, their order is simply by value. Otherwise (or with missing values) sort everything."""
    numbers = values.view(np.int64) if values.dtype.kind in "mM" else values
    missing = np.isnat(values) if values.dtype.kind in "mM" else np.isnan(values) if values.dtype.kind == "f" else None
    named = np.flatnonzero(groups >= 0)
    n_groups = int(groups.max(initial=-1)) + 1
    if (missing is not None and missing.any()) or n_groups > 10_000 or k < 1:
        return head_per_group(groups, pandas_sort_order(values, descending=True), k)
    sizes = np.bincount(groups[named], minlength=n_groups)
    threshold = kth_largest_per_group(numbers, named, groups, n_groups, k)
    chosen = named[numbers[named] >= threshold[groups[named]]]
    exact = np.array_equal(np.bincount(groups[chosen], minlength=n_groups), np.minimum(sizes, k))
    if not exact or len(np.unique(numbers[chosen])) != len(chosen):
        return head_per_group(groups, pandas_sort_order(values, descending=True), k)
    ranked: npt.NDArray[np.intp] = chosen[np.argsort(numbers[chosen], kind="stable")[::-1]]
    return ranked


def top_k_per_group(
    groups: npt.NDArray[np.intp],
    primary: npt.NDArray[np.float64] | npt.NDArray[np.int64],
    k: int,
    tie_keys: tuple[npt.NDArray[np.int64], ...] = (),
) -> npt.NDArray[np.intp]:
    """Positions of each group's ``k`` rows with the largest ``primary`` (ties: smallest ``tie_keys``,
    the first key deciding first), ordered by group then rank. Rows with group -1 or a NaN primary are
    never chosen.

    Unlike ``top_per_group`` the order among equal values is a stated rule, not pandas' quicksort, so
    only the rows reaching each group's k-th best value (a partial sort per group) are fully ordered."""
    values = np.asarray(primary, dtype=np.float64)
    eligible = np.flatnonzero((groups >= 0) & ~np.isnan(values))
    if k < 1 or not len(eligible):
        return np.zeros(0, dtype=np.intp)
    n_groups = int(groups[eligible].max()) + 1
    threshold = kth_largest_per_group(values, eligible, groups, n_groups, k)
    candidates = eligible[values[eligible] >= threshold[groups[eligible]]]
    # full order among the candidates only: group, primary descending, then the tie keys
    sort_keys = [key[candidates] for key in reversed(tie_keys)]
    ranked = candidates[np.lexsort((*sort_keys, -values[candidates], groups[candidates]))]
    return head_per_group(groups, ranked, k)


def stable_sort_order(values: npt.NDArray[np.generic], descending: bool) -> npt.NDArray[np.intp]:
    """The row order of pandas' ``sort_values(kind="stable")`` on a numeric or datetime64 array: equal
    values keep their row order (in both directions) and missing values go last."""
    missing = np.isnat(values) if values.dtype.kind in "mM" else np.isnan(values) if values.dtype.kind == "f" else None
    present_at = np.arange(len(values)) if missing is None else np.flatnonzero(~missing)
    present = values if missing is None else values[present_at]
    if descending:  # as pandas' nargsort: reverse, sort stably, reverse back (ties end up in row order)
        order = present_at[::-1][present[::-1].argsort(kind="stable")][::-1]
    else:
        order = present_at[present.argsort(kind="stable")]
    return order if missing is None else np.concatenate([order, np.flatnonzero(missing)])


def sorted_unique(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """``np.unique(values)`` for integers: hashing first and sorting only the distinct values is several
    times faster than numpy's unique on a few hundred thousand values."""
    found: npt.NDArray[np.int64] = np.sort(pd.unique(np.asarray(values)))
    return found


def in_set(values: npt.NDArray[np.int64], targets: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """``is_member(values, targets)``: a lookup table over the targets' range when that range is small
    (a million lookups cost a few milliseconds), else binary search."""
    if len(targets) == 0:
        return np.zeros(len(values), dtype=bool)
    low, high = int(targets.min()), int(targets.max())
    if high - low > max(4 * len(values), 1 << 16):
        return is_member(values, targets)
    table = np.zeros(high - low + 1, dtype=bool)
    table[targets - low] = True
    inside = (values >= low) & (values <= high)
    found = np.zeros(len(values), dtype=bool)
    found[inside] = table[values[inside] - low]
    return found


def join_positions(
    left: list[npt.NDArray[np.int64]], right: list[npt.NDArray[np.int64]]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Row positions (left, right) of the inner join of two tables on integer key columns, in the order
    ``pd.merge(how="inner")`` gives (left rows in order, each with its matches in right order). Joining on
    integer codes of text keys gives the same rows and order as joining on the text, far faster."""
    names = [f"k{i}" for i in range(len(left))]
    lhs = pd.DataFrame(dict(zip(names, left, strict=True)) | {"_left": np.arange(len(left[0]))})
    rhs = pd.DataFrame(dict(zip(names, right, strict=True)) | {"_right": np.arange(len(right[0]))})
    joined = lhs.merge(rhs, on=names)
    return joined["_left"].to_numpy(dtype=np.intp), joined["_right"].to_numpy(dtype=np.intp)
