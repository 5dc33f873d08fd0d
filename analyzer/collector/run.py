"""Collect an organisation (or a list of repositories) into the store.

Discovery happens before the store is opened: a bad token, an unknown org, an SSO-protected org, an
empty org or a repository without pull requests fails with a typed error and leaves the store untouched
(and a first run that fails before its first page leaves no store file behind). Runs a killed or
interrupted collector left 'running' are marked 'interrupted' when the next one starts. What GitHub
would not give (a PR it keeps failing on, parts of pages it refused) is recorded as gaps
(``collection_gaps``), returned in ``CollectResult.gaps`` and tried again by the next run.

With several credentials (personal tokens, a GitHub App installation: ``credentials.py``) each gets
its own client and thread: repositories are handed out one at a time from a shared queue, each
credential's requests stay serial and its budget its own, and every page still goes through the one
store-writer thread (``writer.py``, a lane per credential), so a ``kill -9`` resumes as before. A
credential whose next wait would exceed ``max_wait`` hands its repository back and stops; the run
stops only when none is left.
"""

from __future__ import annotations

import os
import socket
import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzer.collector import queries
from analyzer.collector.client import Budget, Cancelled, ClientOptions, GitHubClient
from analyzer.collector.clock import Clock, SystemClock, iso
from analyzer.collector.credentials import Credential, TokenCredential
from analyzer.collector.streams import ProgressEvent, ProgressFn, RepoSync, SyncWindow
from analyzer.collector.writer import PageWriter, WriterLane
from analyzer.config import GitHubSection
from analyzer.errors import (
    AnalyzerError,
    ConfigError,
    NoDataError,
    NotFoundError,
    RateLimitWaitTooLong,
)
from analyzer.store.store import Store

JSON = dict[str, Any]


@dataclass
class CredentialUse:
    """What one credential did in a run (named by its label, never its secret)."""

    label: str
    budget: Budget
    repos: list[str] = field(default_factory=list)


