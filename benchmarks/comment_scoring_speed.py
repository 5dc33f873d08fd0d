"""Throughput of the vectorised comment scorer on synthetic review comments.

Usage: python benchmarks/comment_scoring_speed.py [N]   (default 1,000,000)
Prints comments/second for ``score_comments`` and, as the naive baseline, for calling
``score_comment`` one row at a time on a small sample.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from analyzer.scores.comments import score_comment, score_comments

TEMPLATES = (
    "Thanks! Could you rename `{ident}` to something clearer? It is used in {n} places.",
    "nit: trailing whitespace here",
    "LGTM",
    "Why did you change `{ident}`? This breaks the retry logic because the timeout is never reset!!",
    "This is ugly, please split it up. See https://example.com/style#{n}",
    "> original text\nI think we should keep {ident} as is, since @alice relies on it (#{n}).",
    "```suggestion\n{ident} = compute({n})\n```\nmaybe like this?",
    "\U0001f44d",
    "question: is {ident} thread safe? What happens when two workers call it at once?",
)


def synthetic_comments(n: int, seed: int = 0) -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(seed)
    idents = np.array([f"load_config_{i}" for i in range(50)])
    rows = rng.integers(0, len(TEMPLATES), n)
    texts = [TEMPLATES[r].format(ident=idents[i % 50], n=i % 97) for i, r in enumerate(rows)]
    hunks = [f"@@ -1 +1 @@\n-x = {idents[i % 50]}\n+y = {idents[(i + 1) % 50]}" for i in range(n)]
    return pd.Series(texts), pd.Series(hunks)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    bodies, hunks = synthetic_comments(n)
    start = time.perf_counter()
    scores = score_comments(bodies, hunks)
    vectorised = time.perf_counter() - start
    sample = bodies.head(300)
    start = time.perf_counter()
    for body in sample:
        score_comment(body)
    per_row = (time.perf_counter() - start) / len(sample)
    rate = n / vectorised
    print(
        f"score_comments: {n:,} comments in {vectorised:.1f} s = {rate:,.0f} comments/s "
        f"(harsh share {scores['harsh'].mean():.2f})"
    )
    print(
        f"score_comment one by one: {1 / per_row:,.0f} comments/s; vectorised speed-up x{rate * per_row:,.0f}"
    )


if __name__ == "__main__":
    main()
