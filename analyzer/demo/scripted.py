"""The hand-placed PRs and pushes that carry the ground-truth traits and the awkward cases.

They exist at every scale, so even the tiny test org has each trait, ghosts, bots, huge PRs and
hostile strings.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from analyzer.demo.clock import day as _midnight
from analyzer.demo.hostile import HOSTILE_COMMENT, HOSTILE_LINK, HOSTILE_TEMPLATE, HOSTILE_TITLE
from analyzer.demo.people import Person
from analyzer.demo.plans import CiChange, Kind, Outcome, PRPlan


def day(offset: float) -> datetime:
    """A working-hours instant on day ``offset`` of the window (scripted events are not at midnight)."""
    return _midnight(offset) + timedelta(hours=9, minutes=int(offset * 7) % 60)


CI_IMPROVER_CHANGES: tuple[tuple[str, float, str, str], ...] = (
    ("api-gateway", 150, "ci: cache pip and pytest between runs", "caching"),
    ("data-pipeline", 255, "ci: run tests in parallel shards", "parallel matrix"),
    ("billing-service", 360, "ci: cache poetry install and reuse the test database image", "caching"),
)
FLAKY_CHANGE = ("web-dashboard", 300, "ci: add end-to-end tests against staging")


def _plan(
    people: dict[str, Person],
    repo: str,
    author: str,
    when: datetime,
    kind: Kind,
    size: int,
    n_files: int,
    reviewers: tuple[str, ...],
    outcome: Outcome = "merged",
) -> PRPlan:
    return PRPlan(repo, people[author], when, kind, size, n_files, outcome, reviewers=[people[r] for r in reviewers])


def _ci_plans(people: dict[str, Person]) -> list[PRPlan]:
    plans: list[PRPlan] = []
    for repo, offset, title, label in CI_IMPROVER_CHANGES:
        plan = _plan(people, repo, "rnakamura", day(offset), "ci", 24, 1, ("lchen", "kweber"))
        plan.title, plan.paths = title, (".github/workflows/ci.yml",)
        plan.ci_change = CiChange(repo, ".github/workflows/ci.yml", "rnakamura", 0.64, label=label)
        plan.body = (
            f"## Why\n\nCI on `{repo}` takes too long, so everyone waits on every push.\n\n## What\n\n"
            f"- {label}\n- measured locally: roughly a third faster"
        )
        plans.append(plan)
    repo, offset, title = FLAKY_CHANGE
    flaky = _plan(people, repo, "vpetrov", day(offset), "ci", 60, 2, ("tbaptiste",))
    flaky.title, flaky.paths = title, (".github/workflows/ci.yml", "e2e/staging.spec.ts")
    flaky.ci_change = CiChange(
        repo,
        ".github/workflows/ci.yml",
        "vpetrov",
        1.12,
        failure_add=0.14,
        rerun_add=0.45,
        label="new end-to-end gate against a shared staging",
    )
    plans.append(flaky)
    return plans


def _docs_plans(people: dict[str, Person]) -> list[PRPlan]:
    plans = [
        _plan(people, "docs-portal", "aokafor", day(30), "onboarding", 220, 3, ("mlindqvist",)),
        _plan(people, "api-gateway", "aokafor", day(200), "onboarding", 160, 2, ("hpark", "mlindqvist")),
        _plan(people, "web-dashboard", "aokafor", day(400), "onboarding", 140, 2, ("jfernandez",)),
    ]
    code_and_docs = _plan(people, "docs-portal", "aokafor", day(320), "feature", 260, 5, ("hsato",))
    code_and_docs.with_docs = True
    return [*plans, code_and_docs]


def _newcomer_plans(people: dict[str, Person]) -> list[PRPlan]:
    plans: list[PRPlan] = []
    # not jkim: the confounded reviewer of the uplift ground truth is only given the strongest authors
    second_reviewers = ("kweber", "lchen", "ebrown", "omar-haddad", "hpark", "sgupta")
    newcomers = [p for p in people.values() if p.trait == "newcomer"]
    for index, person in enumerate(newcomers):
        first_day = person.joined + timedelta(days=1, hours=3)
        reviewers = ("dkrause",) if person.login == "noah-becker" else ("mlindqvist",)
        kind: Kind = "bugfix" if person.login != "kofi-mensah" else "docs"
        plan = _plan(people, person.home_repos[0], person.login, first_day, kind, 45, 2, reviewers)
        plans.append(plan)
        follow_up = _plan(
            people,
            person.home_repos[-1],
            person.login,
            first_day + timedelta(days=12),
            "feature",
            90,
            3,
            ("mlindqvist", second_reviewers[index % len(second_reviewers)]),
        )
        plans.append(follow_up)
    return plans


def _special_plans(people: dict[str, Person]) -> list[PRPlan]:
    # late in the window, so it is among the newest activity the report lists for its author and reviewer
    hostile = _plan(people, "web-dashboard", "x-onerror-x", day(546), "bugfix", 40, 2, ("ebrown",))
    hostile.title = HOSTILE_TITLE
    hostile.body = f"Escapes the widget title. See {HOSTILE_LINK} for the report."
    hostile.notes = [(people["ebrown"], f"Repro from the bug report: {HOSTILE_COMMENT}")]
    hostile.first_inline = f"This template still renders `{HOSTILE_TEMPLATE}` unescaped."
    ghost_pr = _plan(people, "billing-service", "former-contractor", day(50), "feature", 180, 4, ("kweber",))
    ghost_ops = _plan(people, "infra-live", "old-ops-account", day(150), "chore", 12, 1, ("psouza",))
    ghost_review = _plan(
        people, "data-pipeline", "lchen", day(120), "feature", 140, 4, ("former-contractor", "mlindqvist")
    )
    huge = _plan(people, "web-dashboard", "jkim", day(240), "refactor", 3400, 130, ("tbaptiste",))
    huge.title, huge.n_commits = "refactor: regenerate the API client and migrate every call site", 105
    mega = _plan(people, "data-pipeline", "vpetrov", day(340), "refactor", 1600, 22, ("kweber", "dkrause"))
    mega.title, mega.mega_review = "Rewrite the scheduler around a job queue", 110
    stamped = _plan(people, "mobile-sync", "amartin", day(280), "feature", 900, 14, ("tbaptiste", "jfernandez"))
    draft = _plan(people, "auth-lib", "sgupta", day(535), "feature", 200, 4, ("mlindqvist",), "draft")
    closed = _plan(people, "api-gateway", "omar-haddad", day(180), "feature", 300, 6, ("dkrause",), "closed")
    deps = _plan(people, "billing-service", "dependabot[bot]", day(90), "deps", 20, 2, ("omar-haddad",))
    still_open = [
        _plan(people, repo, login, day(offset), "feature", 120, 3, (reviewer,), "open")
        for repo, login, offset, reviewer in (
            ("api-gateway", "lchen", 538, "mlindqvist"),
            ("billing-service", "psouza", 541, "kweber"),
            ("data-pipeline", "hpark", 543, "dkrause"),
            ("web-dashboard", "mateo-r", 545, "mlindqvist"),
        )
    ]
    return [hostile, ghost_pr, ghost_ops, ghost_review, huge, mega, stamped, draft, closed, deps, *still_open]


def scripted_plans(people: dict[str, Person]) -> list[PRPlan]:
    return _ci_plans(people) + _docs_plans(people) + _newcomer_plans(people) + _special_plans(people)


# (repo, person, day, paths, message, ci change factor or None)
SCRIPTED_PUSHES: tuple[tuple[str, str, float, tuple[str, ...], str, float | None], ...] = (
    ("docs-portal", "aokafor", 45, ("README.md",), "docs: fix the quick start command", None),
    (
        "api-gateway",
        "aokafor",
        230,
        ("docs/onboarding/getting-started.md",),
        "docs: add troubleshooting tips",
        None,
    ),
    ("auth-lib", "rnakamura", 420, (".github/workflows/lint.yml",), "ci: cache golangci-lint results", 0.66),
    ("infra-live", "bkowalski", 260, (".github/workflows/release.yml",), "ci: pin runner image", None),
)
