"""The multiplier effect (uplift) on the demo store: the planted people are found with the sign of their
effect, and neither the busy no-effect reviewer nor the one given only the strongest authors is credited.

Ground truth: ``generate_org(seed=7).traits`` (the uplift_* traits and their ``effect``), the same seed and
scale as the session's demo run (served on loopback, collected for real, scored with ``now = DEMO_NOW``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.stats import binom

from analyzer.demo import generate_org
from analyzer.fakegithub.model import Trait
from analyzer.scores.exposure import KERNELS, Kernel, exposure_at, exposure_matrix
from analyzer.scores.pipeline import Scores, read_scores
from analyzer.scores.uplift import Within, demean, poisson_fe, robust_critical_value, shrink


@cache
def uplift_traits() -> dict[str, Trait]:
    return {t.login: t for t in generate_org(seed=7, scale=1.0).traits if t.effect is not None}


def holders(trait: str) -> list[str]:
    found = [login for login, t in uplift_traits().items() if t.trait == trait]
    assert found, f"no {trait} in the demo"
    return found


@pytest.fixture(scope="module")
def rounds(demo_store: Path) -> pd.DataFrame:
    scores: Scores = read_scores(demo_store)
    return scores.uplift[scores.uplift["outcome"] == "review_rounds"].set_index("person")


def test_every_planted_person_is_estimated(rounds: pd.DataFrame) -> None:
    for login in uplift_traits():
        assert rounds.loc[login, "status"] == "ok", f"{login}: {rounds.loc[login, 'n_authors']} authors"
        row = rounds.loc[login]
        assert row["lo"] <= row["estimate"] <= row["hi"]
        assert row["n_authors"] >= row["min_n"]


def test_planted_people_are_found_with_the_sign_of_their_effect(rounds: pd.DataFrame) -> None:
    for login in holders("uplift_improver"):
        assert rounds.loc[login, "estimate"] < 0, login
        assert rounds.loc[login, "raw"] < 0, login
    for login in holders("uplift_worsener"):
        assert rounds.loc[login, "estimate"] > 0, login
        assert rounds.loc[login, "raw"] > 0, login
    # the planted people stand out from the no-effect people, on the side of their effect (whether their
    # intervals exclude zero on this one draw is a matter of power: benchmarks/uplift_validity.py)
    planted_logins = holders("uplift_improver") + holders("uplift_worsener") + holders("uplift_confounded")
    nulls = rounds[(rounds["status"] == "ok") & ~rounds.index.isin(planted_logins)]["raw"]
    assert all(rounds.loc[login, "raw"] < nulls.median() for login in holders("uplift_improver"))
    assert all(rounds.loc[login, "raw"] > nulls.quantile(0.75) for login in holders("uplift_worsener"))
    # everyone else has no planted effect: 90 % intervals may still credit a few by chance. The rate itself
    # is measured over 200 orgs by benchmarks/uplift_validity.py (target 10 %); on this one draw of ~27
    # people the count can only be held to what chance allows at that rate (binomial, 99th percentile),
    # (7 of 27; a model crediting 30 % of them exceeds it more often than not)
    planted = set(holders("uplift_improver") + holders("uplift_worsener"))
    others = rounds[(rounds["status"] == "ok") & ~rounds.index.isin(planted)]
    allowed = binom.ppf(0.99, len(others), 0.10)
    assert others["credited"].sum() <= allowed, sorted(others.index[others["credited"]])


def test_no_effect_and_confounded_reviewers_are_not_credited(rounds: pd.DataFrame) -> None:
    for login in holders("uplift_busy_null") + holders("uplift_confounded"):
        row = rounds.loc[login]
        assert not row["credited"] and row["lo"] <= 0 <= row["hi"], login


def test_the_naive_contrast_credits_the_confounded_reviewer(rounds: pd.DataFrame) -> None:
    """The reason for the model: given only strong authors, the naive contrast says 'fewer rounds'."""
    (login,) = holders("uplift_confounded")
    assert rounds.loc[login, "naive_hi"] < 0


def test_people_below_the_minimum_are_insufficient(rounds: pd.DataFrame) -> None:
    few = rounds[rounds["n_authors"] < rounds["min_n"]]
    assert len(few) > 0 and (few["status"] == "insufficient").all()
    assert few[["estimate", "lo", "hi"]].isna().all().all() and not few["credited"].any()


@pytest.mark.parametrize("kernel", KERNELS)
def test_exposure_matrix_matches_the_scalar_definition(kernel: Kernel) -> None:
    rng = np.random.default_rng(3)
    n_prs, n_events = 60, 200
    pr_author, pr_time = rng.integers(0, 4, n_prs), rng.integers(0, 400, n_prs)
    ev_author, ev_person, ev_time = (
        rng.integers(0, 4, n_events),
        rng.integers(0, 3, n_events),
        rng.integers(0, 400, n_events),
    )
    day = 86_400 * 10**9
    got = exposure_matrix(pr_author, pr_time * day, ev_author, ev_person, ev_time * day, 3, 90.0, kernel=kernel)
    for j in range(n_prs):
        for person in range(3):
            mine = ev_time[(ev_author == pr_author[j]) & (ev_person == person)].astype(float)
            assert got[j, person] == pytest.approx(exposure_at(float(pr_time[j]), mine, 90.0, kernel), abs=1e-9)
    assert set(np.unique(got)) <= {0.0, 1.0} if kernel == "window" else (got < 1).all()


def test_the_window_is_the_three_months_after_a_review() -> None:
    assert exposure_at(100.0, [20.0]) == 1.0  # 80 days after a review
    assert exposure_at(100.0, [5.0]) == 0.0  # 95 days after: the window has closed
    assert exposure_at(100.0, [5.0, 99.0]) == 1.0 and exposure_at(100.0, [100.0, 150.0]) == 0.0  # before only


def test_the_poisson_fit_equals_statsmodels_glm_with_dummies() -> None:
    """poisson_fe (weighted within transform inside IRLS) gives the estimates and author-clustered errors of
    statsmodels' Poisson GLM with both sets of fixed effects as dummies."""
    rng = np.random.default_rng(4)
    n, n_a, n_m = 900, 30, 12
    a, m = rng.integers(0, n_a, n), rng.integers(0, n_m, n)
    x = np.column_stack([rng.random(n) < 0.4, rng.random(n) < 0.3, rng.normal(size=n)]).astype(float)
    eta = 0.3 * x[:, 2] - 0.25 * x[:, 0] + rng.normal(0, 0.5, n_a)[a] + rng.normal(0, 0.2, n_m)[m]
    y = rng.poisson(np.exp(eta)).astype(float)
    within = Within(np.arange(n), a, m, demean(x, [a, m]), np.ones(3, dtype=bool))
    fast = poisson_fe(y, within)
    dummies = np.column_stack([x, np.eye(n_a)[a], np.eye(n_m)[m][:, 1:]])
    glm = sm.GLM(y, dummies, family=sm.families.Poisson()).fit(
        cov_type="cluster", cov_kwds={"groups": a, "use_correction": True, "df_correction": True}
    )
    np.testing.assert_allclose(fast.params, glm.params[:3], atol=1e-6)
    # the same sandwich; the small-sample factors differ by the absorbed parameters' count only
    np.testing.assert_allclose(fast.bse, glm.bse[:3], rtol=0.05)


