"""Ground truth minus what a run recorded as gaps, and a look at the gaps and keys of a store."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from analyzer.fakegithub.model import OrgModel
from tests.collector.helpers import stored, truth

Keys = set[tuple[str, int]] | frozenset[tuple[str, int]]


def truth_without(model: OrgModel, prs: Keys = frozenset(), reviews_of: Keys = frozenset()) -> dict[str, Any]:
    """``truth(model)`` minus whole PRs (``prs``) and minus the reviews of ``reviews_of``."""
    want = truth(model)
    for repo, number in prs:
        pr = model.pulls[(repo, number)]
        want["pull_requests"].discard(pr.id)
        want["merged"].discard(pr.id)
        want["ready"].pop(pr.id, None)
        want["pr_files"] -= len(pr.files)
        want["pr_commits"] -= len(set(pr.commit_shas))
        for c in model.review_comments.values():
            if (c.repo, c.pr_number) == (repo, number):
                want["review_comments"].discard(c.id)
                want["comment_bodies"].pop(c.id, None)
        want["issue_comments"] -= {
            c.id for c in model.issue_comments.values() if (c.repo, c.issue_number) == (repo, number)
        }
        want["review_threads"] -= sum(
            1 for t in model.review_threads.values() if (t.repo, t.pr_number) == (repo, number)
        )
    for repo, number in set(prs) | set(reviews_of):
        want["reviews"] -= {r.id for r in model.reviews.values() if (r.repo, r.pr_number) == (repo, number)}
    return want


def assert_store_is(want: dict[str, Any], store: Path) -> None:
    got = stored(store)
    for key, value in want.items():
        assert got[key] == value, f"store differs from ground truth (minus gaps) in {key}"


def open_gaps(store: Path) -> list[dict[str, Any]]:
    conn = sqlite3.connect(store)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("SELECT * FROM collection_gaps WHERE resolved_at IS NULL ORDER BY gap_id")
        return [dict(r) for r in rows]
    finally:
        conn.close()


def query(store: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(store)
    try:
        return [tuple(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def a_pr_with(model: OrgModel, *, reviews: bool = False, index: int = 0) -> tuple[str, int]:
    """A PR of the model (with reviews if asked), the ``index``-th such in a fixed order."""
    keys = sorted(model.pulls)
    if reviews:
        reviewed = {(r.repo, r.pr_number) for r in model.reviews.values() if r.state != "PENDING"}
        keys = [k for k in keys if k in reviewed]
    return keys[index]
