"""Small-sample statistics (§0.4): one recipe for every per-person number.

All functions are vectorised over people (numpy arrays in, arrays/frames out) and deterministic
(bootstraps take a seed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats as sps

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


FAMILY_COLUMNS = (
    "person",
    "family",
    "estimate",
    "lo",
    "hi",
    "raw",
    "n",
    "min_n",
    "status",
    "unit",
    "higher_is_better",
)


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
