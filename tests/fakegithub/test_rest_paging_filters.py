"""REST pagination (Link headers), since/sort filters, run filters, commit look-ups, the /api/v3 prefix."""

from __future__ import annotations

import re
from datetime import timedelta

from fakegh_support import api_get, client, graphql
from tiny_org import ORG, TOKEN, add_many_prs, at, build_tiny_org

from analyzer.fakegithub import FakeGitHub
from analyzer.fakegithub.model import OrgModel, WorkflowRun


def _links(header: str) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', header)}


def test_link_header_pages_like_github(server: FakeGitHub, model: OrgModel) -> None:
    add_many_prs(model, "api", 25)  # 28 PRs in "api"
    first = api_get(server, f"/repos/{ORG}/api/pulls", state="all", per_page=10)
    links = _links(first.headers["Link"])
    assert set(links) == {"next", "last"}
    assert links["next"].startswith(server.base_url) and "page=2" in links["next"]
    assert links["last"].endswith("page=3") and "state=all" in links["last"]
    middle = _links(api_get(server, links["next"]).headers["Link"])
    assert set(middle) == {"prev", "next", "last", "first"}
    last = api_get(server, links["last"])
    assert len(last.json()) == 8 and set(_links(last.headers["Link"])) == {"prev", "first"}
    assert "Link" not in api_get(server, f"/repos/{ORG}/api/pulls", state="all", per_page=100).headers


def test_per_page_is_capped_and_pygithub_total_count_works(server: FakeGitHub, model: OrgModel) -> None:
    add_many_prs(model, "api", 130)
    assert len(api_get(server, f"/repos/{ORG}/api/pulls", state="all", per_page=500).json()) == 100
    assert client(server).get_repo(f"{ORG}/api").get_pulls(state="all").totalCount == 133


def test_pull_list_state_and_sort(server: FakeGitHub, model: OrgModel) -> None:
    numbers = lambda **q: [p["number"] for p in api_get(server, f"/repos/{ORG}/api/pulls", **q).json()]  # noqa: E731
    assert numbers() == [3]  # default: open only
    assert numbers(state="closed") == [2, 1]  # created desc
    model.pulls[("api", 1)].updated_at = at(500)
    assert numbers(state="all", sort="updated", direction="desc") == [1, 3, 2]
    assert numbers(state="all", sort="updated") == [2, 3, 1]  # asc by default for updated


def test_since_and_sort_filter_comment_lists(server: FakeGitHub) -> None:
    review = lambda **q: [c["id"] for c in api_get(server, f"/repos/{ORG}/api/pulls/1/comments", **q).json()]  # noqa: E731
    assert review() == [9001, 9002, 9003]  # created, ascending
    assert review(since="2024-03-01T11:00:00Z", sort="updated", direction="desc") == [9002, 9003, 9001]
    assert review(since="2024-03-01T12:30:00Z", sort="updated", direction="desc") == [9002]
    per_issue = api_get(server, f"/repos/{ORG}/api/issues/1/comments", since="2024-03-01T18:00:00Z").json()
    assert [c["id"] for c in per_issue] == [6002]
    bad = api_get(server, f"/repos/{ORG}/api/issues/1/comments", since="yesterday")
    assert bad.status_code == 422


def test_one_commit_by_sha_or_branch(server: FakeGitHub) -> None:
    assert api_get(server, f"/repos/{ORG}/api/commits/main").json()["sha"] == "0" * 39 + "5"  # the newest
    one = api_get(server, f"/repos/{ORG}/api/commits/{'0' * 39}5").json()
    assert one["stats"] == {"additions": 12, "deletions": 5, "total": 17} and len(one["files"]) == 1
    assert api_get(server, f"/repos/{ORG}/api/commits/{'f' * 40}").status_code == 404


def test_run_filters_and_the_thousand_result_cap(server: FakeGitHub, model: OrgModel) -> None:
    runs = lambda **q: api_get(server, f"/repos/{ORG}/api/actions/runs", **q).json()  # noqa: E731
    assert [r["id"] for r in runs(created=">=2024-03-02")["workflow_runs"]] == [403, 402]
    assert [r["id"] for r in runs(created="<=2024-03-01")["workflow_runs"]] == [401, 400]
    assert [r["id"] for r in runs(created="<2024-03-02")["workflow_runs"]] == [401, 400]
    window = "2024-03-01T11:00:00Z..2024-03-02T06:00:00Z"
    assert [r["id"] for r in runs(created=window)["workflow_runs"]] == [402, 401]
    assert [r["id"] for r in runs(status="failure")["workflow_runs"]] == [400]
    assert [r["id"] for r in runs(event="push", branch="main")["workflow_runs"]] == [403, 402]
    assert runs(head_sha="0" * 39 + "2")["total_count"] == 1
    for i in range(1005):
        run_id = 10_000 + i
        model.workflow_runs[run_id] = WorkflowRun(
            run_id,
            "api",
            300,
            "ab" * 20,
            "main",
            "push",
            "completed",
            "success",
            at(-i),
            at(-i),
            at(-i) + timedelta(minutes=3),
        )
    assert runs(per_page=1)["total_count"] == 1009
    capped = runs(per_page=100, page=10, created=">=2020-01-01")
    assert capped["total_count"] == 1000 and len(capped["workflow_runs"]) == 100
    assert runs(per_page=100, page=11, created=">=2020-01-01")["workflow_runs"] == []


def test_enterprise_prefix_serves_rest_under_api_v3_and_graphql_at_api_graphql() -> None:
    with FakeGitHub(build_tiny_org(), prefix="/api/v3", tokens={TOKEN}) as gh:
        assert gh.base_url.endswith("/api/v3")
        g = client(gh)
        repo = g.get_repo(f"{ORG}/api")
        assert repo.url.startswith(gh.base_url) and [p.number for p in repo.get_pulls(state="all")] == [
            3,
            2,
            1,
        ]
        _h, body = g.requester.graphql_query('query { repository(owner: "acme", name: "api") { name } }', {})
        assert body["data"]["repository"]["name"] == "api"
        assert gh.log[-1].path == "/api/graphql"
        assert graphql(gh, "query { rateLimit { cost } }").status_code == 200
        assert api_get(gh, f"{gh.root_url}/repos/{ORG}/api").status_code == 404  # nothing outside the prefix
