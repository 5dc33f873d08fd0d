"""Scoring on a Dask cluster (dask.distributed): the per-PR stage runs partitioned on the workers.

The per-PR stage (``per_pr.per_pr_stage``: comment assembly, per-comment scores, episode base rows)
depends on each PR's own items only, so it runs on blocks of PRs: the client writes each block's items
as Parquet files into a hand-off folder (``partitions.write_parts``), every worker reads its block's
files directly, runs the very same ``per_pr_stage`` and writes its rows back as Parquet, and the client
reads those and hands them to the team-level steps of ``score_all`` (unchanged). Nothing but file names,
options and the clock travels through the scheduler. The folder must be visible to the client and
every worker at the same path (a local cluster: beside the store; a real one: a shared filesystem).

With the score cache, only the changed PRs go to the workers (``cached_per_pr_stage`` calls this stage
with the restricted frames), so an incremental re-score on a cluster is as small as it is locally.
"""

from __future__ import annotations

import importlib
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analyzer.errors import AnalyzerError
from analyzer.frames.model import Frames
from analyzer.scores import partitions, per_pr
from analyzer.scores.comment_table import CommentScorer
from analyzer.scores.memory import FrugalAllocation, frugal_allocation, release_memory
from analyzer.scores.options import ScoringOptions
from analyzer.scores.per_pr import PerPr

SCHEDULER_FLAG = "--scheduler (or scores.scheduler)"
# comment columns a run without the score cache reads back: the team-level stage's, plus the keys of
# ``per_pr.canonical_order`` (the client only keeps ``team_columns``; the cache needs them all)
HANDED_BACK = (*per_pr.TEAM_COMMENT_COLUMNS, "sort_id", "kind_rank")
DEFAULT_MEMORY_LIMIT = "3GiB"  # per worker of a local cluster (Dask spills, then pauses, near the limit)


class ClusterError(AnalyzerError):
    """The Dask scheduler cannot be reached, or a worker failed."""


@dataclass(frozen=True)
class ClusterStage:
    """A per-PR stage (``per_pr.PerPrStage``) that runs on the workers of ``client``."""

    client: Any  # distributed.Client (untyped library)
    folder: Path  # the hand-off folder: one sub-folder per run, removed after it
    rows_per_part: int = partitions.ROWS_PER_PART
    before_hand_back: Callable[[], object] | None = None  # see ``waiting_for``
    # a local cluster started for this stage (``cluster_stage(workers=N)``) and its number of workers:
    # they run only while the per-PR stage does (see ``ready``); None for a cluster someone else runs
    local: Any = None
    workers: int = 0
    frugal: FrugalAllocation | None = None  # started once the uplift fit is done (see memory.FrugalAllocation)

    def ready(self) -> int:
        """Start a local cluster's workers if they were stopped; returns the number of workers. The stage
        stops a local cluster's workers as soon as their blocks are done: they sit idle while the client
        runs the team-level steps, and on the machine the client runs on (measured at 5M comments: two
        workers held 0.67 GB of the whole run's peak, with their nannies). Starting them again takes a
        few seconds, at the next run's start."""
        if self.local is not None:
            self.local.scale(self.workers)
            self.client.wait_for_workers(self.workers, timeout=300)
        return max(len(self.client.scheduler_info().get("workers", {})), 1)

    def _stop_workers(self, futures: list[Any]) -> None:
        """Stop a local cluster's workers once the scheduler has let their results go (stopping a worker
        that still holds a result it wants makes it log that the result is lost and will be recomputed)."""
        for future in futures:
            future.release()
        deadline = time.monotonic() + 30
        while self.client.run_on_scheduler(_tasks_held) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.local.scale(0)

    def waiting_for(self, step: Callable[[], object]) -> ClusterStage:
        """The same stage, reading the workers' rows back only once ``step`` returns. ``score_all`` passes
        the uplift fit, which runs on a client thread meanwhile: the client then never holds the fit's
        arrays and every comment row at once (measured at 5M comments: the whole run's peak was 0.9 GB
        higher where the fit overlapped the hand-back and the team-level steps)."""
        return replace(self, before_hand_back=step)

    def __call__(
        self,
        frames: Frames,
        options: ScoringOptions,
        start: datetime,
        end: datetime,
        scorer: CommentScorer,
        known: pd.DataFrame | None,
        with_keys: bool,
    ) -> PerPr:
        run = Path(tempfile.mkdtemp(prefix="run-", dir=self.folder))
        try:
            workers = self.ready()
            parts = partitions.write_parts(frames, run, workers, self.rows_per_part)
            known_file = partitions.write_known(known, run)
            models = _active_models()
            futures = [
                self.client.submit(
                    score_part, part, known_file, options, start, end, scorer, with_keys, models, pure=False
                )
                for part in parts
            ]
            try:
                stats = self.client.gather(futures)
            except AnalyzerError:
                raise
            except Exception as exc:  # a worker died or the task raised: one line, the stage named
                raise ClusterError(f"scoring on the cluster failed: {type(exc).__name__}: {exc}") from exc
            if self.local is not None:  # their blocks are done (see ``ready``)
                self._stop_workers(futures)
            if self.before_hand_back is not None:
                self.before_hand_back()
            if self.frugal is not None:
                self.frugal.start()  # the rest of the run: the hand-back and the team-level steps
            release_memory()  # what the step freed, before the rows arrive
            comments, episode_rows = partitions.read_results(parts)
            release_memory()  # the client's too: what reading the blocks freed
        finally:
            shutil.rmtree(run, ignore_errors=True)
        totals = {key: sum(int(s[key]) for s in stats) for key in ("scored", "cached")}
        return PerPr(comments, episode_rows, totals)


