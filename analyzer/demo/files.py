"""Which files a planned PR touches, and their diffs."""

from __future__ import annotations

import random

from analyzer.demo.code import FileDiff, make_file_diff
from analyzer.demo.layouts import LAYOUTS, RepoLayout
from analyzer.demo.plans import PRPlan
from analyzer.fakegithub.model import FileChange

_EXT = {"Python": ".py", "TypeScript": ".ts", "Go": ".go", "HCL": ".tf"}


def _extra_path(layout: RepoLayout, index: int) -> str:
    """A new source file for changes bigger than the repo's existing modules."""
    base = layout.modules[index % len(layout.modules)].rsplit("/", 1)[0]
    return f"{base}/generated/part_{index:03d}{_EXT.get(layout.language, '.txt')}"


def _code_paths(rng: random.Random, layout: RepoLayout, count: int) -> list[tuple[str, FileChange]]:
    existing = list(layout.modules) + list(layout.tests)
    rng.shuffle(existing)
    paths: list[tuple[str, FileChange]] = [(p, "modified") for p in existing[:count]]
    for index in range(count - len(paths)):
        paths.append((_extra_path(layout, index), "added"))
    return paths


def _doc_paths(rng: random.Random, layout: RepoLayout, count: int, onboarding: bool) -> list[str]:
    pool = list(layout.onboarding if onboarding else layout.docs)
    rng.shuffle(pool)
    extra = [f"docs/guides/topic-{i:02d}.md" for i in range(max(count - len(pool), 0))]
    return (pool + extra)[:count]


def _paths(rng: random.Random, plan: PRPlan, layout: RepoLayout) -> list[tuple[str, FileChange]]:
    if plan.paths:
        return [(p, "modified") for p in plan.paths]
    if plan.kind in ("docs", "onboarding"):
        return [(p, "modified") for p in _doc_paths(rng, layout, plan.n_files, plan.kind == "onboarding")]
    if plan.kind == "ci":
        return [(".github/workflows/ci.yml", "modified")]
    if plan.kind == "deps":
        return [(layout.manifest, "modified"), (layout.lockfile, "modified")]
    if plan.kind == "chore":
        return [(rng.choice((layout.manifest, ".gitignore", "Makefile")), "modified")]
    paths = _code_paths(rng, layout, plan.n_files)
    if plan.with_docs:
        doc_count = rng.randint(1, 2)
        paths += [(p, "modified") for p in _doc_paths(rng, layout, doc_count, rng.random() < 0.3)]
    return paths


def plan_files(rng: random.Random, plan: PRPlan) -> list[FileDiff]:
    """Diffs for every file of ``plan``, splitting its size across them."""
    layout = LAYOUTS[plan.repo]
    paths = _paths(rng, plan, layout)
    weights = [rng.uniform(0.3, 1.7) for _ in paths]
    total = sum(weights)
    diffs: list[FileDiff] = []
    for (path, change), weight in zip(paths, weights, strict=True):
        lines = max(1, round(plan.size * weight / total))
        if path.endswith(".lock") or path.endswith("lock.json") or path.endswith(".sum"):
            lines = rng.randint(40, 900)  # lockfiles churn a lot and nobody reads them
        deletions = 0 if change == "added" else int(lines * rng.uniform(0.0, 0.45))
        diffs.append(make_file_diff(rng, path, max(lines - deletions, 1), deletions, change))
    return diffs
