"""An organisation with many repositories, built from the demo generator's: each demo repository copied
under new names, with fresh ids and commit shas, so every copy is a distinct repository to collect."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from analyzer.demo import generate_org
from analyzer.fakegithub.model import OrgModel

STEP = 1_000_000_000  # id offset per copy: far above any id the generator hands out


def org_with_repos(count: int, seed: int = 11, scale: float = 0.05) -> OrgModel:
    """The demo org at ``scale`` with its repositories copied until it has ``count`` of them."""
    model = generate_org(seed=seed, scale=scale)
    originals = sorted(model.repos)
    copy = 0
    while len(model.repos) < count:
        copy += 1
        for name in originals[: count - len(model.repos)]:
            _copy_repo(model, name, copy)
    return model


def _copy_repo(model: OrgModel, name: str, copy: int) -> None:
    new = f"{name}-{copy}"
    off = copy * STEP

    def sha(value: str | None) -> str | None:
        return None if value is None else hashlib.sha1(f"{copy}:{value}".encode()).hexdigest()

    def shas(values: list[str]) -> list[str]:
        return [hashlib.sha1(f"{copy}:{v}".encode()).hexdigest() for v in values]

    model.repos[new] = replace(model.repos[name], id=model.repos[name].id + off, name=new)
    for (repo, number), pr in list(model.pulls.items()):
        if repo == name:
            model.pulls[(new, number)] = replace(pr, id=pr.id + off, repo=new, commit_shas=shas(pr.commit_shas),
                                                 merge_commit_sha=sha(pr.merge_commit_sha))
    for review in [r for r in model.reviews.values() if r.repo == name]:
        model.reviews[review.id + off] = replace(review, id=review.id + off, repo=new,
                                                 commit_sha=sha(review.commit_sha) or "")
    for thread in [t for t in model.review_threads.values() if t.repo == name]:
        model.review_threads[thread.id + off] = replace(thread, id=thread.id + off, repo=new,
                                                        comment_ids=[c + off for c in thread.comment_ids])
    for c in [c for c in model.review_comments.values() if c.repo == name]:
        model.review_comments[c.id + off] = replace(
            c, id=c.id + off, repo=new, review_id=c.review_id + off, thread_id=c.thread_id + off,
            in_reply_to_id=None if c.in_reply_to_id is None else c.in_reply_to_id + off,
            commit_sha=sha(c.commit_sha) or "", original_commit_sha=sha(c.original_commit_sha) or "")
    for c in [c for c in model.issue_comments.values() if c.repo == name]:
        model.issue_comments[c.id + off] = replace(c, id=c.id + off, repo=new)
    for (repo, _), commit in list(model.commits.items()):
        if repo == name:
            moved = replace(commit, sha=sha(commit.sha) or "", repo=new, parents=shas(commit.parents))
            model.commits[(new, moved.sha)] = moved
    for flow in [w for w in model.workflows.values() if w.repo == name]:
        model.workflows[flow.id + off] = replace(flow, id=flow.id + off, repo=new)
    for run in [r for r in model.workflow_runs.values() if r.repo == name]:
        model.workflow_runs[run.id + off] = replace(run, id=run.id + off, repo=new, workflow_id=run.workflow_id + off,
                                                    head_sha=sha(run.head_sha) or "")
