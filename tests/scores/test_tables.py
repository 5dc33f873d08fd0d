"""One declaration per stored table (analyzer.scores.tables): the pipeline, the store and the report use it,
and the report refuses scores that lack a declared column."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from _score_helpers import NOW, frames_of, pr, rc, review, stand_in_scorer

from analyzer.errors import StoreError
from analyzer.report.inputs import FRAME_COLUMNS, frame
from analyzer.scores.options import ScoringOptions, recorded_options
from analyzer.scores.pipeline import SCORE_SCHEMAS, Scores, read_scores, score_all, write_scores
from analyzer.scores.tables import TABLES

OPTS = ScoringOptions(now=NOW, evidence_per_family=5)


@pytest.fixture(scope="module")
def scores() -> Scores:
    frames = frames_of(
        OPTS,
        prs=[pr(1, "alice", additions=300, title="Speed up the cache warm-up"), pr(2, "bob")],
        pr_files=[{"pr_id": 1, "path": "src/a.py", "additions": 300, "deletions": 0}],
        review_comments=[rc(10, 1, "bob", "rename this because `x` is unclear")],
        reviews=[review(30, 1, "bob"), review(31, 2, "alice", body="LGTM")],
    )
    return score_all(frames, OPTS, scorer=stand_in_scorer)


def test_every_table_has_exactly_its_declared_columns(scores: Scores) -> None:
    assert list(SCORE_SCHEMAS) == list(TABLES)
    for name, table in TABLES.items():
        got = getattr(scores, name)
        assert tuple(got.columns) == table.columns, name
    assert {name: table.columns for name, table in TABLES.items()} == FRAME_COLUMNS


def test_episode_evidence_carries_the_pr_title_to_the_store_and_back(scores: Scores, tmp_path: Path) -> None:
    """The report shows a PR's title above episode evidence; the title used to be dropped by
    conform_scores, so that branch never ran on real scores."""
    episodes = scores.evidence[scores.evidence["kind"] == "episode"]
    assert not episodes.empty
    assert "Speed up the cache warm-up" in set(episodes["title"].dropna())
    store = tmp_path / "s.sqlite"
    write_scores(scores, store, tmp_path / "out")
    back = read_scores(store)
    assert list(back.evidence["title"].dropna()) == list(scores.evidence["title"].dropna())


def test_the_run_records_the_options_it_used(scores: Scores) -> None:
    assert scores.meta["options"] == recorded_options(OPTS)


def test_scores_lacking_a_declared_column_are_refused_in_one_line(scores: Scores, tmp_path: Path) -> None:
    broken = replace(scores, evidence=scores.evidence.drop(columns="title"))
    with pytest.raises(StoreError) as error:
        frame(broken, "evidence")
    message = str(error.value)
    assert "evidence" in message and "title" in message and "analyzer score" in message and "\n" not in message
    store = tmp_path / "s.sqlite"
    write_scores(scores, store, tmp_path / "out")
    with sqlite3.connect(store) as db:  # a store written by a version without the column
        db.execute("ALTER TABLE score_evidence DROP COLUMN title")
    with pytest.raises(StoreError, match="score table evidence lacks column.s. title; run `analyzer score`"):
        read_scores(store)


def test_report_on_a_store_lacking_a_column_is_one_line_and_non_zero(
    scores: Scores, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from analyzer.cli import main
    from analyzer.store import Store

    store = tmp_path / "s.sqlite"
    with Store(store):
        pass
    write_scores(scores, store, tmp_path / "out")
    with sqlite3.connect(store) as db:
        db.execute("ALTER TABLE score_evidence DROP COLUMN title")
    code = main(["report", "--store", str(store), "--out", str(tmp_path / "r.html"), "--now", "2024-07-01"])
    err = capsys.readouterr().err
    assert code != 0 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "evidence lacks column(s) title" in err and "run `analyzer score` again" in err
    assert not (tmp_path / "r.html").exists()
