"""Do the team-level steps pay for their threads? score_all with the steps on threads against one after
another, interleaved in one process on the same synthetic corpus as score_speed.py.

Prints, per variant (threads for the team-level steps and the cache helper, none, or the team-level
steps' only), the median wall time of full runs (no cache) and of re-scores after 1 % new comments
(incremental cache, each from a fresh copy of the same cold cache), and the ratio to the serial variant.
Interleaving (threads, serial, threads, serial, ...) puts both variants under the same machine load, so
the ratio holds on a busy machine where absolute seconds do not. The tables are the same either way
(tests/scores/test_incremental.py); this measures only time.

Usage: python benchmarks/score_schedule.py [--comments 1000000] [--repeats 3] [--rescore-only]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from score_speed import NOW, synthetic_tables, with_new_comments  # noqa: E402

from analyzer.frames import build_frames  # noqa: E402
from analyzer.scores import incremental, pipeline  # noqa: E402
from analyzer.scores.options import ScoringOptions  # noqa: E402

# (threads for the team-level steps, threads helping the score cache)
VARIANTS = {"threads": (2, 1), "serial": (0, 0), "team threads only": (2, 0)}


@contextmanager
def variant(name: str) -> Iterator[None]:
    team, helper = VARIANTS[name]
    saved = pipeline.TEAM_STEP_THREADS, incremental.CACHE_HELPER_THREADS
    pipeline.TEAM_STEP_THREADS, incremental.CACHE_HELPER_THREADS = team, helper
    try:
        yield
    finally:
        pipeline.TEAM_STEP_THREADS, incremental.CACHE_HELPER_THREADS = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rescore-only", action="store_true", help="skip the full runs")
    args = parser.parse_args()
    opts = ScoringOptions(now=NOW)
    tables = synthetic_tables(args.comments)
    frames = build_frames(tables, opts)
    grown = build_frames(with_new_comments(tables, 0.01), opts)
    full: dict[str, list[float]] = {name: [] for name in VARIANTS}
    rescore: dict[str, list[float]] = {name: [] for name in VARIANTS}
    if not args.rescore_only:
        pipeline.score_all(frames, opts)  # warm-up: models loaded, code paths compiled, for every variant alike
    with tempfile.TemporaryDirectory() as tmp:
        pristine, cache = Path(tmp) / "pristine", Path(tmp) / "cache"
        pipeline.score_all(frames, replace(opts, cache=pristine))  # the cold cache every re-score starts from
        for _ in range(args.repeats):
            for name in VARIANTS:
                with variant(name):
                    if not args.rescore_only:
                        t = time.perf_counter()
                        pipeline.score_all(frames, opts)
                        full[name].append(time.perf_counter() - t)
                    shutil.rmtree(cache, ignore_errors=True)
                    shutil.copytree(pristine, cache)
                    t = time.perf_counter()
                    pipeline.score_all(grown, replace(opts, cache=cache))
                    rescore[name].append(time.perf_counter() - t)
    n = len(tables["review_comments"]) + len(tables["issue_comments"]) + len(tables["reviews"])
    print(f"corpus: {n:,} comments (synthetic, as score_speed.py); {args.repeats} interleaved runs per variant")
    for label, runs in (("full run (no cache)", full), ("re-score after 1 % new comments (cache)", rescore)):
        if not runs["serial"]:
            continue
        med = {name: statistics.median(values) for name, values in runs.items()}
        each = [f"{name} {med[name]:.1f} s ({min(runs[name]):.1f}-{max(runs[name]):.1f})" for name in VARIANTS]
        ratios = [f"{name} / serial = {med[name] / med['serial']:.2f}" for name in VARIANTS if name != "serial"]
        print(f"{label}: {', '.join(each)}; {', '.join(ratios)}")


if __name__ == "__main__":
    main()
