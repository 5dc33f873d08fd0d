"""A PR's draft/ready toggles (timelineItems) as GitHub serves them: union nodes, paging both ways,
totalCount / filteredCount / pageCount, nulls for ghosts, the pagination rules, and both schemas."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fakegh_support import graphql
from graphql import GraphQLSchema, build_schema, parse, validate
from tiny_org import ORG

from analyzer.collector import queries
from analyzer.fakegithub import FakeGitHub
from analyzer.fakegithub.model import OrgModel, PullRequest

TIMELINE = """
query Timeline($owner: String!, $name: String!, $number: Int!, $first: Int, $last: Int, $after: String,
               $before: String, $types: [PullRequestTimelineItemsItemType!], $since: DateTime) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      timelineItems(first: $first, last: $last, after: $after, before: $before, itemTypes: $types, since: $since) {
        totalCount filteredCount pageCount updatedAt
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor }
        nodes {
          __typename
          ... on ReadyForReviewEvent { id createdAt url resourcePath actor { __typename login } }
          ... on ConvertToDraftEvent { id createdAt actor { login } }
        }
      }
    }
  }
}
"""
BOTH = ["READY_FOR_REVIEW_EVENT", "CONVERT_TO_DRAFT_EVENT"]


def _toggled(model: OrgModel) -> PullRequest:
    """A PR opened as a draft, marked ready, sent back to draft, then ready again (the last by a ghost)."""
    pr = min(model.pulls.values(), key=lambda p: (p.repo, p.number))
    pr.draft = True
    model.toggle_draft(pr, "ready_for_review", pr.created_at + timedelta(hours=1), pr.author)
    model.toggle_draft(pr, "convert_to_draft", pr.created_at + timedelta(hours=2), pr.author)
    model.toggle_draft(pr, "ready_for_review", pr.created_at + timedelta(hours=3), None)
    return pr


def _timeline(server: FakeGitHub, pr: PullRequest, **variables: Any) -> dict[str, Any]:
    response = graphql(server, TIMELINE, {"owner": ORG, "name": pr.repo, "number": pr.number, **variables})
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]["repository"]["pullRequest"]["timelineItems"]  # type: ignore[no-any-return]


def test_the_last_ready_event_comes_alone_with_the_count_of_all(server: FakeGitHub, model: OrgModel) -> None:
    pr = _toggled(model)
    items = _timeline(server, pr, last=1, types=["READY_FOR_REVIEW_EVENT"])
    assert items["totalCount"] == 2 and items["filteredCount"] == 2 and items["pageCount"] == 1
    assert items["pageInfo"]["hasPreviousPage"] is True and items["pageInfo"]["hasNextPage"] is False
    (node,) = items["nodes"]
    assert node["__typename"] == "ReadyForReviewEvent"
    assert node["createdAt"] == (pr.created_at + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert node["actor"] is None  # a deleted account: GitHub's actor is null
    assert node["url"].startswith(server.root_url) and node["url"].endswith(node["resourcePath"])
    assert items["updatedAt"] == pr.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_every_toggle_pages_forwards_and_backwards_in_time_order(server: FakeGitHub, model: OrgModel) -> None:
    pr = _toggled(model)
    first = _timeline(server, pr, first=2, types=BOTH)
    assert [n["__typename"] for n in first["nodes"]] == ["ReadyForReviewEvent", "ConvertToDraftEvent"]
    assert first["pageInfo"]["hasNextPage"] is True and first["pageInfo"]["hasPreviousPage"] is False
    rest = _timeline(server, pr, first=2, after=first["pageInfo"]["endCursor"], types=BOTH)
    assert [n["__typename"] for n in rest["nodes"]] == ["ReadyForReviewEvent"]
    assert rest["pageInfo"]["hasNextPage"] is False and rest["filteredCount"] == 1 and rest["totalCount"] == 3
    back = _timeline(server, pr, last=1, before=rest["pageInfo"]["startCursor"], types=BOTH)
    assert [n["__typename"] for n in back["nodes"]] == ["ConvertToDraftEvent"]
    assert back["pageInfo"]["hasNextPage"] is True and back["pageInfo"]["hasPreviousPage"] is True
    assert [e["cursor"] for e in back["edges"]] == [first["edges"][1]["cursor"]]
    later = _timeline(server, pr, first=10, types=BOTH, since=(pr.created_at + timedelta(hours=2)).isoformat())
    assert later["totalCount"] == 2


def test_a_pr_never_drafted_has_an_empty_timeline(server: FakeGitHub, model: OrgModel) -> None:
    pr = max(model.pulls.values(), key=lambda p: (p.repo, p.number))
    items = _timeline(server, pr, last=1, types=["READY_FOR_REVIEW_EVENT"])
    assert items["totalCount"] == 0 and items["nodes"] == [] and items["pageInfo"]["endCursor"] is None


def test_the_pagination_rules_hold_for_last_as_for_first(server: FakeGitHub, model: OrgModel) -> None:
    pr = _toggled(model)
    variables = {"owner": ORG, "name": pr.repo, "number": pr.number, "types": BOTH}
    for extra, kind in (({}, "MISSING_PAGINATION_BOUNDARIES"), ({"last": 101}, "EXCESSIVE_PAGINATION"),
                        ({"first": 1, "last": 1}, "INVALID_PAGINATION")):
        body = graphql(server, TIMELINE, {**variables, **extra}).json()
        assert body.get("data") is None and body["errors"][0]["type"] == kind, body


def test_a_ready_event_is_a_node(server: FakeGitHub, model: OrgModel) -> None:
    pr = _toggled(model)
    node_id = _timeline(server, pr, last=1, types=["READY_FOR_REVIEW_EVENT"])["nodes"][0]["id"]
    query = "query($id: ID!) { node(id: $id) { ... on ReadyForReviewEvent { pullRequest { number } } } }"
    body = graphql(server, query, {"id": node_id}).json()
    assert body["data"]["node"]["pullRequest"]["number"] == pr.number


@pytest.mark.parametrize("sdl", ["schema.graphql", "ghes-3.16.schema.graphql"])
def test_the_collectors_queries_and_this_one_validate_on_github_com_and_ghes(
    official_schema: GraphQLSchema, sdl: str
) -> None:
    """``official_schema`` skips the test without ../shared; GHES 3.16 is read from beside it."""
    from openapi_check import OFFICIAL_SDL

    schema = official_schema if sdl == "schema.graphql" else _ghes(OFFICIAL_SDL.parent / sdl)
    for query in (TIMELINE, queries.REPO_PAGE, queries.GAP_PR, queries.READY_BACKFILL):
        assert validate(schema, parse(query)) == [], query[:40]


def _ghes(path: Path) -> GraphQLSchema:
    return build_schema(path.read_text(encoding="utf-8"), assume_valid_sdl=True, assume_valid=True)


def test_nodes_by_id_cost_one_request_per_id_and_report_each_missing_one(server: FakeGitHub, model: OrgModel) -> None:
    pr = _toggled(model)
    ids = [pr.node_id] * 99 + ["UHVsbFJlcXVlc3Q6OTk5OTk5"]  # the last: "PullRequest:999999", no such PR
    body = graphql(server, queries.READY_BACKFILL, {"ids": ids}).json()
    assert body["data"]["rateLimit"]["cost"] == 1  # 100 parents of one connection: 100 requests, 1 point
    nodes = body["data"]["nodes"]
    assert nodes[0]["timelineItems"]["totalCount"] == 2 and nodes[-1] is None
    assert [(e["type"], e["path"]) for e in body["errors"]] == [("NOT_FOUND", ["nodes", 99])]
    nested = "query($ids: [ID!]!) { nodes(ids: $ids) { ... on PullRequest { reviewThreads(first: 10) { nodes {"
    nested += " comments(first: 100) { totalCount } } } } } rateLimit { cost } }"
    deep = graphql(server, nested, {"ids": [pr.node_id] * 100}).json()
    assert deep["data"]["rateLimit"]["cost"] == 11  # 100 + 100 x 10 requests: the ids multiply, as parents do
