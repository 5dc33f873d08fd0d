"""GitHub Actions for the demo: four workflows per repo and runs whose timing follows CI changes.

Runs come from pushes to the default branch, pushes to PR branches, a nightly schedule and releases.
Durations drift up slowly (the codebase grows) and jump down after the CI improver's changes; another
person's change makes one workflow flaky (more failures, more re-runs that turn green).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from analyzer.demo.branch import default_head_at
from analyzer.demo.clock import DEMO_NOW, DEMO_START, SPAN_DAYS
from analyzer.demo.context import BuildContext
from analyzer.demo.layouts import LAYOUTS, WORKFLOWS, is_doc_path
from analyzer.demo.people import REPOS
from analyzer.demo.plans import CiChange
from analyzer.fakegithub.model import Commit, PullRequest, Workflow, WorkflowRun

_BASE_MINUTES = {"Python": 9.0, "TypeScript": 11.0, "Go": 6.0, "HCL": 4.0}
_FIXED_MINUTES = {"Lint": 1.8, "Docs": 3.5, "Release": 12.0}
_FAILURE = {"push": 0.04, "schedule": 0.05, "pull_request": 0.10, "release": 0.03}


@dataclass
class RunSpec:
    repo: str
    workflow: Workflow
    head_sha: str
    head_branch: str
    event: str
    created_at: datetime
    actor: str | None
    pr_numbers: list[int]


def make_workflows(ctx: BuildContext) -> dict[tuple[str, str], Workflow]:
    """Four workflows per repo, keyed by (repo, path)."""
    found: dict[tuple[str, str], Workflow] = {}
    for repo in REPOS:
        for name, path in WORKFLOWS:
            workflow = Workflow(ctx.ids.take("workflow"), repo, name, path, DEMO_START - timedelta(days=90))
            ctx.model.workflows[workflow.id] = workflow
            found[(repo, path)] = workflow
    return found


def _touches_docs(commit: Commit) -> bool:
    return any(is_doc_path(f.path) for f in commit.files)


def _push_specs(ctx: BuildContext, flows: dict[tuple[str, str], Workflow]) -> list[RunSpec]:
    return [spec for commits in ctx.landed.values() for c in commits for spec in push_run_specs(ctx, flows, c)]


def _pr_specs(ctx: BuildContext, flows: dict[tuple[str, str], Workflow], pr: PullRequest) -> list[RunSpec]:
    # One CI run per PR, on its final head (the workflows use `concurrency: cancel-in-progress`,
    # and lint runs inside CI), so run volume stays near a lean real org's: ~3 runs per PR in all.
    commits = [ctx.model.commits[(pr.repo, sha)] for sha in pr.commit_shas]
    paths = [".github/workflows/ci.yml"]
    specs: list[RunSpec] = []
    for commit in commits[-1:]:
        start = max(commit.committed_at, pr.created_at) + timedelta(seconds=ctx.rng.randint(3, 40))
        for path in paths:
            specs.append(
                RunSpec(
                    pr.repo,
                    flows[(pr.repo, path)],
                    commit.sha,
                    pr.head_ref,
                    "pull_request",
                    start,
                    pr.author,
                    [pr.number],
                )
            )
    return specs


def _scheduled_specs(ctx: BuildContext, flows: dict[tuple[str, str], Workflow], every_days: int) -> list[RunSpec]:
    specs: list[RunSpec] = []
    for repo in REPOS:
        owner = next(p.login for p in ctx.people.values() if repo in p.home_repos and p.role == "member")
        for offset in range(0, SPAN_DAYS, every_days):
            at = DEMO_START + timedelta(days=offset, hours=3, seconds=ctx.rng.randint(0, 900))
            head = default_head_at(ctx, repo, at)
            if head is not None:
                specs.append(
                    RunSpec(
                        repo,
                        flows[(repo, ".github/workflows/ci.yml")],
                        head.sha,
                        "main",
                        "schedule",
                        at,
                        owner,
                        [],
                    )
                )
        for release, offset in enumerate(range(10, SPAN_DAYS, 14)):
            at = DEMO_START + timedelta(days=offset, hours=14)
            head = default_head_at(ctx, repo, at)
            if head is not None:
                specs.append(
                    RunSpec(
                        repo,
                        flows[(repo, ".github/workflows/release.yml")],
                        head.sha,
                        f"v1.{release}.0",
                        "release",
                        at,
                        owner,
                        [],
                    )
                )
    return specs


def _factor(changes: list[CiChange], spec: RunSpec) -> tuple[float, float, float]:
    """Duration factor and added failure / re-run chances from every CI change already landed."""
    duration, failure, rerun = 1.0, 0.0, 0.0
    for change in changes:
        if (
            change.at is not None
            and change.repo == spec.repo
            and change.workflow_path == spec.workflow.path
            and change.at <= spec.created_at
        ):
            duration *= change.duration_factor
            failure += change.failure_add
            rerun += change.rerun_add
    return duration, failure, rerun


def _minutes(rng: random.Random, spec: RunSpec, factor: float) -> float:
    base = _FIXED_MINUTES.get(spec.workflow.name, _BASE_MINUTES[LAYOUTS[spec.repo].language])
    growth = 1.0 + 0.15 * (spec.created_at - DEMO_START).days / SPAN_DAYS
    extra = 1.05 if spec.event == "pull_request" else 1.0
    return base * growth * extra * factor * math.exp(rng.gauss(0, 0.13))


def _run(ctx: BuildContext, spec: RunSpec, changes: list[CiChange], number: int, horizon: datetime) -> WorkflowRun:
    rng = ctx.rng
    factor, failure_add, rerun_add = _factor(changes, spec)
    minutes = _minutes(rng, spec, factor)
    started = spec.created_at + timedelta(seconds=int(rng.lognormvariate(2.8, 0.8)) + 1)
    failed = rng.random() < _FAILURE[spec.event] + failure_add
    conclusion = "failure" if failed else "success"
    attempt = 1
    if failed:
        minutes *= 0.6
        if rng.random() < 0.3 + rerun_add:  # someone pressed "re-run"
            attempt = 2
            started += timedelta(minutes=minutes + rng.uniform(2, 40))
            minutes = _minutes(rng, spec, factor)
            conclusion = "success" if rng.random() < 0.75 else "failure"
    elif spec.event == "pull_request" and rng.random() < 0.02:
        conclusion, minutes = "cancelled", minutes * 0.3
    ended = (started + timedelta(seconds=int(minutes * 60))).replace(microsecond=0)
    status = "completed"
    if ended > horizon:
        status, ended = "in_progress", min(started, horizon)
    return WorkflowRun(
        id=ctx.ids.take("run"),
        repo=spec.repo,
        workflow_id=spec.workflow.id,
        head_sha=spec.head_sha,
        head_branch=spec.head_branch,
        event=spec.event,
        status=status,  # type: ignore[arg-type]
        conclusion=conclusion if status == "completed" else None,  # type: ignore[arg-type]
        created_at=spec.created_at.replace(microsecond=0),
        run_started_at=started.replace(microsecond=0),
        updated_at=ended,
        run_attempt=attempt,
        actor=spec.actor,
        run_number=number,
        pr_numbers=spec.pr_numbers,
    )


def generate_runs(
    ctx: BuildContext,
    flows: dict[tuple[str, str], Workflow],
    specs: list[RunSpec],
    horizon: datetime = DEMO_NOW,
) -> int:
    """Creates runs for ``specs`` in time order (so ids and run numbers grow with time)."""
    specs = [s for s in specs if s.created_at <= horizon]
    specs.sort(key=lambda s: (s.created_at, s.workflow.id, s.head_sha))
    numbers: dict[int, int] = {}
    for run in ctx.model.workflow_runs.values():
        numbers[run.workflow_id] = max(numbers.get(run.workflow_id, 0), run.run_number)
    for spec in specs:
        number = numbers.get(spec.workflow.id, 0) + 1
        numbers[spec.workflow.id] = number
        run = _run(ctx, spec, ctx.ci_changes, number, horizon)
        ctx.model.workflow_runs[run.id] = run
    return len(specs)


def all_run_specs(ctx: BuildContext, flows: dict[tuple[str, str], Workflow], every_days: int) -> list[RunSpec]:
    specs = _push_specs(ctx, flows) + _scheduled_specs(ctx, flows, every_days)
    for pr in ctx.model.pulls.values():
        specs += _pr_specs(ctx, flows, pr)
    return specs


def pr_run_specs(ctx: BuildContext, flows: dict[tuple[str, str], Workflow], pr: PullRequest) -> list[RunSpec]:
    return _pr_specs(ctx, flows, pr)


def push_run_specs(ctx: BuildContext, flows: dict[tuple[str, str], Workflow], commit: Commit) -> list[RunSpec]:
    paths = [".github/workflows/ci.yml"]
    if _touches_docs(commit):
        paths.append(".github/workflows/docs.yml")
    return [
        RunSpec(
            commit.repo,
            flows[(commit.repo, p)],
            commit.sha,
            "main",
            "push",
            commit.committed_at + timedelta(seconds=ctx.rng.randint(2, 20)),
            commit.committer_login,
            [],
        )
        for p in paths
    ]
