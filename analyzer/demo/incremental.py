"""``mutate_for_incremental``: realistic later activity applied to an existing demo model, in place.

Everything new happens between the model's latest timestamp and ``now``; every new id comes from
``OrgModel.next_id``; every touched PR gets its ``updated_at`` bumped, so an incremental collector that
trusts ``updated_at`` sees all of it.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from analyzer.demo.branch import direct_push
from analyzer.demo.ci import RunSpec, generate_runs, pr_run_specs, push_run_specs
from analyzer.demo.code import Anchor, anchors_from_patch
from analyzer.demo.context import BuildContext
from analyzer.demo.people import Person, build_roster, by_login
from analyzer.demo.plans import PRPlan
from analyzer.demo.pr_builder import build_pr
from analyzer.demo.texts import Slots, fill, inline, replies
from analyzer.errors import ConfigError
from analyzer.fakegithub.model import (
    AuthorAssociation,
    Commit,
    OrgModel,
    PullRequest,
    Review,
    ReviewComment,
    ReviewThread,
    Workflow,
    WorkflowRun,
)

COUNT_KEYS = (
    "new_review_comments",
    "new_threads",
    "replies",
    "new_reviews",
    "edited_comments",
    "merged_prs",
    "closed_prs",
    "new_prs",
    "direct_pushes",
    "new_runs",
    "resolved_threads",
    "readied_drafts",
)


class ModelIds:
    """Fresh ids straight from the model (``next_id``), and shas unused in it."""

    def __init__(self, model: OrgModel, rng: random.Random) -> None:
        self._model, self._rng = model, rng

    def take(self, kind: str) -> int:
        return self._model.next_id(kind)

    def sha(self) -> str:
        while True:
            value = f"{self._rng.getrandbits(160):040x}"
            if not any((repo, value) in self._model.commits for repo in self._model.repos):
                return value


@dataclass
class Mutation:
    model: OrgModel
    rng: random.Random
    start: datetime
    now: datetime
    people: dict[str, Person]
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_KEYS, 0))
    new_specs: list[RunSpec] = field(default_factory=list)
    landed: list[Commit] = field(default_factory=list)  # new commits on default branches
    branch_roots: list[Commit] = field(default_factory=list)  # first commits of new PRs

    def moment(self) -> datetime:
        span = (self.now - self.start).total_seconds()
        return (self.start + timedelta(seconds=1 + self.rng.random() * max(span - 2, 0))).replace(microsecond=0)

    def bump(self, pr: PullRequest, at: datetime) -> None:
        pr.updated_at = max(pr.updated_at, at)

    def count(self, key: str, by: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + by

    def member_other_than(self, login: str | None) -> str:
        pool = [
            m
            for m in self.model.members
            if m != login and self.people.get(m, None) is not None and self.people[m].role == "member"
        ]
        return self.rng.choice(pool)


def latest_timestamp(model: OrgModel) -> datetime:
    """The newest instant anywhere in the model."""
    times = [p.updated_at for p in model.pulls.values()]
    times += [r.submitted_at for r in model.reviews.values()]
    times += [c.updated_at for c in model.review_comments.values()]
    times += [c.updated_at for c in model.issue_comments.values()]
    times += [c.committed_at for c in model.commits.values()]
    times += [r.updated_at for r in model.workflow_runs.values()]
    return max(times)


def _default_head(model: OrgModel, repo: str, at: datetime | None = None) -> Commit:
    """The default branch's head commit of ``repo`` (as of ``at`` when given)."""
    landing = {p.merge_commit_sha for p in model.pulls.values() if p.repo == repo and p.merge_commit_sha}
    heads = [
        c
        for (r, _), c in model.commits.items()
        if r == repo
        and c.on_default_branch
        and (c.pr_number is None or c.sha in landing)
        and (at is None or c.committed_at <= at)
    ]
    return max(heads, key=lambda c: c.committed_at)


def _head_of(model: OrgModel, pr: PullRequest) -> str:
    return pr.commit_shas[-1]


def _new_review(m: Mutation, pr: PullRequest, author: str, state: str, body: str, at: datetime) -> Review:
    review = Review(
        m.model.next_id("review"),
        pr.repo,
        pr.number,
        author,
        state,  # type: ignore[arg-type]
        body,
        at,
        _head_of(m.model, pr),
        "MEMBER",
        at,
    )
    m.model.reviews[review.id] = review
    m.bump(pr, at)
    return review


