"""Builds one planned PR end to end: files, commits, review rounds, outcome, conversation."""

from __future__ import annotations

from datetime import datetime

from analyzer.demo.clock import after
from analyzer.demo.context import BuildContext, login_of
from analyzer.demo.drafts import plant_draft_toggles
from analyzer.demo.episode import PRBuild
from analyzer.demo.layouts import LAYOUTS
from analyzer.demo.people import Person
from analyzer.demo.plans import PRPlan
from analyzer.demo.rounds import run_rounds
from analyzer.demo.talk import talk
from analyzer.fakegithub.model import Commit, PRFile, PullRequest


def _last_activity(build: PRBuild) -> datetime:
    times = [build.plan.created_at, build.last_push]
    times += [r.submitted_at for r in build.reviews]
    times += [t.last_at for t in build.threads]
    return max(times)


def _merger(build: PRBuild, at: datetime) -> Person:
    if build.author.member_at(at):
        return build.author
    approvers = {r.author for r in build.reviews if r.state == "APPROVED"}
    members = [p for p in build.plan.reviewers if p.member_at(at)]
    for person in members:
        if person.login in approvers:
            return person
    return members[0] if members else build.ctx.people["mlindqvist"]


def _land_on_default(build: PRBuild, merger: Person, at: datetime) -> Commit:
    """The commit that brings the PR onto the default branch: a merge commit or a squash commit."""
    pr, layout = build.pr, LAYOUTS[build.plan.repo]
    files = [PRFile(**vars(f)) for f in pr.files]
    if layout.merge_style == "squash":
        message, person = f"{pr.title} (#{pr.number})", build.author
    else:
        message, person = f"Merge pull request #{pr.number} from {pr.head_ref}\n\n{pr.title}", merger
        for commit in build.commits:
            commit.on_default_branch = True
    login = login_of(person)
    commit = Commit(
        sha=build.ctx.ids.sha(),
        repo=pr.repo,
        message=message,
        author_login=login,
        author_name=person.name,
        author_email=person.email,
        authored_at=at,
        committed_at=at,
        committer_login=login_of(merger),
        parents=[] if layout.merge_style == "squash" else ["", build.commits[-1].sha],
        files=files,
        pr_number=pr.number,
        on_default_branch=True,
    )
    build.ctx.add_commit(commit)
    build.ctx.landed.setdefault(pr.repo, []).append(commit)
    return commit


def _finish(build: PRBuild) -> None:
    plan, pr = build.plan, build.pr
    pr.draft = plan.outcome == "draft"
    last = _last_activity(build)
    if plan.outcome == "merged":
        at = after(build.rng, last, 5, 1440)
        if build.fits(at):
            merger = _merger(build, at)
            pr.merged_at = pr.closed_at = at
            pr.merged_by = login_of(merger)
            pr.merge_commit_sha = _land_on_default(build, merger, at).sha
            if plan.ci_change is not None:
                plan.ci_change.at = at
                build.ctx.ci_changes.append(plan.ci_change)
    elif plan.outcome == "closed":
        at = after(build.rng, last, 60, 20160)
        if build.fits(at):
            pr.closed_at = at


def _touch(pr: PullRequest, build: PRBuild) -> None:
    """PR updated_at: the latest activity of any kind on it."""
    model = build.ctx.model
    pr.commit_shas = [c.sha for c in build.commits]
    times = [pr.created_at, build.last_push, *(r.submitted_at for r in build.reviews)]
    times += [model.review_comments[i].updated_at for t in build.threads for i in t.thread.comment_ids]
    times += [c.updated_at for c in build.comments]
    times += [t for t in (pr.closed_at, pr.merged_at) if t is not None]
    pr.updated_at = max(times)


def build_pr(ctx: BuildContext, plan: PRPlan) -> PullRequest:
    build = PRBuild(ctx, plan)
    build.make_pr()
    if ctx.causal is not None:  # after make_pr: the docs channel of the exposure needs the PR's files
        paths = [f.path for f in build.pr.files]
        build.rounds_factor = ctx.causal.rounds_factor(plan.author, plan.repo, plan.created_at, paths)
    build.initial_commits()
    if plan.outcome != "draft":
        run_rounds(build)
    _finish(build)
    end = build.pr.closed_at or ctx.horizon
    talk(build, end)
    _touch(build.pr, build)
    plant_draft_toggles(ctx, build.pr, build.author, build.reviews)
    if ctx.causal is not None:
        ctx.causal.record(plan.author, _first_reviews(build), build.pr)
    return build.pr


def _first_reviews(build: PRBuild) -> dict[str, datetime]:
    """Each human reviewer's first review on the PR (not the author's own replies, not deleted accounts)."""
    first: dict[str, datetime] = {}
    for review in sorted(build.reviews, key=lambda r: r.submitted_at):
        person = build.ctx.people.get(review.author or "")
        if person is None or person is build.author or person.role in ("bot", "service", "ghost"):
            continue
        first.setdefault(person.login, review.submitted_at)
    return first
