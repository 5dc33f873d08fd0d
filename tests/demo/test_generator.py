"""Size, determinism, consistency and content of the generated demo org."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import get_args, get_type_hints

import pytest

from analyzer.demo import DEMO_NOW, HOSTILE_STRINGS, generate_org
from analyzer.errors import ConfigError
from analyzer.fakegithub.model import OrgModel, Trait
from tests.demo.invariants import check_invariants

# every trait the model declares, the multiplier effect's ground truth (analyzer.demo.causal) included
TRAITS = get_args(get_type_hints(Trait)["trait"])


def test_same_seed_same_model() -> None:
    assert generate_org(seed=3, scale=0.2) == generate_org(seed=3, scale=0.2)


def test_other_seed_other_model(demo_tiny: OrgModel) -> None:
    other = generate_org(seed=8, scale=0.05)
    assert [p.title for p in other.pulls.values()] != [p.title for p in demo_tiny.pulls.values()]


def test_full_scale_sizes(demo_full: OrgModel) -> None:
    humans = [u for u in demo_full.users.values() if u.type == "User" and not u.login.endswith("[bot]")]
    assert 36 <= len(humans) <= 46
    assert len(demo_full.repos) == 8
    assert 1400 <= len(demo_full.pulls) <= 1600
    assert len(demo_full.reviews) > 4000
    assert len(demo_full.review_threads) > 3000
    assert len(demo_full.review_comments) > 6000
    assert len(demo_full.issue_comments) > 1500
    assert len(demo_full.commits) > 4000
    # about 3 runs per PR: a lean CI setup, and what keeps collection under 60 requests per 1,000 PRs
    assert 3_500 <= len(demo_full.workflow_runs) <= 6_000


def test_scale_grows_pull_requests() -> None:
    assert 1900 <= len(generate_org(seed=7, scale=1.35).pulls) <= 2100


def test_tiny_scale_is_small(demo_tiny: OrgModel) -> None:
    assert 60 <= len(demo_tiny.pulls) <= 90
    assert len(demo_tiny.workflow_runs) < 4000


def test_bad_scale_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="scale"):
        generate_org(scale=0)


@pytest.mark.parametrize("name", ["demo_tiny", "demo_full"])
def test_invariants_hold(name: str, request: pytest.FixtureRequest) -> None:
    model: OrgModel = request.getfixturevalue(name)
    assert check_invariants(model, DEMO_NOW) == []


def test_now_shifts_the_whole_timeline() -> None:
    now = datetime(2030, 1, 1, tzinfo=UTC)
    model = generate_org(seed=7, scale=0.05, now=now)
    base = generate_org(seed=7, scale=0.05)
    first = min(base.pulls.values(), key=lambda p: p.id)
    shifted = next(p for p in model.pulls.values() if p.id == first.id)
    assert shifted.created_at - first.created_at == now - DEMO_NOW
    assert check_invariants(model, now) == []


@pytest.mark.parametrize("name", ["demo_tiny", "demo_full"])
def test_every_trait_present(name: str, request: pytest.FixtureRequest) -> None:
    model: OrgModel = request.getfixturevalue(name)
    traits = {t.trait for t in model.traits}
    assert traits == set(TRAITS)
    assert sum(t.trait == "newcomer" for t in model.traits) >= 5
    for trait in model.traits:
        assert trait.login in model.users
    reviewers = {r.author for r in model.reviews.values()}
    for trait in ("mentor", "harsh_reviewer", "rubber_stamper"):
        assert next(t.login for t in model.traits if t.trait == trait) in reviewers


def _all_text(model: OrgModel) -> str:
    parts = [p.title + "\n" + p.body for p in model.pulls.values()]
    parts += [c.body for c in model.review_comments.values()] + [c.body for c in model.issue_comments.values()]
    parts += [f"{u.login} {u.name}" for u in model.users.values()]
    return "\n".join(parts)


@pytest.mark.parametrize("name", ["demo_tiny", "demo_full"])
def test_hostile_strings_planted(name: str, request: pytest.FixtureRequest) -> None:
    model: OrgModel = request.getfixturevalue(name)
    text = _all_text(model)
    for hostile in HOSTILE_STRINGS:
        assert hostile in text, hostile
    assert any("<script>" in p.title for p in model.pulls.values())
    assert any("onerror" in c.body for c in model.issue_comments.values())
    assert any(u.name and "<svg" in u.name for u in model.users.values())


def test_logins_are_valid_github_logins(demo_tiny: OrgModel) -> None:
    for login in demo_tiny.users:
        assert login.removesuffix("[bot]").replace("-", "").isalnum(), login


@pytest.mark.parametrize("name", ["demo_tiny", "demo_full"])
def test_bots_present_by_every_route(name: str, request: pytest.FixtureRequest) -> None:
    model: OrgModel = request.getfixturevalue(name)
    typed = [u for u in model.users.values() if u.type == "Bot"]
    suffixed_users = [u for u in model.users.values() if u.type == "User" and u.login.endswith("[bot]")]
    assert typed and suffixed_users
    authors = {c.author for c in model.issue_comments.values()} | {p.author for p in model.pulls.values()}
    assert any(u.login in authors for u in typed)
    # The template account looks human: a member of type User whose comments are near-identical templates.
    service = model.users["qa-automation"]
    assert service.type == "User" and "qa-automation" in model.members
    bodies = [c.body for c in model.issue_comments.values() if c.author == "qa-automation"]
    assert len(bodies) >= 3
    assert all(b.startswith("Coverage report: ") and "%" in b for b in bodies)


@pytest.mark.parametrize("name", ["demo_tiny", "demo_full"])
def test_ghosts(name: str, request: pytest.FixtureRequest) -> None:
    model: OrgModel = request.getfixturevalue(name)
    assert any(u.deleted for u in model.users.values())
    assert any(p.author is None for p in model.pulls.values())
    assert any(r.author is None for r in model.reviews.values())
    assert all(u.login not in model.members for u in model.users.values() if u.deleted)


def test_associations_follow_membership(demo_full: OrgModel) -> None:
    members_ever = {"mlindqvist", "dkrause", "tbaptiste"}
    for pr in demo_full.pulls.values():
        if pr.author in members_ever:
            assert pr.author_association == "MEMBER"
        if pr.author == "dependabot[bot]" or pr.author is None:
            assert pr.author_association == "NONE"
    newcomer_firsts = [p for p in demo_full.pulls.values() if p.author_association == "FIRST_TIME_CONTRIBUTOR"]
    assert newcomer_firsts and len({p.author for p in newcomer_firsts}) >= 5
    assert any(p.author_association == "CONTRIBUTOR" for p in demo_full.pulls.values())
    first = min((p for p in demo_full.pulls.values() if p.author == "mateo-r"), key=lambda p: p.created_at)
    assert first.author_association == "FIRST_TIME_CONTRIBUTOR"


def test_pr_shapes(demo_full: OrgModel) -> None:
    pulls = list(demo_full.pulls.values())
    assert any(p.draft and p.state == "open" for p in pulls)
    assert any(p.state == "closed" and p.merged_at is None for p in pulls)
    assert any(p.state == "open" and not p.draft for p in pulls)
    assert any(len(p.files) > 100 and p.additions + p.deletions > 2000 for p in pulls)
    assert any(len(p.commit_shas) > 100 for p in pulls)
    per_pr: dict[tuple[str, int], int] = {}
    for comment in demo_full.review_comments.values():
        key = (comment.repo, comment.pr_number)
        per_pr[key] = per_pr.get(key, 0) + 1
    assert max(per_pr.values()) > 100
    per_review: dict[int, int] = {}
    for comment in demo_full.review_comments.values():
        per_review[comment.review_id] = per_review.get(comment.review_id, 0) + 1
    assert max(per_review.values()) > 100


def test_drafts_marked_ready_before_their_first_review(demo_full: OrgModel) -> None:
    """About a fifth of PRs open as drafts; some go back to draft and are marked ready again."""
    toggles: dict[tuple[str, int], list[str]] = {}
    for event in sorted(demo_full.draft_events.values(), key=lambda e: (e.created_at, e.id)):
        toggles.setdefault((event.repo, event.pr_number), []).append(event.kind)
    twice = [k for k, kinds in toggles.items() if kinds.count("ready_for_review") == 2]
    assert 0.1 < len(toggles) / len(demo_full.pulls) < 0.3 and len(twice) >= 20
    assert any(demo_full.pulls[k].draft for k in toggles)  # marked ready, then taken back: still a draft
    first_review: dict[tuple[str, int], object] = {}
    for review in sorted(demo_full.reviews.values(), key=lambda r: r.submitted_at):
        first_review.setdefault((review.repo, review.pr_number), review.submitted_at)
    events = demo_full.draft_events.values()
    assert all(e.created_at <= first_review[(e.repo, e.pr_number)] for e in events  # type: ignore[operator]
               if (e.repo, e.pr_number) in first_review)
    assert not any(demo_full.pulls[k].author in ("dependabot[bot]", "renovate[bot]") for k in toggles)


def test_drafts_leave_everything_else_as_it_was() -> None:
    """The drafts come from a random stream of their own: without them the model is the same otherwise."""
    import analyzer.demo.generator as generator

    with_drafts = generate_org(seed=3, scale=0.2)
    stream = generator.draft_stream
    generator.draft_stream = lambda seed: None  # type: ignore[assignment,return-value]
    try:
        without = generate_org(seed=3, scale=0.2)
    finally:
        generator.draft_stream = stream
    assert with_drafts.draft_events and not without.draft_events
    with_drafts.draft_events.clear()
    assert with_drafts == without


def test_review_states_and_threads(demo_full: OrgModel) -> None:
    states = {r.state for r in demo_full.reviews.values()}
    assert {"APPROVED", "CHANGES_REQUESTED", "COMMENTED"} <= states
    threads = list(demo_full.review_threads.values())
    assert any(t.is_resolved for t in threads) and any(not t.is_resolved for t in threads)
    assert any(t.is_outdated for t in threads)
    assert sum(len(t.comment_ids) > 1 for t in threads) > 500


def test_comment_variety(demo_full: OrgModel) -> None:
    bodies = [c.body for c in demo_full.review_comments.values()]
    assert len(set(bodies)) > 2000
    assert any("```suggestion\n" in b for b in bodies)
    for label in ("nit:", "suggestion:", "question:", "praise:", "issue (blocking):", "thought:"):
        assert any(b.startswith(label) for b in bodies), label
    assert any("ä" in b or "ü" in b for b in bodies)  # German
    assert any("です" in b or "ます" in b for b in bodies)  # Japanese
    assert any("¿" in b for b in bodies)  # Spanish
    assert any("ção" in b or "ótimo" in b for b in bodies)  # Portuguese
    assert any(b in ("👍", "🎉", "🚀") for b in bodies)
    conversation = [c.body for c in demo_full.issue_comments.values()]
    assert any("```" in b for b in conversation) and any(b.startswith("> ") for b in conversation)
    approvals = [r.body for r in demo_full.reviews.values() if r.state == "APPROVED"]
    assert any(b == "LGTM" for b in approvals) and any(b == "+1" for b in approvals)


def test_inline_comments_reference_the_diff(demo_full: OrgModel) -> None:
    """Backticked identifiers in inline comments mostly occur in the comment's own diff hunk."""
    checked = hits = 0
    for comment in demo_full.review_comments.values():
        if comment.in_reply_to_id is None and "`" in comment.body:
            ident = comment.body.split("`")[1]
            checked += 1
            hits += ident in comment.diff_hunk
    assert checked > 1000 and hits / checked > 0.5