def _old_prs(m: Mutation) -> list[PullRequest]:
    cutoff = m.start - timedelta(days=120)
    return [
        p
        for p in m.model.pulls.values()
        if p.merged_at is not None and p.created_at < cutoff and any(f.patch for f in p.files)
    ]


def _comment_on_old(m: Mutation, pr: PullRequest) -> None:
    anchors: list[Anchor] = [a for f in pr.files for a in anchors_from_patch(f.path, f.patch)]
    if not anchors:
        return
    anchor = m.rng.choice(anchors)
    at = m.moment()
    reviewer = m.member_other_than(pr.author)
    review = _new_review(m, pr, reviewer, "COMMENTED", "", at)
    slots = Slots(
        ident=anchor.idents[0], other=anchor.idents[-1], file=anchor.path.rsplit("/", 1)[-1], path=anchor.path
    )
    thread = ReviewThread(m.model.next_id("thread"), pr.repo, pr.number, anchor.path, anchor.line, anchor.line)
    m.model.review_threads[thread.id] = thread
    body = "Post-merge review: " + fill(m.rng, inline.NEUTRAL + inline.QUESTION, slots)
    comment = ReviewComment(
        m.model.next_id("review_comment"),
        pr.repo,
        pr.number,
        review.id,
        thread.id,
        reviewer,
        body,
        anchor.path,
        anchor.line,
        anchor.line,
        anchor.diff_hunk,
        _head_of(m.model, pr),
        _head_of(m.model, pr),
        at,
        at,
    )
    m.model.review_comments[comment.id] = comment
    thread.comment_ids.append(comment.id)
    m.count("new_review_comments")
    m.count("new_threads")
    m.count("new_reviews")


def _reply_on_old(m: Mutation, thread: ReviewThread) -> None:
    pr = m.model.pulls[(thread.repo, thread.pr_number)]
    first = m.model.review_comments[thread.comment_ids[0]]
    last = m.model.review_comments[thread.comment_ids[-1]]
    at = m.moment()
    author = pr.author if pr.author and pr.author in m.model.members else m.member_other_than(first.author)
    review = _new_review(m, pr, author, "COMMENTED", "", at)
    reply = ReviewComment(
        m.model.next_id("review_comment"),
        pr.repo,
        pr.number,
        review.id,
        thread.id,
        author,
        m.rng.choice(replies.REVIEWER_FOLLOWUPS + ("Coming back to this: we fixed it in a follow-up PR.",)),
        first.path,
        thread.line,
        first.original_line,
        first.diff_hunk,
        last.commit_sha,
        first.original_commit_sha,
        at,
        at,
        in_reply_to_id=first.id,
    )
    m.model.review_comments[reply.id] = reply
    thread.comment_ids.append(reply.id)
    m.count("new_review_comments")
    m.count("replies")
    m.count("new_reviews")


def _edit_comments(m: Mutation) -> None:
    review_comments = sorted(m.model.review_comments.values(), key=lambda c: c.id)
    for comment in m.rng.sample(review_comments, min(3, len(review_comments))):
        at = m.moment()
        comment.body += "\n\n_Edit: clarified after the discussion in standup._"
        comment.updated_at = max(comment.updated_at, at)
        m.bump(m.model.pulls[(comment.repo, comment.pr_number)], comment.updated_at)
        m.count("edited_comments")
    issue_comments = sorted(m.model.issue_comments.values(), key=lambda c: c.id)
    for issue_comment in m.rng.sample(issue_comments, min(2, len(issue_comments))):
        at = m.moment()
        issue_comment.body += "\n\n(edited: fixed a typo)"
        issue_comment.updated_at = max(issue_comment.updated_at, at)
        m.bump(m.model.pulls[(issue_comment.repo, issue_comment.issue_number)], issue_comment.updated_at)
        m.count("edited_comments")


def _open_prs(m: Mutation) -> list[PullRequest]:
    return sorted(
        (p for p in m.model.pulls.values() if p.closed_at is None and not p.draft),
        key=lambda p: (p.repo, p.number),
    )


