"""Incremental runs catch edits, new comments and merges on old PRs, with no duplicates."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from analyzer.demo import mutate_for_incremental
from analyzer.fakegithub.model import OrgModel
from tests.collector.helpers import assert_matches, run, served, stored, truth


def test_incremental_run_follows_edits_new_comments_and_merges(tiny_org: OrgModel, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    with served(tiny_org) as server:
        first = run(server, tiny_org, store)
        latest = max(p.updated_at for p in tiny_org.pulls.values())
        with server.lock:
            changed = mutate_for_incremental(tiny_org, seed=5, now=latest + timedelta(days=2))
        before = stored(store)
        second = run(server, tiny_org, store)
    assert sum(changed.values()) > 0
    want = truth(tiny_org)
    assert want["review_comments"] - before["review_comments"], "the mutation must add comments"
    assert_matches(tiny_org, store)  # edits, new comments, merges and new PRs all arrived
    assert second.budget.requests < first.budget.requests


def test_incremental_catches_an_edit_on_an_old_pr(tiny_org: OrgModel, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    oldest = min(tiny_org.pulls.values(), key=lambda p: p.updated_at)
    with served(tiny_org) as server:
        run(server, tiny_org, store)
        with server.lock:
            comment = next(
                (c for c in tiny_org.issue_comments.values() if (c.repo, c.issue_number) == (oldest.repo, oldest.number)),
                None,
            )
            newest = max(p.updated_at for p in tiny_org.pulls.values())
            when = newest + timedelta(hours=5)
            if comment is None:
                review = next(r for r in tiny_org.reviews.values())
                review.body = "edited much later"
                target = tiny_org.pulls[(review.repo, review.pr_number)]
            else:
                comment.body = "edited much later"
                comment.updated_at = when
                target = oldest
            target.updated_at = when
        run(server, tiny_org, store)
    import sqlite3

    conn = sqlite3.connect(store)
    bodies = [r[0] for r in conn.execute("SELECT body FROM issue_comments UNION ALL SELECT body FROM reviews")]
    assert "edited much later" in bodies
    assert_matches(tiny_org, store)
