"""Every REST operation the server serves, driven through PyGithub 2.10 over real HTTP."""

from __future__ import annotations

from fakegh_support import api_get
from github import Github
from openapi_check import operations, validate_rest_log
from tiny_org import ORG, sha

from analyzer.fakegithub import FakeGitHub
from analyzer.fakegithub.model import OrgModel
from analyzer.fakegithub.server import REST_OPERATIONS


def _walk_everything(g: Github) -> dict[str, object]:
    seen: dict[str, object] = {}
    org = g.get_organization(ORG)
    seen["repos"] = sorted(r.name for r in org.get_repos())
    repo = g.get_repo(f"{ORG}/api")
    pulls = list(repo.get_pulls(state="all", sort="created", direction="asc"))
    seen["pulls"] = [p.number for p in pulls]
    pr1 = pulls[0]
    seen["pr1"] = (
        pr1.additions,
        pr1.deletions,
        pr1.changed_files,
        pr1.merged,
        pr1.merged_by.login,
        pr1.commits,
        pr1.comments,
        pr1.review_comments,
    )
    seen["reviews"] = [
        (r.id, r.state, r.user.login if r.user else None) for p in pulls for r in p.get_reviews()
    ]
    # in_reply_to_id is absent (not null) on thread starters, as on GitHub; reading it (or raw_data)
    # through PyGithub would GET the comment's own URL, so the test reads it from the server log.
    seen["review_comments"] = [(c.id, c.pull_request_review_id) for c in pr1.get_review_comments()]
    seen["issue_comments"] = [(c.id, c.user.login if c.user else None) for c in pr1.get_issue_comments()]
    seen["pr_files"] = [(f.filename, f.additions, f.status) for f in pr1.get_files()]
    seen["commit_files"] = [f.filename for f in repo.get_commit(sha(5)).files]  # the direct push
    seen["runs"] = [r.id for r in repo.get_workflow_runs()]
    return seen


def test_every_operation_through_pygithub_matches_the_model(
    github: Github, server: FakeGitHub, model: OrgModel
) -> None:
    seen = _walk_everything(github)
    assert seen["repos"] == sorted(model.repos)
    assert seen["pulls"] == [1, 2, 3]
    pr1 = model.pulls[("api", 1)]
    assert seen["pr1"] == (pr1.additions, pr1.deletions, len(pr1.files), True, "alice", 2, 2, 3)
    visible = [
        (r.id, r.state, r.author)
        for r in sorted(model.reviews.values(), key=lambda r: r.submitted_at)
        if r.repo == "api" and r.state != "PENDING"
    ]
    assert seen["reviews"] == [(i, s, None if a == "gone" else a) for i, s, a in visible]  # ghost → null
    assert seen["review_comments"] == [(9001, 7001), (9002, 7002), (9003, 7002)]
    listed = next(r.body for r in server.log if r.path.endswith("/pulls/1/comments"))
    assert [c.get("in_reply_to_id") for c in listed] == [None, 9001, None]
    assert seen["issue_comments"] == [(6001, "bob"), (6002, None)]
    assert seen["pr_files"] == [("src/app.py", 12, "modified"), ("src/new_mod.py", 30, "added")]
    pushed = model.commits[("api", sha(5))]
    assert pushed.pr_number is None and seen["commit_files"] == [f.path for f in pushed.files] != []
    assert seen["runs"] == [403, 402, 401, 400]


def test_every_logged_body_validates_against_the_official_schemas(
    github: Github, server: FakeGitHub, needs_rest_spec: object
) -> None:
    _walk_everything(github)
    covered = {r.operation for r in server.log if r.kind == "rest" and r.status == 200}
    assert covered == set(REST_OPERATIONS), set(REST_OPERATIONS) ^ covered  # the walk reaches every one
    assert set(REST_OPERATIONS) <= set(operations())  # each is in GitHub's official description
    assert validate_rest_log(server.log) == []


def test_every_url_in_bodies_uses_the_servers_own_base(github: Github, server: FakeGitHub) -> None:
    _walk_everything(github)
    urls: list[str] = []

    def collect(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str) and (key.endswith("url") or key == "href"):
                    urls.append(value)
                collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item)

    for rec in server.log:
        collect(rec.body)
    assert len(urls) > 500
    assert all(u.startswith(server.root_url) for u in urls if u.startswith("http")), [
        u for u in urls if u.startswith("http") and not u.startswith(server.root_url)
    ][:3]


def test_ghosts_render_as_null_or_as_the_ghost_account(github: Github, server: FakeGitHub) -> None:
    listed = api_get(server, f"/repos/{ORG}/web/pulls", state="all").json()
    assert listed[0]["user"] is None  # pull-request-simple.user is nullable
    full = github.get_repo(f"{ORG}/web").get_pull(4)
    assert full.user.login == "ghost"  # pull-request.user is not
    merged_by_ghost = github.get_repo(f"{ORG}/api").get_pull(2)
    assert merged_by_ghost.merged and merged_by_ghost.merged_by is None


def test_pending_reviews_stay_hidden(github: Github) -> None:
    assert list(github.get_repo(f"{ORG}/api").get_pull(3).get_reviews()) == []
