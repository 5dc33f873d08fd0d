"""The data model behind the GitHub-compatible test server.

One ``OrgModel`` holds everything the server can serve: people, repositories, pull requests with
their reviews, review threads, inline and conversation comments, files and commits, default-branch
commits and GitHub Actions workflow runs. The demo generator builds one; tests mutate it (edits, new
comments, merges) between collector runs to exercise incremental sync. All timestamps are aware UTC
``datetime`` values; all ids are positive ints unique per entity kind across the whole org.

The server renders this model into REST bodies (``rest.py``) and answers GraphQL over it
(``graphql_api.py``); nothing here knows about HTTP.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal, TypeVar

K = TypeVar("K")
V = TypeVar("V")

UserType = Literal["User", "Bot", "Organization"]
AuthorAssociation = Literal[
    "COLLABORATOR",
    "CONTRIBUTOR",
    "FIRST_TIMER",
    "FIRST_TIME_CONTRIBUTOR",
    "MANNEQUIN",
    "MEMBER",
    "NONE",
    "OWNER",
]
ReviewState = Literal["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]
FileChange = Literal["added", "removed", "modified", "renamed"]

GHOST_LOGIN = "ghost"  # what GitHub shows for a deleted account in REST bodies


@lru_cache(maxsize=1 << 18)  # rendered for every item of every page; the same ids come back often
def node_id(kind: str, number: int) -> str:
    """A stable, GitHub-looking global node id (opaque base64) for ``kind`` and ``number``."""
    return base64.b64encode(f"{kind}:{number}".encode()).decode().rstrip("=")


class Table(dict[K, V]):
    """A dict that counts its changes, so the server can tell cheaply whether to rebuild its index.

    Every way of adding, replacing or removing an entry bumps ``version``; what the entries hold is
    not watched (see ``FakeGitHub.invalidate``).
    """

    version: int = 0

    def __setitem__(self, key: K, value: V) -> None:
        self.version += 1
        super().__setitem__(key, value)

    def __delitem__(self, key: K) -> None:
        self.version += 1
        super().__delitem__(key)

    def __ior__(self, other: Any) -> Table[K, V]:  # type: ignore[override,misc]
        self.version += 1
        super().__ior__(other)
        return self

    def pop(self, key: K, *default: Any) -> Any:
        self.version += 1
        return super().pop(key, *default)

    def popitem(self) -> tuple[K, V]:
        self.version += 1
        return super().popitem()

    def clear(self) -> None:
        self.version += 1
        super().clear()

    def setdefault(self, key: K, default: Any = None) -> Any:
        self.version += 1
        return super().setdefault(key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self.version += 1
        super().update(*args, **kwargs)


@dataclass
class User:
    id: int
    login: str
    name: str | None = None
    email: str | None = None
    type: UserType = "User"
    deleted: bool = False  # a "ghost": the account no longer exists; bodies show null / "ghost"
    created_at: datetime | None = None
    via_app: str | None = None  # slug of the GitHub App this account posts through, if any

    @property
    def node_id(self) -> str:
        return node_id("Bot" if self.type == "Bot" else "User", self.id)


@dataclass
class Repo:
    id: int
    name: str
    description: str | None = None
    default_branch: str = "main"
    private: bool = False
    archived: bool = False
    created_at: datetime | None = None
    pushed_at: datetime | None = None
    updated_at: datetime | None = None
    language: str | None = "Python"

    @property
    def node_id(self) -> str:
        return node_id("Repository", self.id)


@dataclass
class PRFile:
    path: str
    additions: int
    deletions: int
    change_type: FileChange = "modified"
    patch: str | None = None
    previous_path: str | None = None


@dataclass
class Commit:
    """A git commit. ``pr_number`` is the PR it belongs to (None: pushed straight to the default branch)."""

    sha: str
    repo: str
    message: str
    author_login: str | None  # None: the git author email maps to no GitHub account
    author_name: str
    author_email: str
    authored_at: datetime
    committed_at: datetime
    committer_login: str | None = None
    parents: list[str] = field(default_factory=list)
    files: list[PRFile] = field(default_factory=list)
    pr_number: int | None = None
    on_default_branch: bool = True

    @property
    def node_id(self) -> str:
        return node_id("Commit", int(self.sha[:12], 16))


@dataclass
class Review:
    id: int
    repo: str
    pr_number: int
    author: str | None  # login; None for a ghost
    state: ReviewState
    body: str
    submitted_at: datetime
    commit_sha: str
    author_association: AuthorAssociation = "MEMBER"
    updated_at: datetime | None = None

    @property
    def node_id(self) -> str:
        return node_id("PullRequestReview", self.id)


@dataclass
class ReviewComment:
    """An inline (diff) comment; it always belongs to one review thread and one review."""

    id: int
    repo: str
    pr_number: int
    review_id: int
    thread_id: int
    author: str | None
    body: str
    path: str
    line: int | None
    original_line: int
    diff_hunk: str
    commit_sha: str
    original_commit_sha: str
    created_at: datetime
    updated_at: datetime
    in_reply_to_id: int | None = None
    author_association: AuthorAssociation = "MEMBER"
    side: Literal["LEFT", "RIGHT"] = "RIGHT"

    @property
    def node_id(self) -> str:
        return node_id("PullRequestReviewComment", self.id)


@dataclass
class ReviewThread:
    id: int
    repo: str
    pr_number: int
    path: str
    line: int | None
    original_line: int
    comment_ids: list[int] = field(default_factory=list)
    is_resolved: bool = False
    resolved_by: str | None = None
    is_outdated: bool = False
    diff_side: Literal["LEFT", "RIGHT"] = "RIGHT"

    @property
    def node_id(self) -> str:
        return node_id("PullRequestReviewThread", self.id)


@dataclass
class IssueComment:
    """A comment in a PR's conversation tab (GitHub stores it as an issue comment)."""

    id: int
    repo: str
    issue_number: int
    author: str | None
    body: str
    created_at: datetime
    updated_at: datetime
    author_association: AuthorAssociation = "MEMBER"

    @property
    def node_id(self) -> str:
        return node_id("IssueComment", self.id)


