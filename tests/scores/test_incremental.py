"""Incremental cache: delta generations, compaction, deleted PRs, and equality with a full re-score."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from _score_helpers import NOW, frames_of, ic, pr, rc, review, stand_in_scorer

from analyzer.scores import incremental, per_pr
from analyzer.scores.options import ScoringOptions
from analyzer.scores.pipeline import SCORE_SCHEMAS, Scores, score_all

OPTS = ScoringOptions(now=NOW)
NOUNS = ("parser", "cache", "token", "queue", "index", "buffer", "schema", "client", "logger", "retry")
VERBS = ("rename", "split", "move", "extract", "inline", "document", "test", "guard")
THANKS = ("thanks, reads well now", "nice catch on the edge case", "great cleanup", "love this refactor")


def text(k: int, why: str) -> str:
    """Distinct wording per comment (near-identical comments would mark their author as a bot)."""
    return f"{VERBS[k % len(VERBS)]} the {NOUNS[k // len(VERBS) % len(NOUNS)]} {why}"


def tables(n_prs: int, extra: int = 0) -> dict[str, list[dict[str, Any]]]:
    """n_prs PRs by alternating authors, each with one inline comment and one review; ``extra`` more
    comments on the first PRs."""
    people = ["ann", "ben", "cat"]
    prs = [pr(i, people[i % 3]) for i in range(1, n_prs + 1)]
    comments = [rc(100 + i, i, people[(i + 1) % 3], text(i, "because it hides the unit")) for i in prs_ids(n_prs)]
    comments += [rc(500 + k, k % n_prs + 1, "dan", text(k + 40, "because it mixes two concerns")) for k in range(extra)]
    reviews = [review(900 + i, i, people[(i + 2) % 3], "CHANGES_REQUESTED") for i in prs_ids(n_prs)]
    convo = [ic(700 + i, i, people[(i + 1) % 3], f"{THANKS[i % 4]} {NOUNS[i % len(NOUNS)]}") for i in prs_ids(n_prs)]
    return {"prs": prs, "review_comments": comments, "reviews": reviews, "issue_comments": convo}


def prs_ids(n: int) -> range:
    return range(1, n + 1)


def score(data: dict[str, list[dict[str, Any]]], options: ScoringOptions) -> Scores:
    return score_all(frames_of(OPTS, **data), options, scorer=stand_in_scorer)


def assert_same_tables(a: Scores, b: Scores) -> None:
    for name in SCORE_SCHEMAS:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)


def cache_meta(folder: Path) -> dict[str, Any]:
    meta: dict[str, Any] = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return meta


def test_each_rescore_writes_a_small_delta_and_equals_a_full_run(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    opts = replace(OPTS, cache=folder)
    score(tables(40), opts)
    assert cache_meta(folder)["deltas"] == []
    for extra in (1, 2, 3):
        grown = tables(40, extra)
        cached = score(grown, opts)
        assert cached.meta["cache"]["prs_recomputed"] == 1  # type: ignore[index]
        assert_same_tables(cached, score(grown, OPTS))
    meta = cache_meta(folder)
    assert meta["deltas"] == [1, 2, 3]
    # a delta file holds only the recomputed PR's rows, not the whole corpus
    delta = pa.ipc.open_file(str(folder / "comments-3.arrow")).read_all().to_pandas()
    assert set(delta["pr_id"]) == {3} and len(delta) < meta["base_rows"]


def test_deleted_pr_rows_are_dropped_and_compaction_keeps_results(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    opts = replace(OPTS, cache=folder)
    score(tables(12), opts)
    shrunk = tables(12)
    shrunk["prs"] = [p for p in shrunk["prs"] if p["pr_id"] != 5]
    for name in ("review_comments", "reviews", "issue_comments"):
        shrunk[name] = [row for row in shrunk[name] if row["pr_id"] != 5]
    cached = score(shrunk, opts)
    assert 5 not in set(cached.comments["pr_id"]) and 5 not in set(cached.episodes["pr_id"])
    assert_same_tables(cached, score(shrunk, OPTS))
    # many new comments at once exceed the delta share: the cache is compacted into one base file
    grown = tables(12, extra=24)
    cached = score(grown, opts)
    assert cache_meta(folder)["deltas"] == []
    assert sorted(p.name for p in folder.glob("comments-*.arrow")) == ["comments-0.arrow"]
    assert_same_tables(cached, score(grown, OPTS))
    again = score(grown, opts)
    assert again.meta["cache"]["scored"] == 0  # type: ignore[index]
    assert_same_tables(again, cached)


def test_too_many_deltas_trigger_compaction(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(incremental, "MAX_DELTAS", 2)
    folder = tmp_path / "cache"
    opts = replace(OPTS, cache=folder)
    score(tables(40), opts)
    for extra in (1, 2):
        score(tables(40, extra), opts)
    assert cache_meta(folder)["deltas"] == [1, 2]
    cached = score(tables(40, 3), opts)
    assert cache_meta(folder)["deltas"] == []
    assert_same_tables(cached, score(tables(40, 3), OPTS))


def test_stable_order_matches_lexsort_including_the_wide_key_fallback() -> None:
    rng = np.random.default_rng(5)
    narrow = (rng.integers(0, 10**6, 500), rng.integers(-3, 3, 500), rng.integers(0, 7, 500))
    wide = (rng.integers(0, 2**40, 500), rng.integers(0, 2**40, 500))
    for keys in (narrow, wide):
        assert np.array_equal(per_pr.stable_order(keys), np.lexsort(keys))
    assert len(per_pr.stable_order((np.zeros(0, dtype=np.int64),))) == 0


def test_an_unreadable_or_older_cache_costs_a_full_run_and_is_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    opts = replace(OPTS, cache=folder)
    data = tables(6)
    first = score(data, opts)
    (folder / "comments-0.arrow").write_bytes(b"not an arrow file")
    (folder / "comments-7.parquet").write_bytes(b"left by cache version 3")
    again = score(data, opts)
    assert again.meta["cache"]["prs_cached"] == 0  # type: ignore[index]
    assert_same_tables(again, first)
    assert not (folder / "comments-7.parquet").exists()  # a stale part of an older cache version
    assert score(data, opts).meta["cache"]["prs_recomputed"] == 0  # type: ignore[index]


def test_another_comment_model_costs_a_full_run(tmp_path: Path) -> None:
    """Cached rows were scored by one comment model: a refit (even written to the same path) must not reuse them."""
    import shutil

    from analyzer.scores import comments

    shipped = Path(comments.__file__).parent / "comment_weights.json"
    folder = tmp_path / "weights"
    folder.mkdir()
    weights = json.loads(shipped.read_text(encoding="utf-8"))
    shutil.copy(shipped.parent / weights["hashed"]["file"], folder / weights["hashed"]["file"])
    weights["harsh"]["intercept"] = float(weights["harsh"]["intercept"]) - 0.5
    (folder / "refit.json").write_text(json.dumps(weights), encoding="utf-8")
    opts = replace(OPTS, cache=tmp_path / "cache")
    data = tables(6)
    score(data, opts)
    assert score(data, opts).meta["cache"]["prs_recomputed"] == 0  # type: ignore[index]
    try:
        comments.use_weights(folder / "refit.json")
        assert score(data, opts).meta["cache"]["prs_cached"] == 0  # type: ignore[index]
    finally:
        comments.use_weights(None)
    assert score(data, opts).meta["cache"]["prs_cached"] == 0  # type: ignore[index]


def test_the_schedule_of_the_steps_changes_no_table(tmp_path: Path, monkeypatch: Any) -> None:
    """Threads only change when a step finishes: one after another gives the same tables, with and
    without the cache (benchmarks/score_schedule.py measures which is faster)."""
    from analyzer.scores import pipeline

    data, grown = tables(12), tables(12, extra=2)
    threaded = [score(data, OPTS), score(data, replace(OPTS, cache=tmp_path / "a")),
                score(grown, replace(OPTS, cache=tmp_path / "a"))]
    monkeypatch.setattr(pipeline, "TEAM_STEP_THREADS", 0)
    monkeypatch.setattr(incremental, "CACHE_HELPER_THREADS", 0)
    serial = [score(data, OPTS), score(data, replace(OPTS, cache=tmp_path / "b")),
              score(grown, replace(OPTS, cache=tmp_path / "b"))]
    for one, other in zip(threaded, serial, strict=True):
        assert_same_tables(one, other)
    assert serial[2].meta["cache"]["prs_recomputed"] == 2  # type: ignore[index]
