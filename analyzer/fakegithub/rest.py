"""REST body renderers: model objects → JSON shaped like GitHub's (official response schemas).

Every URL is built from the server's own base URL (PyGithub refuses to follow other hosts). Required
fields the model does not hold get fixed, realistic values. Deleted accounts render as ``null`` where
the schema allows it and as GitHub's "ghost" account where it does not.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from analyzer.fakegithub.model import (
    GHOST_LOGIN,
    Commit,
    DraftEvent,
    IssueComment,
    OrgModel,
    PRFile,
    PullRequest,
    Repo,
    Review,
    ReviewComment,
    ReviewThread,
    Table,
    User,
    WorkflowRun,
    node_id,
)

JSON = dict[str, Any]
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
GHOST = User(id=10137, login=GHOST_LOGIN, name=None, type="User")
DOCS = "https://docs.github.com/rest"


def iso(value: datetime | None) -> str | None:
    """GitHub's timestamp format: ISO-8601 UTC with a trailing Z, second precision."""
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    # What strftime("%Y-%m-%dT%H:%M:%SZ") gives, several times faster (called for every timestamp served).
    return "%d-%02d-%02dT%02d:%02d:%02dZ" % (  # noqa: UP031 - %-formatting is the fast one here
        value.year, value.month, value.day, value.hour, value.minute, value.second
    )


def fake_sha(*parts: object) -> str:
    """A stable 40-hex sha for things the model does not store (trees, base commits, blobs)."""
    return hashlib.sha1("/".join(str(p) for p in parts).encode()).hexdigest()


@dataclass(frozen=True)
class Urls:
    """``root`` is scheme://host:port (web URLs); ``api`` adds the REST prefix (API URLs)."""

    root: str
    api: str
    org: str

    def repo_api(self, repo: str) -> str:
        return f"{self.api}/repos/{self.org}/{repo}"

    def repo_html(self, repo: str) -> str:
        return f"{self.root}/{self.org}/{repo}"

    def avatar(self, user_id: int) -> str:
        return f"{self.root}/avatars/u/{user_id}?v=4"


def _sort_key_created(item: Any) -> tuple[datetime, int]:
    return (item.created_at, item.id)


@dataclass
class ModelIndex:
    """Lookups the model does not key directly (built per model state, see ``fingerprint``)."""

    pulls_by_repo: dict[str, list[PullRequest]] = field(default_factory=dict)
    reviews_by_pr: dict[tuple[str, int], list[Review]] = field(default_factory=dict)
    threads_by_pr: dict[tuple[str, int], list[ReviewThread]] = field(default_factory=dict)
    review_comments_by_pr: dict[tuple[str, int], list[ReviewComment]] = field(default_factory=dict)
    issue_comments_by_issue: dict[tuple[str, int], list[IssueComment]] = field(default_factory=dict)
    draft_events_by_pr: dict[tuple[str, int], list[DraftEvent]] = field(default_factory=dict)  # oldest first
    branch_commits: dict[str, list[Commit]] = field(default_factory=dict)  # newest first
    pulls_by_sha: dict[tuple[str, str], list[PullRequest]] = field(default_factory=dict)
    runs_by_repo: dict[str, list[WorkflowRun]] = field(default_factory=dict)  # newest first
    pulls_by_id: dict[int, PullRequest] = field(default_factory=dict)


def fingerprint(model: OrgModel) -> tuple[int, ...]:
    """Changes whenever an entity is added, replaced or removed.

    Runs on every request, so it reads each table's change counter (``Table.version``) instead of
    scanning the entities. Lists inside entities (a PR's commits, a thread's comments) are not
    watched: the demo's mutations add the commit or comment to its table as well, which counts;
    anything else that reorders or relinks entities in place calls ``FakeGitHub.invalidate``.
    """
    parts: list[int] = []
    for table in (
        model.pulls,
        model.reviews,
        model.review_threads,
        model.review_comments,
        model.issue_comments,
        model.draft_events,
        model.commits,
        model.workflow_runs,
        model.workflows,
        model.repos,
    ):
        version = table.version if isinstance(table, Table) else hash(tuple(table))
        parts += (id(table), len(table), version)
    return tuple(parts)


