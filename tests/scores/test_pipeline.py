"""score_all contract, determinism, bot exclusion, incremental cache and write/read round trip."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pandas as pd
from _score_helpers import NOW, frames_of, ic, pr, rc, review, stand_in_scorer

from analyzer.frames import Frames
from analyzer.scores import methodology
from analyzer.scores.options import ScoringOptions
from analyzer.scores.pipeline import SCORE_SCHEMAS, read_scores, score_all, write_scores

OPTS = ScoringOptions(now=NOW)


def small_frames() -> Frames:
    return frames_of(
        OPTS,
        prs=[pr(1, "alice", additions=300), pr(2, "bob"), pr(3, "dependabot", author_type="Bot")],
        pr_files=[{"pr_id": 1, "path": "src/a.py", "additions": 300, "deletions": 0}],
        review_comments=[
            rc(10, 1, "bob", "rename this because `x` is unclear"),
            rc(11, 1, "alice", "done", in_reply_to_id=10),
        ],
        issue_comments=[
            ic(20, 2, "alice", "thanks for this nice change!"),
            ic(21, 1, "sonarcloud", "Quality gate passed with no issues found"),
        ],
        reviews=[
            review(30, 1, "bob"),
            review(31, 2, "alice", body="LGTM"),
            review(32, 1, "mergify", body="ok"),
        ],
    )


def test_every_table_has_the_contract_shape() -> None:
    scores = score_all(small_frames(), OPTS, scorer=stand_in_scorer)
    for name, schema in SCORE_SCHEMAS.items():
        frame = getattr(scores, name)
        assert list(frame.columns) == list(schema), name
    assert set(scores.comments["kind"]) == {"review_comment", "review_body", "issue_comment"}
    assert set(scores.comments["comment_id"]) == {"rc:10", "rc:11", "ic:20", "rv:31"}
    assert len(scores.team) == 1
    assert {k: scores.meta[k] for k in ("formulas", "deviations")} == methodology.recorded(OPTS)
    assert scores.meta["now"].startswith("2024-07-01")


def test_bots_are_excluded_from_every_score() -> None:
    scores = score_all(small_frames(), OPTS, scorer=stand_in_scorer)
    bots = {"dependabot", "sonarcloud", "mergify"}
    assert bots == set(scores.bots["login"])
    for table, col in (
        ("family_scores", "person"),
        ("comments", "person"),
        ("episodes", "person"),
        ("episodes", "pr_author"),
        ("people", "person"),
        ("evidence", "person"),
    ):
        assert not bots & set(getattr(scores, table)[col].dropna()), table


def test_scores_are_deterministic() -> None:
    a = score_all(small_frames(), OPTS, scorer=stand_in_scorer)
    b = score_all(small_frames(), OPTS, scorer=stand_in_scorer)
    for name in SCORE_SCHEMAS:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))


def test_incremental_cache_scores_only_new_or_changed(tmp_path: Path) -> None:
    calls: list[int] = []

    def counting(bodies: pd.Series, hunks: pd.Series | None = None) -> pd.DataFrame:
        calls.append(len(bodies))
        return stand_in_scorer(bodies, hunks)

    opts = replace(OPTS, cache=tmp_path / "cache")
    first = score_all(small_frames(), opts, scorer=counting)
    assert first.meta["cache"] == {"scored": 4, "cached": 0, "prs_recomputed": 3, "prs_cached": 0}
    second = score_all(small_frames(), opts, scorer=counting)
    assert second.meta["cache"] == {"scored": 0, "cached": 4, "prs_recomputed": 0, "prs_cached": 3}
    assert calls == [4]
    pd.testing.assert_frame_equal(first.comments, second.comments)
    edited = small_frames()
    edited.review_comments.loc[0, "body"] = "rename this because it is stupid"
    edited.review_comments.loc[0, "updated_at"] = pd.Timestamp("2024-06-05", tz="UTC")
    third = score_all(edited, opts, scorer=counting)
    # only PR 1 is recomputed, and only its edited comment is re-scored
    assert third.meta["cache"] == {"scored": 1, "cached": 3, "prs_recomputed": 1, "prs_cached": 2}
    assert calls[-1] == 1
    assert bool(third.comments.set_index("comment_id").loc["rc:10", "harsh"])
    full = score_all(edited, OPTS, scorer=stand_in_scorer)
    for name in SCORE_SCHEMAS:
        pd.testing.assert_frame_equal(getattr(third, name), getattr(full, name), obj=name)


def test_write_and_read_round_trip(tmp_path: Path) -> None:
    store = tmp_path / "store.db"
    sqlite3.connect(store).close()
    scores = score_all(small_frames(), OPTS, scorer=stand_in_scorer)
    written = write_scores(scores, store, tmp_path / "parquet")
    assert {p.name for p in written} == {f"{n}.parquet" for n in SCORE_SCHEMAS} | {"meta.json"}
    back = read_scores(store)
    for name in SCORE_SCHEMAS:
        pd.testing.assert_frame_equal(getattr(back, name), getattr(scores, name), check_categorical=False)
    assert back.meta["window_end"] == scores.meta["window_end"]
    parquet = pd.read_parquet(tmp_path / "parquet" / "family_scores.parquet")
    assert len(parquet) == len(scores.family_scores)


def test_real_comment_scorer_runs_through_the_pipeline() -> None:
    scores = score_all(small_frames(), OPTS)  # analyzer.scores.comments.score_comments
    assert scores.comments["considerate"].between(-1, 1).all()
    assert scores.comments["comment_type"].notna().all()


def test_incremental_rescore_after_new_comments_equals_a_full_rescore(tmp_path: Path) -> None:
    opts = replace(OPTS, cache=tmp_path / "cache")
    score_all(small_frames(), opts, scorer=stand_in_scorer)  # fills the cache
    grown = frames_of(
        OPTS,
        prs=[pr(1, "alice", additions=300), pr(2, "bob"), pr(3, "dependabot", author_type="Bot"), pr(4, "carol")],
        pr_files=[{"pr_id": 1, "path": "src/a.py", "additions": 300, "deletions": 0}],
        review_comments=[
            rc(10, 1, "bob", "rename this because `x` is unclear"),
            rc(11, 1, "alice", "done", in_reply_to_id=10),
            rc(12, 4, "alice", "thought: split this because it mixes two concerns"),
        ],
        issue_comments=[
            ic(20, 2, "alice", "thanks for this nice change!"),
            ic(21, 1, "sonarcloud", "Quality gate passed with no issues found"),
            ic(22, 2, "carol", "thanks, this reads much better now"),
        ],
        reviews=[
            review(30, 1, "bob"),
            review(31, 2, "alice", body="LGTM"),
            review(32, 1, "mergify", body="ok"),
        ],
    )
    incremental = score_all(grown, opts, scorer=stand_in_scorer)
    # PR 2 got a comment and PR 4 is new: only they are recomputed, only the 2 new comments scored
    assert incremental.meta["cache"] == {"scored": 2, "cached": 4, "prs_recomputed": 2, "prs_cached": 2}
    full = score_all(grown, OPTS, scorer=stand_in_scorer)
    for name in SCORE_SCHEMAS:
        pd.testing.assert_frame_equal(getattr(incremental, name), getattr(full, name), obj=name)
    strip = {"timings_s", "cache"}
    assert {k: v for k, v in incremental.meta.items() if k not in strip} == {
        k: v for k, v in full.meta.items() if k not in strip
    }