def _merge(m: Mutation, pr: PullRequest, ctx: BuildContext) -> None:
    """Squash-merges an open PR: one new commit on the default branch, dated now (the PR's own
    commits keep their old dates and stay off the branch, so nothing new looks old)."""
    head = m.model.commits[(pr.repo, pr.commit_shas[-1])]
    at = max(m.moment(), head.committed_at + timedelta(minutes=5))
    if at > m.now:
        return
    merger = m.people[m.member_other_than(pr.author)]
    author = m.people.get(pr.author or "", merger)
    commit = Commit(
        sha=ctx.ids.sha(),
        repo=pr.repo,
        message=f"{pr.title} (#{pr.number})",
        author_login=pr.author and author.login,
        author_name=author.name,
        author_email=author.email,
        authored_at=at,
        committed_at=at,
        committer_login=merger.login,
        files=list(pr.files),
        pr_number=pr.number,
        on_default_branch=True,
    )
    m.model.commits[(pr.repo, commit.sha)] = commit
    m.landed.append(commit)
    pr.merged_at = pr.closed_at = at
    pr.merged_by, pr.merge_commit_sha = merger.login, commit.sha
    m.bump(pr, at)
    m.new_specs += push_run_specs(ctx, _flows(m.model), commit)
    m.count("merged_prs")


def _ready_a_draft(m: Mutation) -> None:
    """The oldest open draft is marked ready for review (GitHub moves its ``updated_at``)."""
    drafts = sorted((p for p in m.model.pulls.values() if p.closed_at is None and p.draft),
                    key=lambda p: (p.repo, p.number))
    if drafts:
        pr = drafts[0]
        m.model.toggle_draft(pr, "ready_for_review", m.moment(), pr.author)
        m.count("readied_drafts")


def _flows(model: OrgModel) -> dict[tuple[str, str], Workflow]:
    return {(w.repo, w.path): w for w in model.workflows.values()}


def _new_prs(m: Mutation, ctx: BuildContext, count: int) -> None:
    for repo in sorted(m.model.repos)[:count]:
        numbers = [n for (r, n) in m.model.pulls if r == repo]
        ctx.next_number[repo] = max(numbers, default=0) + 1
        author = m.people[m.member_other_than(None)]
        reviewers = [m.people[m.member_other_than(author.login)]]
        created = m.start + (m.now - m.start) * m.rng.uniform(0.1, 0.5)
        plan = PRPlan(repo, author, created.replace(microsecond=0), "bugfix", 40, 2, "merged", reviewers)
        plan.not_before = m.start + timedelta(minutes=1)  # all of it is new activity
        pr = build_pr(ctx, plan)
        m.landed += ctx.landed.get(repo, [])
        ctx.landed.clear()
        m.branch_roots.append(m.model.commits[(repo, pr.commit_shas[0])])
        _label_new(m.model, pr)
        m.new_specs += pr_run_specs(ctx, _flows(m.model), pr)
        if pr.merge_commit_sha:
            m.new_specs += push_run_specs(ctx, _flows(m.model), m.model.commits[(repo, pr.merge_commit_sha)])
            m.count("merged_prs")
        m.count("new_prs")


def _label_new(model: OrgModel, pr: PullRequest) -> None:
    """authorAssociation for a PR built during the mutation: members, or NONE for bots."""

    def label(login: str | None) -> AuthorAssociation:
        user = model.users.get(login or "")
        return "NONE" if user is None or user.type == "Bot" or user.login.endswith("[bot]") else "MEMBER"

    pr.author_association = label(pr.author)
    for review in model.reviews.values():
        if (review.repo, review.pr_number) == (pr.repo, pr.number):
            review.author_association = label(review.author)
    for comment in model.review_comments.values():
        if (comment.repo, comment.pr_number) == (pr.repo, pr.number):
            comment.author_association = label(comment.author)
    for issue_comment in model.issue_comments.values():
        if (issue_comment.repo, issue_comment.issue_number) == (pr.repo, pr.number):
            issue_comment.author_association = label(issue_comment.author)


def _pushes(m: Mutation, ctx: BuildContext, count: int) -> None:
    for repo in sorted(m.model.repos)[-count:]:
        base = _default_head(m.model, repo)
        person = m.people[m.member_other_than(None)]
        commit = direct_push(
            ctx,
            repo,
            person,
            max(m.moment(), base.committed_at + timedelta(seconds=1)),
            ["docs/troubleshooting.md"],
            "docs: note the new retry behaviour",
        )
        m.landed.append(commit)
        ctx.landed.clear()
        m.new_specs += push_run_specs(ctx, _flows(m.model), commit)
        m.count("direct_pushes")


