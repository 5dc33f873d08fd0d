"""analyzer: how much each engineer makes the people around them better.

The public API, for notebooks and scripts (frames and scores in two lines)::

    import analyzer
    scores = analyzer.score("out/demo/demo.sqlite")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from analyzer.config import Config as Config

__all__ = [
    "Config",
    "__version__",
    "build_report",
    "load_config",
    "load_frames",
    "read_scores",
    "run_demo",
    "score",
    "UpliftSettings",
    "uplift_scores",
]


def __getattr__(name: str) -> Any:
    """Import stages lazily so `import analyzer` stays fast and the CLI starts quickly."""
    if name in ("load_frames", "score", "run_demo"):
        from analyzer import pipeline

        return getattr(pipeline, name)
    if name in ("Config", "load_config"):
        from analyzer import config

        return getattr(config, name)
    if name == "read_scores":
        from analyzer.scores.pipeline import read_scores

        return read_scores
    if name in ("UpliftSettings", "uplift_scores"):  # the multiplier effect, refitted with other choices
        from analyzer.scores import uplift

        return getattr(uplift, name)
    if name == "build_report":
        from analyzer.report import build_report

        return build_report
    raise AttributeError(f"module 'analyzer' has no attribute {name!r}")