def test_shrinkage_pulls_noise_to_zero_and_keeps_a_clear_effect() -> None:
    rng = np.random.default_rng(5)
    se = np.full(30, 0.05)
    estimate = rng.normal(0, 0.05, 30)
    estimate[0] = -0.4  # one real, clearly measured effect among noise
    est, lo, hi = shrink(estimate, se, 0.90)
    assert hi[0] < 0  # still credited
    assert np.abs(est[1:]).mean() < np.abs(estimate[1:]).mean()
    assert ((lo[1:] <= 0) & (hi[1:] >= 0)).mean() >= 0.9


def test_robust_critical_value_reduces_to_the_normal_quantile_without_bias() -> None:
    assert robust_critical_value(0.0, 0.90) == pytest.approx(1.6449, abs=1e-3)
    assert robust_critical_value(1.0, 0.90) > robust_critical_value(0.1, 0.90) > 1.645


def test_demeaning_equals_the_dummy_regression() -> None:
    """Alternating projections give the residuals of a regression on both sets of dummies (FWL)."""
    rng = np.random.default_rng(2)
    n = 400
    a, b = rng.integers(0, 12, n), rng.integers(0, 9, n)
    values = rng.normal(size=(n, 2)) + a[:, None] * 0.3 - b[:, None] * 0.2
    dummies = np.column_stack([np.eye(12)[a], np.eye(9)[b][:, 1:]])
    expected = values - dummies @ np.linalg.lstsq(dummies, values, rcond=None)[0]
    np.testing.assert_allclose(demean(values, [a, b]), expected, atol=1e-8)


def test_weighted_demeaning_equals_the_weighted_dummy_regression() -> None:
    """With weights (each Poisson step's), the residuals of weighted least squares on both sets of dummies."""
    rng = np.random.default_rng(4)
    n = 400
    a, b = rng.integers(0, 12, n), rng.integers(0, 9, n)
    w = rng.uniform(0.2, 3.0, n)
    values = rng.normal(size=(n, 2)) + a[:, None] * 0.3 - b[:, None] * 0.2
    dummies = np.column_stack([np.eye(12)[a], np.eye(9)[b][:, 1:]])
    root = np.sqrt(w)[:, None]
    expected = values - dummies @ np.linalg.lstsq(dummies * root, values * root, rcond=None)[0]
    np.testing.assert_allclose(demean(values, [a, b], weights=w), expected, atol=1e-8)
