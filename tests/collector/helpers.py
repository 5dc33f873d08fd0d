"""Helpers for collector tests: a served demo org, a collector run against it, ground-truth checks."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from analyzer.collector import CollectResult, collect
from analyzer.config import GitHubSection
from analyzer.fakegithub import FakeGitHub
from analyzer.fakegithub.model import OrgModel
from analyzer.fakegithub.ratelimit import FakeClock
from analyzer.fakegithub.rest import iso

TOKEN = "ghp_TESTtokenDoNotLeak0123456789abcdef"
WINDOW = (0.0, 4_102_444_800.0)  # 1970 .. 2100: everything the model holds


@contextmanager
def served(model: OrgModel, clock: FakeClock | None = None, **kwargs: Any) -> Iterator[FakeGitHub]:
    server = FakeGitHub(model, tokens={TOKEN}, clock=clock, **kwargs)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def github_for(server: FakeGitHub, model: OrgModel, **overrides: Any) -> GitHubSection:
    section = GitHubSection(
        base_url=server.base_url,
        organizations=(model.login,),
        seconds_between_requests=0.0,
        timeout=5.0,
        max_retries=4,
        page_size=25,
        max_page_size=25,  # fixed pages: the tests' fault positions count them (growth has its own test)
    )
    return replace(section, **overrides)


def run(server: FakeGitHub, model: OrgModel, store: Path, clock: FakeClock | None = None, **kw: Any) -> CollectResult:
    github_overrides = {k: kw.pop(k) for k in list(kw) if k in GitHubSection.__dataclass_fields__}
    return collect(
        github_for(server, model, **github_overrides),
        store,
        token=TOKEN,
        window=kw.pop("window", WINDOW),
        clock=clock,
        **kw,
    )


def truth(model: OrgModel) -> dict[str, Any]:
    """What a complete collection of ``model`` must hold: ids per entity and child counts."""
    full = {r: f"{model.login}/{r}" for r in model.repos}
    default_commits = {(full[c.repo], c.sha) for c in model.commits.values() if c.on_default_branch}
    direct = {(full[c.repo], c.sha) for c in model.commits.values() if c.on_default_branch and c.pr_number is None}
    return {
        "pull_requests": {p.id for p in model.pulls.values()},
        "reviews": {r.id for r in model.reviews.values() if r.state != "PENDING"},
        "review_comments": set(model.review_comments),
        "issue_comments": {c.id for c in model.issue_comments.values() if (c.repo, c.issue_number) in model.pulls},
        "review_threads": len(model.review_threads),
        "pr_files": sum(len(p.files) for p in model.pulls.values()),
        "pr_commits": sum(len(set(p.commit_shas)) for p in model.pulls.values()),
        "commits": default_commits,
        "direct_push_files": sum(len(model.commits[(c[0].split('/')[1], c[1])].files) for c in direct),
        "workflow_runs": set(model.workflow_runs),
        "comment_bodies": {c.id: c.body for c in model.review_comments.values()},
        "merged": {p.id for p in model.pulls.values() if p.merged_at is not None},
        "ready": ready_truth(model),
    }


def ready_truth(model: OrgModel) -> dict[int, tuple[str | None, int]]:
    """Per PR id: its last ready-for-review as GitHub writes it (None: never marked ready) and how many."""
    ready: dict[tuple[str, int], list[str]] = {}
    for event in model.draft_events.values():
        if event.kind == "ready_for_review":
            ready.setdefault((event.repo, event.pr_number), []).append(str(iso(event.created_at)))
    out: dict[int, tuple[str | None, int]] = {}
    for pr in model.pulls.values():
        times = ready.get((pr.repo, pr.number), [])
        out[pr.id] = (max(times) if times else None, len(times))
    return out


def stored(store: Path) -> dict[str, Any]:
    conn = sqlite3.connect(store)
    try:
        one = lambda sql: {r[0] for r in conn.execute(sql)}  # noqa: E731
        count = lambda table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: E731
        return {
            "pull_requests": one("SELECT id FROM pull_requests"),
            "reviews": one("SELECT id FROM reviews"),
            "review_comments": one("SELECT id FROM review_comments"),
            "issue_comments": one("SELECT id FROM issue_comments"),
            "review_threads": count("review_threads"),
            "pr_files": count("pr_files"),
            "pr_commits": count("pr_commits"),
            "commits": {(r[0], r[1]) for r in conn.execute("SELECT repo, sha FROM commits")},
            "direct_push_files": count("commit_files"),
            "workflow_runs": one("SELECT id FROM workflow_runs"),
            "comment_bodies": dict(conn.execute("SELECT id, body FROM review_comments").fetchall()),
            "merged": one("SELECT id FROM pull_requests WHERE merged_at IS NOT NULL"),
            "ready": {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, ready_at, ready_events FROM pull_requests")},
        }
    finally:
        conn.close()


def assert_matches(model: OrgModel, store: Path) -> None:
    want, got = truth(model), stored(store)
    for key in want:
        if want[key] != got[key]:
            detail = ""
            if isinstance(want[key], set):
                detail = f" missing {sorted(want[key] - got[key])[:5]} extra {sorted(got[key] - want[key])[:5]}"
            elif isinstance(want[key], dict):
                diff = [k for k in want[key] if want[key][k] != got[key].get(k)]
                detail = f" differing ids {diff[:5]}"
            else:
                detail = f" want {want[key]} got {got[key]}"
            raise AssertionError(f"store differs from ground truth in {key}:{detail}")
