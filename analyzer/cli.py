"""The command line: a thin translator from flags to library calls.

Only this module prints. Every ``AnalyzerError`` becomes one line on stderr and a non-zero exit;
a user mistake never shows a traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import traceback
import webbrowser
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from analyzer import __version__
from analyzer.cli_progress import CollectProgress
from analyzer.errors import AnalyzerError, ConfigError, OutputError

EPILOG = """\
examples:
  analyzer demo                              # built-in demo org -> out/demo/report.html
  GITHUB_TOKEN=... analyzer run --org acme   # collect, score and report a real org
  analyzer collect --org acme --max-wait 600
  analyzer calibrate --csv labelled.csv --text-column body --label-column toxic --target harsh
  analyzer calibrate --transfer               # leave-one-dataset-out report over ../shared/datasets

The token is read from GITHUB_TOKEN or GH_TOKEN, or from --token-file; never from config.toml.
Several tokens: repeat --token-file (or github.token_files); as a GitHub App: github.app_id and
github.app_private_key_file in config.toml. Each credential keeps its own rate limit (docs/scaling.md).
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except AnalyzerError as exc:
        print(f"analyzer: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("analyzer: interrupted; the store is consistent - run the same command to resume", file=sys.stderr)
        return 130
    except OSError as exc:  # the last net for the machine's own failures (full disk, I/O errors)
        print(f"analyzer: error: {_os_error_line(exc)}", file=sys.stderr)
        return OutputError.exit_code
    except Exception as exc:  # a bug, on any thread of any stage: one line; the traceback only with --debug
        if getattr(args, "debug", False):
            traceback.print_exc()
        print(f"analyzer: error: {_unexpected_line(exc, _STAGE[0])}", file=sys.stderr)
        return UNEXPECTED_EXIT


UNEXPECTED_EXIT = 70  # EX_SOFTWARE
_STAGE = ["analyzer"]  # the command stage running now (``run`` moves through collect, score, report)


def _unexpected_line(exc: BaseException, stage: str) -> str:
    """What failed, where, and that the store is intact; secrets scrubbed from the exception's text."""
    where = ""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        found = re.search(r"(analyzer[/\\][\w/\\]+\.py)$", frame.filename)
        if found:
            where = f" in {found[1]}:{frame.lineno}"
            break
    text = _scrubbed(str(exc).splitlines()[0] if str(exc) else "")[:160]
    return (
        f"{stage} failed unexpectedly ({type(exc).__name__}{': ' + text if text else ''}{where}); the store is"
        " intact (each write is one transaction) - run again with --debug for the traceback, and please report it"
    )


def _scrubbed(text: str) -> str:
    """``text`` without the token(s) in the environment and without credentials in URLs."""
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        secret = os.environ.get(name, "").strip()
        if len(secret) >= 4:
            text = text.replace(secret, "***")
    return re.sub(r"://[^/\s@]+@", "://***@", text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="analyzer",
        description="Measure how each engineer multiplies the team: review empathy and thoroughness, "
        "mentoring reach, docs and CI credit, with the evidence behind every number.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"analyzer {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    demo = sub.add_parser("demo", help="run everything on the built-in demo org (no network, no token)",
                          description="Serve the built-in demo organisation on 127.0.0.1, collect it, score it and "
                          "write the report into --out (no network, no token). Prints where the store and report are.")
    demo.add_argument("--out", default="out/demo", help="output folder (default: out/demo)")
    demo.add_argument("--seed", type=int, default=7, help="demo generator seed (default: 7)")
    demo.add_argument("--scale", type=float, default=1.0, help="demo size; 1.0 is about 1,500 PRs")
    demo.add_argument("--open", action="store_true", help="open the report in a browser when done")
    _common(demo, store=False)
    demo.set_defaults(handler=_cmd_demo)

    collect = sub.add_parser("collect", help="collect an org or repositories from GitHub into the store",
                             description="Fetch pull requests, reviews, comments, commits and CI runs of the "
                             "configured organisations or repositories into the SQLite store. Incremental and "
                             "resumable; shows one progress bar per repository and stream with the REST and "
                             "GraphQL budgets left.")
    _source_flags(collect)
    _common(collect)
    collect.set_defaults(handler=_cmd_collect)

    score = sub.add_parser("score", help="score the store; writes score_* tables and Parquet files",
                           description="Compute every per-person score (with its sample size and 90 % interval) "
                           "from the collected store, offline; writes score_* tables into the store and Parquet "
                           "files. Run it after collect and before report. All tables of a run replace the "
                           "previous ones at once (a kill or full disk leaves the previous scores); one score "
                           "run per store at a time.")
    score.add_argument("--parquet-dir", help="where to write Parquet (default: store.parquet_dir)")
    score.add_argument("--no-cache", action="store_true",
                       help="score everything afresh, ignoring and not writing store.score_cache")
    cluster = score.add_mutually_exclusive_group()
    cluster.add_argument("--scheduler", metavar="tcp://HOST:8786",
                         help="run the per-PR stage on this Dask cluster (its workers must see the store's "
                         "folder at the same path; see docs/scaling.md)")
    cluster.add_argument("--workers", type=int, metavar="N",
                         help="start a local Dask cluster of N worker processes for the per-PR stage "
                         "(default: no cluster, one process)")
    _common(score)
    score.set_defaults(handler=_cmd_score)

    report = sub.add_parser("report", help="write the self-contained HTML report",
                            description="Write the report of a scored store: one self-contained HTML file that "
                            "opens offline. Needs `analyzer collect` then `analyzer score` first.")
    _report_flags(report)
    _common(report)
    report.set_defaults(handler=_cmd_report)

    run = sub.add_parser("run", help="collect, score and report in one go",
                         description="Collect, score and write the report in one go (the same as the three "
                         "commands one after the other).")
    _source_flags(run)
    _report_flags(run)
    _common(run)
    run.set_defaults(handler=_cmd_run)

    calibrate = sub.add_parser("calibrate", help="check the comment scorers against your own labelled CSV",
                               description="Cross-validate the harsh or useful comment scorer on your own "
                               "labelled comments (a CSV) and compare it with the shipped weights; --fit "
                               "writes weights fitted on your CSV; --transfer prints the leave-one-dataset-out "
                               "report over the shared labelled sets.")
    calibrate.add_argument("--csv", help="CSV file with one labelled comment per row")
    calibrate.add_argument("--text-column", help="column holding the comment text (with --csv)")
    calibrate.add_argument("--label-column", help="column holding the label (with --csv)")
    calibrate.add_argument("--positive", help="label value meaning positive (default: 1/true/yes)")
    calibrate.add_argument("--diff-column", help="optional column with the diff hunk of each comment")
    calibrate.add_argument("--target", choices=["harsh", "useful"], help="which score to check (with --csv)")
    calibrate.add_argument("--folds", type=int, default=5, help="k for k-fold cross-validation (default: 5)")
    calibrate.add_argument("--fit", metavar="WEIGHTS_JSON", help="fit the --target model on --csv and write a "
                           "weights file (point [scores] comment_weights in config.toml at it)")
    calibrate.add_argument("--transfer", action="store_true", help="leave-one-dataset-out report over the "
                           "shared labelled sets, with in-set CV, length and VADER baselines")
    calibrate.add_argument("--datasets", help="folder of the shared labelled sets (default: ../shared/datasets "
                           "beside the source tree)")
    calibrate.add_argument("--quiet", action="store_true", help=argparse.SUPPRESS)
    calibrate.set_defaults(handler=_cmd_calibrate)
    return parser


def _common(parser: argparse.ArgumentParser, store: bool = True) -> None:
    parser.add_argument("--config", help="config.toml to read (default: ./config.toml if present)")
    if store:
        parser.add_argument("--store", help="SQLite store path (default: store.path from the config)")
    parser.add_argument("--now", help="treat this ISO date/time as now (reproducible windows and reports)")
    parser.add_argument("--quiet", action="store_true", help="print only the final summary")
    parser.add_argument("--debug", action="store_true", help="on an unexpected failure, print its traceback too")


def _source_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--org", action="append", default=[], help="organization login (repeatable)")
    parser.add_argument("--repo", action="append", default=[], help="OWNER/NAME repository (repeatable)")
    parser.add_argument("--base-url", help="API URL, e.g. https://ghe.example.com/api/v3 for Enterprise")
    parser.add_argument("--token-file", action="append", default=[],
                        help="file holding a token (else GITHUB_TOKEN / GH_TOKEN); repeat it to collect with several "
                             "tokens side by side, each with its own rate limit (docs/scaling.md)")
    parser.add_argument("--max-wait", type=float, help="longest rate-limit wait in seconds before stopping")


def _report_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", help="report file (default: report.output from the config)")
    parser.add_argument("--open", action="store_true", help="open the report in a browser when done")
    parser.add_argument("--pseudonymize", action="store_true",
                        help="replace every login, name, @mention and e-mail address with a pseudonym keyed by "
                             "the organisation's secret key (report.pseudonym_key_file; default: beside the store)")


# -- commands ---------------------------------------------------------------------------------------


def _cmd_demo(args: argparse.Namespace) -> int:
    from analyzer.pipeline import run_demo

    _STAGE[0] = "demo"
    say = CollectProgress(args.quiet)  # one bar per repository and stream while collecting
    try:
        result = run_demo(
            Path(args.out),
            seed=args.seed,
            scale=args.scale,
            config=_config(args),
            now=_now(args),
            progress=say,
        )
    finally:
        say.close()
    print(f"store:  {result.store}")
    if result.report:
        print(f"report: {result.report}")
        if args.open:
            webbrowser.open(result.report.resolve().as_uri())
    return 0


def _cmd_collect(args: argparse.Namespace) -> int:
    from analyzer.pipeline import collect_from_config

    _STAGE[0] = "collect"
    config = _with_source(_config(args), args)
    bars = CollectProgress(args.quiet)
    try:
        result = collect_from_config(
            config,
            store=args.store,
            token_file=args.token_file,
            now=_now(args),
            max_wait=args.max_wait,
            progress=bars,
        )
    finally:
        bars.close()
    budget = result.budget
    print(
        f"collected {len(result.repos)} repositories into {args.store or config.store.path}: "
        f"{budget.graphql_requests} GraphQL + {budget.rest_requests} REST requests, "
        f"{budget.graphql_points} GraphQL points; budget left: REST {budget.rest_remaining}, "
        f"GraphQL {budget.graphql_remaining}"
    )
    if len(result.credentials) > 1:
        for use in result.credentials:
            spent = use.budget
            print(f"  {use.label}: {len(use.repos)} repositories, {spent.graphql_requests} GraphQL +"
                  f" {spent.rest_requests} REST requests; left: REST {spent.rest_remaining},"
                  f" GraphQL {spent.graphql_remaining}")
    for line in _gap_lines(result.gaps):
        print(line)
    return 0


def _gap_lines(gaps: list[dict[str, object]], shown: int = 10) -> list[str]:
    """The end-of-run report of what GitHub would not give (issue 9)."""
    if not gaps:
        return []
    lines = [f"data completeness: {len(gaps)} gap(s) GitHub would not fill (kept in the store's collection_gaps,"
             " shown on the report's methodology page; the next collect tries them again):"]
    for gap in gaps[:shown]:
        pr = f" #{gap['pr_number']}" if gap.get("pr_number") is not None else ""
        path = f" [{gap['path']}]" if gap.get("path") else ""
        lines.append(f"  {gap['repo']}{pr}{path}: {str(gap['error'])[:160]} ({gap['recorded_at']})")
    if len(gaps) > shown:
        lines.append(f"  ... and {len(gaps) - shown} more")
    return lines


def _cmd_score(args: argparse.Namespace) -> int:
    from analyzer.pipeline import score_store

    _STAGE[0] = "score"
    config = _config(args)
    if getattr(args, "no_cache", False):
        config = replace(config, store=replace(config.store, score_cache=""))
    written = score_store(config, store=args.store, parquet_dir=args.parquet_dir, now=_now(args),
                          progress=_printer(args.quiet), scheduler=getattr(args, "scheduler", None),
                          workers=getattr(args, "workers", None))
    print(f"scores written: {len(written)} tables into {args.store or config.store.path} and Parquet")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from analyzer.pipeline import report_store

    _STAGE[0] = "report"
    config = _config(args)
    path = report_store(config, store=args.store, out=args.out, now=_now(args),
                        pseudonymize=args.pseudonymize or config.report.pseudonymize, progress=_printer(args.quiet))
    print(f"report: {path}")
    if args.open:
        webbrowser.open(path.resolve().as_uri())
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    _cmd_collect(args)
    _cmd_score(argparse.Namespace(**{**vars(args), "parquet_dir": None}))
    return _cmd_report(args)


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from analyzer.scores.calibration import calibrate_csv, fit_csv

    if args.folds < 2:
        raise ConfigError("--folds must be at least 2")
    if args.transfer:
        from analyzer.scores.transfer import default_datasets_dir, load_sets, transfer_report

        folder = Path(args.datasets).expanduser() if args.datasets else default_datasets_dir()
        for line in transfer_report(load_sets(folder), in_set_folds=args.folds).to_lines():
            print(line)
        if not args.csv:
            return 0
    missing = [flag for flag, value in (("--csv", args.csv), ("--text-column", args.text_column),
               ("--label-column", args.label_column), ("--target", args.target)) if not value]
    if missing:
        raise ConfigError(f"calibrate needs {', '.join(missing)} (or --transfer alone); see analyzer calibrate --help")
    if args.fit:
        for line in fit_csv(args.csv, args.text_column, args.label_column, Path(args.fit), positive=args.positive,
                            diff_column=args.diff_column, target=args.target, k=args.folds):
            print(line)
        return 0
    result = calibrate_csv(
        args.csv,
        text_column=args.text_column,
        label_column=args.label_column,
        positive=args.positive,
        diff_column=args.diff_column,
        target=args.target,
        k=args.folds,
    )
    for line in result.to_lines():
        print(line)
    return 0


# -- helpers ------------------------------------------------------------------------------------------


def _config(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from analyzer.config import load_config

    path = args.config
    if path is None and Path("config.toml").exists():
        path = "config.toml"
    config = load_config(path)
    if config.scores.comment_weights:  # refitted comment scorer weights (analyzer calibrate --fit)
        from analyzer.scores.comments import use_weights

        weights = Path(config.scores.comment_weights).expanduser()
        if not weights.is_absolute() and config.source:  # relative to the config file, like its other paths
            weights = Path(config.source).parent / weights
        use_weights(weights, config.scores.comment_weights_sha256 or None)
    return config


def _with_source(config, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    github = config.github
    if args.org or args.repo:
        github = replace(github, organizations=tuple(args.org), repositories=tuple(args.repo))
    if args.base_url:
        from analyzer.config import check_base_url

        github = replace(github, base_url=check_base_url(args.base_url, "--base-url"))
    if args.token_file:
        github = replace(github, token_file=args.token_file[0], token_files=tuple(args.token_file[1:]))
    return replace(config, github=github)


def _now(args: argparse.Namespace) -> datetime | None:
    if not getattr(args, "now", None):
        return None
    try:
        value = datetime.fromisoformat(str(args.now).replace("Z", "+00:00"))
    except ValueError as exc:
        raise ConfigError(f'--now must be an ISO date or time like "2026-11-01", got {args.now!r}') from exc
    from analyzer.config import check_time

    return check_time(value if value.tzinfo else value.replace(tzinfo=UTC), "--now")


def _os_error_line(exc: OSError) -> str:
    from analyzer.outputs import reason

    where = f" ({exc.filename})" if exc.filename else ""
    return f"{reason(exc)}{where}; fix that and run the same command again"


def _printer(quiet: bool) -> Callable[[str], None]:
    def say(line: str) -> None:
        if not quiet:
            print(line, file=sys.stderr, flush=True)

    return say


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
