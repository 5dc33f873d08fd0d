"""Rate-limit headers, budgets and exhaustion on a fake clock; ETag/304; 401, 404 and SAML answers."""

from __future__ import annotations

import time

import pytest
from fakegh_support import api_get, client, graphql
from github import Auth, BadCredentialsException, Github, GithubException, UnknownObjectException
from tiny_org import ORG, TOKEN, build_tiny_org

from analyzer.fakegithub import FakeClock, FakeGitHub, RateLimits
from analyzer.fakegithub.ratelimit import PRIMARY_LIMIT_MESSAGE
from analyzer.fakegithub.server import SAML_MESSAGE

RATE_HEADERS = (
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-used",
    "x-ratelimit-reset",
    "x-ratelimit-resource",
)


def test_every_response_carries_rate_headers_and_charges_one_request(server: FakeGitHub) -> None:
    for n in range(1, 4):
        response = api_get(server, f"/repos/{ORG}/api/pulls")
        assert all(h in response.headers for h in RATE_HEADERS)
        assert response.headers["x-ratelimit-remaining"] == str(5000 - n)
        assert response.headers["x-ratelimit-resource"] == "core"
    gql = graphql(server, "query { rateLimit { remaining } }")
    assert gql.headers["x-ratelimit-resource"] == "graphql" and gql.headers["x-ratelimit-used"] == "1"


def test_conditional_requests_get_304_without_spending_budget(server: FakeGitHub, github: Github) -> None:
    first = api_get(server, f"/repos/{ORG}/api/pulls/1")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = api_get(server, f"/repos/{ORG}/api/pulls/1", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["x-ratelimit-remaining"] == first.headers["x-ratelimit-remaining"]
    with server.lock:
        server.model.pulls[("api", 1)].title = "Renamed"
    changed = api_get(server, f"/repos/{ORG}/api/pulls/1", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    pr = github.get_repo(f"{ORG}/api").get_pull(1)
    assert pr.update() is False  # PyGithub's conditional refresh sees the 304


def _limited(**limits: object) -> tuple[FakeGitHub, FakeClock]:
    clock = FakeClock()
    return FakeGitHub(build_tiny_org(), rate_limit=RateLimits(**limits), clock=clock), clock  # type: ignore[arg-type]


def test_rest_exhaustion_then_reset_on_the_clock() -> None:
    gh, clock = _limited(rest_limit=3)
    with gh:
        statuses = [api_get(gh, f"/orgs/{ORG}").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 403]
        refused = api_get(gh, f"/orgs/{ORG}")
        assert refused.headers["x-ratelimit-remaining"] == "0"
        assert refused.json()["message"].startswith(PRIMARY_LIMIT_MESSAGE)
        assert int(refused.headers["x-ratelimit-reset"]) == int(clock.now()) + 3600
        clock.sleep(3601)
        assert api_get(gh, f"/orgs/{ORG}").status_code == 200


def test_rest_exhaustion_can_answer_429() -> None:
    gh, _clock = _limited(rest_limit=1, exhausted_status=429)
    with gh:
        assert [api_get(gh, f"/orgs/{ORG}").status_code for _ in range(2)] == [200, 429]


def test_graphql_exhaustion_is_http_200_with_rate_limited() -> None:
    gh, clock = _limited(graphql_limit=2)
    with gh:
        query = "query { rateLimit { remaining } }"
        assert [graphql(gh, query).json()["data"]["rateLimit"]["remaining"] for _ in range(2)] == [1, 0]
        refused = graphql(gh, query)
        assert refused.status_code == 200 and refused.headers["x-ratelimit-remaining"] == "0"
        assert refused.json() == {"errors": [{"type": "RATE_LIMITED", "message": PRIMARY_LIMIT_MESSAGE}]}
        with pytest.raises(GithubException):  # PyGithub does not retry it: the collector must watch
            client(gh).requester.graphql_query(query, {})
        clock.advance(3600)
        assert graphql(gh, query).json()["data"]["rateLimit"]["remaining"] == 1


def test_bad_or_missing_tokens_get_401(server: FakeGitHub) -> None:
    import requests

    anonymous = requests.get(f"{server.base_url}/orgs/{ORG}", timeout=5)
    assert anonymous.status_code == 401 and anonymous.json()["message"] == "Bad credentials"
    assert graphql(server, "query { rateLimit { cost } }", token="wrong").status_code == 401
    bad = Github(base_url=server.base_url, seconds_between_requests=None, auth=Auth.Token("nope"))
    with pytest.raises(BadCredentialsException):
        bad.get_organization(ORG)
    assert server.rate_limiter.core.state().used == 0


def test_unknown_org_and_repo_are_404(server: FakeGitHub, github: Github) -> None:
    with pytest.raises(UnknownObjectException):
        github.get_organization("nope")
    with pytest.raises(UnknownObjectException):
        github.get_repo(f"{ORG}/nope")
    assert api_get(server, "/repos/other/api").json()["message"] == "Not Found"
    body = graphql(server, 'query { repository(owner: "acme", name: "nope") { name } }').json()
    assert body["errors"][0]["type"] == "NOT_FOUND"


def test_saml_enforcement_blocks_rest_and_graphql() -> None:
    model = build_tiny_org()
    model.sso_protected = True
    with FakeGitHub(model, tokens={TOKEN}) as gh:
        refused = api_get(gh, f"/orgs/{ORG}")
        assert refused.status_code == 403 and refused.json()["message"] == SAML_MESSAGE
        with pytest.raises(GithubException) as caught:
            client(gh).get_organization(ORG)
        assert caught.value.status == 403
        body = graphql(gh, 'query { organization(login: "acme") { login } }').json()
        assert body == {"data": None, "errors": [{"type": "FORBIDDEN", "message": SAML_MESSAGE}]}


def test_latency_is_added_to_every_request() -> None:
    with FakeGitHub(build_tiny_org(), latency=0.05) as gh:
        started = time.perf_counter()
        for _ in range(4):
            api_get(gh, f"/orgs/{ORG}")
        assert time.perf_counter() - started >= 0.2
