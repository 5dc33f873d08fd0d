"""Default-branch history: direct pushes that no PR covers, and the parent chain of every branch."""

from __future__ import annotations

import bisect
import random
from datetime import datetime, timedelta

from analyzer.demo.clock import DEMO_START, working_time
from analyzer.demo.code import make_file_diff
from analyzer.demo.context import BuildContext, login_of
from analyzer.demo.layouts import LAYOUTS
from analyzer.demo.people import REPOS, Person
from analyzer.fakegithub.model import Commit


def direct_push(ctx: BuildContext, repo: str, person: Person, at: datetime, paths: list[str], message: str) -> Commit:
    """A commit pushed straight to the default branch (``pr_number`` None)."""
    files = [make_file_diff(ctx.rng, p, ctx.rng.randint(1, 30), ctx.rng.randint(0, 8)).file for p in paths]
    login = login_of(person)
    commit = Commit(
        sha=ctx.ids.sha(),
        repo=repo,
        message=message,
        author_login=login,
        author_name=person.name,
        author_email=person.email,
        authored_at=at - timedelta(minutes=ctx.rng.randint(1, 90)),
        committed_at=at,
        committer_login=login,
        files=files,
        pr_number=None,
        on_default_branch=True,
    )
    ctx.add_commit(commit)
    ctx.landed.setdefault(repo, []).append(commit)
    return commit


def _push_paths(rng: random.Random, repo: str, person: Person) -> tuple[list[str], str]:
    layout = LAYOUTS[repo]
    docs_bias = 4.0 if person.trait == "docs_champion" else 1.0
    kind = rng.choices(("docs", "release", "ci", "hotfix"), (3 * docs_bias, 2.5, 1, 3))[0]
    if kind == "docs":
        return [rng.choice(layout.docs + layout.onboarding)], rng.choice(
            (
                "Fix typo in README",
                "docs: fix install command",
                "Fix broken link in docs",
                "docs: clarify setup",
            )
        )
    if kind == "release":
        return ["CHANGELOG.md", layout.manifest], f"Bump version to 1.{rng.randint(2, 30)}.0"
    if kind == "ci":
        return [rng.choice((".github/workflows/release.yml", ".github/workflows/docs.yml"))], rng.choice(
            ("ci: pin runner image", "ci: fix release job permissions", "ci: update docs deploy target")
        )
    return [rng.choice(layout.modules)], rng.choice(
        ("Hotfix: revert bad config", "Hotfix: handle missing header", "Fix crash on startup")
    )


def random_pushes(ctx: BuildContext, roster: list[Person], count: int) -> None:
    rng = ctx.rng
    for _ in range(count):
        at = working_time(rng, DEMO_START + timedelta(days=2), ctx.horizon - timedelta(hours=2))
        pushers = [p for p in roster if p.member_at(at) and p.review_weight > 0]
        person = rng.choices(pushers, [3.0 if p.trait == "docs_champion" else 1.0 for p in pushers])[0]
        repo = rng.choice(person.home_repos) if person.home_repos else rng.choice(REPOS)
        paths, message = _push_paths(rng, repo, person)
        direct_push(ctx, repo, person, at, paths, message)


def root_commits(ctx: BuildContext, founder: Person) -> None:
    """Each repo starts with an initial commit before the demo window."""
    for index, repo in enumerate(REPOS):
        at = DEMO_START - timedelta(days=60 - index)
        direct_push(ctx, repo, founder, at, ["README.md", LAYOUTS[repo].manifest], "Initial commit")


def finalize_history(ctx: BuildContext) -> None:
    """Chains every default branch in time order and bases each PR branch on the head of its day."""
    heads: dict[str, tuple[list[datetime], list[str]]] = {}
    for repo, commits in ctx.landed.items():
        commits.sort(key=lambda c: c.committed_at)
        previous: str | None = None
        for commit in commits:
            tail = [p for p in commit.parents if p]
            commit.parents = ([previous] if previous else []) + tail
            previous = commit.sha
        heads[repo] = ([c.committed_at for c in commits], [c.sha for c in commits])
    for first, based_at in ctx.pr_bases:
        times, shas = heads.get(first.repo, ([], []))
        index = bisect.bisect_right(times, based_at) - 1
        if index >= 0 and not first.parents:
            first.parents = [shas[index]]
    for repo, (times, _) in heads.items():
        model_repo = ctx.model.repos[repo]
        # pushedAt follows pushes to any branch, so PR branches count too.
        branch_pushes = [c.committed_at for (r, _), c in ctx.model.commits.items() if r == repo]
        model_repo.pushed_at = model_repo.updated_at = max([*times, *branch_pushes])


def default_head_at(ctx: BuildContext, repo: str, moment: datetime) -> Commit | None:
    commits = ctx.landed.get(repo, [])
    times = [c.committed_at for c in commits]
    index = bisect.bisect_right(times, moment) - 1
    return commits[index] if index >= 0 else None
