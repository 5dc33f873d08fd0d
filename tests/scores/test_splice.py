"""Block splicing: equal to concatenating and sorting, for every column type the cache holds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analyzer.scores.splice import SpliceError, plan, pr_blocks, splice


def rows(pr_ids: list[int], tag: str) -> pd.DataFrame:
    n = len(pr_ids)
    return pd.DataFrame(
        {
            "pr_id": pd.array(pr_ids, dtype="Int64"),
            "text": pd.array([None if i % 3 == 0 else f"{tag}{i}" for i in range(n)], dtype="string[pyarrow]"),
            "score": np.arange(n, dtype=float) / 7,
            "flag": np.arange(n) % 2 == 0,
            "count": pd.array([None if i % 4 == 0 else i for i in range(n)], dtype="Int64"),
            "at": pd.date_range("2024-01-01", periods=n, freq="h", tz="UTC"),
        }
    )


def test_pr_blocks_finds_each_run_and_refuses_unsorted_rows() -> None:
    pr, start, stop = pr_blocks(np.array([-1, 2, 2, 5, 9, 9, 9]))
    assert pr.tolist() == [-1, 2, 5, 9] and start.tolist() == [0, 1, 3, 4] and stop.tolist() == [1, 3, 4, 7]
    with pytest.raises(SpliceError):
        pr_blocks(np.array([3, 1]))


def test_splice_equals_filter_concat_and_sort_by_pr() -> None:
    base = rows([1, 1, 2, 3, 3, 3, 5, 8, 8], "b")
    delta = rows([2, 4, 4], "d")
    fresh = rows([3, 9, 9], "f")
    ids = [frame["pr_id"].to_numpy(dtype=np.int64) for frame in (base, delta, fresh)]
    # base keeps PRs 1, 5, 8 (2 moved to the delta, 3 recomputed); the delta keeps 2 and 4
    pieces = plan(ids, [np.isin(pr_blocks(ids[0])[0], [1, 5, 8]), None, None])
    merged = splice([base, delta, fresh], pieces)
    expected = pd.concat(
        [base[base["pr_id"].isin([1, 5, 8])], delta, fresh], ignore_index=True
    ).sort_values("pr_id", kind="stable", ignore_index=True)
    pd.testing.assert_frame_equal(merged, expected)
    # PRs 5 and 8 sit next to each other in the base: one slice, not two
    assert len(pieces.source) == 6


def test_a_pr_in_two_sources_is_refused() -> None:
    ids = [np.array([1, 2]), np.array([2])]
    with pytest.raises(SpliceError):
        plan(ids, [None, None])


def test_splice_of_nothing_keeps_columns_and_dtypes() -> None:
    base = rows([1, 2], "b")
    merged = splice([base], plan([base["pr_id"].to_numpy(dtype=np.int64)], [np.zeros(2, dtype=bool)]))
    assert merged.empty and (merged.dtypes == base.dtypes).all()


def test_sources_of_different_dtypes_are_refused() -> None:
    base = rows([1, 2], "b")
    other = rows([3], "o").astype({"count": "float64"})
    ids = [base["pr_id"].to_numpy(dtype=np.int64), other["pr_id"].to_numpy(dtype=np.int64)]
    with pytest.raises(SpliceError, match="dtype"):
        splice([base, other], plan(ids, [None, None]))


def test_many_pieces_are_copied_or_gathered_and_few_stay_zero_copy_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    import analyzer.scores.splice as splice_module

    base = rows([1, 2, 3, 4, 5, 6], "b")
    fresh = rows([2, 4], "f")
    ids = [frame["pr_id"].to_numpy(dtype=np.int64) for frame in (base, fresh)]
    pieces = plan(ids, [~np.isin(pr_blocks(ids[0])[0], [2, 4]), None])
    chunked = splice([base, fresh], pieces)
    monkeypatch.setattr(splice_module, "MAX_CHUNKS", 1)
    monkeypatch.setattr(splice_module, "MAX_SLICES", 1)  # and the other columns gathered by one index
    copied = splice([base, fresh], pieces)
    pd.testing.assert_frame_equal(chunked, copied)
    assert chunked["text"].array._pa_array.num_chunks == len(pieces.source) > 1
    assert copied["text"].array._pa_array.num_chunks == 1
