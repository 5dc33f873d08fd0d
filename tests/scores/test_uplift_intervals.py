"""The uplift model's standard errors and intervals (docs/methodology.md, "Multiplier effect (uplift)").

- standard errors: the larger of the author-clustered and the conventional quasi-likelihood one, checked
  against statsmodels' Poisson GLM with the fixed effects as dummies;
- FAB intervals: every person's interval covers their own effect at the stated level (the planted people
  included, whom the robust intervals around linear shrinkage cover about half the time), a person is
  credited exactly when the unshrunk two-sided test credits them, and the shrunk estimate lies inside.
"""

from __future__ import annotations

import numpy as np
import statsmodels.api as sm
from scipy import stats as sps

from analyzer.scores.fab_intervals import fab_intervals, loo_tau2
from analyzer.scores.uplift import UpliftSettings, Within, demean, poisson_fe, shrink, standard_errors

Z90 = float(sps.norm.ppf(0.95))


def test_standard_errors_are_the_larger_of_the_clustered_and_the_conventional_one() -> None:
    rng = np.random.default_rng(8)
    n, n_a, n_m = 700, 25, 10
    a, m = rng.integers(0, n_a, n), rng.integers(0, n_m, n)
    x = np.column_stack([rng.random(n) < 0.4, rng.random(n) < 0.3, rng.normal(size=n)]).astype(float)
    eta = -0.2 * x[:, 0] + 0.2 * x[:, 2] + rng.normal(0, 0.4, n_a)[a] + rng.normal(0, 0.2, n_m)[m]
    y = rng.poisson(np.exp(eta)).astype(float)
    within = Within(np.arange(n), a, m, demean(x, [a, m]), np.ones(3, dtype=bool))
    se = standard_errors(poisson_fe(y, within), within, 0.90)
    dummies = np.column_stack([x, np.eye(n_a)[a], np.eye(n_m)[m][:, 1:]])
    glm = sm.GLM(y, dummies, family=sm.families.Poisson())
    conventional = glm.fit(scale="X2").bse[:3]  # Pearson dispersion over n minus every parameter
    robust = glm.fit(cov_type="cluster", cov_kwds={"groups": a}).bse[:3]
    assert (robust < conventional).any() and (robust > conventional).any()  # the data exercise both sides
    t_ratio = sps.t.ppf(0.95, n_a - 1) / Z90
    # the robust side carries the absorbed repository x month levels as parameters: within 5 % of the GLM's
    np.testing.assert_allclose(se / t_ratio, np.maximum(conventional, robust), rtol=0.05)
    assert (se / t_ratio >= conventional * (1 - 1e-4)).all()


def test_fab_intervals_credit_exactly_when_the_unshrunk_test_does() -> None:
    rng = np.random.default_rng(1)
    estimate, se = rng.normal(0, 0.15, 200), rng.uniform(0.04, 0.2, 200)
    est, lo, hi = fab_intervals(estimate, se, 0.90)
    assert np.array_equal((lo > 0) | (hi < 0), np.abs(estimate / se) > Z90)
    assert ((lo <= est) & (est <= hi)).all()  # the posterior mean lies inside
    tau2 = loo_tau2(estimate, se)
    np.testing.assert_allclose(est, tau2 / (tau2 + se**2) * estimate)
    # with missing people left out, and too few to learn from: the usual interval
    estimate[3], se[4] = np.nan, np.nan
    est, lo, hi = fab_intervals(estimate, se, 0.90)
    assert np.isnan([est[3], lo[4]]).all() and np.isfinite(lo[5])
    est, lo, hi = fab_intervals(np.array([0.2, -0.1]), np.array([0.1, 0.1]), 0.90)
    np.testing.assert_allclose(hi - est, Z90 * 0.1)


def test_fab_intervals_cover_every_persons_effect_where_linear_shrinkage_misses_the_large_ones() -> None:
    """Sparse effects, as the demo plants them: 3 of 25 people at -20 % (log -0.22), se 0.085. The FAB
    intervals cover the planted people's effect at the stated level; the robust intervals around linear
    shrinkage cover them far less often (their guarantee is an average over people)."""
    rng = np.random.default_rng(12)
    truth = np.zeros(25)
    truth[:3] = np.log(0.8)
    se = np.full(25, 0.085)
    fab_cover, linear_cover, lengths = [], [], []
    for _ in range(400):
        estimate = truth + rng.normal(0, se)
        _, lo, hi = fab_intervals(estimate, se, 0.90)
        _, lin_lo, lin_hi = shrink(estimate, se, 0.90)
        fab_cover.append((lo <= truth) & (truth <= hi))
        linear_cover.append((lin_lo <= truth) & (truth <= lin_hi))
        lengths.append(hi - lo)
    fab, linear = np.array(fab_cover), np.array(linear_cover)
    assert fab[:, :3].mean() >= 0.86 and fab[:, 3:].mean() >= 0.86
    assert linear[:, :3].mean() < 0.75
    assert np.mean(lengths) < 2 * Z90 * 0.085  # shorter on average than the unshrunk interval


def test_the_model_uses_fab_intervals_by_default() -> None:
    assert UpliftSettings().intervals == "fab"