def score_part(
    part: str,
    known_file: str | None,
    options: ScoringOptions,
    start: datetime,
    end: datetime,
    scorer: CommentScorer,
    with_keys: bool,
    models: Any,
) -> dict[str, int]:
    """On a worker: read one block's Parquet, run ``per_pr_stage`` on it, write its rows as Parquet."""
    if models is not None:  # the client scores with refitted weights (``use_weights``): so does the worker
        from analyzer.scores import comments

        comments._ACTIVE["active"] = models  # noqa: SLF001 (the process-wide choice use_weights makes)
    frames = partitions.read_part(Path(part))
    known = partitions.read_known(known_file)
    result = per_pr.per_pr_stage(frames, options, start, end, scorer, known, with_keys)
    result_stats = result.stats
    del frames
    # blocks are consecutive PR-id ranges and the canonical order is by PR first, so rows ordered here
    # come back in order when the client concatenates the blocks: its ``canonical_order`` copies nothing
    comment_rows, episode_rows = per_pr.canonical_order(result.comments, result.episodes)
    if not with_keys:  # a run without the score cache keeps only the team columns (and the order keys)
        comment_rows = comment_rows.loc[:, list(HANDED_BACK)]
    partitions.write_results(Path(part), comment_rows, episode_rows)
    del comment_rows, episode_rows, result
    release_memory()
    return result_stats


def _tasks_held(dask_scheduler: Any) -> int:
    """On the scheduler: how many tasks it still keeps (``Client.run_on_scheduler`` passes it in)."""
    return len(dask_scheduler.tasks)


def _active_models() -> Any:
    from analyzer.scores import comments

    return comments._ACTIVE.get("active")  # noqa: SLF001 (None: the shipped weights, which workers have)


@contextmanager
def cluster_stage(
    scheduler: str | None = None,
    workers: int | None = None,
    folder: str | Path | None = None,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
) -> Iterator[ClusterStage]:
    """A per-PR stage on a Dask cluster: the one at ``scheduler`` (``tcp://host:8786``), or a local one
    of ``workers`` processes (one thread each, ``memory_limit`` each) started here, running only while
    a per-PR stage does (``ClusterStage.ready``), and stopped after. The hand-off Parquet goes under
    ``folder`` (default: a temporary folder)."""
    try:
        dask: Any = importlib.import_module("distributed")  # untyped library
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise ClusterError("dask.distributed is not installed: pip install 'dask[distributed]'") from exc
    if workers is not None and workers < 1:
        raise ClusterError(f"--workers needs a number of worker processes of 1 or more, not {workers}")
    base = Path(folder).expanduser() if folder is not None else None
    if base is not None:
        base.mkdir(parents=True, exist_ok=True)
    hand_off = Path(tempfile.mkdtemp(prefix="analyzer-dask-", dir=base))
    cluster: Any = None
    n_workers = max(workers or 2, 1)  # of a local cluster
    try:
        if scheduler:
            try:
                client = dask.Client(scheduler, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise ClusterError(
                    f"no Dask scheduler answers at {scheduler} ({SCHEDULER_FLAG}): start one "
                    "(`dask scheduler`, then `dask worker <address>` on each machine) or use --workers N"
                ) from exc
        else:
            cluster = dask.LocalCluster(
                n_workers=n_workers,
                threads_per_worker=1,
                processes=True,
                memory_limit=memory_limit,
                dashboard_address="127.0.0.1:0",  # loopback only, any free port (never a fixed one)
            )
            client = dask.Client(cluster)
        try:
            # the client holds every row handed back while its team-level steps make and drop working copies
            with frugal_allocation() as frugal:
                yield ClusterStage(client, hand_off, local=cluster, workers=n_workers, frugal=frugal)
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()
        shutil.rmtree(hand_off, ignore_errors=True)
        if base is not None and not any(base.iterdir()):
            base.rmdir()  # leave nothing beside the store


__all__ = ["ClusterError", "ClusterStage", "cluster_stage", "score_part"]