@dataclass
class CollectResult:
    run_id: int
    repos: list[str]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per phase, summed over repos
    budget: Budget = field(default_factory=Budget)  # all credentials together (remaining: summed)
    status: str = "ok"
    gaps: list[dict[str, Any]] = field(default_factory=list)  # open gaps of the collected repos after the run
    credentials: list[CredentialUse] = field(default_factory=list)


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
    token: str | None = None,
    credentials: Sequence[Credential] = (),
    window: tuple[float, float],
    clock: Clock | None = None,
    progress: ProgressFn | None = None,
    max_wait: float | None = None,
    seconds_between_requests: float | None = None,
) -> CollectResult:
    """Collect everything ``github`` names into ``store_path``; resumes an interrupted run.

    ``credentials`` (``credentials.resolve_credentials``) collect side by side; ``token`` is the
    one-token shorthand."""
    the_clock = clock or SystemClock()
    pool: list[Credential | None] = [*credentials] or [TokenCredential(token) if token else None]
    clients = [
        GitHubClient(
            ClientOptions(
                base_url=github.base_url,
                credential=credential,
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
        for credential in pool
    ]
    client = clients[0]
    repo_nodes = discover(client, github)
    sync_window = SyncWindow(start=window[0], end=window[1], overlap=github.overlap_days * 86400)
    target = ",".join(github.organizations) or ",".join(github.repositories)
    is_new = not Path(store_path).exists()
    try:
        return _collect_into(store_path, clients, github, repo_nodes, sync_window, target, the_clock, progress)
    except BaseException:  # a typed error, a bug or Ctrl-C before the first page: no store left behind
        if is_new:
            _discard_if_empty(Path(store_path))
        raise


def _collect_into(
    store_path: str | Path,
    clients: list[GitHubClient],
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
        result.credentials = [CredentialUse(c.credential.label if c.credential else "no token", c.budget)
                              for c in clients]
        result.budget = clients[0].budget if len(clients) == 1 else Budget()
        try:
            # The writer finishes (or fails) every pending page before the run's status is written.
            with PageWriter() as writer:
                try:
                    _Pool(clients, store, writer, repo_nodes, sync_window, github, progress or _silent, run_id,
                          result).run()
                finally:  # an App's label names its installation once it has been looked up
                    for use, client in zip(result.credentials, clients, strict=True):
                        use.label = client.credential.label if client.credential else use.label
        except RateLimitWaitTooLong as exc:
            result.status = "stopped"
            _finish(store, run_id, _total(result), "stopped", str(exc), the_clock)
            raise
        except AnalyzerError as exc:
            _finish(store, run_id, _total(result), "failed", str(exc), the_clock)
            raise
        except BaseException as exc:  # a bug or Ctrl-C: the run says so instead of staying 'running'
            status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
            _finish(store, run_id, _total(result), status, f"{type(exc).__name__} ({status})", the_clock)
            raise
        _finish(store, run_id, _total(result), "ok", None, the_clock)
        result.gaps = [g for g in store.open_gaps() if g["repo"] in set(result.repos)]
    return result


class _Pool:
    """Repositories handed out to one worker per credential (on this thread when there is only one)."""

    def __init__(
        self,
        clients: list[GitHubClient],
        store: Store,
        writer: PageWriter,
        nodes: list[JSON],
        window: SyncWindow,
        github: GitHubSection,
        progress: ProgressFn,
        run_id: int,
        result: CollectResult,
    ) -> None:
        self.clients, self.store, self.writer, self.window = clients, store, writer, window
        self.github, self.run_id, self.result = github, run_id, result
        self.queue: deque[JSON] = deque(nodes)
        self.lock = threading.Lock()
        self.cancel = threading.Event()
        self.active = len(clients)  # workers that may still take a repository
        self.errors: list[BaseException] = []
        self.progress = progress if len(clients) == 1 else self._serialized(progress)

    def _serialized(self, progress: ProgressFn) -> ProgressFn:
        def one_at_a_time(event: ProgressEvent) -> None:
            with self.lock:
                progress(event)

        return one_at_a_time

    def run(self) -> None:
        if len(self.clients) == 1:
            self._work(0, self.writer)
            return
        threads = [
            threading.Thread(target=self._guarded, args=(i, self.writer.lane()), name=f"collect-{i + 1}", daemon=True)
            for i in range(len(self.clients))
        ]
        for client in self.clients:
            client.cancel = self.cancel
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                while thread.is_alive():
                    thread.join(0.2)  # in slices: Ctrl-C reaches this thread
        except BaseException:
            self.cancel.set()
            for thread in threads:
                thread.join()
            raise
        failures = [e for e in self.errors if not isinstance(e, RateLimitWaitTooLong)] or self.errors
        if failures:
            raise failures[0]

    def _guarded(self, index: int, lane: WriterLane) -> None:
        try:
            self._work(index, lane)
        except Cancelled:
            pass
        except BaseException as exc:  # the first failure stops every worker; the main thread raises it
            with self.lock:
                self.errors.append(exc)
            self.cancel.set()
        finally:
            try:
                lane.drain()
            except BaseException as exc:
                with self.lock:
                    self.errors.append(exc)
                self.cancel.set()

    def _take(self) -> JSON | None:
        """The next repository; None (and this worker no longer counts as active) when none is left."""
        with self.lock:
            if self.queue:
                return self.queue.popleft()
            self.active -= 1
            return None

    def _work(self, index: int, lane: WriterLane) -> None:
        client, use = self.clients[index], self.result.credentials[index]
        page_size, max_page_size = self.github.page_size, self.github.max_page_size
        while True:
            if self.cancel.is_set():
                raise Cancelled
            node = self._take()
            if node is None:
                return
            sync = RepoSync(client, self.store, node, self.window, page_size, self.progress, lane, max_page_size,
                            self.run_id)
            try:
                counts = sync.run()
            except RateLimitWaitTooLong:
                if not self._hand_back(node):
                    raise
                return  # this credential's budget is spent for longer than --max-wait; others go on
            with self.lock:
                self.result.counts[sync.repo] = counts
                for phase, spent in sync.seconds.items():
                    self.result.seconds[phase] = self.result.seconds.get(phase, 0.0) + spent
            use.repos.append(sync.repo)
            # the next repository starts at the size reached; one halved by a timeout stays halved
            page_size, max_page_size = sync.page_size, sync.max_page_size

    def _hand_back(self, node: JSON) -> bool:
        """Return a repository to the queue for the other credentials; False when none is left."""
        with self.lock:
            self.active -= 1
            if self.active == 0:
                return False
            self.queue.appendleft(node)
            return True


def _total(result: CollectResult) -> Budget:
    """The budget of all credentials together (the run log's figures)."""
    if len(result.credentials) == 1:
        return result.credentials[0].budget
    total = result.budget
    budgets = [c.budget for c in result.credentials]
    for name in ("rest_requests", "graphql_requests", "graphql_points", "retries", "waited_seconds"):
        setattr(total, name, sum(getattr(b, name) for b in budgets))
    for name in ("rest_remaining", "graphql_remaining"):
        known = [getattr(b, name) for b in budgets if getattr(b, name) is not None]
        setattr(total, name, sum(known) if known else None)
    total.queries = [q for b in budgets for q in b.queries]
    return total


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
