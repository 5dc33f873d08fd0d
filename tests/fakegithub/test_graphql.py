"""GraphQL: a realistic collector query validated against GitHub's schema and executed on the fake."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fakegh_support import graphql
from github import Github, UnknownObjectException
from graphql import GraphQLSchema, parse, validate
from tiny_org import ORG, add_many_prs

from analyzer.fakegithub import FakeGitHub
from analyzer.fakegithub.model import OrgModel

PR_PAGE = """
query PRPage($owner: String!, $name: String!, $first: Int!, $after: String) {
  rateLimit { cost limit remaining resetAt used nodeCount }
  repository(owner: $owner, name: $name) {
    nameWithOwner databaseId isArchived
    pullRequests(first: $first, after: $after, orderBy: {field: UPDATED_AT, direction: DESC}) {
      totalCount
      pageInfo { hasNextPage endCursor startCursor hasPreviousPage }
      nodes {
        id fullDatabaseId number title body url state isDraft createdAt updatedAt closedAt mergedAt
        mergedBy { login }
        author { __typename login url avatarUrl }
        authorAssociation additions deletions changedFiles baseRefName headRefName
        labels(first: 20) { nodes { name } }
        files(first: 100) { totalCount pageInfo { hasNextPage endCursor }
          nodes { path additions deletions changeType } }
        commits(first: 100) { totalCount nodes { commit { oid messageHeadline authoredDate committedDate
          additions deletions author { name email user { login } } } } }
        reviews(first: 100) { totalCount pageInfo { hasNextPage endCursor }
          nodes { id fullDatabaseId author { login } authorAssociation state body submittedAt url
            commit { oid } } }
        comments(first: 100) { totalCount pageInfo { hasNextPage endCursor }
          nodes { id fullDatabaseId author { login } authorAssociation body createdAt updatedAt url } }
        reviewThreads(first: 50) { totalCount pageInfo { hasNextPage endCursor }
          nodes { id path line originalLine diffSide isResolved isOutdated resolvedBy { login }
            comments(first: 20) { totalCount nodes { id fullDatabaseId author { login } authorAssociation body
              path line originalLine diffHunk createdAt updatedAt url commit { oid } originalCommit { oid }
              replyTo { fullDatabaseId } pullRequestReview { fullDatabaseId } } } } }
      }
    }
  }
}
"""


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body, body.get("errors")
    return body["data"]  # type: ignore[no-any-return]


def test_the_pr_page_query_is_valid_against_githubs_schema(official_schema: GraphQLSchema) -> None:
    assert validate(official_schema, parse(PR_PAGE)) == []


def test_pr_page_returns_the_models_data(server: FakeGitHub, model: OrgModel) -> None:
    data = _ok(graphql(server, PR_PAGE, {"owner": ORG, "name": "api", "first": 10}))
    prs = data["repository"]["pullRequests"]
    assert prs["totalCount"] == 3
    assert [p["number"] for p in prs["nodes"]] == [3, 2, 1]  # UPDATED_AT DESC
    by_number = {p["number"]: p for p in prs["nodes"]}
    pr1 = by_number[1]
    assert pr1["state"] == "MERGED" and pr1["mergedBy"] == {"login": "alice"}
    assert pr1["additions"] == model.pulls[("api", 1)].additions
    assert [r["state"] for r in pr1["reviews"]["nodes"]] == ["CHANGES_REQUESTED", "COMMENTED", "APPROVED"]
    assert [c["fullDatabaseId"] for c in pr1["comments"]["nodes"]] == ["6001", "6002"]
    assert pr1["comments"]["nodes"][1]["author"] is None  # ghost
    threads = pr1["reviewThreads"]["nodes"]
    assert [t["isResolved"] for t in threads] == [True, False] and threads[0]["resolvedBy"] == {
        "login": "bob"
    }
    replies = threads[0]["comments"]["nodes"]
    assert replies[1]["replyTo"] == {"fullDatabaseId": "9001"}
    assert replies[1]["pullRequestReview"] == {"fullDatabaseId": "7002"}
    assert [f["changeType"] for f in pr1["files"]["nodes"]] == ["MODIFIED", "ADDED"]
    assert by_number[3]["author"]["__typename"] == "Bot"
    assert by_number[3]["author"]["login"] == "dependabot"  # GraphQL drops REST's "[bot]" suffix
    assert by_number[3]["reviews"]["totalCount"] == 0  # the pending review is the author's only
    assert by_number[2]["mergedBy"] is None  # merged by a deleted account
    assert all(p["url"].startswith(server.root_url) for p in prs["nodes"])


def test_cost_follows_githubs_formula_and_is_reported(server: FakeGitHub) -> None:
    data = _ok(graphql(server, PR_PAGE, {"owner": ORG, "name": "api", "first": 50}))
    # connections: pullRequests 1 + six per-PR connections x 50 + thread comments 50*50 = 2,801 → 28 points
    assert data["rateLimit"]["cost"] == 28
    assert data["rateLimit"]["nodeCount"] == 50 + 50 * (20 + 100 + 100 + 100 + 100 + 50) + 50 * 50 * 20
    assert data["rateLimit"]["remaining"] == 5000 - 28
    assert server.rate_limiter.graphql.state().used == 28


def test_docs_example_costs_51_points(server: FakeGitHub) -> None:
    query = (
        'query { rateLimit { cost nodeCount } organization(login: "acme") { repositories(first: 100) '
        "{ nodes { pullRequests(first: 50) { nodes { labels(first: 60) { nodes { name } } } } } } } }"
    )
    data = _ok(graphql(server, query))
    assert data["rateLimit"] == {"cost": 51, "nodeCount": 100 + 5_000 + 300_000}


@pytest.mark.parametrize(
    ("fragment", "gh_type"),
    [
        ("pullRequests(first: 101) { totalCount }", "EXCESSIVE_PAGINATION"),
        ("pullRequests { totalCount }", "MISSING_PAGINATION_BOUNDARIES"),
        (
            "pullRequests(first: 100) { nodes { reviewThreads(first: 100) { nodes { comments(first: 100) "
            "{ totalCount } } } } }",
            "MAX_NODE_LIMIT_EXCEEDED",
        ),
    ],
)
def test_github_pagination_rules_refuse_the_query_without_charging(
    server: FakeGitHub, fragment: str, gh_type: str
) -> None:
    body = graphql(server, f'query {{ repository(owner: "acme", name: "api") {{ {fragment} }} }}').json()
    assert "data" not in body and body["errors"][0]["type"] == gh_type
    assert server.rate_limiter.graphql.state().used == 0


def test_keyset_cursors_do_not_shift_when_prs_are_updated(server: FakeGitHub, model: OrgModel) -> None:
    add_many_prs(model, "api", 12)
    first_page = _ok(graphql(server, PR_PAGE, {"owner": ORG, "name": "api", "first": 5}))
    page1 = [p["number"] for p in first_page["repository"]["pullRequests"]["nodes"]]
    with server.lock:  # a PR already served moves to the top; so does one not served yet
        newest = max(p.updated_at for p in model.pulls.values())
        model.pulls[("api", page1[2])].updated_at = newest + timedelta(hours=1)
    cursor = first_page["repository"]["pullRequests"]["pageInfo"]["endCursor"]
    second = _ok(graphql(server, PR_PAGE, {"owner": ORG, "name": "api", "first": 5, "after": cursor}))
    page2 = [p["number"] for p in second["repository"]["pullRequests"]["nodes"]]
    assert not set(page1) & set(page2)
    expected_next = sorted(
        (p for p in model.pulls.values() if p.repo == "api" and p.number not in page1),
        key=lambda p: (p.updated_at, p.id),
        reverse=True,
    )[:5]
    assert page2 == [p.number for p in expected_next]


def test_paging_to_the_end_visits_every_pr_once(server: FakeGitHub, model: OrgModel) -> None:
    add_many_prs(model, "api", 12)
    seen: list[int] = []
    after = None
    while True:
        data = _ok(graphql(server, PR_PAGE, {"owner": ORG, "name": "api", "first": 4, "after": after}))
        conn = data["repository"]["pullRequests"]
        seen += [p["number"] for p in conn["nodes"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted(n for (r, n) in model.pulls if r == "api")
    assert len(seen) == len(set(seen))


def test_node_lookup_for_pull_requests_and_threads(server: FakeGitHub, model: OrgModel) -> None:
    pr = model.pulls[("api", 1)]
    thread = model.review_threads[8001]
    query = """query($pr: ID!, $thread: ID!) {
      pr: node(id: $pr) { __typename ... on PullRequest { number reviews(first: 1) {
        totalCount pageInfo { hasNextPage endCursor } nodes { state } } } }
      thread: node(id: $thread) { ... on PullRequestReviewThread { path comments(first: 10) { totalCount } } }
    }"""
    data = _ok(graphql(server, query, {"pr": pr.node_id, "thread": thread.node_id}))
    assert data["pr"]["number"] == 1 and data["pr"]["reviews"]["totalCount"] == 3
    assert data["pr"]["reviews"]["pageInfo"]["hasNextPage"] is True
    assert data["thread"] == {"path": "src/app.py", "comments": {"totalCount": 2}}
    after = data["pr"]["reviews"]["pageInfo"]["endCursor"]
    rest = _ok(
        graphql(
            server,
            "query($id: ID!, $after: String) { node(id: $id) { ... on PullRequest { "
            "reviews(first: 5, after: $after) { nodes { state } } } } }",
            {"id": pr.node_id, "after": after},
        )
    )
    assert [r["state"] for r in rest["node"]["reviews"]["nodes"]] == ["COMMENTED", "APPROVED"]


def test_commit_history_on_the_default_branch(server: FakeGitHub, model: OrgModel) -> None:
    query = """query { repository(owner: "acme", name: "api") { defaultBranchRef { name target {
      ... on Commit { history(first: 10, since: "2024-03-01T00:00:00Z") { totalCount nodes { oid
        messageHeadline associatedPullRequests(first: 1) { nodes { number } } parents(first: 2) { totalCount }
        author { user { login } } } } } } } } }"""
    data = _ok(graphql(server, query))
    ref = data["repository"]["defaultBranchRef"]
    history = ref["target"]["history"]["nodes"]
    expected = sorted(
        (c for c in model.commits.values() if c.repo == "api" and c.on_default_branch),
        key=lambda c: c.committed_at,
        reverse=True,
    )
    assert ref["name"] == "main" and [n["oid"] for n in history] == [c.sha for c in expected]
    assert history[0]["associatedPullRequests"]["nodes"] == []  # the direct push
    assert history[1]["associatedPullRequests"]["nodes"] == [{"number": 2}]


def test_unknown_org_is_not_found_like_github(server: FakeGitHub, github: Github) -> None:
    body = graphql(server, 'query { organization(login: "nope") { login } }').json()
    assert body["data"] == {"organization": None}
    assert body["errors"][0]["type"] == "NOT_FOUND"
    assert body["errors"][0]["message"] == "Could not resolve to an Organization with the login of 'nope'."
    with pytest.raises(UnknownObjectException):
        github.requester.graphql_query('query { organization(login: "nope") { login } }', {})


def test_pygithub_graphql_helpers_reach_the_server(github: Github, server: FakeGitHub) -> None:
    _headers, body = github.requester.graphql_query(
        "query($o: String!) { organization(login: $o) { login repositories(first: 5) { totalCount } } }",
        {"o": ORG},
    )
    assert body["data"]["organization"] == {"login": ORG, "repositories": {"totalCount": 2}}
    assert server.log[-1].operation == "graphql" and server.log[-1].cost == 1
