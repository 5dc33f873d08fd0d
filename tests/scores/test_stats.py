"""Hand-computed checks of the small-sample statistics (§0.4)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analyzer.scores import stats


def test_wilson_interval_matches_hand_computation() -> None:
    # x=2, n=10, z=1.6449: p=0.2, z^2=2.7055, denom=1+z^2/n=1.27055
    # centre=(0.2 + 2.7055/20)/1.27055 = 0.26388; half = z*sqrt(0.016 + 2.7055/400)/1.27055 = 0.19533
    lo, hi = stats.wilson_interval([2], [10])
    assert lo[0] == pytest.approx(0.26388 - 0.19533, abs=2e-4)
    assert hi[0] == pytest.approx(0.26388 + 0.19533, abs=2e-4)
    lo0, hi0 = stats.wilson_interval([0], [0])
    assert np.isnan(lo0[0]) and np.isnan(hi0[0])


def test_beta_prior_method_of_moments() -> None:
    # rates 0.2, 0.5, 0.8: m = 0.5, v (ddof 1) = 0.09 -> a + b = 0.25/0.09 - 1 = 1.7778 -> a = b = 0.8889
    prior = stats.fit_beta_prior([2, 5, 8], [10, 10, 10])
    assert prior.alpha == pytest.approx(0.8889, abs=1e-4)
    assert prior.beta == pytest.approx(0.8889, abs=1e-4)


def test_beta_prior_capped_at_50() -> None:
    # rates 0.49, 0.50, 0.51: v = 0.0001 -> a + b = 2499, capped at 50 -> a = b = 25
    prior = stats.fit_beta_prior([49, 50, 51], [100, 100, 100])
    assert prior.alpha + prior.beta == pytest.approx(50.0)
    assert prior.alpha == pytest.approx(25.0)


def test_beta_prior_ignores_people_below_min_n() -> None:
    # the third person (n = 3 < 10) must not move m: still 0.2, 0.8 -> m = 0.5
    prior = stats.fit_beta_prior([2, 8, 3], [10, 10, 3])
    assert prior.alpha / (prior.alpha + prior.beta) == pytest.approx(0.5)


def test_beta_binomial_posterior_mean_and_interval() -> None:
    # prior a = b = 8/9; person x=2, n=10: mean (2 + 0.8889)/(10 + 1.7778) = 0.24528;
    # interval = Beta(2.8889, 8.8889) 5 % and 95 % quantiles
    out = stats.beta_binomial([2, 5, 8], [10, 10, 10])
    assert out.loc[0, "estimate"] == pytest.approx(0.24528, abs=1e-5)
    assert out.loc[0, "lo"] == pytest.approx(0.074768, abs=1e-5)
    assert out.loc[0, "hi"] == pytest.approx(0.466567, abs=1e-5)
    assert out.loc[0, "raw"] == pytest.approx(0.2)
    # shrinkage pulls toward the team mean 0.5
    assert out.loc[2, "estimate"] < 0.8


def test_shrink_means_hand_example() -> None:
    # means 0 and 1, within variances 1, n 10 each: mu = 0.5, sigma2 = 1, var(means) = 0.5,
    # tau2 = 0.5 - 0.1 = 0.4, w = 0.4/(0.4 + 0.1) = 0.8 -> estimates 0.8*0 + 0.2*0.5 = 0.1 and 0.9
    # half-width = 1.6449*sqrt(0.8*0.1) = 0.46525
    out = stats.shrink_means([0.0, 1.0], [1.0, 1.0], [10, 10])
    assert out["estimate"].tolist() == pytest.approx([0.1, 0.9])
    assert (out["hi"] - out["estimate"]).tolist() == pytest.approx([0.46525, 0.46525], abs=1e-4)
    assert out["weight"].tolist() == pytest.approx([0.8, 0.8])


def test_shrink_means_tau_truncated_at_zero() -> None:
    # var(means)=0.005 < mean(sigma2/n)=0.1 -> tau2 = 0 -> w = 0 -> everyone at mu = 0.05
    out = stats.shrink_means([0.0, 0.1], [1.0, 1.0], [10, 10])
    assert out["tau2"].iloc[0] == 0.0
    assert out["estimate"].tolist() == pytest.approx([0.05, 0.05])


def test_shrink_means_pools_variance_for_small_n() -> None:
    # n = 2 (var 4) and n = 12 (var 1): pooled = (1*4 + 11*1)/12 = 1.25 used for the first person only
    out = stats.shrink_means([0.0, 1.0], [4.0, 1.0], [2, 12])
    assert out["sigma2"].tolist() == pytest.approx([1.25, 1.0])


def test_gini_and_sharing_index() -> None:
    # [1, 3]: sum|xi-xj| = 4, 2 n^2 mean = 16 -> 0.25, * n/(n-1) = 2 -> G = 0.5
    assert stats.gini([1, 3]) == pytest.approx(0.5)
    assert stats.sharing_index([0, 0, 4]) == pytest.approx(0.0)  # one person does every review
    assert stats.sharing_index([2, 2, 2]) == pytest.approx(1.0)  # perfectly even


def test_normalized_entropy() -> None:
    # p = .5,.25,.25: H = .5 ln2 + .5 ln4 = 1.03972; / ln 3 = 0.94640
    assert stats.normalized_entropy([2, 1, 1]) == pytest.approx(0.94640, abs=1e-4)
    assert stats.normalized_entropy([1, 1]) == pytest.approx(1.0)
    assert stats.normalized_entropy([5]) == 0.0
    # over K = 4 possible authors, two even ones give ln2/ln4 = 0.5
    assert stats.normalized_entropy([3, 3], n_categories=4) == pytest.approx(0.5)


def test_hodges_lehmann_shift_and_interval() -> None:
    # after - before pairs for before [1,2,3], after [4,5]: 3,2,1,4,3,2 -> median 2.5
    assert stats.hodges_lehmann([1, 2, 3], [4, 5]) == pytest.approx(2.5)
    rng = np.random.default_rng(1)
    before, after = rng.normal(100, 5, 40), rng.normal(80, 5, 40)
    shift, lo, hi = stats.hodges_lehmann_interval(before, after, n_boot=200, seed=3)
    again = stats.hodges_lehmann_interval(before, after, n_boot=200, seed=3)
    assert (shift, lo, hi) == again  # seeded: deterministic
    assert lo <= shift <= hi < 0
    assert shift == pytest.approx(-20, abs=4)


def test_newcombe_difference() -> None:
    # before 10/50 (Wilson .12347-.30733), after 2/50 (Wilson .01333-.11390); d = .04 - .2 = -.16
    # lo = -.16 - sqrt((.04-.01333)^2 + (.30733-.2)^2) = -.27059
    # hi = -.16 + sqrt((.1139-.04)^2 + (.2-.12347)^2) = -.05362
    d, lo, hi = stats.newcombe_difference(10, 50, 2, 50)
    assert d == pytest.approx(-0.16)
    assert lo == pytest.approx(-0.27059, abs=1e-4)
    assert hi == pytest.approx(-0.05362, abs=1e-4)


def test_display_rule() -> None:
    assert stats.display_value(0.42, 5, 20) == "insufficient data (n = 5)"
    assert stats.display_value(0.42, 25, 20) == "0.42"
    assert stats.status_for([5, 25], 20).tolist() == ["insufficient", "ok"]


# Row-selection helpers: each must reproduce the pandas operation it replaces, ties included.


def _tied_values(rng: np.random.Generator, n: int, kind: str) -> np.ndarray:
    """n values from a handful of distinct ones (many ties), in the given numpy kind."""
    base = rng.integers(0, 6, n)
    if kind == "f":
        values = base / 4.0
        values[rng.random(n) < 0.1] = np.nan
        return values
    if kind == "M":
        stamps = np.datetime64("2024-01-01T00:00:00", "ns") + base.astype("timedelta64[h]")
        stamps[rng.random(n) < 0.1] = np.datetime64("NaT")
        return stamps
    return base.astype(np.int64)


@pytest.mark.parametrize("kind", ["f", "i", "M"])
@pytest.mark.parametrize("descending", [True, False])
def test_pandas_sort_order_matches_sort_values_with_ties(kind: str, descending: bool) -> None:
    rng = np.random.default_rng(7)
    for n in (0, 1, 17, 300, 5000):  # 5000 rows: numpy's quicksort is not stable there
        values = _tied_values(rng, n, kind)
        expected = pd.DataFrame({"v": values}).sort_values("v", ascending=not descending).index.to_numpy()
        np.testing.assert_array_equal(stats.pandas_sort_order(values, descending), expected)


def test_head_per_group_matches_groupby_head() -> None:
    rng = np.random.default_rng(3)
    groups = rng.integers(-1, 7, 2000)  # -1: a missing key, which groupby drops
    order = rng.permutation(2000)
    frame = pd.DataFrame({"g": np.where(groups >= 0, groups, np.nan)}).iloc[order]
    expected = frame.groupby("g").head(3).index.to_numpy()
    kept = stats.head_per_group(groups, order, 3)
    np.testing.assert_array_equal(kept, expected)
    assert np.bincount(groups[kept]).max() == 3


@pytest.mark.parametrize("distinct", [True, False])
def test_top_per_group_matches_full_sort(distinct: bool) -> None:
    rng = np.random.default_rng(11)
    n = 4000
    values = rng.permutation(n).astype(float) if distinct else _tied_values(rng, n, "f")
    groups = rng.integers(-1, 30, n)
    reference = stats.head_per_group(groups, stats.pandas_sort_order(values, descending=True), 4)
    np.testing.assert_array_equal(stats.top_per_group(values, groups, 4), reference)
    stamps = np.datetime64("2024-01-01", "ns") + rng.permutation(n).astype("timedelta64[s]")
    reference = stats.head_per_group(groups, stats.pandas_sort_order(stamps, descending=True), 2)
    np.testing.assert_array_equal(stats.top_per_group(stamps, groups, 2), reference)


def test_codes_and_membership_match_pandas() -> None:
    names = pd.Series(["bo", "al", None, "cy", "al", "zed"], dtype="string")
    codes, people = stats.group_codes(names)
    assert list(people) == ["al", "bo", "cy", "zed"]  # sorted, like groupby's keys
    assert codes.tolist() == [1, 0, -1, 2, 0, 3]
    index = pd.Index(["al", "cy"])
    assert stats.codes_in(names, index).tolist() == index.get_indexer(names.astype(object)).tolist()
    values, targets = np.array([5, 1, 9, 1, 7]), np.array([9, 1, 1])
    np.testing.assert_array_equal(stats.is_member(values, targets), np.isin(values, targets))
    assert not stats.is_member(values, np.array([], dtype=np.int64)).any()


@pytest.mark.parametrize("kind", ["f", "i", "M"])
@pytest.mark.parametrize("descending", [True, False])
def test_stable_sort_order_matches_stable_sort_values(kind: str, descending: bool) -> None:
    rng = np.random.default_rng(5)
    for n in (0, 1, 17, 3000):
        values = _tied_values(rng, n, kind)
        frame = pd.DataFrame({"v": values})
        expected = frame.sort_values("v", ascending=not descending, kind="stable").index.to_numpy()
        np.testing.assert_array_equal(stats.stable_sort_order(values, descending), expected)


def test_sorted_unique_and_in_set_match_numpy() -> None:
    rng = np.random.default_rng(9)
    values = rng.integers(-50, 50, 1000)
    np.testing.assert_array_equal(stats.sorted_unique(values), np.unique(values))
    for targets in (rng.integers(-60, 60, 30), np.array([3, 10**15]), np.array([], dtype=np.int64)):
        # a small range (lookup table) and a huge one (binary search) give np.isin's answer
        np.testing.assert_array_equal(stats.in_set(values, targets), np.isin(values, targets))


def test_join_positions_match_a_merge_on_the_keys() -> None:
    left = pd.DataFrame({"a": [3, 1, 3, 2, 9], "b": [0, 0, 1, 0, 0]})
    right = pd.DataFrame({"a": [3, 3, 2, 1, 3], "b": [0, 1, 0, 0, 0]})
    merged = left.reset_index().merge(right.reset_index(), on=["a", "b"])
    at_left, at_right = stats.join_positions(
        [left["a"].to_numpy(), left["b"].to_numpy()], [right["a"].to_numpy(), right["b"].to_numpy()]
    )
    assert at_left.tolist() == merged["index_x"].tolist() == [0, 0, 1, 2, 3]  # left order, duplicates kept
    assert at_right.tolist() == merged["index_y"].tolist() == [0, 4, 3, 1, 2]
