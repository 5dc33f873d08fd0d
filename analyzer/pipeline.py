"""Stage orchestration shared by the CLI and notebooks: collect → store → frames → scores → report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.collector import CollectResult, ProgressEvent, SystemClock, collect
from analyzer.collector.credentials import resolve_credentials
from analyzer.config import Config, check_base_url
from analyzer.errors import StoreError
from analyzer.outputs import check_file_target, check_folder_target

if TYPE_CHECKING:
    from analyzer.frames import Frames
    from analyzer.scores.pipeline import Scores

Say = Callable[[str], None]
DEMO_TOKEN = "demo-token-not-a-secret"
DEMO_WEB_URL = "https://github.demo.invalid"  # the demo's web links: fixed, so reports are reproducible


def _quiet(line: str) -> None:
    return None


def _collect_printer(say: Say) -> Callable[[ProgressEvent], None]:
    """Collector events for ``say``: its own ``on_event`` when it has one (the CLI's progress bars),
    else one labelled line per page."""
    on_event = getattr(say, "on_event", None)
    if callable(on_event):
        return on_event  # type: ignore[no-any-return]

    def show(event: ProgressEvent) -> None:
        rest = "?" if event.rest_left is None else str(event.rest_left)
        graphql = "?" if event.graphql_left is None else str(event.graphql_left)
        say(
            f"  {event.repo:<28} {event.stream:<13} page {event.pages:>4}  items {event.items:>6}"
            f"  requests {event.requests:>5}  REST left {rest}  GraphQL left {graphql}"
        )

    return show


def collect_from_config(
    config: Config,
    *,
    store: str | Path | None = None,
    token_file: str | Sequence[str] | None = None,
    now: datetime | None = None,
    max_wait: float | None = None,
    progress: Say = _quiet,
) -> CollectResult:
    """Collect what ``config.github`` names with every credential given: the token from the environment
    or the token file(s) (``token_file``: the command line's, one or several), and a GitHub App
    (docs/scaling.md). Everything the user gave is checked before the first request: the base URL, the
    tokens and App key, the window and the store path (a folder, a path under a file or on read-only
    media fails here, in one line)."""
    check_base_url(config.github.base_url)
    target = check_file_target(store or config.store.path, "the store", "--store (or store.path)")
    clock = SystemClock()
    files = [token_file] if isinstance(token_file, str) else list(token_file or ())
    credentials = resolve_credentials(config.github, clock, files)
    start, end = config.window.bounds(now or datetime.now(tz=UTC))
    return collect(
        config.github,
        target,
        credentials=credentials,
        window=(start.timestamp(), end.timestamp()),
        clock=clock,
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
    return _load(Path(store).expanduser(), scoring_options(cfg, now or _store_now(store)))


def score(
    store: str | Path, config: Config | None = None, now: datetime | None = None, stage: Any = None
) -> Scores:
    """Frames and scores of a store, without writing anything (``stage``: where the per-PR stage runs,
    e.g. ``analyzer.scores.distributed.cluster_stage``; default this process)."""
    from analyzer.frames import load_frames as _load
    from analyzer.scores.pipeline import score_all

    cfg = config or Config()
    options = scoring_options(cfg, now or _store_now(store))
    return score_all(_load(Path(store).expanduser(), options), options, stage=stage)


def score_store(
    config: Config,
    *,
    store: str | Path | None = None,
    parquet_dir: str | Path | None = None,
    now: datetime | None = None,
    progress: Say = _quiet,
    scheduler: str | None = None,
    workers: int | None = None,
) -> list[Path]:
    """Score the store and write the tables (one generation: see ``write_scores``), holding the
    store's score lock so a second run on the same store stops at once with one line. The store must be
    an analyzer store of this schema and the Parquet folder writable, both checked before scoring.
    ``scheduler`` (an existing Dask cluster) or ``workers`` (a local one) run the per-PR stage there."""
    from analyzer.scores.pipeline import PARQUET_FLAG, write_scores
    from analyzer.store.access import require_current_store
    from analyzer.store.lock import score_lock

    path = require_current_store(store or config.store.path).path
    out_dir = check_folder_target(parquet_dir or config.store.parquet_dir, "the Parquet folder", PARQUET_FLAG)
    with score_lock(path):
        progress(f"scoring {path}")
        if scheduler is None and workers is None:
            scores = score(path, config, now)
        else:
            from analyzer.scores.distributed import cluster_stage

            # the Parquet hand-off goes beside the store, where the workers can read it
            with cluster_stage(scheduler, workers, folder=path.parent / f"{path.name}.dask") as stage:
                progress(f"per-PR stage on the Dask cluster {stage.client.scheduler.address}")
                scores = score(path, config, now, stage)
        return write_scores(scores, path, out_dir)


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
    from analyzer.store.access import inspect_store

    path = inspect_store(store or config.store.path).path  # an analyzer store (a read-only check)
    target = check_file_target(out or config.report.output, "the report", "--out (or report.output)")
    scores = read_scores(path)
    scores.meta["collection_gaps"] = collection_gaps(path)  # the methodology page's "Data completeness"
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


def collection_gaps(store: str | Path) -> list[dict[str, Any]] | None:
    """What the collector could not fetch and has not fetched since (None: the store cannot say)."""
    from analyzer.errors import AnalyzerError
    from analyzer.store.run_log import read_open_gaps

    try:  # read-only: a report never writes into the store (nor upgrades its schema)
        return read_open_gaps(store)
    except AnalyzerError:
        return None


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
    """Default "now" for a store: the end of its newest collection run (stable across re-scoring).
    Read-only: neither score nor report changes a store's schema (only collect upgrades a store)."""
    from analyzer.store.access import inspect_store
    from analyzer.store.run_log import last_collection_end

    path = inspect_store(store).path
    ended = last_collection_end(path)
    if not ended:
        return datetime.now(tz=UTC)
    try:
        return datetime.fromisoformat(str(ended).replace("Z", "+00:00"))
    except ValueError as exc:
        raise StoreError(f"{path}: collection_runs.ended_at {str(ended)[:40]!r} is not a time;"
                         " pass --now to score as of a date") from exc
