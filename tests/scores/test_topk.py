"""top_k_per_group: the same rows, in the same order, as a full sort with explicit tie-breaking."""

from __future__ import annotations

import numpy as np
import pytest

from analyzer.scores.stats import top_k_per_group


def reference(groups: np.ndarray, primary: np.ndarray, k: int, ties: tuple[np.ndarray, ...]) -> list[int]:
    rows = [i for i in range(len(groups)) if groups[i] >= 0 and not np.isnan(primary[i])]
    rows.sort(key=lambda i: (groups[i], -primary[i], *(t[i] for t in ties)))
    kept: list[int] = []
    for i in rows:
        if sum(1 for j in kept if groups[j] == groups[i]) < k:
            kept.append(i)
    return kept


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_a_full_sort_with_ties_missing_values_and_small_groups(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 600
    groups = rng.integers(-1, 12, n)
    primary = rng.integers(0, 6, n).astype(float)  # many ties
    primary[rng.random(n) < 0.1] = np.nan
    newest = rng.integers(0, 4, n).astype(np.int64)
    ids = rng.permutation(n).astype(np.int64)
    for k in (1, 3, 200):
        got = top_k_per_group(groups, primary, k, (newest, ids)).tolist()
        assert got == reference(groups, primary, k, (newest, ids))


def test_no_rows_or_no_k_choose_nothing() -> None:
    assert len(top_k_per_group(np.array([0, 1]), np.array([1.0, 2.0]), 0)) == 0
    assert len(top_k_per_group(np.array([-1, -1]), np.array([1.0, 2.0]), 3)) == 0
    assert top_k_per_group(np.array([0, 0, 0]), np.array([1.0, 3.0, 2.0]), 2).tolist() == [1, 2]
