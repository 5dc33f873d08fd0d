"""The built-in traits are recoverable by naive scorers (so a reasonable real scorer finds them too)."""

from __future__ import annotations

from analyzer.fakegithub.model import OrgModel
from tests.demo.signals import ci_change_effects, docs_counts, harsh_rates, newcomer_reach, rubber_stamp_rates


def _holder(model: OrgModel, trait: str) -> str:
    return next(t.login for t in model.traits if t.trait == trait)


def _top(scores: dict[str, float] | dict[str, int]) -> list[str]:
    return sorted(scores, key=lambda login: -scores[login])


def test_harsh_reviewer_has_clearly_highest_harsh_rate(demo_full: OrgModel) -> None:
    rates = harsh_rates(demo_full)
    harsh = _holder(demo_full, "harsh_reviewer")
    runner_up = max(rate for login, rate in rates.items() if login != harsh)
    assert _top(rates)[0] == harsh and rates[harsh] > 2.5 * runner_up
    assert rates[harsh] < 0.8  # realistic: also writes ordinary comments


def test_rubber_stamper_has_highest_stamp_rate(demo_full: OrgModel) -> None:
    rates = rubber_stamp_rates(demo_full, minimum=10)
    stamper = _holder(demo_full, "rubber_stamper")
    assert _top(rates)[0] == stamper and rates[stamper] > 0.8
    assert max(rate for login, rate in rates.items() if login != stamper) < 0.5
    on_others = {
        c.author
        for c in demo_full.review_comments.values()
        if demo_full.pulls[(c.repo, c.pr_number)].author != c.author
    }
    assert stamper not in on_others  # never comments inline as a reviewer


def test_mentor_has_widest_newcomer_reach(demo_full: OrgModel, demo_tiny: OrgModel) -> None:
    for model in (demo_full, demo_tiny):
        reach = newcomer_reach(model)
        mentor = _holder(model, "mentor")
        assert _top(reach)[0] == mentor
        assert reach[mentor] > max(n for login, n in reach.items() if login != mentor)
    mentor = _holder(demo_full, "mentor")
    reviewed_authors = {
        demo_full.pulls[(r.repo, r.pr_number)].author for r in demo_full.reviews.values() if r.author == mentor
    }
    seniors = {"lchen", "kweber", "dkrause", "vpetrov"}
    assert reviewed_authors & seniors  # the mentor reviews seniors too


def test_docs_champion_writes_most_docs(demo_full: OrgModel) -> None:
    counts = docs_counts(demo_full)
    champion = _holder(demo_full, "docs_champion")
    ranked = counts.most_common()
    assert ranked[0][0] == champion and ranked[0][1] > 2 * ranked[1][1]
    code_and_docs = [
        p
        for p in demo_full.pulls.values()
        if p.author == champion
        and any(f.path.endswith(".md") for f in p.files)
        and any(not f.path.endswith(".md") for f in p.files)
    ]
    assert len(code_and_docs) >= 5


def test_ci_improver_changes_make_runs_faster(demo_full: OrgModel) -> None:
    improver = _holder(demo_full, "ci_improver")
    clear = [e for e in ci_change_effects(demo_full, improver) if e[1] >= 30 and e[2] >= 30 and e[0] < 0.75]
    assert len(clear) >= 3


def test_someone_else_makes_a_workflow_flaky(demo_full: OrgModel) -> None:
    change = next(
        c
        for c in demo_full.commits.values()
        if c.pr_number is not None
        and c.on_default_branch
        and c.message.startswith("ci: add end-to-end tests against staging")
    )
    assert change.author_login != _holder(demo_full, "ci_improver")
    flow = next(w for w in demo_full.workflows.values() if w.repo == change.repo and w.name == "CI")
    runs = [r for r in demo_full.workflow_runs.values() if r.workflow_id == flow.id and r.status == "completed"]
    before = [r for r in runs if r.created_at < change.committed_at]
    after = [r for r in runs if r.created_at > change.committed_at]

    def rerun_share(sample: list) -> float:  # type: ignore[type-arg]
        return sum(r.run_attempt > 1 for r in sample) / len(sample)

    assert len(before) >= 30 and len(after) >= 30
    assert rerun_share(after) > 2 * rerun_share(before)
