"""Every fault kind, observed through PyGithub or raw requests; faults never change the model or budgets."""

from __future__ import annotations

import copy

import pytest
import requests
from fakegh_support import api_get, client, graphql
from github import GithubException
from tiny_org import ORG

from analyzer.fakegithub import FakeGitHub
from analyzer.fakegithub.faults import SECONDARY_LIMIT_MESSAGE, FaultPlan
from analyzer.fakegithub.model import OrgModel

PULLS = f"/repos/{ORG}/api/pulls"


@pytest.mark.parametrize("kind", ["500", "502", "503"])
def test_server_errors_are_retried_by_pygithub(server: FakeGitHub, kind: str) -> None:
    server.faults.add(kind, count=2, match="/pulls")  # type: ignore[arg-type]
    pulls = list(client(server).get_repo(f"{ORG}/api").get_pulls(state="all"))
    assert len(pulls) == 3
    statuses = [r.status for r in server.log if r.path.endswith("/pulls")]
    assert statuses == [int(kind), int(kind), 200]


def test_timeout_stalls_past_the_client_timeout(server: FakeGitHub) -> None:
    server.faults.timeout_seconds = 1.0
    server.faults.add("timeout")
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(
            f"{server.base_url}{PULLS}", timeout=0.3, headers={"Authorization": "token ghp_test_token"}
        )


@pytest.mark.parametrize("status", [403, 429])
def test_secondary_limit_with_retry_after_is_retried(server: FakeGitHub, status: int) -> None:
    server.faults.add(f"{status}_retry_after", retry_after=0)  # type: ignore[arg-type]
    assert client(server).get_organization(ORG).login == ORG
    assert [r.status for r in server.log] == [status, 200]
    assert server.log[0].headers["Retry-After"] == "0"
    server.faults.add(f"{status}_retry_after", retry_after=7)  # type: ignore[arg-type]
    raw = api_get(server, f"/orgs/{ORG}")
    assert raw.status_code == status and raw.headers["Retry-After"] == "7"
    assert raw.json()["message"] == SECONDARY_LIMIT_MESSAGE


def test_secondary_limit_without_retry_after(server: FakeGitHub) -> None:
    server.faults.add("403_secondary")
    raw = api_get(server, f"/orgs/{ORG}")
    assert raw.status_code == 403 and "Retry-After" not in raw.headers
    assert "secondary rate limit" in raw.json()["message"]
    assert raw.headers["x-ratelimit-remaining"] != "0"
    server.faults.add("403_secondary")
    g = client(server, total=2, secondary_rate_wait=0)
    assert g.get_organization(ORG).login == ORG  # GithubRetry waits secondary_rate_wait, then retries


def test_429_without_retry_after_is_not_retried_by_pygithub(server: FakeGitHub) -> None:
    server.faults.add("429_no_retry_after")
    with pytest.raises(GithubException) as caught:
        client(server).get_organization(ORG)
    assert caught.value.status == 429
    assert len(server.log) == 1


def test_graphql_rate_limited_fault(server: FakeGitHub) -> None:
    server.faults.add("graphql_rate_limited", match="graphql")
    api_get(server, f"/orgs/{ORG}")  # REST is not matched
    body = graphql(server, "query { rateLimit { cost } }").json()
    assert body["errors"][0]["type"] == "RATE_LIMITED"
    assert graphql(server, "query { rateLimit { cost } }").json()["data"]["rateLimit"]["cost"] == 1


def test_truncated_page_fails_to_parse(server: FakeGitHub) -> None:
    server.faults.add("truncated", match="/pulls")
    raw = api_get(server, PULLS, state="all")
    assert raw.status_code == 200 and int(raw.headers["Content-Length"]) == len(raw.content)
    with pytest.raises(ValueError):
        raw.json()
    server.faults.add("truncated", match="/pulls")
    with pytest.raises(ValueError):  # json.JSONDecodeError inside PyGithub
        list(client(server).get_repo(f"{ORG}/api").get_pulls(state="all"))
    server.faults.add("truncated", match="graphql")
    with pytest.raises(ValueError):
        graphql(server, "query { rateLimit { cost } }").json()


def test_reset_connection_breaks_the_request(server: FakeGitHub) -> None:
    server.faults.add("reset_connection")
    with pytest.raises(requests.exceptions.ConnectionError):
        api_get(server, f"/orgs/{ORG}")
    assert api_get(server, f"/orgs/{ORG}").status_code == 200


def test_after_skips_matching_requests_first(server: FakeGitHub) -> None:
    server.faults.add("503", count=1, match="/orgs", after=2)
    statuses = [api_get(server, f"/orgs/{ORG}").status_code for _ in range(4)]
    assert statuses == [200, 200, 503, 200]


def test_random_faults_are_seeded_and_leave_the_model_and_budget_alone(
    server: FakeGitHub, model: OrgModel
) -> None:
    before = copy.deepcopy(model)
    server.faults.random(0.5, seed=11, kinds=["500", "503", "403_secondary"])
    statuses = [api_get(server, f"/orgs/{ORG}").status_code for _ in range(30)]
    assert 5 < statuses.count(200) < 25
    assert model == before
    assert server.rate_limiter.core.state().used == statuses.count(200)
    replay = FaultPlan()
    replay.random(0.5, seed=11, kinds=["500", "503", "403_secondary"])
    kinds = [replay.take("/orgs/acme", False) for _ in range(30)]
    assert [int(k.kind[:3]) if k else 200 for k in kinds] == statuses


def test_unknown_fault_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        FaultPlan().add("418")  # type: ignore[arg-type]
