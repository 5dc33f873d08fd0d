"""The within transform held as group effects (analyzer.scores.fixed_effects) gives statsmodels' fits on the
whole demeaned design: estimates and author-clustered errors, weighted or not, rank-deficient included."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import SingularMatrixWarning

from analyzer.scores import fixed_effects as fe
from analyzer.scores.outcomes import OUTCOMES
from analyzer.scores.uplift import Design, DesignColumns, Within, demean, ols_fe, poisson_fe, within_design


def _two_way(seed: int, n: int = 3000, k: int = 70) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a, m = rng.integers(0, 40, n), rng.integers(0, 15, n)
    x = (rng.random((n, k)) < 0.3).astype(float) + 0.2 * a[:, None] - 0.1 * m[:, None]
    x[:, 5] = 2 * x[:, 4]  # collinear columns, as two people who always review together
    y = 0.3 * x[:, 0] - 0.2 * x[:, 1] + rng.normal(size=n) + 0.05 * a - 0.03 * m
    return x, y, a, m


def _direct(y: np.ndarray, x: np.ndarray, groups: np.ndarray, w: np.ndarray | None = None) -> object:
    model = sm.OLS(y, x) if w is None else sm.WLS(y, x, weights=w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SingularMatrixWarning)
        return model.fit(cov_type="cluster", cov_kwds={"groups": groups, "use_correction": True})


def test_group_effects_give_the_demeaned_design_and_the_fit_equals_statsmodels_on_it() -> None:
    """More columns than a block and more rows than a row block: every pass is exercised across blocks."""
    x, y, a, m = _two_way(1, n=fe.ROW_BLOCK + 1500, k=fe.DEMEAN_BLOCK + 6)
    groups = [a, m]
    effects, norms = fe.group_effects(fe.DenseRegressors(x), groups)
    xd = demean(x, groups)
    rebuilt = fe.within_rows(fe.DenseRegressors(x), groups, effects, slice(None))
    np.testing.assert_allclose(rebuilt, xd, atol=1e-9)
    np.testing.assert_allclose(norms, np.linalg.norm(xd, axis=0), rtol=1e-9)
    yd = demean(y[:, None], groups)[:, 0]
    mine = fe.clustered_fit(fe.DenseRegressors(x), groups, effects, a, np.ones(len(y)), yd)
    direct = _direct(yd, xd, a)
    np.testing.assert_allclose(mine.params, direct.params, atol=1e-9)
    np.testing.assert_allclose(mine.bse, direct.bse, rtol=1e-8)
    assert mine.normalized_cov_params is not None
    np.testing.assert_allclose(mine.normalized_cov_params, direct.normalized_cov_params, atol=1e-10)
    assert mine.scale * (len(y) - x.shape[1]) == pytest.approx(direct.ssr, rel=1e-9)


def test_the_weighted_fit_equals_statsmodels_wls_with_clustered_errors() -> None:
    x, y, a, m = _two_way(2)
    w = np.random.default_rng(3).uniform(0.2, 3.0, len(y))
    groups = [a, m]
    effects, _ = fe.group_effects(fe.DenseRegressors(x), groups, w)
    xd, yd = demean(x, groups, weights=w), demean(y[:, None], groups, weights=w)[:, 0]
    mine = fe.clustered_fit(fe.DenseRegressors(x), groups, effects, a, w, yd)
    direct = _direct(yd, xd, a, w)
    np.testing.assert_allclose(mine.params, direct.params, atol=1e-9)
    np.testing.assert_allclose(mine.bse, direct.bse, rtol=1e-8)
    assert mine.scale * (len(y) - x.shape[1]) == pytest.approx(direct.ssr, rel=1e-9)


def _design(seed: int = 5, n: int = 2500, people: int = 12) -> Design:
    rng = np.random.default_rng(seed)
    author, repo_month = rng.integers(0, 30, n), rng.integers(0, 10, n)
    exposure = (rng.random((n, people)) < 0.25).astype(np.float32)
    reviewing = rng.random((n, people)) < 0.05
    prs = pd.DataFrame(
        {"size": rng.integers(1, 500, n), "prior_prs": rng.integers(0, 60, n), "changes_docs": rng.random(n) < 0.2}
    )
    for outcome in OUTCOMES:
        prs[outcome.name] = rng.poisson(1.0 + exposure[:, 0], n).astype(float) + (outcome.model == "log")
    ones = np.ones(people, dtype=np.int64)
    return Design(prs, exposure, reviewing, pd.Index(range(people)), ones, ones, author, repo_month)


def test_the_design_read_in_blocks_equals_the_dense_design_and_gives_its_fits() -> None:
    """within_design keeps the regressors in the design's compact arrays and their group effects only;
    both fits on it equal the fits on the dense demeaned design (usable columns only)."""
    design = _design()
    columns, keep = np.array([0, 2, 3, 5, 7, 8, 11]), np.ones(len(design.prs), dtype=bool)
    keep[::7] = False
    within = within_design(design, columns, keep)
    assert within is not None and isinstance(within.x, DesignColumns) and within.effects is not None
    rows, k = within.rows, len(columns)
    dense = np.column_stack(
        [
            design.exposure[np.ix_(rows, columns)],
            design.reviewing[np.ix_(rows, columns)],
            np.log1p(design.prs["size"].to_numpy(dtype=float)[rows]),
            np.log1p(design.prs["prior_prs"].to_numpy(dtype=float)[rows]),
            design.prs["changes_docs"].to_numpy(dtype=float)[rows],
        ]
    )
    assert within.usable.shape == (2 * k + 3,)
    np.testing.assert_array_equal(within.x.block(slice(None), slice(None)), dense[:, within.usable])
    np.testing.assert_array_equal(within.x.block(slice(100, 140), slice(3, 9)), dense[:, within.usable][100:140, 3:9])
    groups = [within.author, within.repo_month]
    xd = demean(dense[:, within.usable], groups)
    held = Within(rows, within.author, within.repo_month, xd, within.usable)  # the dense demeaned design
    for fit in (ols_fe, poisson_fe):
        y = design.prs[OUTCOMES[0].name].to_numpy(dtype=float)[rows]
        y = np.log(y + 1) if fit is ols_fe else y
        blocked, whole = fit(y, within), fit(y, held)
        np.testing.assert_allclose(blocked.params, whole.params, atol=1e-8)
        np.testing.assert_allclose(blocked.bse, whole.bse, rtol=1e-7)