def build_index(model: OrgModel) -> ModelIndex:
    idx = ModelIndex()
    for pr in sorted(model.pulls.values(), key=lambda p: p.number):
        idx.pulls_by_repo.setdefault(pr.repo, []).append(pr)
        idx.pulls_by_id[pr.id] = pr
        for sha in [*pr.commit_shas, *([pr.merge_commit_sha] if pr.merge_commit_sha else [])]:
            idx.pulls_by_sha.setdefault((pr.repo, sha), []).append(pr)
    for review in sorted(model.reviews.values(), key=lambda r: (r.submitted_at, r.id)):
        idx.reviews_by_pr.setdefault((review.repo, review.pr_number), []).append(review)
    for thread in sorted(model.review_threads.values(), key=lambda t: t.id):
        idx.threads_by_pr.setdefault((thread.repo, thread.pr_number), []).append(thread)
    for rc in sorted(model.review_comments.values(), key=_sort_key_created):
        idx.review_comments_by_pr.setdefault((rc.repo, rc.pr_number), []).append(rc)
    for ic in sorted(model.issue_comments.values(), key=_sort_key_created):
        idx.issue_comments_by_issue.setdefault((ic.repo, ic.issue_number), []).append(ic)
    for event in sorted(model.draft_events.values(), key=_sort_key_created):
        idx.draft_events_by_pr.setdefault((event.repo, event.pr_number), []).append(event)
    for commit in sorted(model.commits.values(), key=lambda c: (c.committed_at, c.sha), reverse=True):
        if commit.on_default_branch:
            idx.branch_commits.setdefault(commit.repo, []).append(commit)
    for run in sorted(model.workflow_runs.values(), key=lambda r: (r.created_at, r.id), reverse=True):
        idx.runs_by_repo.setdefault(run.repo, []).append(run)
    return idx