@dataclass
class PullRequest:
    id: int
    repo: str
    number: int
    title: str
    body: str
    author: str | None
    author_association: AuthorAssociation
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    merged_at: datetime | None = None
    merged_by: str | None = None
    draft: bool = False
    base_ref: str = "main"
    head_ref: str = "feature"
    files: list[PRFile] = field(default_factory=list)
    commit_shas: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    merge_commit_sha: str | None = None

    @property
    def node_id(self) -> str:
        return node_id("PullRequest", self.id)

    @property
    def state(self) -> Literal["open", "closed"]:
        return "closed" if self.closed_at is not None else "open"

    @property
    def additions(self) -> int:
        return sum(f.additions for f in self.files)

    @property
    def deletions(self) -> int:
        return sum(f.deletions for f in self.files)


DraftEventKind = Literal["ready_for_review", "convert_to_draft"]


@dataclass
class DraftEvent:
    """A PR marked ready for review, or converted back to a draft (GitHub's ReadyForReviewEvent and
    ConvertToDraftEvent timeline items). A PR opened as a draft and later marked ready has one
    ``ready_for_review``; each toggle back and forth adds a pair."""

    id: int
    repo: str
    pr_number: int
    kind: DraftEventKind
    actor: str | None  # login; None for a ghost (GitHub's ``actor`` is nullable)
    created_at: datetime

    @property
    def node_id(self) -> str:
        return node_id("ReadyForReviewEvent" if self.kind == "ready_for_review" else "ConvertToDraftEvent", self.id)


@dataclass
class Workflow:
    id: int
    repo: str
    name: str
    path: str  # e.g. ".github/workflows/ci.yml"
    created_at: datetime | None = None

    @property
    def node_id(self) -> str:
        return node_id("Workflow", self.id)


