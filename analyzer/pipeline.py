"""Stage orchestration shared by the CLI and notebooks: collect → store → frames → scores → report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.collector import CollectResult, ProgressEvent, collect, resolve_token
from analyzer.config import Config

if TYPE_CHECKING:
    from analyzer.frames import Frames
    from analyzer.scores.pipeline import Scores

Say = Callable[[str], None]
DEMO_TOKEN = "demo-token-not-a-secret"
DEMO_WEB_URL = "https://github.demo.invalid"  # the demo's web links: fixed, so reports are reproducible


def _quiet(line: str) -> None:
    return None


def _collect_printer(say: Say) -> Callable[[ProgressEvent], None]:
    def show(event: ProgressEvent) -> None:
        left = "?" if event.budget_left is None else str(event.budget_left)
        say(
            f"  {event.repo:<28} {event.stream:<13} page {event.pages:>4}  items {event.items:>6}"
            f"  requests {event.requests:>5}  budget left {left}"
        )

    return show


def collect_from_config(
    config: Config,
    *,
    store: str | Path | None = None,
    token_file: str | None = None,
    now: datetime | None = None,
    max_wait: float | None = None,
    progress: Say = _quiet,
) -> CollectResult:
    """Collect what ``config.github`` names, with the token from the environment or a token file."""
    token = resolve_token(token_file or config.github.token_file or None)
    start, end = config.window.bounds(now or datetime.now(tz=UTC))
    return collect(
        config.github,
        store or config.store.path,
        token=token,
        window=(start.timestamp(), end.timestamp()),
        progress=_collect_printer(progress),
        max_wait=max_wait,
    )


def scoring_options(config: Config, now: datetime) -> Any:
    """Map config.toml onto the scorer's options."""
    from analyzer.scores.options import options_from_config

    return options_from_config(config, now)


def load_frames(store: str | Path, config: Config | None = None, now: datetime | None = None) -> Frames:
    from analyzer.frames import load_frames as _load

    cfg = config or Config()
    return _load(store, scoring_options(cfg, now or _store_now(store)))


def score(store: str | Path, config: Config | None = None, now: datetime | None = None) -> Scores:
    """Frames and scores of a store, without writing anything."""
    from analyzer.frames import load_frames as _load
    from analyzer.scores.pipeline import score_all

    cfg = config or Config()
    options = scoring_options(cfg, now or _store_now(store))
    return score_all(_load(store, options), options)


def score_store(
    config: Config,
    *,
    store: str | Path | None = None,
    parquet_dir: str | Path | None = None,
    now: datetime | None = None,
    progress: Say = _quiet,
) -> list[Path]:
    from analyzer.scores.pipeline import write_scores

    path = Path(store or config.store.path)
    progress(f"scoring {path}")
    scores = score(path, config, now)
    return write_scores(scores, path, Path(parquet_dir or config.store.parquet_dir))


def report_store(
    config: Config,
    *,
    store: str | Path | None = None,
    out: str | Path | None = None,
    now: datetime | None = None,
    pseudonymize: bool = False,
    progress: Say = _quiet,
) -> Path:
    from analyzer.report import build_report
    from analyzer.scores.pipeline import read_scores

    path = Path(store or config.store.path)
    scores = read_scores(path)
    target = Path(out or config.report.output)
    key = None
    if pseudonymize:  # the organisation's secret key: outside the report and the store, never printed
        from analyzer.report.pseudonym import key_file_beside, load_or_create_key

        key = load_or_create_key(config.report.pseudonym_key_file or key_file_beside(path))
    progress(f"writing report {target}")
    return build_report(
        scores,
        target,
        now=now or _store_now(path),
        title=config.report.title,
        pseudonymize=pseudonymize,
        min_group_size=config.report.min_group_size,
        github_url=config.web_url(),
        pseudonym_key=key,
    )


@dataclass(frozen=True)
class DemoResult:
    store: Path
    report: Path | None


def run_demo(
    out: Path,
    *,
    seed: int = 7,
    scale: float = 1.0,
    config: Config | None = None,
    now: datetime | None = None,
    progress: Say = _quiet,
) -> DemoResult:
    """Serve the demo org on loopback, collect it for real into a fresh store, score and report."""
    from analyzer.demo import DEMO_NOW, generate_org
    from analyzer.fakegithub import FakeGitHub

    cfg = config or Config()
    the_now = now or DEMO_NOW
    progress(f"generating the demo org (seed {seed}, scale {scale})")
    model = generate_org(seed=seed, scale=scale)
    out.mkdir(parents=True, exist_ok=True)
    store = out / "demo.sqlite"
    for stale in (store, Path(f"{store}-wal"), Path(f"{store}-shm")):
        stale.unlink(missing_ok=True)
    with FakeGitHub(model, tokens={DEMO_TOKEN}, web_url=DEMO_WEB_URL) as server:
        progress(f"demo GitHub server on {server.base_url}")
        github = replace(
            cfg.github,
            base_url=server.base_url,
            organizations=(model.login,),
            repositories=(),
            seconds_between_requests=0.0,
        )
        start, end = cfg.window.bounds(the_now)
        collect(
            github,
            store,
            token=DEMO_TOKEN,
            window=(start.timestamp(), end.timestamp()),
            progress=_collect_printer(progress),
        )
    demo_cfg = replace(
        cfg,
        store=replace(cfg.store, path=str(store), parquet_dir=str(out / "scores"), score_cache=""),
        report=replace(cfg.report, output=str(out / "report.html"), github_url=DEMO_WEB_URL),
    )
    score_store(demo_cfg, now=the_now, progress=progress)
    report = report_store(demo_cfg, now=the_now, pseudonymize=cfg.report.pseudonymize, progress=progress)
    return DemoResult(store=store, report=report)


def _store_now(store: str | Path) -> datetime:
    """Default "now" for a store: the end of its newest collection run (stable across re-scoring)."""
    from analyzer.store import Store

    with Store(store, create=False) as handle:
        runs = handle.runs()
    ended = [r["ended_at"] for r in runs if r.get("ended_at")]
    if not ended:
        return datetime.now(tz=UTC)
    return datetime.fromisoformat(str(max(ended)).replace("Z", "+00:00"))
