"""Turns one ``PRPlan`` into a pull request with commits, reviews, threads, comments and an outcome.

``PRBuild`` keeps the state of one PR while it is built; the review rounds live in ``rounds.py`` and
the conversation tab in ``talk.py``. Every event is checked against the context's horizon, so a PR
whose story would run past "now" simply stays open.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from analyzer.demo.causal import copies
from analyzer.demo.clock import after
from analyzer.demo.code import Anchor, FileDiff
from analyzer.demo.context import BuildContext, login_of
from analyzer.demo.files import plan_files
from analyzer.demo.layouts import LAYOUTS
from analyzer.demo.people import Person, Tone
from analyzer.demo.plans import PRPlan, is_newcomer
from analyzer.demo.texts import Slots, authoring, fill
from analyzer.demo.texts.slots import DOC_LINKS
from analyzer.fakegithub.model import (
    Commit,
    IssueComment,
    PRFile,
    PullRequest,
    Review,
    ReviewComment,
    ReviewThread,
)

_LABELS = {
    "feature": "enhancement",
    "bugfix": "bug",
    "refactor": "refactor",
    "tests": "tests",
    "docs": "documentation",
    "onboarding": "documentation",
    "ci": "ci",
    "chore": "chore",
    "deps": "dependencies",
}


@dataclass
class ThreadState:
    """One review thread while the PR is built: who opened it, in what tone, on which line."""

    thread: ReviewThread
    reviewer: Person
    tone: Tone
    anchor: Anchor
    first: ReviewComment
    last_at: datetime
    slots: Slots
    replied: bool = False


@dataclass
class PRBuild:
    ctx: BuildContext
    plan: PRPlan
    pr: PullRequest = field(init=False)
    diffs: list[FileDiff] = field(default_factory=list)
    commits: list[Commit] = field(default_factory=list)
    threads: list[ThreadState] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    comments: list[IssueComment] = field(default_factory=list)
    used_anchors: set[tuple[str, int]] = field(default_factory=set)
    _anchor_pool: list[Anchor] | None = None  # every anchor of the PR, shuffled once
    _dep: dict[str, object] = field(default_factory=dict)  # dependency slots of a dependabot title
    rounds_factor: float = 1.0  # expected round events relative to the baseline (analyzer.demo.causal)

    def round_copies(self) -> int:
        """How many times one round event (a changes request, a fix push after review) happens."""
        return copies(self.rng, self.rounds_factor)

    @property
    def rng(self) -> random.Random:
        return self.ctx.rng

    @property
    def author(self) -> Person:
        return self.plan.author

    @property
    def newcomer_author(self) -> bool:
        return is_newcomer(self.author, self.plan.created_at)

    def fits(self, moment: datetime) -> bool:
        return moment <= self.ctx.horizon

    def head_at(self, moment: datetime) -> Commit:
        """The PR's head commit at ``moment`` (commits are kept in time order)."""
        head = self.commits[0]
        for commit in self.commits:
            if commit.committed_at <= moment:
                head = commit
        return head

    @property
    def last_push(self) -> datetime:
        return self.commits[-1].committed_at

    def slots_for(self, anchor: Anchor | None) -> Slots:
        diff = self.rng.choice(self.diffs)
        idents = anchor.idents if anchor else diff.idents
        others = [i for i in diff.idents if i not in idents] or list(diff.idents)
        path = anchor.path if anchor else diff.file.path
        reviewers = [p.login for p in self.plan.reviewers if p.role != "ghost"] or ["mlindqvist"]
        return Slots(
            ident=self.rng.choice(idents),
            other=self.rng.choice(others),
            file=path.rsplit("/", 1)[-1],
            path=path,
            n=self.rng.randint(2, 12),
            doc=self.rng.choice(DOC_LINKS),
            who=self.rng.choice(reviewers),
            sha=self.commits[-1].sha[:7] if self.commits else "0000000",
            topic=self.rng.choice(authoring.TOPICS),
        )

    # ----- objects ---------------------------------------------------------------------------------

    def new_commit(self, message: str, at: datetime, files: list[PRFile], person: Person | None = None) -> Commit:
        person = person or self.author
        login = login_of(person)
        commit = Commit(
            sha=self.ctx.ids.sha(),
            repo=self.plan.repo,
            message=message,
            author_login=login,
            author_name=person.name,
            author_email=person.email,
            authored_at=at - timedelta(minutes=self.rng.randint(0, 40)),
            committed_at=at,
            committer_login=login,
            parents=[self.commits[-1].sha] if self.commits else [],
            files=files,
            pr_number=self.pr.number,
            on_default_branch=False,
        )
        if not self.commits:
            self.ctx.pr_bases.append((commit, commit.authored_at))
        self.commits.append(commit)
        self.commits.sort(key=lambda c: c.committed_at)
        self.ctx.add_commit(commit)
        return commit

    def new_review(self, person: Person, state: str, body: str, at: datetime) -> Review:
        review = Review(
            id=self.ctx.ids.take("review"),
            repo=self.plan.repo,
            pr_number=self.pr.number,
            author=login_of(person),
            state=state,  # type: ignore[arg-type]
            body=body,
            submitted_at=at,
            commit_sha=self.head_at(at).sha,
            updated_at=at,
        )
        self.ctx.model.reviews[review.id] = review
        self.reviews.append(review)
        return review

    def new_inline(
        self,
        review: Review,
        person: Person,
        anchor: Anchor,
        body: str,
        at: datetime,
        thread: ThreadState | None,
    ) -> ReviewComment:
        """An inline comment: opens a thread, or replies in ``thread`` (in_reply_to the first comment)."""
        commit = self.head_at(at).sha
        comment = ReviewComment(
            id=self.ctx.ids.take("review_comment"),
            repo=self.plan.repo,
            pr_number=self.pr.number,
            review_id=review.id,
            thread_id=thread.thread.id if thread else 0,
            author=login_of(person),
            body=body,
            path=anchor.path,
            line=anchor.line,
            original_line=anchor.line,
            diff_hunk=thread.first.diff_hunk if thread else anchor.diff_hunk,
            commit_sha=commit,
            original_commit_sha=thread.first.original_commit_sha if thread else commit,
            created_at=at,
            updated_at=at,
            in_reply_to_id=thread.first.id if thread else None,
        )
        self.ctx.model.review_comments[comment.id] = comment
        if thread is not None:
            thread.thread.comment_ids.append(comment.id)
            thread.last_at = max(thread.last_at, at)
        return comment

    def open_thread(
        self,
        review: Review,
        person: Person,
        anchor: Anchor,
        tone: Tone,
        body: str,
        at: datetime,
        slots: Slots,
    ) -> ThreadState:
        first = self.new_inline(review, person, anchor, body, at, None)
        thread = ReviewThread(
            id=self.ctx.ids.take("thread"),
            repo=self.plan.repo,
            pr_number=self.pr.number,
            path=anchor.path,
            line=anchor.line,
            original_line=anchor.line,
            comment_ids=[first.id],
        )
        first.thread_id = thread.id
        self.ctx.model.review_threads[thread.id] = thread
        state = ThreadState(thread, person, tone, anchor, first, at, slots)
        self.threads.append(state)
        self.used_anchors.add((anchor.path, anchor.line))
        return state

    def pick_anchor(self) -> Anchor | None:
        """A commented-free line to open a new thread on (None when every line already has one)."""
        if self._anchor_pool is None:
            self._anchor_pool = [a for d in self.diffs for a in d.anchors]
            self.rng.shuffle(self._anchor_pool)
        while self._anchor_pool:
            anchor = self._anchor_pool.pop()
            if (anchor.path, anchor.line) not in self.used_anchors:
                return anchor
        return None

    # ----- the PR itself ---------------------------------------------------------------------------

    def _title(self, slots: Slots) -> str:
        if self.plan.title:
            return self.plan.title
        values = {
            **slots.as_dict(),
            "scope": self.rng.choice(authoring.SCOPES),
            "dep": "",
            "v1": "",
            "v2": "",
        }
        if self.plan.kind == "deps":
            major = self.rng.randint(1, 9)
            values |= {
                "dep": self.rng.choice(authoring.DEPENDENCIES),
                "v1": f"{major}.{self.rng.randint(0, 20)}.0",
                "v2": f"{major}.{self.rng.randint(21, 40)}.1",
            }
        self._dep = values
        return self.rng.choice(authoring.TITLES[self.plan.kind]).format(**values)

    def _body(self, slots: Slots) -> str:
        if self.plan.body is not None:
            return self.plan.body
        if self.plan.kind == "deps":
            return authoring.DEPENDABOT_BODY.format(**self._dep)
        if self.newcomer_author and self.rng.random() < 0.6:
            return fill(self.rng, authoring.NEWCOMER_BODIES, slots)
        return fill(self.rng, authoring.BODIES, slots)

    def _head_ref(self, title: str) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "change"
        if self.plan.kind == "deps":
            return f"dependabot/{LAYOUTS[self.plan.repo].manifest.split('.')[0]}/{slug}"
        return f"{login_of(self.author) or 'ghost'}/{slug}"

    def _labels(self) -> list[str]:
        labels = [_LABELS[self.plan.kind]]
        if self.plan.large:
            labels.append("size/XL")
        if self.newcomer_author and self.author.role == "outside":
            labels.append("first-timers")
        return labels

    def make_pr(self) -> None:
        plan = self.plan
        self.diffs = plan_files(self.rng, plan)
        number = self.ctx.take_number(plan.repo)
        self.pr = PullRequest(
            id=self.ctx.ids.take("pull"),
            repo=plan.repo,
            number=number,
            title="",
            body="",
            author=login_of(plan.author),
            author_association="MEMBER",
            created_at=plan.created_at,
            updated_at=plan.created_at,
            files=[d.file for d in self.diffs],
            labels=self._labels(),
        )
        slots = self.slots_for(None)
        self.pr.title = self._title(slots)
        self.pr.body = self._body(slots)
        self.pr.head_ref = self._head_ref(self.pr.title)
        self.ctx.model.pulls[(plan.repo, number)] = self.pr

    def initial_commits(self) -> None:
        plan = self.plan
        count = plan.n_commits or self.rng.choices((1, 2, 3, 4, 6), (40, 28, 17, 10, 5))[0]
        count += 2 if plan.large and plan.n_commits is None else 0
        groups: list[list[PRFile]] = [[] for _ in range(count)]
        for index, diff in enumerate(self.diffs):
            groups[index % count].append(PRFile(**vars(diff.file)))
        moment = after(self.rng, plan.created_at - timedelta(days=2), 1, 2 * 1440 - 5)
        moment = min(moment, plan.created_at - timedelta(minutes=count * 2 + 1))
        if plan.not_before is not None:
            moment = max(moment, plan.not_before)
        step = (plan.created_at - moment) / (count + 1)
        slots = self.slots_for(None)
        for index, files in enumerate(groups):
            if not files:  # more commits than files: later commits touch an already changed file again
                again = self.diffs[index % len(self.diffs)].file.path
                files.append(PRFile(again, self.rng.randint(1, 12), self.rng.randint(0, 4)))
            templates = authoring.COMMIT_FIRST if index == 0 else authoring.COMMIT_MORE
            values = {**slots.as_dict(), "kind": "feat", "scope": self.rng.choice(authoring.SCOPES)}
            message = self.rng.choice(templates).format(**values)
            self.new_commit(message, (moment + step * (index + 1)).replace(microsecond=0), files)
        if self.rng.random() < 0.2 and plan.outcome != "draft":
            extra = after(self.rng, plan.created_at, 5, 240)
            if self.fits(extra):
                later = PRFile(self.diffs[0].file.path, self.rng.randint(1, 9), self.rng.randint(0, 3))
                self.new_commit(self.rng.choice(authoring.COMMIT_MORE).format(**values), extra, [later])
