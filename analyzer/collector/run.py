"""Collect an organisation (or a list of repositories) into the store.

Discovery happens before the store is opened: a bad token, an unknown org, an SSO-protected org, an
empty org or a repository without pull requests fails with a typed error and leaves the store untouched
(and a first run that fails before its first page leaves no store file behind). Runs a killed or
interrupted collector left 'running' are marked 'interrupted' when the next one starts. What GitHub
would not give (a PR it keeps failing on, parts of pages it refused) is recorded as gaps
(``collection_gaps``), returned in ``CollectResult.gaps`` and tried again by the next run.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzer.collector import queries
from analyzer.collector.client import Budget, ClientOptions, GitHubClient
from analyzer.collector.clock import Clock, SystemClock, iso
from analyzer.collector.streams import ProgressEvent, ProgressFn, RepoSync, SyncWindow
from analyzer.collector.writer import PageWriter
from analyzer.config import GitHubSection
from analyzer.errors import (
    AnalyzerError,
    AuthError,
    ConfigError,
    NoDataError,
    NotFoundError,
    RateLimitWaitTooLong,
)
from analyzer.store.store import Store

JSON = dict[str, Any]


@dataclass
class CollectResult:
    run_id: int
    repos: list[str]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per phase, summed over repos
    budget: Budget = field(default_factory=Budget)
    status: str = "ok"
    gaps: list[dict[str, Any]] = field(default_factory=list)  # open gaps of the collected repos after the run


def resolve_token(token_file: str | Path | None = None, env: dict[str, str] | None = None) -> str:
    """The token from GITHUB_TOKEN, GH_TOKEN or a token file (in that order of preference)."""
    environ = os.environ if env is None else env
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        value = environ.get(name, "").strip()
        if value:
            return value
    if token_file:
        path = Path(token_file).expanduser()
        if not path.is_file():
            raise AuthError(f"token file not found: {path} - write your token into it or set GITHUB_TOKEN")
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value
        raise AuthError(f"token file {path} is empty - write your token into it or set GITHUB_TOKEN")
    raise AuthError("no GitHub token: set GITHUB_TOKEN (or GH_TOKEN), or pass --token-file PATH")


def discover(client: GitHubClient, github: GitHubSection) -> list[JSON]:
    """Repository nodes to collect, each with its change probe (latest PR update, last push)."""
    if not github.organizations and not github.repositories:
        raise ConfigError("nothing to collect: give --org NAME, or set github.organizations in config.toml")
    nodes: list[JSON] = []
    for org in github.organizations:
        org_nodes = _org_repos(client, org)
        if not org_nodes:
            raise NoDataError(f"organization {org} has no repositories this token can see; check the name and"
                              " the token's access")
        nodes.extend(n for n in org_nodes if github.wants(str(n["name"])))
    if github.repositories:
        data = client.graphql(queries.named_repos_query(list(github.repositories)), {})
        for index, full_name in enumerate(github.repositories):
            node = data.get(f"r{index}")
            if node is None:
                raise NotFoundError(f"repository {full_name} not found - check the name and the token's access")
            nodes.append(node)
    unique = {str(n["nameWithOwner"]): n for n in nodes}
    if not unique:
        raise NoDataError("no repository matches github.include / github.exclude; widen the globs")
    if all(((n.get("pullRequests") or {}).get("totalCount") or 0) == 0 for n in unique.values()):
        names = ", ".join(sorted(unique))
        raise NoDataError(f"no pull requests in {names}; nothing to measure - pick repositories with PRs")
    return [unique[name] for name in sorted(unique)]


def _org_repos(client: GitHubClient, org: str) -> list[JSON]:
    nodes: list[JSON] = []
    after: str | None = None
    while True:
        data = client.graphql(queries.ORG_REPOS, {"login": org, "after": after})
        organization = data.get("organization")
        if organization is None:
            raise NotFoundError(f"organization {org} not found - check the name and the token's access")
        conn = organization["repositories"]
        nodes.extend(n for n in conn.get("nodes") or [] if n)
        if not (conn.get("pageInfo") or {}).get("hasNextPage"):
            return nodes
        after = conn["pageInfo"]["endCursor"]


def collect(
    github: GitHubSection,
    store_path: str | Path,
    *,
    token: str | None,
    window: tuple[float, float],
    clock: Clock | None = None,
    progress: ProgressFn | None = None,
    max_wait: float | None = None,
    seconds_between_requests: float | None = None,
) -> CollectResult:
    """Collect everything ``github`` names into ``store_path``; resumes an interrupted run."""
    the_clock = clock or SystemClock()
    client = GitHubClient(
        ClientOptions(
            base_url=github.base_url,
            token=token,
            seconds_between_requests=(
                github.seconds_between_requests if seconds_between_requests is None else seconds_between_requests
            )
            or None,
            timeout=github.timeout,
            max_retries=github.max_retries,
            max_wait=github.max_wait if max_wait is None else max_wait,
        ),
        the_clock,
    )
    repo_nodes = discover(client, github)
    sync_window = SyncWindow(start=window[0], end=window[1], overlap=github.overlap_days * 86400)
    target = ",".join(github.organizations) or ",".join(github.repositories)
    is_new = not Path(store_path).exists()
    try:
        return _collect_into(store_path, client, github, repo_nodes, sync_window, target, the_clock, progress)
    except BaseException:  # a typed error, a bug or Ctrl-C before the first page: no store left behind
        if is_new:
            _discard_if_empty(Path(store_path))
        raise


def _collect_into(
    store_path: str | Path,
    client: GitHubClient,
    github: GitHubSection,
    repo_nodes: list[JSON],
    sync_window: SyncWindow,
    target: str,
    the_clock: Clock,
    progress: ProgressFn | None,
) -> CollectResult:
    with Store(store_path) as store:
        store.close_stale_runs(_still_running, iso(the_clock.now()))
        store.scrub_run_urls()
        run_id = store.start_run(iso(the_clock.now()), target, github.base_url)
        store.update_run(run_id, message=_RUNNING + _this_process())
        result = CollectResult(run_id=run_id, repos=[str(n["nameWithOwner"]) for n in repo_nodes])
        result.budget = client.budget
        try:
            # The writer finishes (or fails) every pending page before the run's status is written.
            with PageWriter() as writer:
                page_size, max_page_size = github.page_size, github.max_page_size
                for node in repo_nodes:
                    sync = RepoSync(client, store, node, sync_window, page_size, progress or _silent, writer,
                                    max_page_size, run_id)
                    result.counts[sync.repo] = sync.run()
                    # the next repository starts at the size reached; one halved by a timeout stays halved
                    page_size, max_page_size = sync.page_size, sync.max_page_size
                    for phase, spent in sync.seconds.items():
                        result.seconds[phase] = result.seconds.get(phase, 0.0) + spent
        except RateLimitWaitTooLong as exc:
            result.status = "stopped"
            _finish(store, run_id, client.budget, "stopped", str(exc), the_clock)
            raise
        except AnalyzerError as exc:
            _finish(store, run_id, client.budget, "failed", str(exc), the_clock)
            raise
        except BaseException as exc:  # a bug or Ctrl-C: the run says so instead of staying 'running'
            status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
            _finish(store, run_id, client.budget, status, f"{type(exc).__name__} ({status})", the_clock)
            raise
        _finish(store, run_id, client.budget, "ok", None, the_clock)
        result.gaps = [g for g in store.open_gaps() if g["repo"] in set(result.repos)]
    return result


def _finish(store: Store, run_id: int, budget: Budget, status: str, message: str | None, clock: Clock) -> None:
    store.update_run(
        run_id,
        ended_at=iso(clock.now()),
        status=status,
        requests_rest=budget.rest_requests,
        requests_graphql=budget.graphql_requests,
        graphql_points=budget.graphql_points,
        retries=budget.retries,
        errors=0 if status == "ok" else 1,
        message=message,
    )


def _silent(event: ProgressEvent) -> None:
    return None


_RUNNING = "running: "


def _this_process() -> str:
    return f"pid {os.getpid()} on {socket.gethostname()}"


def _still_running(message: str | None) -> bool:
    """Whether the process a 'running' run names is alive (one on another host is assumed to be)."""
    if not message or not message.startswith(_RUNNING):
        return False
    try:
        _, pid, _, host = message.removeprefix(_RUNNING).split(" ", 3)
        if host != socket.gethostname():
            return True
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (ValueError, PermissionError):
        return True  # unreadable, or another user's live process
    return True


DATA_TABLES = ("pull_requests", "commits", "workflow_runs")  # what pages bring (repos rows come first)


def _discard_if_empty(path: Path) -> None:
    """A first run that failed before its first page stored nothing: leave no store file behind."""
    try:
        with Store(path, create=False) as store:
            if any(store.count(table) for table in DATA_TABLES):
                return
    except AnalyzerError:
        return
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
