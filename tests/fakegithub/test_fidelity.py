"""The fidelity layer: each real-GitHub shape of issue 9, as GitHub sends it, only when switched on."""

from __future__ import annotations

from fakegh_support import api_get, graphql
from tiny_org import ORG

from analyzer.fakegithub import FakeGitHub
from analyzer.fakegithub.model import OrgModel, PRFile

PR_QUERY = """query($o: String!, $n: String!) { repository(owner: $o, name: $n) {
  pullRequests(first: 10) { nodes { id number fullDatabaseId reviews(first: 5) { nodes { id } } } } } }"""


def _first_pr(model: OrgModel) -> tuple[str, int]:
    return sorted(model.pulls)[0]


def test_everything_is_off_by_default(server: FakeGitHub, model: OrgModel) -> None:
    repo, _ = _first_pr(model)
    body = graphql(server, PR_QUERY, {"o": ORG, "n": repo}).json()
    assert "errors" not in body and body["data"]["repository"]["pullRequests"]["nodes"]


def test_a_timeout_for_one_pr_is_githubs_something_went_wrong(server: FakeGitHub, model: OrgModel) -> None:
    repo, number = _first_pr(model)
    server.fidelity.timeout_prs = {(repo, number)}
    answer = graphql(server, PR_QUERY, {"o": ORG, "n": repo})
    body = answer.json()
    assert answer.status_code == 200 and body["data"] is None
    assert body["errors"][0]["message"].startswith("Something went wrong while executing your query on ")
    light = graphql(server, "query($o: String!, $n: String!) { repository(owner: $o, name: $n) {"
                            " pullRequests(first: 10) { nodes { number } } } }", {"o": ORG, "n": repo}).json()
    assert "errors" not in light  # only a query that loads the PR's connections times out


def test_partial_errors_carry_their_path_beside_the_data(server: FakeGitHub, model: OrgModel) -> None:
    repo, number = _first_pr(model)
    server.fidelity.forbidden = {(repo, number): "reviews"}
    body = graphql(server, PR_QUERY, {"o": ORG, "n": repo}).json()
    (error,) = body["errors"]
    assert error["type"] == "FORBIDDEN" and error["message"] == "Resource not accessible by integration"
    index = error["path"][3]
    assert error["path"] == ["repository", "pullRequests", "nodes", index, "reviews"]
    node = body["data"]["repository"]["pullRequests"]["nodes"][index]
    assert node["number"] == number and node["reviews"] is None


def test_enterprise_server_without_a_field(server: FakeGitHub, model: OrgModel) -> None:
    repo, _ = _first_pr(model)
    server.fidelity.missing_fields = frozenset({"fullDatabaseId"})
    answer = graphql(server, PR_QUERY, {"o": ORG, "n": repo})
    body = answer.json()
    assert answer.status_code == 200 and "data" not in body
    assert body["errors"][0]["message"] == "Field 'fullDatabaseId' doesn't exist on type 'PullRequest'"
    assert body["errors"][0]["extensions"]["code"] == "undefinedField"


def test_null_database_ids(server: FakeGitHub, model: OrgModel) -> None:
    repo, number = _first_pr(model)
    server.fidelity.null_database_ids = {model.pulls[(repo, number)].id}
    nodes = graphql(server, PR_QUERY, {"o": ORG, "n": repo}).json()["data"]["repository"]["pullRequests"]["nodes"]
    by_number = {n["number"]: n for n in nodes}
    assert by_number[number]["fullDatabaseId"] is None
    assert all(n["fullDatabaseId"] for k, n in by_number.items() if k != number)


def test_new_fault_kinds(server: FakeGitHub) -> None:
    server.faults.add("graphql_rate_limit", match="graphql")
    body = graphql(server, "{ rateLimit { remaining } }").json()
    assert body["errors"][0]["type"] == "RATE_LIMIT" and body["errors"][0]["code"] == "graphql_rate_limit"
    server.faults.add("403_abuse")
    answer = api_get(server, f"/orgs/{ORG}")
    assert answer.status_code == 403 and "abuse detection" in answer.json()["message"]
    assert "Retry-After" not in answer.headers
    server.faults.add("empty_200")
    assert api_get(server, f"/orgs/{ORG}").content == b""
    server.faults.add("html_200")
    answer = api_get(server, f"/orgs/{ORG}")
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/html")


def test_commit_files_come_100_a_page_with_a_next_link(server: FakeGitHub, model: OrgModel) -> None:
    commit = next(iter(model.commits.values()))
    commit.files = [PRFile(f"f{i}.txt", 1, 0) for i in range(150)]
    first = api_get(server, f"/repos/{ORG}/{commit.repo}/commits/{commit.sha}", per_page=300)
    assert len(first.json()["files"]) == 100 and 'rel="next"' in first.headers["Link"]
