"""Issue 10 item 5: one score run replaces all its score tables at once (a generation), `report` refuses
a store whose tables mix runs, and a score run killed (SIGKILL) or interrupted (SIGINT) at any moment
while it writes leaves exactly the previous generation or the new one; the next run completes."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from analyzer.config import Config, ReportSection, StoreSection, WindowSection
from analyzer.pipeline import report_store, score_store
from tests.integrity.helpers import NOW, assert_one_line_error, cli, generation, hooked, parquet_generations

NOW_AT = datetime.fromisoformat(NOW).replace(tzinfo=UTC)
MOMENTS = 10
NEW_WINDOW = "[window]\nmonths = 12\n"  # the new generation's config: another window, so other tables


def config(folder: Path, months: int = 18) -> Config:
    """Everything under ``folder``, as the CLI's defaults put it under its working directory."""
    return Config(
        window=WindowSection(months=months),
        store=StoreSection(
            path=str(folder / "s.sqlite"),
            parquet_dir=str(folder / "out" / "scores"),
            score_cache=str(folder / "out" / "score-cache"),
        ),
        report=ReportSection(output=str(folder / "report.html")),
    )


def report(folder: Path) -> bytes:
    out = folder / "check.html"
    report_store(config(folder), out=out, now=NOW_AT)
    data = out.read_bytes()
    out.unlink()
    return data


def scored_copy(source: Path, folder: Path, months: int) -> Path:
    shutil.copytree(source, folder)
    score_store(config(folder, months), now=NOW_AT)
    return folder


@pytest.fixture()
def previous(store: Path, tmp_path: Path) -> Path:
    """A folder holding the store scored once (the previous generation), its Parquet files and cache."""
    folder = tmp_path / "previous"
    folder.mkdir()
    shutil.move(store, folder / "s.sqlite")
    score_store(config(folder), now=NOW_AT)
    (folder / "new.toml").write_text(NEW_WINDOW)
    return folder


def test_report_refuses_score_tables_of_different_runs(previous: Path, tmp_path: Path) -> None:
    newer = scored_copy(previous, tmp_path / "newer", months=12)
    # one table replaced the way analyzer <= 0.x wrote scores (table by table, without a generation)
    older_way = scored_copy(previous, tmp_path / "older-way", months=18)
    with sqlite3.connect(older_way / "s.sqlite") as conn:
        pd.read_sql_query("SELECT * FROM score_people", sqlite3.connect(newer / "s.sqlite")).to_sql(
            "score_people", conn, if_exists="replace", index=False
        )
    assert_one_line_error(cli(older_way, "report", "--store", "s.sqlite", "--now", NOW), "mix score runs",
                          "score_people", "analyzer score")
    # one table of another generation, stamp and all
    two_runs = scored_copy(previous, tmp_path / "two-runs", months=18)
    with sqlite3.connect(two_runs / "s.sqlite") as conn:
        conn.execute("ATTACH DATABASE ? AS other", (str(newer / "s.sqlite"),))
        (ddl,) = conn.execute("SELECT sql FROM other.sqlite_master WHERE name = 'score_family_scores'").fetchone()
        conn.execute("DROP TABLE main.score_family_scores")
        conn.execute(ddl)
        conn.execute("INSERT INTO main.score_family_scores SELECT * FROM other.score_family_scores")
    line = assert_one_line_error(cli(two_runs, "report", "--store", "s.sqlite", "--now", NOW), "mix score runs")
    assert str(generation(newer / "s.sqlite")) in line and str(generation(two_runs / "s.sqlite")) in line
    assert not (two_runs / "out" / "report.html").exists()


def test_each_score_run_is_one_generation_in_tables_parquet_and_meta(previous: Path) -> None:
    first = generation(previous / "s.sqlite")
    score_store(config(previous, 12), now=NOW_AT)
    second = generation(previous / "s.sqlite")
    assert first and second and first.split("-")[0] == "1" and second.split("-")[0] == "2"
    conn = sqlite3.connect(previous / "s.sqlite")
    ddl = [sql for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE name LIKE 'score_%'")]
    assert ddl and all(f"generation {second} " in sql for sql in ddl)
    assert parquet_generations(previous / "out" / "scores") == {second}
    meta = json.loads((previous / "out" / "scores" / "meta.json").read_text())
    assert meta["generation"] == second


def _killed_run(folder: Path, kill_at: int, sig: str) -> subprocess.CompletedProcess[str]:
    args = ["score", "--store", "s.sqlite", "--config", "new.toml", "--now", NOW, "--quiet"]
    command, env = hooked(folder, *args, KILL_AT=str(kill_at), SIGNAL=sig)
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("sig", ["SIGKILL", "SIGINT"])
def test_a_score_run_stopped_while_writing_leaves_one_whole_generation(previous: Path, tmp_path: Path,
                                                                       sig: str) -> None:
    old_report, old_generation = report(previous), generation(previous / "s.sqlite")
    new_report = report(scored_copy(previous, tmp_path / "expected", months=12))
    assert new_report != old_report  # the two generations are told apart by their reports
    calibration = tmp_path / "calibration"
    shutil.copytree(previous, calibration)
    assert _killed_run(calibration, 0, sig).returncode == 0
    events = int((calibration / "events").read_text())  # write events of one run: staging, inserts, renames
    assert events >= MOMENTS
    moments = sorted({round(1 + j * (events - 1) / (MOMENTS - 1)) for j in range(MOMENTS)})
    seen = []
    for moment in moments:
        folder = tmp_path / f"{sig}-{moment}"
        shutil.copytree(previous, folder)
        result = _killed_run(folder, moment, sig)
        if sig == "SIGKILL":
            assert result.returncode == -signal.SIGKILL
        else:
            assert_one_line_error(result)
        shown = report(folder)
        assert shown in (old_report, new_report), f"{sig} at write event {moment} of {events}: a mixed report"
        now_generation = generation(folder / "s.sqlite")
        assert (shown == old_report) == (now_generation == old_generation)
        # every Parquet file whole, of the previous or the committed generation (meta.json too)
        assert parquet_generations(folder / "out" / "scores") <= {old_generation, now_generation}
        meta = json.loads((folder / "out" / "scores" / "meta.json").read_text())
        assert meta["generation"] in (old_generation, now_generation)
        seen.append("new" if shown == new_report else "previous")
        # the same command again completes, and leaves one generation everywhere and no temporary file
        score_store(replace(config(folder, 12)), now=NOW_AT)
        again = generation(folder / "s.sqlite")
        assert again != now_generation and parquet_generations(folder / "out" / "scores") == {again}
        assert not list((folder / "out" / "scores").glob(".*.tmp"))
        shutil.rmtree(folder)
    # the moments straddle the commit: some runs were stopped before it, some after
    assert "previous" in seen and "new" in seen, seen


def test_tables_written_in_chunks_read_back_the_same(previous: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from analyzer.scores import pipeline as score_pipeline
    from analyzer.store import score_tables

    monkeypatch.setattr(score_tables, "SQL_CHUNK", 7)  # many chunks, and a partial last one
    scores = score_pipeline.read_scores(previous / "s.sqlite")
    score_pipeline.write_scores(scores, previous / "s.sqlite", tmp_path / "parquet")
    again = score_pipeline.read_scores(previous / "s.sqlite")
    for name in score_pipeline.SCORE_SCHEMAS:
        pd.testing.assert_frame_equal(getattr(again, name), getattr(scores, name), obj=name)
