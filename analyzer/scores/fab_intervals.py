"""Empirical-Bayes intervals with per-person coverage: FAB ("frequentist, assisted by Bayes") intervals.

docs/methodology.md, "Multiplier effect (uplift)", "Shrinkage and intervals". Yu and Hoff (2018, "Adaptive
multigroup confidence intervals with constant coverage", Biometrika 105(2)): for an estimate x ~ N(theta,
s^2) and a normal prior theta ~ N(0, tau2) learnt from the *other* people, the test of theta = theta0
splits its level alpha between the two tails as the prior suggests (more of it on the side the prior finds
unlikely); the interval is every theta0 that test keeps. Whatever the person's true effect, the interval
covers it with probability 1 - alpha (the prior only moves where the interval lies, so a wrong prior costs
length, never coverage); when the prior is right it is shorter on average than x +/- z s. At theta0 = 0 (the
prior's centre) the split is even, so the interval excludes zero exactly when |x| / s > z: a person is
credited by the same two-sided test as without shrinkage. The point estimate is the posterior mean
tau2 / (tau2 + s^2) x, which the interval always contains (it is the interval's limit as its level goes to 0).

Solving for the endpoints: with the tail split w = expit(t), the acceptance region of theta0 is
[theta0 - s uL, theta0 + s uU], uU = -Phi^-1(alpha w), uL = -Phi^-1(alpha (1 - w)), and the optimal split
of theta0 satisfies uU - uL = 2 s theta0 / tau2. So theta0 = tau2 (uU - uL) / (2 s) is a function of t, and
each endpoint solves one monotone equation in t: x = theta0(t) + s uU(t) (lower), x = theta0(t) - s uL(t)
(upper); solved for everyone at once by bisection.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import special

FloatArray = npt.NDArray[np.float64]
T_RANGE = 1e8  # |t| bound of the bisection: tail shares down to exp(-1e8), quantiles to about 14,000 s
BISECTIONS = 100  # halvings of [-T_RANGE, T_RANGE]: below 1e-21 in t


def loo_tau2(estimate: FloatArray, se: FloatArray) -> FloatArray:
    """Per person, the spread of true effects learnt from everyone else (method of moments around zero,
    with the floor of ``uplift.shrink``): independent of the person's own estimate, so their interval's
    coverage does not depend on it."""
    x2_s2, s2, s4 = estimate**2 - se**2, se**2, se**4
    k = len(estimate)
    others = k - 1
    moment = (x2_s2.sum() - x2_s2) / others
    floor = 2 * (s4.sum() - s4) / (others * (s2.sum() - s2))
    return np.asarray(np.maximum(moment, floor), dtype=np.float64)


def _quantiles(t: FloatArray, log_alpha: float) -> tuple[FloatArray, FloatArray]:
    """uL(t), uU(t): the acceptance region's lower and upper half-widths in standard errors."""
    upper = -special.ndtri_exp(log_alpha + special.log_expit(t))  # alpha w in the upper tail
    lower = -special.ndtri_exp(log_alpha + special.log_expit(-t))  # alpha (1 - w) in the lower tail
    return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)


def _endpoint(x: FloatArray, se: FloatArray, tau2: FloatArray, log_alpha: float, upper: bool) -> FloatArray:
    lo, hi = np.full(len(x), -T_RANGE), np.full(len(x), T_RANGE)
    for _ in range(BISECTIONS):
        mid = (lo + hi) / 2
        u_lower, u_upper = _quantiles(mid, log_alpha)
        theta = tau2 * (u_upper - u_lower) / (2 * se)
        value = theta - se * u_lower if upper else theta + se * u_upper  # decreasing in t
        above = value > x
        lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
    u_lower, u_upper = _quantiles((lo + hi) / 2, log_alpha)
    return np.asarray(tau2 * (u_upper - u_lower) / (2 * se), dtype=np.float64)


def fab_intervals(estimate: FloatArray, se: FloatArray, level: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Posterior means towards no effect and FAB intervals at ``level`` (NaN where the estimate or its
    standard error is missing). Fewer than three people: no prior to learn, the usual x +/- z s."""
    est, lo, hi = (np.full(len(estimate), np.nan) for _ in range(3))
    ok = np.isfinite(estimate) & np.isfinite(se) & (se > 0)
    x, s = estimate[ok], se[ok]
    if ok.sum() < 3:
        half = special.ndtri(0.5 + level / 2) * s
        est[ok], lo[ok], hi[ok] = x, x - half, x + half
        return est, lo, hi
    tau2 = loo_tau2(x, s)
    log_alpha = float(np.log(1 - level))
    est[ok] = tau2 / (tau2 + s**2) * x
    lo[ok] = _endpoint(x, s, tau2, log_alpha, upper=False)
    hi[ok] = _endpoint(x, s, tau2, log_alpha, upper=True)
    return est, lo, hi