def test_feedback_lands_in_later_commits(demo_full: OrgModel) -> None:
    """Outdated threads have a later commit by the PR author touching the commented line's file and area."""
    landed = 0
    outdated = [t for t in demo_full.review_threads.values() if t.is_outdated]
    for thread in outdated[:300]:
        first = demo_full.review_comments[thread.comment_ids[0]]
        pr = demo_full.pulls[(thread.repo, thread.pr_number)]
        for sha in pr.commit_shas:
            commit = demo_full.commits[(pr.repo, sha)]
            if commit.committed_at <= first.created_at:
                continue
            for changed in commit.files:
                if changed.path == thread.path and changed.patch:
                    start = int(changed.patch.split("+", 1)[1].split(",", 1)[0])
                    landed += abs(start - thread.original_line) <= 10
    assert landed >= 0.9 * min(len(outdated), 300)


def test_docs_and_ci_files(demo_full: OrgModel) -> None:
    direct = [c for c in demo_full.commits.values() if c.pr_number is None]
    assert len(direct) > 100
    assert any(f.path.endswith(".md") for c in direct for f in c.files)
    assert any(f.path.startswith(".github/workflows/") for c in direct for f in c.files)
    paths = {f.path for p in demo_full.pulls.values() for f in p.files}
    assert {"README.md", "CONTRIBUTING.md", "docs/onboarding/getting-started.md"} <= paths


def test_runs_cover_events_and_reattempts(demo_full: OrgModel) -> None:
    runs = list(demo_full.workflow_runs.values())
    assert {"push", "pull_request", "schedule", "release"} <= {r.event for r in runs}
    assert any(r.run_attempt > 1 and r.conclusion == "success" for r in runs)
    assert any(r.conclusion == "failure" for r in runs)
    names = {(w.repo, w.path) for w in demo_full.workflows.values()}
    assert ("api-gateway", ".github/workflows/release.yml") in names
    weeks = (DEMO_NOW - min(r.created_at for r in runs)) / timedelta(weeks=1)
    per_repo_week = len(runs) / len(demo_full.repos) / weeks
    assert 4 <= per_repo_week <= 12
