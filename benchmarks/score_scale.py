"""Scoring on a Dask LocalCluster at 1M, 2M and 5M comments: time and peak memory of the whole process tree.

Each size runs in a fresh process: it builds score_speed.py's synthetic corpus, starts a LocalCluster
(2 worker processes, one thread each, a memory limit per worker) and runs ``score_all`` with the
per-PR stage on the cluster. A sampler thread adds up the resident memory of the process and all its
children (the client, the nanny and the worker processes) every 0.2 s and keeps the peak, overall and
for each phase: building the corpus, the uplift fit (``uplift_cache.cached_uplift``, a client thread that
overlaps the per-PR stage; its design is PRs x people, dense) and the rest (the per-PR stage on the
workers, the hand-off back and the team-level steps). The baseline, measured in the same run, is the
single-process pipeline at the smallest size.

    nice python benchmarks/score_scale.py                   # 1M, 2M, 5M
    nice python benchmarks/score_scale.py --sizes 200000    # a quick look
    nice python benchmarks/score_scale.py --sizes 5000000 --baseline-size 1000000   # the 5M figure alone
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from typing import Any

import psutil
from score_speed import NOW, in_fresh_process, synthetic_tables

from analyzer.frames import build_frames
from analyzer.scores.options import ScoringOptions

WORKERS = 2
MEMORY_LIMIT = "2GiB"  # per worker
SIZES = (1_000_000, 2_000_000, 5_000_000)
PEAK_GOAL_GB = 6.0  # issue 15: the whole run at the largest size
TIME_GOAL = 1.5  # issue 15: time per million comments at the largest size against the smallest


class TreePeak:
    """Peak of the summed RSS of this process and every descendant, sampled on a thread; also per phase
    (``phase``: what the run is doing when a sample is taken)."""

    def __init__(self, every: float = 0.2) -> None:
        self.every, self.peak, self._stop = every, 0, threading.Event()
        self.client_at_peak = 0  # of the peak: this process's share (the rest: the cluster's processes)
        self.phase = "build"
        self.phases: dict[str, int] = {}
        self.uplift_running = 0  # the uplift fit runs on a pool thread of score_all
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreePeak:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> int:
        me = psutil.Process()
        client = total = me.memory_info().rss
        for proc in me.children(recursive=True):
            try:
                total += proc.memory_info().rss
            except psutil.Error:  # a worker that just ended
                continue
        if total > self.peak:
            self.peak, self.client_at_peak = total, client
        phase = "uplift" if self.uplift_running else self.phase
        self.phases[phase] = max(self.phases.get(phase, 0), total)
        return total

    def watch_uplift(self) -> None:
        """Count the uplift fit as a phase of its own while it runs (it overlaps the per-PR stage)."""
        from analyzer.scores import uplift_cache

        fit = uplift_cache.cached_uplift

        def watched(*args: Any, **kwargs: Any) -> Any:
            self.uplift_running += 1
            try:
                return fit(*args, **kwargs)
            finally:
                self.uplift_running -= 1

        uplift_cache.cached_uplift = watched  # type: ignore[assignment]

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()


def _child(n: int, cluster: bool, out: Any) -> None:
    from analyzer.scores.distributed import cluster_stage
    from analyzer.scores.pipeline import score_all

    opts = ScoringOptions(now=NOW)
    with TreePeak() as peak:
        peak.watch_uplift()
        tables = synthetic_tables(n)
        frames = build_frames(tables, opts)
        n_comments = len(tables["review_comments"]) + len(tables["issue_comments"]) + len(tables["reviews"])
        del tables
        result = {"n": float(n_comments), "build_peak": peak.sample() / 2**20}
        peak.phase = "scoring"
        held = [frames]  # handed to score_all without a reference kept here, as ``analyzer score`` does
        del frames
        if cluster:
            with (
                tempfile.TemporaryDirectory() as folder,
                cluster_stage(workers=WORKERS, folder=folder, memory_limit=MEMORY_LIMIT) as stage,
            ):
                t = time.perf_counter()
                scores = score_all(held.pop(), opts, stage=stage)
                result["wall"] = time.perf_counter() - t
        else:
            t = time.perf_counter()
            scores = score_all(held.pop(), opts)
            result["wall"] = time.perf_counter() - t
        result["per_pr"] = float(scores.meta["timings_s"]["per_pr"])  # type: ignore[index]
        result["rows"] = float(len(scores.comments))
    result["peak_mb"] = peak.peak / 2**20
    result["client_at_peak_mb"] = peak.client_at_peak / 2**20
    result["uplift_peak_mb"] = peak.phases.get("uplift", 0) / 2**20
    result["rest_peak_mb"] = peak.phases.get("scoring", 0) / 2**20
    out.send(result)


def run(n: int, cluster: bool) -> dict[str, float]:
    result: dict[str, float] = in_fresh_process(_child, n, cluster)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="comments per corpus")
    parser.add_argument(
        "--baseline-size", type=int, help="comments of the one-process baseline (default: the smallest size)"
    )
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    print(
        f"machine: {psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GB (shared with other jobs)"
    )
    base = run(args.baseline_size or sizes[0], cluster=False)
    print(
        f"baseline, one process, {base['n']:,.0f} comments: {base['wall']:.1f} s "
        f"({base['wall'] / base['n'] * 1e6:.1f} s per million), peak {base['peak_mb']:,.0f} MB"
    )
    first: dict[str, float] | None = None
    for n in sizes:
        res = run(n, cluster=True)
        first = first or res
        per_m = res["wall"] / res["n"] * 1e6
        last, ratio = res, per_m / (first["wall"] / first["n"] * 1e6)
        print(
            f"LocalCluster {WORKERS} workers x {MEMORY_LIMIT}, {res['n']:,.0f} comments: {res['wall']:.1f} s "
            f"({per_m:.1f} s per million; per-PR stage {res['per_pr']:.1f} s), peak of the process tree "
            f"{res['peak_mb']:,.0f} MB (client {res['client_at_peak_mb']:,.0f} MB + cluster processes "
            f"{res['peak_mb'] - res['client_at_peak_mb']:,.0f} MB at that moment; "
            f"after building the corpus {res['build_peak']:,.0f} MB; while the uplift "
            f"fit runs {res['uplift_peak_mb']:,.0f} MB; outside it {res['rest_peak_mb']:,.0f} MB); "
            f"time per million vs {first['n']:,.0f}: {ratio:.2f}x; "
            f"vs one process at {base['n']:,.0f}: {res['wall'] / res['n'] / (base['wall'] / base['n']):.2f}x"
        )
    print(
        f"goals at {last['n']:,.0f} comments: peak {last['peak_mb'] / 1024:.2f} GB <= {PEAK_GOAL_GB} GB "
        f"{'met' if last['peak_mb'] / 1024 <= PEAK_GOAL_GB else 'NOT met'}; time per million {ratio:.2f}x that at "
        f"{first['n']:,.0f} <= {TIME_GOAL}x {'met' if ratio <= TIME_GOAL else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
