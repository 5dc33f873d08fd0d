"""What each PR will be before it is built: author, repo, kind, size, outcome and reviewers.

Random plans spread ordinary work over the window; ``scripted.py`` adds the PRs that carry the
ground-truth traits, so even a tiny org contains every one of them.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from analyzer.demo.clock import DEMO_START, working_time
from analyzer.demo.people import REPOS, Person

Outcome = Literal["merged", "closed", "open", "draft"]
Kind = Literal["feature", "bugfix", "refactor", "tests", "docs", "onboarding", "ci", "chore", "deps"]

_KINDS: tuple[Kind, ...] = ("feature", "bugfix", "refactor", "tests", "docs", "chore", "ci")
_KIND_WEIGHTS = (38, 26, 10, 7, 9, 6, 2)
_DOCS_KIND_WEIGHTS = (18, 8, 4, 2, 50, 3, 1)  # the docs champion mostly writes docs
_MEDIAN_SIZE: dict[str, int] = {
    "feature": 120,
    "bugfix": 30,
    "refactor": 180,
    "tests": 80,
    "docs": 45,
    "onboarding": 90,
    "ci": 16,
    "chore": 8,
    "deps": 14,
}


@dataclass
class CiChange:
    """A change to a workflow file and the effect it really has on that workflow's later runs."""

    repo: str
    workflow_path: str
    author: str
    duration_factor: float
    failure_add: float = 0.0
    rerun_add: float = 0.0
    at: datetime | None = None  # when it landed on the default branch (set once built)
    label: str = ""


@dataclass
class PRPlan:
    repo: str
    author: Person
    created_at: datetime
    kind: Kind
    size: int
    n_files: int
    outcome: Outcome
    reviewers: list[Person] = field(default_factory=list)
    with_docs: bool = False
    title: str | None = None
    body: str | None = None
    n_commits: int | None = None
    mega_review: int = 0  # inline comments of one giant review (0: normal)
    ci_change: CiChange | None = None
    paths: tuple[str, ...] = ()  # forced file paths (scripted PRs)
    notes: list[tuple[Person, str]] = field(default_factory=list)  # extra conversation comments
    first_inline: str | None = None  # forced body of the first inline comment
    not_before: datetime | None = None  # no commit of the PR may be older (incremental updates)

    @property
    def large(self) -> bool:
        return self.size >= 500 or self.n_files >= 10


def is_newcomer(person: Person, moment: datetime) -> bool:
    """New to the org: an outside contributor, or anyone who joined in the last 120 days."""
    recent = person.joined > DEMO_START and moment - person.joined < timedelta(days=120)
    return person.role == "outside" or recent


def choose_reviewers(
    rng: random.Random, roster: list[Person], author: Person, repo: str, moment: datetime, large: bool
) -> list[Person]:
    newcomer = is_newcomer(author, moment)
    pool: list[Person] = []
    weights: list[float] = []
    for person in roster:
        if person is author or person.review_weight <= 0 or not person.member_at(moment):
            continue
        if person.strong_authors_only and author.skill >= 1.0:
            continue  # the confounded reviewer is only ever given the strongest authors
        weight = person.review_weight * (2.0 if repo in person.home_repos else 0.6)
        if person.trait == "mentor" and newcomer:
            weight *= 6.0
        if person.trait == "rubber_stamper":
            weight *= 3.0 if large else 0.5
        pool.append(person)
        weights.append(weight)
    wanted = rng.choices((1, 2, 3), (45, 40, 15))[0] + (1 if large else 0)
    chosen: list[Person] = []
    while pool and len(chosen) < wanted:
        index = rng.choices(range(len(pool)), weights)[0]
        chosen.append(pool.pop(index))
        weights.pop(index)
    return chosen


def _size(rng: random.Random, kind: Kind) -> int:
    size = _MEDIAN_SIZE[kind] * math.exp(rng.gauss(0, 0.8))
    if kind in ("feature", "refactor", "tests") and rng.random() < 0.16:
        size = rng.uniform(500, 2200)  # the occasional large change
    return max(1, int(size))


def _files_for(rng: random.Random, kind: Kind, size: int) -> int:
    if kind in ("ci", "chore", "deps"):
        return rng.randint(1, 2)
    spread = size / rng.uniform(35, 90)
    return max(1, min(int(spread) + rng.randint(0, 2), 60))


def _outcome(rng: random.Random, created: datetime, horizon: datetime) -> Outcome:
    if horizon - created < timedelta(days=12):
        result: Outcome = rng.choices(("open", "merged", "closed"), (55, 40, 5))[0]
    else:
        result = rng.choices(("merged", "closed", "open"), (86, 10, 4))[0]
    if result == "open" and rng.random() < 0.25:
        return "draft"
    return result


def _pick_author(rng: random.Random, roster: list[Person], moment: datetime) -> Person | None:
    pool = [p for p in roster if p.pr_weight > 0 and p.active(moment)]
    if not pool:
        return None
    return rng.choices(pool, [p.pr_weight for p in pool])[0]


def random_plan(rng: random.Random, roster: list[Person], lo: datetime, hi: datetime) -> PRPlan | None:
    """One ordinary PR created in [lo, hi], or None when nobody was around to write it."""
    created = working_time(rng, lo, hi, lean=0.85)  # activity grows a little over the window
    if rng.random() < 0.06:
        author: Person | None = next(p for p in roster if p.login == "dependabot[bot]")
    else:
        author = _pick_author(rng, roster, created)
    if author is None:
        return None
    repo = rng.choice(author.home_repos) if author.home_repos and rng.random() < 0.8 else rng.choice(REPOS)
    if author.role == "bot":
        kind: Kind = "deps"
    else:
        kinds = _DOCS_KIND_WEIGHTS if author.trait == "docs_champion" else _KIND_WEIGHTS
        kind = rng.choices(_KINDS, kinds)[0]
    size = _size(rng, kind)
    plan = PRPlan(repo, author, created, kind, size, _files_for(rng, kind, size), _outcome(rng, created, hi))
    docs_with_code = 0.75 if author.trait == "docs_champion" else 0.12
    plan.with_docs = kind in ("feature", "bugfix", "refactor") and rng.random() < docs_with_code
    plan.reviewers = choose_reviewers(rng, roster, author, repo, created, plan.large)
    if author.role == "bot":
        plan.reviewers = plan.reviewers[:1]
    return plan


def random_plans(rng: random.Random, roster: list[Person], count: int, lo: datetime, hi: datetime) -> list[PRPlan]:
    plans: list[PRPlan] = []
    for _ in range(count * 3):
        if len(plans) >= count:
            break
        plan = random_plan(rng, roster, lo, hi)
        if plan is not None:
            plans.append(plan)
    return plans
