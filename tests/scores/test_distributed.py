"""Scoring on a Dask LocalCluster of 2 workers gives the single-process tables, also incrementally."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from analyzer.config import Config
from analyzer.frames import Frames
from analyzer.pipeline import load_frames, scoring_options
from analyzer.scores import partitions, uplift_cache
from analyzer.scores.comments import score_comments
from analyzer.scores.distributed import HANDED_BACK, ClusterError, ClusterStage, cluster_stage
from analyzer.scores.options import ScoringOptions
from analyzer.scores.per_pr import PerPrStage, canonical_order
from analyzer.scores.pipeline import SCORE_SCHEMAS, Scores, read_scores, score_all

pytestmark = pytest.mark.timeout(600)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo(demo_store: Path) -> tuple[Frames, ScoringOptions]:
    frames = load_frames(demo_store)
    # no score cache: Config()'s default cache folder is relative to the working directory, where other
    # tests may have left rows that would make the two runs' cache counts differ
    return frames, replace(scoring_options(Config(), frames.now), cache=None)


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClusterStage]:
    with cluster_stage(workers=2, folder=tmp_path_factory.mktemp("hand-off"), memory_limit="2GiB") as run:
        assert isinstance(run, ClusterStage)
        assert len(run.client.scheduler_info()["workers"]) == 2
        # small blocks, so the demo's PRs are spread over many blocks and both workers
        yield replace(run, rows_per_part=2_000)


def assert_same(a: Scores, b: Scores, strip: frozenset[str] | set[str] = frozenset({"timings_s"})) -> None:
    for name in SCORE_SCHEMAS:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)
    assert sorted(set(a.meta) - strip) == sorted(set(b.meta) - strip)
    for key in sorted(set(a.meta) - strip):
        assert a.meta[key] == b.meta[key], key


def test_cluster_tables_equal_the_single_process_run(demo: tuple[Frames, ScoringOptions], stage: PerPrStage) -> None:
    frames, options = demo
    local = score_all(frames, options)
    assert len(local.comments) > 10_000  # the whole demo, not a toy
    assert_same(score_all(frames, options, stage=stage), local)


def test_incremental_rescore_on_the_cluster_equals_a_full_run(
    demo: tuple[Frames, ScoringOptions], stage: PerPrStage, tmp_path: Path
) -> None:
    frames, options = demo
    cached = replace(options, cache=tmp_path / "cache")
    # the cache is filled from an older state: the newest PRs' inline comments not yet there, one edited
    newest = frames.prs["pr_id"].nlargest(40)
    older = frames.review_comments[~frames.review_comments["pr_id"].isin(newest).to_numpy()].copy()
    older.loc[older.index[0], "body"] = "an earlier wording of this comment"
    older.loc[older.index[0], "updated_at"] = older["updated_at"].iloc[0] - pd.Timedelta(days=1)
    first = score_all(replace(frames, review_comments=older), cached, stage=stage)
    assert first.meta["cache"]["prs_cached"] == 0  # type: ignore[index]
    rescored = score_all(frames, cached, stage=stage)
    cache = rescored.meta["cache"]
    assert 0 < cache["prs_recomputed"] <= 41 < cache["prs_cached"]  # type: ignore[index,operator]
    full = score_all(frames, options)
    for name in SCORE_SCHEMAS:
        pd.testing.assert_frame_equal(getattr(rescored, name), getattr(full, name), obj=name)


class Recorded(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_blocks_come_back_in_order_with_the_team_columns_only(
    demo: tuple[Frames, ScoringOptions], stage: ClusterStage
) -> None:
    """The client's memory: without the cache it reads back only the columns the team-level stage keeps,
    already in the canonical order, so ordering them takes no second copy of every comment row."""
    frames, options = demo
    scheduler_log = logging.getLogger("distributed.scheduler")  # the local cluster's scheduler: this process
    handler = Recorded()
    records = handler.records
    scheduler_log.addHandler(handler)
    try:
        out = stage(frames, options, frames.window_start, frames.window_end, score_comments, None, False)
    finally:
        scheduler_log.removeHandler(handler)
    assert tuple(out.comments.columns) == HANDED_BACK
    comments, eps = canonical_order(out.comments, out.episodes)
    pd.testing.assert_frame_equal(comments, out.comments)
    pd.testing.assert_frame_equal(eps, out.episodes)
    assert np.shares_memory(comments["considerate"].to_numpy(), out.comments["considerate"].to_numpy())
    # the local cluster's workers are stopped once their blocks are done (the client's steps need the memory)
    deadline = time.monotonic() + 60
    while stage.client.scheduler_info()["workers"] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not stage.client.scheduler_info()["workers"]
    # ... after the scheduler let their results go: nothing said lost, nothing to recompute
    assert not [r.getMessage() for r in records if r.levelno >= logging.WARNING]
    assert stage.ready() == 2  # and started again for the next run


def test_rows_come_back_only_after_the_uplift_fit(
    demo: tuple[Frames, ScoringOptions], stage: ClusterStage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """score_all has the stage wait for the uplift fit (a client thread) before it reads the workers' rows
    back, so the client never holds the fit's arrays and every comment row at once."""
    frames, options = demo
    events: list[str] = []
    fit, read = uplift_cache.cached_uplift, partitions.read_results

    def fitting(*args: Any, **kwargs: Any) -> pd.DataFrame:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:  # until every block's rows are written
            parts = list(stage.folder.glob("run-*/part-*"))
            if parts and all((part / "episodes.parquet").exists() for part in parts):
                break
            time.sleep(0.05)
        time.sleep(1.0)  # the workers are done: without the wait, the stage reads their rows back meanwhile
        table = fit(*args, **kwargs)
        events.append("fit done")
        return table

    def reading(parts: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
        events.append("hand-back")
        return read(parts)

    monkeypatch.setattr(uplift_cache, "cached_uplift", fitting)
    monkeypatch.setattr(partitions, "read_results", reading)
    score_all(frames, options, stage=replace(stage, rows_per_part=1_000_000))
    assert events == ["fit done", "hand-back"]


def test_blocks_cover_every_item_once(demo: tuple[Frames, ScoringOptions], tmp_path: Path) -> None:
    frames, _ = demo
    parts = partitions.write_parts(frames, tmp_path, workers=2, rows_per_part=3_000)
    assert len(parts) >= 4
    read = [partitions.read_part(Path(part)) for part in parts]
    for name in partitions.PER_PR:
        total = pd.concat([getattr(block, name) for block in read], ignore_index=True)
        assert len(total) == len(getattr(frames, name)), name
        ids = [set(getattr(block, name)["pr_id"].dropna()) for block in read]
        assert all(a.isdisjoint(b) for i, a in enumerate(ids) for b in ids[i + 1 :]), name


def test_unreachable_scheduler_is_one_clear_error() -> None:
    with (
        pytest.raises(ClusterError, match="no Dask scheduler answers at tcp://127.0.0.1:9"),
        cluster_stage(scheduler="tcp://127.0.0.1:9"),
    ):
        pass


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "GH_TOKEN")}
    env["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, "-m", "analyzer", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_cli_scores_on_an_existing_cluster_like_one_process(
    demo_store: Path, stage: ClusterStage, tmp_path: Path
) -> None:
    stores = {}
    stage.ready()  # the workers of the fixture's local cluster, stopped after every per-PR stage
    for name, flags in (("local", []), ("cluster", ["--scheduler", stage.client.scheduler.address])):
        store = tmp_path / name / "store.sqlite"
        store.parent.mkdir()
        shutil.copy(demo_store, store)
        done = run_cli("score", "--store", str(store), "--no-cache", "--parquet-dir", str(tmp_path / name), *flags)
        assert done.returncode == 0, done.stderr[-3000:]
        assert "Traceback" not in done.stderr
        assert sorted(p.name for p in store.parent.iterdir() if "dask" in p.name) == []  # hand-off removed
        stores[name] = read_scores(store)
    assert_same(stores["cluster"], stores["local"], strip={"timings_s", "generation"})
    assert f"per-PR stage on the Dask cluster {stage.client.scheduler.address}" in done.stdout + done.stderr


def test_cli_bad_cluster_flags_are_one_line(demo_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    shutil.copy(demo_store, store)
    for flags, needle in ((["--workers", "0"], "--workers"), (["--scheduler", "tcp://127.0.0.1:9"], "--scheduler")):
        done = run_cli("score", "--quiet", "--store", str(store), "--parquet-dir", str(tmp_path / "p"), *flags)
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert done.returncode != 0 and len(lines) == 1 and needle in lines[0], done.stderr[-2000:]
