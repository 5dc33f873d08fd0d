"""The query plan (query_plan.py) answers exactly what graphql-core answers, and hands over when it cannot."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tiny_org import ORG, add_many_prs

from analyzer.collector import queries
from analyzer.demo import generate_org
from analyzer.fakegithub import graphql_api, query_plan
from analyzer.fakegithub.model import OrgModel, node_id
from analyzer.fakegithub.rest import Renderer, Urls, build_index


def _context(model: OrgModel) -> graphql_api.Context:
    renderer = Renderer(model, Urls("http://127.0.0.1:1", "http://127.0.0.1:1", model.login), build_index(model))
    return graphql_api.Context(renderer, graphql_api.RateInfo(3, 300, 5000, 4997, 3, 1_767_225_600.0))


def _both(model: OrgModel, query: str, variables: dict[str, Any] | None = None) -> tuple[Any, Any]:
    """(planned data, graphql-core body) for one query; the plan must not hand over."""
    prepared = graphql_api.prepare(query, variables, None)
    assert isinstance(prepared, graphql_api.Prepared), prepared
    ctx = _context(model)
    planned = query_plan.execute(graphql_api.schema(), prepared.document, prepared.variables, None, ctx)
    core = graphql_api.run_with_graphql_core(prepared, ctx)
    return planned, core


def _same(model: OrgModel, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    planned, core = _both(model, query, variables)
    assert "errors" not in core, core
    assert json.dumps(planned) == json.dumps(core["data"])  # same values and the same key order
    return planned  # type: ignore[no-any-return]


def _repo_page_variables(model: OrgModel, with_history: bool, after: str | None = None) -> dict[str, Any]:
    name = next(iter(model.repos))
    return {"owner": ORG, "name": name, "prFirst": 3, "prAfter": after, "withPulls": True,
            "histAfter": None, "since": "2000-01-01T00:00:00Z", "withHistory": with_history}


@pytest.mark.parametrize("with_history", [True, False])
def test_the_collectors_repo_page_matches_graphql_core_page_after_page(model: OrgModel, with_history: bool) -> None:
    add_many_prs(model, next(iter(model.repos)), 7)
    after = None
    pages = 0
    while True:
        data = _same(model, queries.REPO_PAGE, _repo_page_variables(model, with_history, after))
        pulls = data["repository"]["pullRequests"]
        assert pulls["nodes"]  # real content was compared, not two empty answers
        assert ("defaultBranchRef" in data["repository"]) is with_history  # @include honoured
        pages += 1
        if not pulls["pageInfo"]["hasNextPage"]:
            break
        after = pulls["pageInfo"]["endCursor"]
    assert pages >= 3


def test_discovery_and_overflow_queries_match_graphql_core(model: OrgModel) -> None:
    repos = _same(model, queries.ORG_REPOS, {"login": ORG, "after": None})
    assert repos["organization"]["repositories"]["nodes"]
    names = [f"{ORG}/{name}" for name in model.repos]
    assert set(_same(model, queries.named_repos_query(names))) == {"rateLimit"} | {f"r{i}" for i in range(len(names))}
    pr = next(iter(model.pulls.values()))
    for connection in queries.PR_CONNECTION:
        _same(model, queries.pr_overflow_query(connection), {"id": pr.node_id, "after": None})
    thread = next(iter(model.review_threads.values()))
    data = _same(model, queries.thread_overflow_query(), {"id": thread.node_id, "after": None})
    assert data["node"]["comments"]["nodes"]


def test_edges_aliases_typename_interfaces_and_skip_match_graphql_core(model: OrgModel) -> None:
    query = """
    query Mixed($skipBody: Boolean!) {
      __typename
      repository(owner: "OWNER", name: "NAME") {
        kind: __typename
        prs: pullRequests(first: 2) {
          edges { cursor node { number body @skip(if: $skipBody) } }
          nodes { author { __typename ... on User { name } ... on Bot { id } } }
        }
        again: pullRequests(first: 1) { nodes { ... on Node { id } ...Numbers } }
      }
    }
    fragment Numbers on PullRequest { number number }
    """.replace("OWNER", ORG).replace("NAME", next(iter(model.repos)))
    for skip in (True, False):
        data = _same(model, query, {"skipBody": skip})
        edges = data["repository"]["prs"]["edges"]
        assert edges and all(("body" in e["node"]) is not skip for e in edges)
        assert edges[0]["cursor"]  # edges are built on demand: they must still be there when asked


def test_errors_and_nulls_are_left_to_graphql_core(model: OrgModel) -> None:
    missing = node_id("PullRequest", 999_999_999)
    query = f'query {{ a: node(id: "{missing}") {{ id }} b: repository(owner: "{ORG}", name: "nope") {{ id }} }}'
    prepared = graphql_api.prepare(query, None, None)
    assert isinstance(prepared, graphql_api.Prepared)
    ctx = _context(model)
    with pytest.raises(Exception):  # noqa: B017, PT011 - any failure means "not the plan's job"
        query_plan.execute(graphql_api.schema(), prepared.document, prepared.variables, None, ctx)
    body = graphql_api.run(prepared, ctx)
    assert body == graphql_api.run_with_graphql_core(prepared, ctx)
    assert {e.get("type") for e in body["errors"]} == {"NOT_FOUND"}
    assert body["data"] == {"a": None, "b": None}


def test_introspection_is_left_to_graphql_core(model: OrgModel) -> None:
    prepared = graphql_api.prepare("{ __schema { queryType { name } } }", None, None)
    assert isinstance(prepared, graphql_api.Prepared)
    with pytest.raises(query_plan.Unsupported):
        query_plan.execute(graphql_api.schema(), prepared.document, prepared.variables, None, _context(model))
    assert graphql_api.run(prepared, _context(model)) == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


def test_a_demo_org_with_bots_and_deleted_accounts_matches_graphql_core_in_every_repo() -> None:
    demo = generate_org(seed=3, scale=0.1)
    assert any(u.type == "Bot" for u in demo.users.values()) and any(u.deleted for u in demo.users.values())
    compared = 0
    for name in demo.repos:
        variables = {"owner": demo.login, "name": name, "prFirst": 50, "prAfter": None, "withPulls": True,
                     "histAfter": None, "since": "2000-01-01T00:00:00Z", "withHistory": True}
        data = _same(demo, queries.REPO_PAGE, variables)
        compared += len(data["repository"]["pullRequests"]["nodes"])
    assert compared >= 100