class Renderer:
    """Renders model objects for one server (its URLs) over one model snapshot."""

    def __init__(self, model: OrgModel, urls: Urls, index: ModelIndex) -> None:
        self.model = model
        self.urls = urls
        self.index = index
        # A renderer lives for one request: a repository's body is built once and shared by every
        # item of a page that embeds it (100 runs embed it twice each). Nothing changes it afterwards.
        self._repo_bodies: dict[str, JSON] = {}

    # ---- people -------------------------------------------------------------------------------

    def account(self, login: str | None) -> User:
        """The live account for ``login``, or GitHub's ghost for a deleted/unknown one."""
        user = self.model.users.get(login) if login else None
        return GHOST if user is None or user.deleted else user

    def is_ghost(self, login: str | None) -> bool:
        return self.account(login) is GHOST

    def simple_user(self, login: str | None) -> JSON:
        user = self.account(login)
        return self._user_body(user.login, user.id, user.node_id, user.type)

    def nullable_user(self, login: str | None) -> JSON | None:
        return None if self.is_ghost(login) else self.simple_user(login)

    def org_as_user(self) -> JSON:
        org_node = node_id("Organization", self.model.id)
        return self._user_body(self.model.login, self.model.id, org_node, "Organization")

    def _user_body(self, login: str, user_id: int, nid: str, kind: str) -> JSON:
        # GitHub percent-encodes an app's "[bot]" in URLs, and links the app's page, not a user's
        api = f"{self.urls.api}/users/{quote(login, safe='')}"
        html = f"{self.urls.root}/apps/{login.removesuffix('[bot]')}" if kind == "Bot" else f"{self.urls.root}/{login}"
        return {
            "login": login,
            "id": user_id,
            "node_id": nid,
            "avatar_url": self.urls.avatar(user_id),
            "gravatar_id": "",
            "url": api,
            "html_url": html,
            "followers_url": f"{api}/followers",
            "following_url": f"{api}/following{{/other_user}}",
            "gists_url": f"{api}/gists{{/gist_id}}",
            "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{api}/subscriptions",
            "organizations_url": f"{api}/orgs",
            "repos_url": f"{api}/repos",
            "events_url": f"{api}/events{{/privacy}}",
            "received_events_url": f"{api}/received_events",
            "type": kind,
            "user_view_type": "public",
            "site_admin": False,
        }

    # ---- organisation and repositories --------------------------------------------------------

    def organization(self) -> JSON:
        m, api = self.model, f"{self.urls.api}/orgs/{self.model.login}"
        created = iso(m.created_at or EPOCH)
        public = sum(1 for r in m.repos.values() if not r.private)
        return {
            "login": m.login,
            "id": m.id,
            "node_id": self.org_as_user()["node_id"],
            "url": api,
            "repos_url": f"{api}/repos",
            "events_url": f"{api}/events",
            "hooks_url": f"{api}/hooks",
            "issues_url": f"{api}/issues",
            "members_url": f"{api}/members{{/member}}",
            "public_members_url": f"{api}/public_members{{/member}}",
            "avatar_url": self.urls.avatar(m.id),
            "description": None,
            "name": m.name or m.login,
            "is_verified": False,
            "has_organization_projects": True,
            "has_repository_projects": True,
            "public_repos": public,
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "html_url": f"{self.urls.root}/{m.login}",
            "type": "Organization",
            "total_private_repos": len(m.repos) - public,
            "owned_private_repos": len(m.repos) - public,
            "created_at": created,
            "updated_at": created,
            "archived_at": None,
        }

    def repository(self, repo: Repo) -> JSON:
        """One body valid as minimal-repository, repository and full-repository alike (shared: read only)."""
        body = self._repo_bodies.get(repo.name)
        if body is None:
            body = self._repo_bodies[repo.name] = self._repository(repo)
        return body

    def _repository(self, repo: Repo) -> JSON:
        api, html = self.urls.repo_api(repo.name), self.urls.repo_html(repo.name)
        host = self.urls.root.split("://", 1)[-1]
        open_count = sum(1 for p in self.index.pulls_by_repo.get(repo.name, []) if p.state == "open")
        created = repo.created_at or self.model.created_at or EPOCH
        body: JSON = {
            "id": repo.id,
            "node_id": repo.node_id,
            "name": repo.name,
            "full_name": f"{self.model.login}/{repo.name}",
            "owner": self.org_as_user(),
            "private": repo.private,
            "html_url": html,
            "description": repo.description,
            "fork": False,
            "url": api,
            "homepage": None,
            "language": repo.language,
            "forks_count": 0,
            "stargazers_count": 0,
            "watchers_count": 0,
            "size": 1024,
            "default_branch": repo.default_branch,
            "open_issues_count": open_count,
            "is_template": False,
            "topics": [],
            "has_issues": True,
            "has_projects": True,
            "has_wiki": False,
            "has_pages": False,
            "has_downloads": True,
            "has_discussions": False,
            "archived": repo.archived,
            "disabled": False,
            "visibility": "private" if repo.private else "public",
            "pushed_at": iso(repo.pushed_at or created),
            "created_at": iso(created),
            "updated_at": iso(repo.updated_at or created),
            "permissions": {"admin": False, "maintain": False, "push": False, "triage": False, "pull": True},
            "license": None,
            "forks": 0,
            "open_issues": open_count,
            "watchers": 0,
            "subscribers_count": 0,
            "network_count": 0,
            "organization": self.org_as_user(),
            "git_url": f"git://{host}/{self.model.login}/{repo.name}.git",
            "ssh_url": f"git@{host}:{self.model.login}/{repo.name}.git",
            "clone_url": f"{html}.git",
            "svn_url": html,
            "mirror_url": None,
        }
        for key, suffix in _REPO_URL_TEMPLATES.items():
            body[key] = f"{api}/{suffix}"
        return body

    # ---- pull requests ------------------------------------------------------------------------

    def _pull_urls(self, pr: PullRequest) -> JSON:
        api, html = self.urls.repo_api(pr.repo), self.urls.repo_html(pr.repo)
        url = f"{api}/pulls/{pr.number}"
        head_sha = self.head_sha(pr)
        return {
            "url": url,
            "html_url": f"{html}/pull/{pr.number}",
            "diff_url": f"{html}/pull/{pr.number}.diff",
            "patch_url": f"{html}/pull/{pr.number}.patch",
            "issue_url": f"{api}/issues/{pr.number}",
            "commits_url": f"{url}/commits",
            "review_comments_url": f"{url}/comments",
            "review_comment_url": f"{api}/pulls/comments{{/number}}",
            "comments_url": f"{api}/issues/{pr.number}/comments",
            "statuses_url": f"{api}/statuses/{head_sha}",
        }

    def head_sha(self, pr: PullRequest) -> str:
        return pr.commit_shas[-1] if pr.commit_shas else fake_sha(pr.repo, pr.number, "head")

    def _branch(self, pr: PullRequest, ref: str, sha: str) -> JSON:
        return {
            "label": f"{self.model.login}:{ref}",
            "ref": ref,
            "sha": sha,
            "user": self.org_as_user(),
            "repo": self.repository(self.model.repos[pr.repo]),
        }

    def pull_simple(self, pr: PullRequest) -> JSON:
        urls = self._pull_urls(pr)
        body: JSON = {
            **urls,
            "id": pr.id,
            "node_id": pr.node_id,
            "number": pr.number,
            "state": pr.state,
            "locked": False,
            "title": pr.title,
            "user": self.nullable_user(pr.author),
            "body": pr.body or None,
            "labels": [self._label(pr.repo, name) for name in pr.labels],
            "milestone": None,
            "active_lock_reason": None,
            "created_at": iso(pr.created_at),
            "updated_at": iso(pr.updated_at),
            "closed_at": iso(pr.closed_at),
            "merged_at": iso(pr.merged_at),
            "merge_commit_sha": pr.merge_commit_sha,
            "assignee": None,
            "assignees": [],
            "requested_reviewers": [],
            "requested_teams": [],
            "head": self._branch(pr, pr.head_ref, self.head_sha(pr)),
            "base": self._branch(pr, pr.base_ref, fake_sha(pr.repo, pr.base_ref, pr.number)),
            "_links": {
                "self": {"href": urls["url"]},
                "html": {"href": urls["html_url"]},
                "issue": {"href": urls["issue_url"]},
                "comments": {"href": urls["comments_url"]},
                "review_comments": {"href": urls["review_comments_url"]},
                "review_comment": {"href": urls["review_comment_url"]},
                "commits": {"href": urls["commits_url"]},
                "statuses": {"href": urls["statuses_url"]},
            },
            "author_association": pr.author_association,
            "auto_merge": None,
            "draft": pr.draft,
        }
        return body

    def pull_full(self, pr: PullRequest) -> JSON:
        body = self.pull_simple(pr)
        key = (pr.repo, pr.number)
        merged = pr.merged_at is not None
        body.update(
            {
                "user": self.simple_user(pr.author),  # not nullable in pull-request: ghost account
                "merged": merged,
                "mergeable": None if pr.state == "closed" else True,
                "rebaseable": None if pr.state == "closed" else True,
                "mergeable_state": "unknown" if pr.state == "closed" else "clean",
                "merged_by": self.nullable_user(pr.merged_by) if merged else None,
                "comments": len(self.index.issue_comments_by_issue.get(key, [])),
                "review_comments": len(self.index.review_comments_by_pr.get(key, [])),
                "maintainer_can_modify": False,
                "commits": len(pr.commit_shas),
                "additions": pr.additions,
                "deletions": pr.deletions,
                "changed_files": len(pr.files),
            }
        )
        return body

    def _label(self, repo: str, name: str) -> JSON:
        label_id = int(fake_sha(repo, "label", name)[:8], 16)
        return {
            "id": label_id,
            "node_id": f"LA_{label_id}",
            "url": f"{self.urls.repo_api(repo)}/labels/{name}",
            "name": name,
            "description": f"Pull requests labelled {name}",
            "color": fake_sha(name)[:6],
            "default": False,
        }

    def review(self, review: Review) -> JSON:
        pr_api = f"{self.urls.repo_api(review.repo)}/pulls/{review.pr_number}"
        html = f"{self.urls.repo_html(review.repo)}/pull/{review.pr_number}#pullrequestreview-{review.id}"
        body: JSON = {
            "id": review.id,
            "node_id": review.node_id,
            "user": self.nullable_user(review.author),
            "body": review.body,
            "state": review.state,
            "html_url": html,
            "pull_request_url": pr_api,
            "_links": {"html": {"href": html}, "pull_request": {"href": pr_api}},
            "commit_id": review.commit_sha,
            "author_association": review.author_association,
        }
        if review.state != "PENDING":
            body["submitted_at"] = iso(review.submitted_at)
        return body

    def review_comment(self, rc: ReviewComment) -> JSON:
        api = self.urls.repo_api(rc.repo)
        html = f"{self.urls.repo_html(rc.repo)}/pull/{rc.pr_number}#discussion_r{rc.id}"
        url = f"{api}/pulls/comments/{rc.id}"
        pr_api = f"{api}/pulls/{rc.pr_number}"
        body: JSON = {
            "url": url,
            "pull_request_review_id": rc.review_id,
            "id": rc.id,
            "node_id": rc.node_id,
            "diff_hunk": rc.diff_hunk,
            "path": rc.path,
            "position": rc.line,
            "original_position": rc.original_line,
            "commit_id": rc.commit_sha,
            "original_commit_id": rc.original_commit_sha,
            "user": self.nullable_user(rc.author),
            "body": rc.body,
            "created_at": iso(rc.created_at),
            "updated_at": iso(rc.updated_at),
            "html_url": html,
            "pull_request_url": pr_api,
            "author_association": rc.author_association,
            "_links": {"self": {"href": url}, "html": {"href": html}, "pull_request": {"href": pr_api}},
            "start_line": None,
            "original_start_line": None,
            "start_side": None,
            "original_line": rc.original_line,
            "side": rc.side,
            "subject_type": "line",
            "reactions": self._reactions(f"{url}/reactions"),
        }
        if rc.line is not None:
            body["line"] = rc.line
        else:
            del body["position"]  # outdated comments have no position on the current diff
        if rc.in_reply_to_id is not None:
            body["in_reply_to_id"] = rc.in_reply_to_id
        return body

    def issue_comment(self, ic: IssueComment) -> JSON:
        api = self.urls.repo_api(ic.repo)
        url = f"{api}/issues/comments/{ic.id}"
        user = self.account(ic.author)
        return {
            "id": ic.id,
            "node_id": ic.node_id,
            "url": url,
            "body": ic.body,
            "html_url": f"{self.urls.repo_html(ic.repo)}/pull/{ic.issue_number}#issuecomment-{ic.id}",
            "user": self.nullable_user(ic.author),
            "created_at": iso(ic.created_at),
            "updated_at": iso(ic.updated_at),
            "issue_url": f"{api}/issues/{ic.issue_number}",
            "author_association": ic.author_association,
            "performed_via_github_app": self._app(user.via_app) if user.via_app else None,
            "reactions": self._reactions(f"{url}/reactions"),
        }

    def _app(self, slug: str) -> JSON:
        app_id = int(fake_sha("app", slug)[:6], 16)
        return {
            "id": app_id,
            "slug": slug,
            "node_id": f"A_{app_id}",
            "owner": self.org_as_user(),
            "name": slug,
            "description": None,
            "external_url": f"{self.urls.root}/apps/{slug}",
            "html_url": f"{self.urls.root}/apps/{slug}",
            "created_at": iso(EPOCH),
            "updated_at": iso(EPOCH),
            "permissions": {"issues": "write", "pull_requests": "write"},
            "events": [],
        }

    def _reactions(self, url: str) -> JSON:
        counts = dict.fromkeys(("+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket"), 0)
        return {"url": url, "total_count": 0, **counts}

    # ---- commits and files --------------------------------------------------------------------

    def diff_entry(self, repo: str, ref: str, f: PRFile) -> JSON:
        html = self.urls.repo_html(repo)
        body: JSON = {
            "sha": fake_sha(repo, ref, f.path),
            "filename": f.path,
            "status": f.change_type,
            "additions": f.additions,
            "deletions": f.deletions,
            "changes": f.additions + f.deletions,
            "blob_url": f"{html}/blob/{ref}/{f.path}",
            "raw_url": f"{html}/raw/{ref}/{f.path}",
            "contents_url": f"{self.urls.repo_api(repo)}/contents/{f.path}?ref={ref}",
        }
        if f.patch is not None:
            body["patch"] = f.patch
        if f.previous_path is not None:
            body["previous_filename"] = f.previous_path
        return body

    def commit(self, c: Commit, files: list[PRFile] | None = None) -> JSON:
        """A commit; ``files`` (one page of them) only on the single-commit endpoint."""
        api = self.urls.repo_api(c.repo)
        url = f"{api}/commits/{c.sha}"
        tree = fake_sha(c.repo, c.sha, "tree")
        body: JSON = {
            "url": url,
            "sha": c.sha,
            "node_id": c.node_id,
            "html_url": f"{self.urls.repo_html(c.repo)}/commit/{c.sha}",
            "comments_url": f"{url}/comments",
            "commit": {
                "url": f"{api}/git/commits/{c.sha}",
                "author": {"name": c.author_name, "email": c.author_email, "date": iso(c.authored_at)},
                "committer": {
                    "name": self._committer_name(c),
                    "email": self._committer_email(c),
                    "date": iso(c.committed_at),
                },
                "message": c.message,
                "comment_count": 0,
                "tree": {"sha": tree, "url": f"{api}/git/trees/{tree}"},
                "verification": {
                    "verified": False,
                    "reason": "unsigned",
                    "payload": None,
                    "signature": None,
                    "verified_at": None,
                },
            },
            "author": self.nullable_user(c.author_login) if c.author_login else None,
            "committer": self.nullable_user(c.committer_login) if c.committer_login else None,
            "parents": [
                {
                    "sha": p,
                    "url": f"{api}/commits/{p}",
                    "html_url": f"{self.urls.repo_html(c.repo)}/commit/{p}",
                }
                for p in c.parents
            ],
        }
        if files is not None:
            adds, dels = sum(f.additions for f in c.files), sum(f.deletions for f in c.files)
            body["stats"] = {"additions": adds, "deletions": dels, "total": adds + dels}
            body["files"] = [self.diff_entry(c.repo, c.sha, f) for f in files]
        return body

    def _committer_name(self, c: Commit) -> str:
        user = self.model.users.get(c.committer_login) if c.committer_login else None
        return (user.name or user.login) if user else c.author_name

    def _committer_email(self, c: Commit) -> str:
        user = self.model.users.get(c.committer_login) if c.committer_login else None
        return (user.email or f"{user.login}@users.noreply.example") if user else c.author_email

    # ---- actions ------------------------------------------------------------------------------

    def workflow_run(self, run: WorkflowRun, exclude_pull_requests: bool = False) -> JSON:
        api = self.urls.repo_api(run.repo)
        url = f"{api}/actions/runs/{run.id}"
        wf = self.model.workflows.get(run.workflow_id)
        repo_body = self.repository(self.model.repos[run.repo])
        commit = self.model.commits.get((run.repo, run.head_sha))
        prs = (
            []
            if exclude_pull_requests
            else [
                self._pull_minimal(run.repo, n) for n in run.pr_numbers if (run.repo, n) in self.model.pulls
            ]
        )
        body: JSON = {
            "id": run.id,
            "name": wf.name if wf else "CI",
            "node_id": run.node_id,
            "check_suite_id": run.id * 10,
            "check_suite_node_id": f"CS_{run.id * 10}",
            "head_branch": run.head_branch,
            "head_sha": run.head_sha,
            "path": wf.path if wf else ".github/workflows/ci.yml",
            "run_number": run.run_number,
            "run_attempt": run.run_attempt,
            "referenced_workflows": [],
            "event": run.event,
            "status": run.status,
            "conclusion": run.conclusion,
            "workflow_id": run.workflow_id,
            "url": url,
            "html_url": f"{self.urls.repo_html(run.repo)}/actions/runs/{run.id}",
            "pull_requests": prs,
            "created_at": iso(run.created_at),
            "updated_at": iso(run.updated_at),
            "run_started_at": iso(run.run_started_at),
            "jobs_url": f"{url}/jobs",
            "logs_url": f"{url}/logs",
            "check_suite_url": f"{api}/check-suites/{run.id * 10}",
            "artifacts_url": f"{url}/artifacts",
            "cancel_url": f"{url}/cancel",
            "rerun_url": f"{url}/rerun",
            "previous_attempt_url": f"{url}/attempts/{run.run_attempt - 1}" if run.run_attempt > 1 else None,
            "workflow_url": f"{api}/actions/workflows/{run.workflow_id}",
            "head_commit": self._simple_commit(commit, run),
            "repository": repo_body,
            "head_repository": repo_body,
            "head_repository_id": self.model.repos[run.repo].id,
            "display_title": self._run_title(run, commit),
        }
        if run.actor is not None:
            body["actor"] = self.simple_user(run.actor)
            body["triggering_actor"] = self.simple_user(run.actor)
        return body

    def _run_title(self, run: WorkflowRun, commit: Commit | None) -> str:
        for number in run.pr_numbers:
            pr = self.model.pulls.get((run.repo, number))
            if pr is not None:
                return pr.title
        return commit.message.splitlines()[0] if commit and commit.message else run.head_sha[:7]

    def _simple_commit(self, c: Commit | None, run: WorkflowRun) -> JSON:
        if c is None:
            return {
                "id": run.head_sha,
                "tree_id": fake_sha(run.head_sha, "tree"),
                "message": run.head_sha[:7],
                "timestamp": iso(run.created_at),
                "author": None,
                "committer": None,
            }
        return {
            "id": c.sha,
            "tree_id": fake_sha(c.repo, c.sha, "tree"),
            "message": c.message,
            "timestamp": iso(c.committed_at),
            "author": {"name": c.author_name, "email": c.author_email},
            "committer": {"name": self._committer_name(c), "email": self._committer_email(c)},
        }

    def _pull_minimal(self, repo: str, number: int) -> JSON:
        pr = self.model.pulls[(repo, number)]
        r = self.model.repos[repo]
        repo_ref = {"id": r.id, "url": self.urls.repo_api(repo), "name": repo}
        return {
            "id": pr.id,
            "number": pr.number,
            "url": f"{self.urls.repo_api(repo)}/pulls/{number}",
            "head": {"ref": pr.head_ref, "sha": self.head_sha(pr), "repo": repo_ref},
            "base": {"ref": pr.base_ref, "sha": fake_sha(repo, pr.base_ref, number), "repo": repo_ref},
        }