def _rechain(m: Mutation) -> None:
    """Links the new default-branch commits in time order, and bases new PR branches on their day's head."""
    for commit in sorted(m.landed, key=lambda c: c.committed_at):
        head = _default_head(m.model, commit.repo, commit.committed_at - timedelta(seconds=1))
        commit.parents = [head.sha] + [p for p in commit.parents[1:] if p]
    for first in m.branch_roots:
        first.parents = [_default_head(m.model, first.repo, first.authored_at).sha]


def _bump_pushed_at(model: OrgModel, new_commits: list[Commit]) -> None:
    """Repo pushedAt follows the newest push to any branch."""
    for commit in new_commits:
        repo = model.repos[commit.repo]
        repo.pushed_at = repo.updated_at = max(repo.pushed_at or commit.committed_at, commit.committed_at)


def _resolve_one(m: Mutation) -> None:
    threads = sorted((t for t in m.model.review_threads.values() if not t.is_resolved), key=lambda t: t.id)
    if not threads:
        return
    thread = m.rng.choice(threads)
    pr = m.model.pulls[(thread.repo, thread.pr_number)]
    thread.is_resolved = True
    thread.resolved_by = pr.author or m.member_other_than(None)
    m.bump(pr, m.moment())
    m.count("resolved_threads")


def _match_recent_durations(model: OrgModel, new_runs: list[WorkflowRun]) -> None:
    """New runs take about as long as the recent runs of their workflow (CI changes stay in effect)."""
    new_ids = {r.id for r in new_runs}
    for run in new_runs:
        recent = sorted(
            (
                r
                for r in model.workflow_runs.values()
                if r.workflow_id == run.workflow_id and r.id not in new_ids and r.status == "completed"
            ),
            key=lambda r: r.created_at,
        )[-30:]
        if run.status != "completed" or not recent:
            continue
        median = statistics.median((r.updated_at - r.run_started_at).total_seconds() for r in recent)
        run.updated_at = run.run_started_at + timedelta(seconds=int(median))


def mutate_for_incremental(model: OrgModel, seed: int, now: datetime) -> dict[str, int]:
    """Applies realistic later activity to ``model`` in place; returns counts of what changed."""
    start = latest_timestamp(model)
    if now <= start + timedelta(minutes=10):
        raise ConfigError(
            f"'now' ({now.isoformat()}) must be after the model's latest activity "
            f"({start.isoformat()}); pass a later time"
        )
    rng = random.Random(seed)
    m = Mutation(model, rng, start, now, by_login(build_roster()))
    ctx = BuildContext(model, rng, ModelIds(model, rng), m.people, horizon=now)
    old_commits = set(model.commits)
    old = _old_prs(m)
    for pr in rng.sample(old, min(3, len(old))):
        _comment_on_old(m, pr)
    threads = sorted((t for t in model.review_threads.values() if t.comment_ids), key=lambda t: t.id)
    for thread in rng.sample(threads[: len(threads) // 2], min(3, len(threads) // 2)):
        _reply_on_old(m, thread)
    _edit_comments(m)
    opened = _open_prs(m)
    for pr in opened[:2]:
        _merge(m, pr, ctx)
    for pr in opened[2:3]:
        pr.closed_at = m.moment()
        m.bump(pr, pr.closed_at)
        m.count("closed_prs")
    for pr in opened[3:5]:
        body = rng.choice(("LGTM", "Thanks!", "Looks good after the rebase."))
        _new_review(m, pr, m.member_other_than(pr.author), "APPROVED", body, m.moment())
        m.count("new_reviews")
    _resolve_one(m)
    _new_prs(m, ctx, 3)
    _pushes(m, ctx, 2)
    _rechain(m)
    _bump_pushed_at(model, [c for key, c in model.commits.items() if key not in old_commits])
    before = set(model.workflow_runs)
    m.counts["new_runs"] = generate_runs(ctx, _flows(model), m.new_specs, horizon=now)
    _match_recent_durations(model, [r for i, r in model.workflow_runs.items() if i not in before])
    _ready_a_draft(m)  # last: the draws above stay what they were before drafts existed
    return m.counts
