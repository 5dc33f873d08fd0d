"""The uplift table in the score cache: reused only while its inputs are unchanged, equal to a fresh fit."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from analyzer.config import Config
from analyzer.frames import Frames
from analyzer.pipeline import load_frames, scoring_options
from analyzer.scores import uplift, uplift_cache
from analyzer.scores.options import ScoringOptions
from analyzer.scores.pipeline import score_all


@pytest.fixture(scope="module")
def demo(demo_store: Path) -> tuple[Frames, ScoringOptions]:
    frames = load_frames(demo_store)
    return frames, replace(scoring_options(Config(), frames.now), cache=None)


def fresh(frames: Frames) -> pd.DataFrame:
    return uplift.uplift_scores(frames, frames.window_start, frames.window_end, uplift.UpliftSettings())


def cached(frames: Frames, folder: Path) -> pd.DataFrame:
    return uplift_cache.cached_uplift(frames, frames.window_start, frames.window_end, uplift.UpliftSettings(), folder)


def test_new_comments_reuse_the_table_and_new_reviews_refit(
    demo: tuple[Frames, ScoringOptions], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frames, _ = demo
    fewer = replace(frames, reviews=frames.reviews.iloc[1:])  # one review fewer: other model inputs
    later = replace(frames, window_start=frames.window_start + pd.Timedelta(days=30))  # another window
    expected, expected_fewer, expected_later = fresh(frames), fresh(fewer), fresh(later)
    assert (expected["status"] == "ok").any()  # the demo has people with an estimate
    pd.testing.assert_frame_equal(cached(frames, tmp_path), expected)
    fits: list[int] = []
    real_fit = uplift.uplift_table
    monkeypatch.setattr(uplift, "uplift_table", lambda *a, **k: fits.append(1) or real_fit(*a, **k))
    # comments do not enter the model: a re-score after an edited comment takes the table from the cache
    edited = frames.review_comments.copy()
    edited.loc[edited.index[0], "body"] = "a later wording of this comment"
    pd.testing.assert_frame_equal(cached(replace(frames, review_comments=edited), tmp_path), expected)
    assert fits == []
    # new inputs are fitted afresh, equal to a run without a cache
    pd.testing.assert_frame_equal(cached(fewer, tmp_path), expected_fewer)
    assert fits == [1]
    pd.testing.assert_frame_equal(cached(later, tmp_path), expected_later)
    assert fits == [1, 1]


@pytest.mark.parametrize("damage", ["garbled", "truncated", "other-key"])
def test_a_damaged_cached_table_is_refitted(demo: tuple[Frames, ScoringOptions], tmp_path: Path, damage: str) -> None:
    frames, _ = demo
    expected = cached(frames, tmp_path)
    table = tmp_path / uplift_cache.TABLE
    data = bytearray(table.read_bytes())
    if damage == "garbled":
        data[len(data) // 2 : len(data) // 2 + 64] = b"x" * 64
        table.write_bytes(bytes(data))
    elif damage == "truncated":
        table.write_bytes(bytes(data[: len(data) // 3]))
    else:
        (tmp_path / uplift_cache.KEY).write_text('{"key": "from other inputs"}', encoding="utf-8")
    pd.testing.assert_frame_equal(cached(frames, tmp_path), expected)
    assert uplift_cache.read_table(tmp_path, uplift_cache.inputs_key(*key_inputs(frames))) is not None


def key_inputs(
    frames: Frames,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, object, object, uplift.UpliftSettings]:
    every = uplift.pr_outcomes(frames)
    met, docs = uplift.interactions(frames, every), uplift.doc_files(frames, every)
    return every, met, docs, frames.window_start, frames.window_end, uplift.UpliftSettings()


def test_the_pipeline_with_a_cache_gives_the_same_uplift_table(
    demo: tuple[Frames, ScoringOptions], tmp_path: Path
) -> None:
    frames, options = demo
    with_cache = replace(options, cache=tmp_path / "cache")
    first = score_all(frames, with_cache)
    again = score_all(frames, with_cache)  # the table read back from the cache, through the same schema
    plain = score_all(frames, options)
    pd.testing.assert_frame_equal(first.uplift, plain.uplift)
    pd.testing.assert_frame_equal(again.uplift, plain.uplift)


def test_a_changed_doc_file_list_is_another_input(demo: tuple[Frames, ScoringOptions]) -> None:
    """The docs channel's input (which doc files each PR changed) is part of the key: a PR that no longer
    changes one of its doc files is fitted afresh."""
    frames, _ = demo
    every, met, docs, start, end, settings = key_inputs(frames)
    assert len(docs) > 0
    assert uplift_cache.inputs_key(every, met, docs.iloc[1:], start, end, settings) != uplift_cache.inputs_key(
        every, met, docs, start, end, settings
    )