def error_body(message: str, status: int = 404, docs: str = DOCS) -> JSON:
    return {"message": message, "documentation_url": docs, "status": str(status)}


_REPO_URL_TEMPLATES = {
    "archive_url": "{archive_format}{/ref}",
    "assignees_url": "assignees{/user}",
    "blobs_url": "git/blobs{/sha}",
    "branches_url": "branches{/branch}",
    "collaborators_url": "collaborators{/collaborator}",
    "comments_url": "comments{/number}",
    "commits_url": "commits{/sha}",
    "compare_url": "compare/{base}...{head}",
    "contents_url": "contents/{+path}",
    "contributors_url": "contributors",
    "deployments_url": "deployments",
    "downloads_url": "downloads",
    "events_url": "events",
    "forks_url": "forks",
    "git_commits_url": "git/commits{/sha}",
    "git_refs_url": "git/refs{/sha}",
    "git_tags_url": "git/tags{/sha}",
    "issue_comment_url": "issues/comments{/number}",
    "issue_events_url": "issues/events{/number}",
    "issues_url": "issues{/number}",
    "keys_url": "keys{/key_id}",
    "labels_url": "labels{/name}",
    "languages_url": "languages",
    "merges_url": "merges",
    "milestones_url": "milestones{/number}",
    "notifications_url": "notifications{?since,all,participating}",
    "pulls_url": "pulls{/number}",
    "releases_url": "releases{/id}",
    "stargazers_url": "stargazers",
    "statuses_url": "statuses/{sha}",
    "subscribers_url": "subscribers",
    "subscription_url": "subscription",
    "tags_url": "tags",
    "teams_url": "teams",
    "trees_url": "git/trees{/sha}",
    "hooks_url": "hooks",
}
