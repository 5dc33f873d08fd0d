"""mutate_for_incremental: later activity applied in place, counted, and consistent."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from analyzer.demo import generate_org, latest_timestamp, mutate_for_incremental
from analyzer.errors import ConfigError
from analyzer.fakegithub.model import OrgModel
from tests.demo.invariants import check_invariants


@pytest.fixture()
def mutated() -> tuple[OrgModel, OrgModel, dict[str, int]]:
    before = generate_org(seed=7, scale=0.05)
    after = copy.deepcopy(before)
    now = latest_timestamp(before) + timedelta(days=3)
    counts = mutate_for_incremental(after, seed=5, now=now)
    return before, after, counts


def test_counts_match_the_changes(mutated: tuple[OrgModel, OrgModel, dict[str, int]]) -> None:
    before, after, counts = mutated
    old_max = latest_timestamp(before)
    new_prs = set(after.pulls) - set(before.pulls)
    assert counts["new_prs"] == len(new_prs) >= 1
    newly_merged = [k for k, p in after.pulls.items() if p.merged_at and p.merged_at > old_max]
    assert counts["merged_prs"] == len(newly_merged) >= 1
    newly_closed = [
        k
        for k in before.pulls
        if after.pulls[k].closed_at and not after.pulls[k].merged_at and before.pulls[k].closed_at is None
    ]
    assert counts["closed_prs"] == len(newly_closed) == 1
    edited = [i for i, c in before.review_comments.items() if after.review_comments[i].body != c.body]
    edited += [i for i, c in before.issue_comments.items() if after.issue_comments[i].body != c.body]
    assert counts["edited_comments"] == len(edited) >= 3
    resolved = [
        i for i, t in before.review_threads.items() if not t.is_resolved and after.review_threads[i].is_resolved
    ]
    assert counts["resolved_threads"] == len(resolved) == 1
    pushes = [c for k, c in after.commits.items() if k not in before.commits and c.pr_number is None]
    assert counts["direct_pushes"] == len(pushes) >= 1
    assert counts["new_runs"] == len(set(after.workflow_runs) - set(before.workflow_runs)) >= 1


def test_old_prs_get_new_comments_and_replies(mutated: tuple[OrgModel, OrgModel, dict[str, int]]) -> None:
    before, after, counts = mutated
    old_max = latest_timestamp(before)
    new_ids = set(after.review_comments) - set(before.review_comments)
    on_old = [
        after.review_comments[i]
        for i in new_ids
        if (after.review_comments[i].repo, after.review_comments[i].pr_number) in before.pulls
    ]
    assert len(on_old) == counts["new_review_comments"] >= 2
    assert sum(c.in_reply_to_id is not None for c in on_old) == counts["replies"] >= 1
    for comment in on_old:
        assert comment.created_at > old_max
        assert comment.id > max(before.review_comments)
        pr = after.pulls[(comment.repo, comment.pr_number)]
        assert pr.updated_at >= comment.updated_at > before.pulls[(pr.repo, pr.number)].updated_at


def test_new_activity_is_newer_than_the_old_model(mutated: tuple[OrgModel, OrgModel, dict[str, int]]) -> None:
    before, after, _ = mutated
    old_max = latest_timestamp(before)
    new_commits = [c for k, c in after.commits.items() if k not in before.commits]
    assert new_commits and all(c.committed_at > old_max and c.authored_at > old_max for c in new_commits)
    new_runs = [r for i, r in after.workflow_runs.items() if i not in before.workflow_runs]
    assert all(r.created_at > old_max for r in new_runs)
    for commit in new_commits:
        pushed_at = after.repos[commit.repo].pushed_at
        assert pushed_at is not None and pushed_at >= commit.committed_at


def test_edits_bump_updated_at(mutated: tuple[OrgModel, OrgModel, dict[str, int]]) -> None:
    before, after, _ = mutated
    for comment_id, comment in before.review_comments.items():
        changed = after.review_comments[comment_id]
        if changed.body != comment.body:
            assert changed.updated_at > comment.updated_at and changed.created_at == comment.created_at
            assert after.pulls[(changed.repo, changed.pr_number)].updated_at >= changed.updated_at


def test_invariants_hold_after_mutation(mutated: tuple[OrgModel, OrgModel, dict[str, int]]) -> None:
    before, after, _ = mutated
    now = latest_timestamp(before) + timedelta(days=3)
    assert check_invariants(after, now) == []


def test_mutation_is_deterministic() -> None:
    first, second = generate_org(seed=2, scale=0.05), generate_org(seed=2, scale=0.05)
    now = latest_timestamp(first) + timedelta(days=2)
    assert mutate_for_incremental(first, 9, now) == mutate_for_incremental(second, 9, now)
    assert first == second


def test_now_must_be_later(mutated: tuple[OrgModel, OrgModel, dict[str, int]]) -> None:
    before, _, _ = mutated
    with pytest.raises(ConfigError, match="after the model's latest activity"):
        mutate_for_incremental(before, 1, latest_timestamp(before))
