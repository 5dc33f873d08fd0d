"""Per-repository streams: the PR graph with default-branch history (GraphQL), workflow runs and
files of directly pushed commits (REST); and, once after an upgrade, the ready-for-review moment of
PRs stored before the collector asked for it (GraphQL, 100 PRs a query).

Each page is written in one transaction together with the sync state that says how far the pass got,
so a crash at any moment resumes at the first page not yet written. Writes run in order on a
``PageWriter`` thread while the next pages are fetched; every read of the store drains it first. A
pass that finishes moves the watermark; the next pass re-reads ``overlap`` before it, so late edits,
comments and merges on old PRs are caught.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from analyzer.collector import queries
from analyzer.collector.client import GitHubClient, QueryTimedOut, decode_json
from analyzer.collector.clock import iso, parse_iso
from analyzer.collector.rows import (
    PrBundle,
    commit_file_rows,
    history_row,
    pr_bundle,
    ready_of,
    repo_row,
    run_row,
)
from analyzer.collector.writer import WriterLane
from analyzer.errors import CollectionError
from analyzer.store.store import Store, SyncState

JSON = dict[str, Any]
PR_CHILD_TABLES = ("review_comments", "review_threads", "issue_comments", "reviews", "pr_commits", "pr_files")
RUNS_CAP = 1000  # GitHub returns at most 1,000 runs for one filtered search
GRAPHQL_STREAMS = ("pulls", "commits", "ready_for_review")
# A PR page answered within this many seconds may double: GitHub cuts a GraphQL request off at 10 s,
# so even a page twice as heavy stays well clear of it. A gateway timeout stops the growth for good.
GROW_PAGE_BELOW = 2.0


@dataclass(frozen=True)
class ProgressEvent:
    repo: str
    stream: str
    pages: int
    items: int
    requests: int
    budget_left: int | None  # the budget this stream spends (GraphQL for pulls/commits, else REST)
    rest_left: int | None = None
    graphql_left: int | None = None


ProgressFn = Callable[[ProgressEvent], None]


@dataclass(frozen=True)
class Gap:
    """Something GitHub would not give (see the ``collection_gaps`` table)."""

    pr_number: int | None
    path: str | None
    error: str


@dataclass(frozen=True)
class SyncWindow:
    start: float  # epoch seconds: nothing older is collected
    end: float
    overlap: float  # seconds re-read before a watermark


class RepoSync:
    """Collects one repository into the store."""

    def __init__(
        self,
        client: GitHubClient,
        store: Store,
        repo_node: JSON,
        window: SyncWindow,
        page_size: int,
        progress: ProgressFn,
        writer: WriterLane,
        max_page_size: int | None = None,
        run_id: int | None = None,
    ) -> None:
        self.client = client
        self.store = store
        self.writer = writer
        self.node = repo_node
        self.repo = str(repo_node["nameWithOwner"])
        self.owner, self.name = self.repo.split("/", 1)
        self.window = window
        self.page_size = page_size
        self.max_page_size = page_size if max_page_size is None else max(page_size, max_page_size)
        self.progress = progress
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}  # wall time per phase, for benchmarks
        self._runs_high: str | None = None  # newest run of the pass so far (written by the writer thread)
        self._runs_items = 0
        self.run_id = run_id
        self._open_gap_prs: list[int] = []  # PRs earlier runs could not fetch: tried again first
        self._open_unnumbered = False  # open gaps of PRs GitHub could not even name (a null node)
        self._pulls_incomplete = False  # this pass lost a PR it cannot name: the watermark must stay

    def now_iso(self) -> str:
        return iso(self.client.clock.now())

    def run(self) -> dict[str, int]:
        """Sync every stream; returns item counts. All writes have committed when it returns."""
        self._states, open_gaps = self.writer.read(self._read_start)
        self._open_gap_prs = sorted({int(g["pr_number"]) for g in open_gaps if g["pr_number"] is not None})
        self._open_unnumbered = any(g["pr_number"] is None for g in open_gaps)
        self.writer.submit(partial(self._write_repo, repo_row(self.node, self.now_iso())))
        # A phase's last write may still run when the next phase starts (that is the point).
        for stream, step in (("graph", self.sync_graph), ("ready", self.sync_ready), ("runs", self.sync_runs),
                             ("files", self.sync_commit_files)):
            started = time.perf_counter()
            step()
            self.seconds[stream] = time.perf_counter() - started
        started = time.perf_counter()
        self.writer.drain()
        self.seconds["files"] += time.perf_counter() - started
        return self.counts

    def _read_start(self) -> tuple[dict[str, SyncState], list[dict[str, Any]]]:
        """On the writer thread: where each stream stands, and the repository's open gaps."""
        streams = ("pulls", "commits", "workflow_runs")
        return {s: self.store.sync_state(self.repo, s) for s in streams}, self.store.open_gaps(self.repo)

    def _write_repo(self, row: JSON) -> None:
        with self.store.transaction():
            self.store.upsert("repos", [row])

    def _emit(self, stream: str, pages: int, items: int) -> None:
        budget = self.client.budget
        left = budget.graphql_remaining if stream in GRAPHQL_STREAMS else budget.rest_remaining
        self.progress(
            ProgressEvent(
                self.repo, stream, pages, items, budget.requests, left, budget.rest_remaining, budget.graphql_remaining
            )
        )

    # -- PR graph + default-branch history (GraphQL) ------------------------------------------

    def _floor(self, watermark: str | None) -> str:
        start = self.window.start
        if watermark:
            start = max(start, parse_iso(watermark) - self.window.overlap)
        return iso(start)

    def sync_graph(self) -> None:
        # read in run(), before any write: each stream's state is written by that stream only
        pulls, hist = self._states["pulls"], self._states["commits"]
        latest_pr = ((self.node.get("pullRequests") or {}).get("nodes") or [None])[0]
        latest_pr_at = latest_pr.get("updatedAt") if latest_pr else None
        pushed_at = self.node.get("pushedAt")
        has_branch = self.node.get("defaultBranchRef") is not None
        pulls_on = latest_pr_at is not None and (
            pulls.pass_started_at is not None or pulls.watermark is None or latest_pr_at > pulls.watermark
        )
        hist_on = has_branch and (
            hist.pass_started_at is not None or hist.watermark is None or (pushed_at or "") > hist.watermark
        )
        now = self.now_iso()
        if pulls_on and pulls.pass_started_at is None:
            pulls = SyncState(self.repo, "pulls", pulls.watermark, now, None, None)
        if hist_on and hist.pass_started_at is None:
            # the commits watermark is the repo's pushedAt when the pass began (see module docstring)
            hist = SyncState(self.repo, "commits", hist.watermark, now, pushed_at, None)
        pr_floor = self._floor(pulls.watermark)
        since = self._floor(hist.watermark)
        pages = items_pr = items_hist = 0
        items_pr += self._retry_gaps()
        sizes_before_trouble: tuple[int, int] | None = None
        while pulls_on or hist_on:
            asked = time.perf_counter()
            sizes = (self.page_size, self.max_page_size)
            problems: list[JSON] = []
            try:
                data = self.client.graphql(
                    queries.REPO_PAGE,
                    {
                        "owner": self.owner,
                        "name": self.name,
                        "prFirst": self.page_size,
                        "prAfter": pulls.cursor,
                        "withPulls": pulls_on,
                        "histAfter": hist.cursor,
                        "since": since,
                        "withHistory": hist_on,
                    },
                    shrink=self._halve_page,
                    errors=problems,
                )
            except QueryTimedOut as exc:
                # GitHub's own timeout, which can repeat for one heavy PR on every try: narrow the page
                # to that one PR, then skip it as a recorded gap and go on with the rest.
                if not pulls_on:
                    raise
                sizes_before_trouble = sizes_before_trouble or sizes
                if self.page_size > 1:
                    self.page_size = 1
                    continue
                pulls, pulls_on, gaps = self._skip_pr(pulls, pr_floor, str(exc))
                self.page_size, self.max_page_size = sizes_before_trouble
                sizes_before_trouble = None
                self.writer.submit(partial(self._write_graph_page, [], [], pulls, hist, self.now_iso(), gaps))
                continue
            self._maybe_grow_page(time.perf_counter() - asked)
            repo = data.get("repository") or {}
            gaps = self._gaps_of(problems, repo)
            self._pulls_incomplete |= any(g.pr_number is None and (g.path or "").startswith("repository.pullRequests")
                                          for g in gaps)
            pr_nodes: list[JSON] = []
            history: list[JSON] = []
            pass_done = False
            if pulls_on:
                pulls, pulls_on, pr_nodes = self._pulls_page(repo.get("pullRequests") or {}, pulls, pr_floor, gaps)
                pass_done = not pulls_on and not self._pulls_incomplete
            if hist_on:
                hist, hist_on, history = self._history_page(repo, hist, since)
            # The nodes are handed over whole: nothing here touches them again.
            self.writer.submit(
                partial(self._write_graph_page, pr_nodes, history, pulls, hist, self.now_iso(), gaps, pass_done)
            )
            pages += 1
            items_pr += len(pr_nodes)
            items_hist += len(history)
            self._emit("pulls", pages, items_pr)
        self.counts["pulls"] = items_pr
        self.counts["commits"] = items_hist

    # -- gaps: what GitHub would not give ---------------------------------------------------------

    def _gaps_of(self, problems: list[JSON], repo: JSON, pr_number: int | None = None) -> list[Gap]:
        """One gap per partial error, with the PR its path points into (when the path names one)."""
        gaps: list[Gap] = []
        nodes = (repo.get("pullRequests") or {}).get("nodes") or []
        for problem in problems:
            path = [str(p) for p in problem.get("path") or []]
            number = pr_number
            if number is None and len(path) > 3 and path[1:3] == ["pullRequests", "nodes"] and path[3].isdigit():
                index = int(path[3])
                node = nodes[index] if index < len(nodes) else None
                number = int(node["number"]) if node and node.get("number") is not None else None
            kind = str(problem.get("type") or "ERROR")
            where = _within_pr(path) if number is not None else path  # one spelling per part of a PR
            gaps.append(Gap(number, ".".join(where) or None, f"{kind}: {problem.get('message', '')}"))
        return gaps

    def _skip_pr(self, pulls: SyncState, floor: str, error: str) -> tuple[SyncState, bool, list[Gap]]:
        """Step past the one PR GitHub keeps failing on (a light query names it), recording it as a gap."""
        data = self.client.graphql(queries.PR_CURSOR, {"owner": self.owner, "name": self.name,
                                                       "after": pulls.cursor})
        conn = (data.get("repository") or {}).get("pullRequests") or {}
        nodes = [n for n in conn.get("nodes") or [] if n]
        if not nodes or nodes[0]["updatedAt"] < floor:  # it was past the window after all: the pass is done
            state, more, _ = self._pulls_page({"nodes": []}, pulls, floor)
            return state, more, []
        gap = Gap(int(nodes[0]["number"]), None, f"skipped: {error}")
        state, more, _ = self._pulls_page({"nodes": [], "pageInfo": conn.get("pageInfo")}, pulls, floor)
        return state, more, [gap]

    def _retry_gaps(self) -> int:
        """Fetch each PR an earlier run could not, alone; one that fails again stays a gap."""
        fetched = 0
        for number in self._open_gap_prs:
            problems: list[JSON] = []
            try:
                data = self.client.graphql(queries.GAP_PR, {"owner": self.owner, "name": self.name,
                                                            "number": number}, errors=problems)
            except QueryTimedOut as exc:
                gaps = [Gap(number, None, f"skipped: {exc}")]
                self.writer.submit(partial(self._write_gap_retry, [], gaps, number, self.now_iso()))
                continue
            node = (data.get("repository") or {}).get("pullRequest")
            # a PR that is gone (NOT_FOUND) has nothing left to fetch: its gap closes
            gaps = self._gaps_of(problems, {}, number) if node else []
            nodes = [self._complete(node, gaps)] if node else []
            self.writer.submit(partial(self._write_gap_retry, nodes, gaps, number, self.now_iso()))
            fetched += len(nodes)
        return fetched

    def _write_gap_retry(self, pr_nodes: list[JSON], gaps: list[Gap], number: int, now: str) -> None:
        bundles = [pr_bundle(self.repo, n, now) for n in pr_nodes]
        with self.store.transaction():
            self.store.resolve_gaps(self.repo, [number], now)
            if bundles:
                self._write_bundles(bundles)
            for gap in gaps:
                self.store.record_gap(self.run_id, self.repo, gap.pr_number, gap.path, gap.error, now)

    def _halve_page(self, variables: dict[str, Any]) -> None:
        """After a gateway timeout, ask for fewer PRs per page (and keep the smaller size)."""
        self.page_size = max(1, self.page_size // 2)
        self.max_page_size = self.page_size
        variables["prFirst"] = self.page_size

    def _maybe_grow_page(self, seconds: float) -> None:
        """Double the PR page (up to ``max_page_size``) after one that came back quickly.

        Fewer, larger pages: fewer round trips for about the same GraphQL points. ``seconds`` includes
        retries and rate-limit waits, so a page that needed either never grows the next one.
        """
        if seconds < GROW_PAGE_BELOW:
            self.page_size = min(self.max_page_size, self.page_size * 2)

    def _pulls_page(
        self, conn: JSON, state: SyncState, floor: str, gaps: list[Gap] | None = None
    ) -> tuple[SyncState, bool, list[JSON]]:
        """The next state, whether more pages follow, and the page's PR nodes (overflow merged in)."""
        nodes = [n for n in conn.get("nodes") or [] if n]
        kept = [self._complete(n, gaps) for n in nodes if n["updatedAt"] >= floor]
        high = max([state.pass_high_water or "", *(n["updatedAt"] for n in kept)]) or None
        page_info = conn.get("pageInfo") or {}
        more = bool(page_info.get("hasNextPage")) and len(kept) == len(nodes)
        if more:
            return SyncState(self.repo, "pulls", state.watermark, state.pass_started_at, high,
                             page_info.get("endCursor")), True, kept
        # a PR GitHub could not name (a null node) was lost in this pass: the next one reads the same span
        watermark = state.watermark if self._pulls_incomplete else max(state.watermark or "", high or "") or None
        return SyncState(self.repo, "pulls", watermark, None, None, None), False, kept

    def _history_page(self, repo: JSON, state: SyncState, since: str) -> tuple[SyncState, bool, list[JSON]]:
        target = ((repo.get("defaultBranchRef") or {}).get("target")) or {}
        history = target.get("history") or {}
        nodes = [n for n in history.get("nodes") or [] if n]
        page_info = history.get("pageInfo") or {}
        if page_info.get("hasNextPage"):
            return SyncState(self.repo, "commits", state.watermark, state.pass_started_at,
                             state.pass_high_water, page_info.get("endCursor")), True, nodes
        # The pass stored every commit from ``since`` on, up to the push it began at (pass_high_water). A
        # push older than ``since`` (a window in the future, or one past the last push) says nothing about
        # the commits before ``since``: the watermark may only move to what was really covered.
        pushed = state.pass_high_water or ""
        covered = pushed if pushed >= since else ""
        watermark = max(state.watermark or "", covered) or None
        return SyncState(self.repo, "commits", watermark, None, None, None), False, nodes

    def _write_graph_page(
        self,
        pr_nodes: list[JSON],
        history_nodes: list[JSON],
        pulls: SyncState,
        hist: SyncState,
        now: str,
        gaps: Sequence[Gap] = (),
        pulls_pass_done: bool = False,
    ) -> None:
        """On the writer thread: build the page's rows, then store them with both states in one transaction."""
        bundles = [pr_bundle(self.repo, n, now) for n in pr_nodes]
        history = [history_row(self.repo, n, now) for n in history_nodes]
        with self.store.transaction():
            if bundles:
                self._write_bundles(bundles)
            if self._open_gap_prs and bundles:  # PRs fetched whole this time close their earlier gaps
                failed = {g.pr_number for g in gaps}
                self.store.resolve_gaps(self.repo, [b.pr["number"] for b in bundles
                                                    if b.pr["number"] not in failed], now)
            if pulls_pass_done and self._open_unnumbered:  # a whole pass over the same span, nothing lost
                self.store.resolve_gaps(self.repo, [None], now)
            for gap in gaps:
                self.store.record_gap(self.run_id, self.repo, gap.pr_number, gap.path, gap.error, now)
            if history:
                self._write_history(history)
            if bundles or pulls.pass_started_at or pulls.watermark:
                self.store.save_sync_state(pulls, now)
            if history or hist.pass_started_at or hist.watermark:
                self.store.save_sync_state(hist, now)

    def _write_bundles(self, bundles: list[PrBundle]) -> None:
        """Replace the page's PRs with everything they hold now, a few statements per table.

        Same end state as writing the bundles one by one: rows of an earlier copy of a PR (same id,
        or same number under another id) are deleted first, and a PR listed twice keeps its last copy.
        """
        kept = _last_copies(bundles)
        ids = [b.pr["id"] for b in kept]
        numbers = [b.pr["number"] for b in kept]
        stale_ids = set(ids) | self.store.stored_pr_ids(self.repo, ids, numbers)
        for table in PR_CHILD_TABLES:
            self.store.delete_children(table, "pr_id", stale_ids)
        self.store.delete_children("pull_requests", "id", stale_ids)
        actors: dict[str, JSON] = {}
        for bundle in kept:
            actors.update(bundle.actors)
        self.store.upsert("pull_requests", [b.pr for b in kept])
        self.store.upsert("actors", list(actors.values()))
        for table, part in (
            ("pr_files", "files"),
            ("pr_commits", "commits"),
            ("reviews", "reviews"),
            ("issue_comments", "issue_comments"),
            ("review_threads", "threads"),
            ("review_comments", "review_comments"),
        ):
            self.store.upsert(table, [row for b in kept for row in getattr(b, part)])

    def _write_history(self, rows: list[JSON]) -> None:
        done = self.store.commits_with_files(self.repo, [r["sha"] for r in rows])
        for row in rows:
            row["files_fetched"] = 1 if row["sha"] in done else 0
        self.store.upsert("commits", rows)

    # -- overflow of nested connections -------------------------------------------------------

    def _complete(self, node: JSON, gaps: list[Gap] | None = None) -> JSON:
        """Page every nested connection of a PR that overflowed its first page."""
        number = int(node["number"])
        for connection in queries.PR_CONNECTION:
            self._drain(node, connection, queries.pr_overflow_query(connection), number, gaps)
        for thread in (node.get("reviewThreads") or {}).get("nodes") or []:
            if thread:
                self._drain(thread, "comments", queries.thread_overflow_query(), number, gaps)
        return node

    def _drain(self, parent: JSON, connection: str, query: str, number: int, gaps: list[Gap] | None) -> None:
        conn = parent.get(connection)
        if not conn:
            return
        while (conn.get("pageInfo") or {}).get("hasNextPage"):
            problems: list[JSON] = []
            data = self.client.graphql(query, {"id": parent["id"], "after": conn["pageInfo"]["endCursor"]},
                                       errors=problems)
            if problems and gaps is not None:
                gaps.extend(self._gaps_of(problems, {}, number))
            more = ((data.get("node") or {}).get(connection)) or {}
            new_nodes = [n for n in more.get("nodes") or [] if n]
            conn["nodes"] = [*(conn.get("nodes") or []), *new_nodes]
            conn["pageInfo"] = more.get("pageInfo") or {"hasNextPage": False}
            if not new_nodes:
                break

    # -- the ready-for-review moment of PRs stored before it was collected ---------------------

    def sync_ready(self) -> None:
        """Ask GitHub when each stored PR of the repository whose ready-for-review moment is unknown (stored
        by an analyzer that did not collect it, or a page that came back without it) was last marked
        ready, 100 PRs a query. A PR GitHub no longer has stays unknown (asked again by the next run)."""
        node_ids = self.writer.read(partial(self.store.prs_without_ready, self.repo))
        found = 0
        for page, start in enumerate(range(0, len(node_ids), queries.READY_BACKFILL_BATCH), start=1):
            batch = node_ids[start : start + queries.READY_BACKFILL_BATCH]
            try:
                data = self.client.graphql(queries.READY_BACKFILL, {"ids": batch}, errors=[])
            except QueryTimedOut:
                continue  # these stay unknown; the next run asks again
            rows = []
            for node in data.get("nodes") or []:
                ready_at, count = ready_of(node) if isinstance(node, dict) and node.get("id") else (None, None)
                if count is not None:
                    rows.append((str(node["id"]), ready_at, count))
            self.writer.submit(partial(self._write_ready, rows))
            found += len(rows)
            self._emit("ready_for_review", page, found)
        self.counts["ready_for_review"] = found

    def _write_ready(self, rows: list[tuple[str, str | None, int]]) -> None:
        with self.store.transaction():
            self.store.set_ready(rows)

    # -- workflow runs (REST) --------------------------------------------------------------------

    def sync_runs(self) -> None:
        """Page the runs; a page whose body does not decode (truncated) resumes from the store's state."""
        for _attempt in range(self.client.options.max_retries + 1):
            try:
                self._runs_pass()
                return
            except TruncatedPage:
                # the writer is idle now (the failed write and those queued behind it have ended): readable
                self.client.budget.retries += 1
                self._states["workflow_runs"] = self.writer.read(partial(self.store.sync_state, self.repo,
                                                                         "workflow_runs"))
        raise CollectionError(
            f"GitHub kept sending truncated workflow-run pages for {self.repo}; run the same command"
            " again later: it resumes where it stopped"
        )

    def _runs_pass(self) -> None:
        """Fetch pages while the writer decodes and stores the earlier ones.

        Only the raw text crosses over: which page comes next is read from the ``Link`` header (and
        ``total_count``, the body's first key), so decoding ~1.5 MB of JSON per page is off the request path.
        """
        state = self._states["workflow_runs"]
        if state.cursor:
            plan = json.loads(state.cursor)
        else:
            start = self.window.start
            if state.watermark:
                start = max(start, parse_iso(state.watermark) - self.window.overlap)
            plan = {"windows": [[start, self.window.end]], "page": 1}
            state = SyncState(self.repo, "workflow_runs", state.watermark, self.now_iso(), state.watermark, None)
        self._runs_high = state.pass_high_water  # from here on, owned by the writer thread
        self._runs_items = 0
        pages = 0
        while plan["windows"]:
            lo, hi = plan["windows"][0]
            page = int(plan["page"])
            headers, text = self.client.rest_text(
                f"/repos/{self.repo}/actions/runs",
                {"per_page": 100, "page": page, "created": f"{iso(lo)}..{iso(hi)}"},
            )
            more = 'rel="next"' in str(headers.get("link") or "")
            # GitHub may report a capped total of exactly 1,000 for a filtered search: treat reaching the
            # cap as "more than it returns" and split the window (one hour is the finest split)
            total = _total_count(text) if page == 1 else 0
            if total >= RUNS_CAP and hi - lo > 3600:
                parts = -(-total // (RUNS_CAP - 100))
                step = (hi - lo) / parts
                plan["windows"][0:1] = [[lo + i * step, lo + (i + 1) * step] for i in range(parts)]
            elif not more or page * 100 >= RUNS_CAP:
                plan["windows"].pop(0)
                plan["page"] = 1
            else:
                plan["page"] = page + 1
            cursor = json.dumps(plan) if plan["windows"] else None
            self.writer.submit(partial(self._write_runs_text, text, state, cursor, self.now_iso()))
            pages += 1
            self._emit("workflow_runs", pages, self._runs_items)  # items lag a page: the writer counts
        if pages == 0 and state.pass_started_at is not None:  # an empty plan from the start
            done = SyncState(self.repo, "workflow_runs", self._runs_high, None, None, None)
            self.writer.submit(partial(self._write_runs_page, [], done, self.now_iso()))
        self.writer.drain()  # a truncated last page must surface here, not in the next phase
        self.counts["workflow_runs"] = self._runs_items

    def _write_runs_text(self, text: str, pass_state: SyncState, cursor: str | None, fetched_at: str) -> None:
        """On the writer thread: decode a page, then store its runs with the state that covers them."""
        try:
            body = decode_json(text)  # ~1.5 MB a page, on the writer thread: see store.dumps on why orjson
        except ValueError as exc:
            raise TruncatedPage(f"workflow runs page of {self.repo} does not decode") from exc
        if not isinstance(body, dict):
            raise TruncatedPage(f"workflow runs page of {self.repo} is not a JSON object")
        runs = [r for r in (body or {}).get("workflow_runs") or [] if r]
        self._runs_high = max([self._runs_high or "", *(r["created_at"] for r in runs)]) or None
        self._runs_items += len(runs)
        if cursor is not None:
            state = SyncState(self.repo, "workflow_runs", pass_state.watermark, pass_state.pass_started_at,
                              self._runs_high, cursor)
        else:
            state = SyncState(self.repo, "workflow_runs", self._runs_high or pass_state.watermark, None, None, None)
        self._write_runs_page(runs, state, fetched_at)

    def _write_runs_page(self, runs: list[JSON], state: SyncState, fetched_at: str) -> None:
        rows = [run_row(self.repo, r, fetched_at) for r in runs]
        with self.store.transaction():
            self.store.upsert("workflow_runs", rows)
            self.store.save_sync_state(state, fetched_at)

    # -- files of commits pushed straight to the default branch (REST, one request each) ----------

    def sync_commit_files(self) -> None:
        # after the history pages just written, which name the commits
        shas = self.writer.read(partial(self.store.commits_missing_files, self.repo))
        for done, sha in enumerate(shas, start=1):
            files: list[JSON] = []
            url: str | None = f"/repos/{self.repo}/commits/{sha}"
            params: dict[str, Any] | None = {"per_page": 100}  # the documented maximum for its files
            while url is not None:
                headers, body = self.client.rest(url, params)
                files.extend((body or {}).get("files") or [] if isinstance(body, dict) else [])
                # only the Link header says whether more follow: a short page need not be the last
                url, params = next_link(headers), None
            self.writer.submit(partial(self._write_commit_files, sha, files))
            self._emit("commit_files", done, done)
        self.counts["commit_files"] = len(shas)

    def _write_commit_files(self, sha: str, files: list[JSON]) -> None:
        with self.store.transaction():
            self.store.upsert("commit_files", list(commit_file_rows(self.repo, sha, files)))
            self.store.mark_files_fetched(self.repo, sha)


# Where a PR node sits in each query that fetches one: a page, a gap fetched again, an overflow follow-up.
_PR_NODE_PATHS = (["repository", "pullRequests", "nodes", None], ["repository", "pullRequest"], ["node"])


def _within_pr(path: list[str]) -> list[str]:
    """An error path relative to its PR ("reviews"), whichever query it came from."""
    for prefix in _PR_NODE_PATHS:
        if len(path) >= len(prefix) and all(p is None or p == q for p, q in zip(prefix, path, strict=False)):
            return path[len(prefix):]
    return path


_NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="next"')


def next_link(headers: dict[str, Any]) -> str | None:
    """The ``rel="next"`` URL of a ``Link`` header, if any."""
    lowered = {k.lower(): v for k, v in headers.items()}
    found = _NEXT_LINK.search(str(lowered.get("link") or ""))
    return found[1] if found else None


class TruncatedPage(Exception):
    """Internal: a page body that did not decode; the pass resumes from the last stored page."""


_TOTAL_COUNT = re.compile(r'\s*\{\s*"total_count"\s*:\s*(\d+)')


def _total_count(text: str) -> int:
    """``total_count`` of a runs page, read from the head of the body (GitHub sends it first); 0 if absent."""
    match = _TOTAL_COUNT.match(text[:200])
    return int(match.group(1)) if match else 0


def _last_copies(bundles: list[PrBundle]) -> list[PrBundle]:
    """The bundles minus any PR that a later bundle of the page replaces (same id or same number)."""
    seen_ids: set[int] = set()
    seen_keys: set[tuple[str, int]] = set()
    kept: list[PrBundle] = []
    for bundle in reversed(bundles):
        key = (str(bundle.pr["repo"]), int(bundle.pr["number"]))
        if bundle.pr["id"] in seen_ids or key in seen_keys:
            continue
        seen_ids.add(bundle.pr["id"])
        seen_keys.add(key)
        kept.append(bundle)
    return kept[::-1]