@dataclass
class WorkflowRun:
    id: int
    repo: str
    workflow_id: int
    head_sha: str
    head_branch: str
    event: str  # "push", "pull_request", ...
    status: Literal["completed", "in_progress", "queued"]
    conclusion: Literal["success", "failure", "cancelled", "skipped"] | None
    created_at: datetime
    run_started_at: datetime
    updated_at: datetime
    run_attempt: int = 1
    actor: str | None = None
    run_number: int = 1
    pr_numbers: list[int] = field(default_factory=list)

    @property
    def node_id(self) -> str:
        return node_id("WorkflowRun", self.id)


@dataclass
class Trait:
    """Ground truth the demo generator built into one person (used to check the scores)."""

    login: str
    trait: Literal[
        "mentor",
        "harsh_reviewer",
        "rubber_stamper",
        "docs_champion",
        "ci_improver",
        "newcomer",
        "uplift_improver",
        "uplift_worsener",
        "uplift_busy_null",
        "uplift_confounded",
    ]
    note: str = ""
    effect: float | None = None  # uplift traits: true change in reviewees' review rounds after a review


@dataclass
class OrgModel:
    """Everything one GitHub organisation holds, keyed for O(1) lookups by the server."""

    login: str
    id: int
    name: str | None = None
    created_at: datetime | None = None
    users: dict[str, User] = field(default_factory=dict)  # by login
    members: list[str] = field(default_factory=list)  # org member logins
    repos: dict[str, Repo] = field(default_factory=dict)  # by name
    pulls: dict[tuple[str, int], PullRequest] = field(default_factory=dict)  # (repo, number)
    reviews: dict[int, Review] = field(default_factory=dict)
    review_threads: dict[int, ReviewThread] = field(default_factory=dict)
    review_comments: dict[int, ReviewComment] = field(default_factory=dict)
    issue_comments: dict[int, IssueComment] = field(default_factory=dict)
    draft_events: dict[int, DraftEvent] = field(default_factory=dict)  # ready-for-review / back-to-draft
    commits: dict[tuple[str, str], Commit] = field(default_factory=dict)  # (repo, sha)
    workflows: dict[int, Workflow] = field(default_factory=dict)
    workflow_runs: dict[int, WorkflowRun] = field(default_factory=dict)
    traits: list[Trait] = field(default_factory=list)
    sso_protected: bool = False  # every request answers 403 with GitHub's SAML message

    def __setattr__(self, name: str, value: Any) -> None:
        # Entity tables count their changes (``Table``) so the server's index check stays cheap;
        # this also covers the dicts the dataclass __init__ assigns.
        if isinstance(value, dict) and not isinstance(value, Table):
            value = Table(value)
        super().__setattr__(name, value)

    def toggle_draft(self, pr: PullRequest, kind: DraftEventKind, at: datetime, actor: str | None) -> DraftEvent:
        """Mark ``pr`` ready for review (or convert it back to a draft) at ``at``, as GitHub records it:
        one timeline event, the PR's draft flag, and its ``updated_at`` moved on."""
        event = DraftEvent(self.next_id("draft_event"), pr.repo, pr.number, kind, actor, at)
        self.draft_events[event.id] = event
        pr.draft = kind == "convert_to_draft"
        pr.updated_at = max(pr.updated_at, at)
        return event

    def next_id(self, kind: str) -> int:
        """A fresh id for ``kind`` ("review", "comment", ...), larger than any in use."""
        pools: dict[str, list[int]] = {
            "pull": [p.id for p in self.pulls.values()],
            "review": list(self.reviews),
            "thread": list(self.review_threads),
            "review_comment": list(self.review_comments),
            "issue_comment": list(self.issue_comments),
            "draft_event": list(self.draft_events),
            "run": list(self.workflow_runs),
            "user": [u.id for u in self.users.values()],
        }
        return max(pools[kind], default=1000) + 1
