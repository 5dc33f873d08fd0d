"""Collecting with several credentials: three personal tokens, a GitHub App installation, both at once.

A 40-repository org over HTTP against the fake server, whose budgets are per credential (per token,
per installation) and small enough that every credential has to wait for its reset at least once:
the store equals the ground truth, every credential collected, none was ever refused for its budget,
and each credential's requests were serial while different credentials ran side by side.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from analyzer.collector import collect
from analyzer.collector.credentials import AppCredential, AppSettings, TokenCredential
from analyzer.errors import AuthError, RateLimitWaitTooLong
from analyzer.fakegithub import FakeClock, FakeGitHub, RateLimits
from analyzer.fakegithub.apps import FakeApp
from analyzer.fakegithub.model import OrgModel
from analyzer.fakegithub.server import RequestRecord, token_label
from tests.collector.app_keys import APP_ID, INSTALLATION_ID, app_for, private_pem
from tests.collector.helpers import WINDOW, assert_matches, github_for
from tests.collector.many_repos import org_with_repos

TOKENS = [f"ghp_poolToken{i}DoNotLeak{i * 7}abcdefghijklmnop" for i in range(1, 4)]
# per credential and hour; the org takes ~165 REST requests and ~460 GraphQL points in all
SMALL = RateLimits(rest_limit=30, graphql_limit=90)


@pytest.fixture(scope="module")
def org40() -> OrgModel:
    return org_with_repos(40)


def _refused_for_budget(record: RequestRecord) -> bool:
    if record.status in (403, 429) and record.headers.get("x-ratelimit-remaining") == "0":
        return True
    body = record.body if isinstance(record.body, dict) else {}
    return any(e.get("type") in ("RATE_LIMITED", "RATE_LIMIT") for e in body.get("errors") or [])


def _check_pool_run(server: FakeGitHub, model: OrgModel, store: Path, labels: list[str]) -> None:
    assert_matches(model, store)
    assert server.errors == []
    used = Counter(r.credential for r in server.log if r.cost > 0)
    for label in labels:
        assert used[label] > 0, f"{label} never collected: {used}"
    refused = [(r.credential, r.path) for r in server.log if _refused_for_budget(r)]
    assert refused == [], f"requests beyond a credential's budget: {refused[:5]}"
    for label in labels:  # GitHub asks for serial requests per credential
        assert server.peak_in_flight[label] == 1, (label, server.peak_in_flight)
    assert server.peak_concurrency >= 2  # ...and the credentials did run side by side


def _spent_per_window(server: FakeGitHub, label: str, kind: str) -> int:
    """The most one credential was charged within any one hour window of the server's clock."""
    times = sorted((r.time, r.cost) for r in server.log if r.credential == label and r.kind == kind and r.cost)
    return max((sum(c for t, c in times if start <= t < start + 3600) for start, _ in times), default=0)


def test_three_tokens_share_40_repositories_each_within_its_own_budget(org40: OrgModel, tmp_path: Path) -> None:
    clock = FakeClock()
    server = FakeGitHub(org40, tokens=set(TOKENS), clock=clock, latency=0.003,
                        token_limits={t: SMALL for t in TOKENS})
    with server:
        result = collect(
            github_for(server, org40),
            tmp_path / "s.sqlite",
            credentials=[TokenCredential(t, f"token {i}") for i, t in enumerate(TOKENS, start=1)],
            window=WINDOW,
            clock=clock,
        )
    labels = [token_label(t) for t in TOKENS]
    _check_pool_run(server, org40, tmp_path / "s.sqlite", labels)
    assert [u.label for u in result.credentials] == ["token 1", "token 2", "token 3"]
    assert sorted(r for u in result.credentials for r in u.repos) == sorted(result.repos)
    assert all(u.repos for u in result.credentials)
    for label in labels:
        assert _spent_per_window(server, label, "rest") <= SMALL.rest_limit
        assert _spent_per_window(server, label, "graphql") <= SMALL.graphql_limit
    # the budgets were binding: one hour of all three could not pay for the org, so the run waited for resets
    assert sum(r.cost for r in server.log if r.kind == "rest") > 3 * SMALL.rest_limit
    assert any(u.budget.waited_seconds > 0 for u in result.credentials)
    assert result.budget.requests == sum(u.budget.requests for u in result.credentials)


def test_a_github_app_installation_collects_40_repositories_refreshing_its_token(
    org40: OrgModel, tmp_path: Path
) -> None:
    clock = FakeClock()
    app = app_for(installation_limits=RateLimits(rest_limit=60, graphql_limit=200))
    with FakeGitHub(org40, tokens=set(), clock=clock, app=app) as server:
        github = github_for(server, org40)
        credential = AppCredential(AppSettings(APP_ID, private_pem(), org40.login), github.base_url, clock)
        result = collect(github, tmp_path / "s.sqlite", credentials=[credential], window=WINDOW, clock=clock)
    assert_matches(org40, tmp_path / "s.sqlite")
    label = f"installation:{INSTALLATION_ID}"
    assert {r.credential for r in server.log if r.cost} == {label}
    assert not [r for r in server.log if _refused_for_budget(r)]
    # the budget forced waits of an hour, so tokens ran out: each was replaced before it expired
    minted = [r for r in server.log if r.operation == "/app/installations/{installation_id}/access_tokens"]
    assert credential.minted == len(minted) >= 3 and all(r.status == 201 for r in minted)
    assert not [r for r in server.log if r.status == 401]
    assert [r.operation for r in server.log][:2] == ["/orgs/{org}/installation",
                                                      "/app/installations/{installation_id}/access_tokens"]
    assert result.credentials[0].label == f"GitHub App {APP_ID} installation {INSTALLATION_ID} ({org40.login})"


def test_tokens_and_an_app_installation_together(org40: OrgModel, tmp_path: Path) -> None:
    clock = FakeClock()
    app = app_for(installation_limits=SMALL)
    with FakeGitHub(org40, tokens=set(TOKENS[:2]), clock=clock, app=app, latency=0.003,
                    token_limits={t: SMALL for t in TOKENS}) as server:
        github = github_for(server, org40)
        pool = [TokenCredential(t, f"token {i}") for i, t in enumerate(TOKENS[:2], start=1)]
        pool.append(AppCredential(AppSettings(APP_ID, private_pem(), org40.login), github.base_url, clock))
        collect(github, tmp_path / "s.sqlite", credentials=pool, window=WINDOW, clock=clock)
    labels = [token_label(t) for t in TOKENS[:2]] + [f"installation:{INSTALLATION_ID}"]
    _check_pool_run(server, org40, tmp_path / "s.sqlite", labels)


def test_an_installation_token_github_calls_expired_early_is_replaced_once(org40: OrgModel, tmp_path: Path) -> None:
    """Clock skew or a revoked token: GitHub answers 401 before our refresh was due."""
    clock = FakeClock()
    app: FakeApp = app_for()
    app.token_lifetime = 1.0  # GitHub says an hour; this server lets tokens lapse after a second
    small = org_with_repos(2)
    with FakeGitHub(small, tokens=set(), clock=clock, app=app) as server:
        github = github_for(server, small)
        credential = AppCredential(AppSettings(APP_ID, private_pem(), small.login), github.base_url, clock)

        def tick(_event: object) -> None:
            clock.advance(2.0)  # every page outlives the token

        collect(github, tmp_path / "s.sqlite", credentials=[credential], window=WINDOW, clock=clock, progress=tick)
    assert_matches(small, tmp_path / "s.sqlite")
    assert credential.minted >= 2
    assert any(r.status == 401 for r in server.log)  # the lapsed token was refused, then replaced


def test_an_app_jwt_that_lapsed_before_it_was_sent_is_signed_again(tmp_path: Path) -> None:
    """The App's JWT lives 10 minutes: a machine that slept between signing and sending (here: the clock
    jumps 20 minutes right after the first signature) gets a 401 for a key that is right, and the next
    JWT is good."""
    clock = FakeClock()
    small = org_with_repos(2)
    with FakeGitHub(small, tokens=set(), clock=clock, app=app_for()) as server:
        github = github_for(server, small)
        credential = AppCredential(AppSettings(APP_ID, private_pem(), small.login), github.base_url, clock)
        signer = credential._integration.auth
        sign, signed = signer.create_jwt, []

        def sign_then_sleep(expiration: int | None = None) -> str:
            jwt = sign(expiration)
            if not signed:
                clock.advance(1200.0)
            signed.append(jwt)
            return jwt

        signer.create_jwt = sign_then_sleep  # type: ignore[method-assign]
        collect(github, tmp_path / "s.sqlite", credentials=[credential], window=WINDOW, clock=clock)
    assert_matches(small, tmp_path / "s.sqlite")
    refused = [r for r in server.log if r.status == 401]
    assert len(refused) == 1  # the lapsed JWT only: the one signed next was accepted
    assert len(signed) >= 2 and credential.minted >= 1


def test_a_credential_out_of_budget_for_too_long_hands_its_repositories_to_the_others(
    tiny_org: OrgModel, tmp_path: Path
) -> None:
    clock = FakeClock()
    starved, rich = TOKENS[0], TOKENS[1]
    with FakeGitHub(tiny_org, tokens={starved, rich}, clock=clock,
                    token_limits={starved: RateLimits(rest_limit=2)}) as server:
        result = collect(
            github_for(server, tiny_org, max_wait=60.0),  # an hour's wait is too long: the starved token stops
            tmp_path / "s.sqlite",
            credentials=[TokenCredential(starved, "starved"), TokenCredential(rich, "rich")],
            window=WINDOW,
            clock=clock,
        )
    assert_matches(tiny_org, tmp_path / "s.sqlite")
    assert result.status == "ok"
    by_label = {u.label: u for u in result.credentials}
    # the starved token started a repository, ran dry, and the rich one finished it and the rest
    assert by_label["starved"].budget.rest_requests >= 2
    assert sorted(by_label["rich"].repos + by_label["starved"].repos) == sorted(result.repos)
    assert len(by_label["rich"].repos) > len(by_label["starved"].repos)
    assert not [r for r in server.log if _refused_for_budget(r)]


def test_when_every_credential_is_out_of_budget_the_run_stops_resumably(tiny_org: OrgModel, tmp_path: Path) -> None:
    clock = FakeClock()
    small = RateLimits(rest_limit=3, graphql_limit=20)
    with FakeGitHub(tiny_org, tokens=set(TOKENS[:2]), clock=clock, token_limits={t: small for t in TOKENS}) as server:
        github = github_for(server, tiny_org, max_wait=60.0)
        pool = [TokenCredential(t, f"token {i}") for i, t in enumerate(TOKENS[:2], start=1)]
        with pytest.raises(RateLimitWaitTooLong):
            collect(github, tmp_path / "s.sqlite", credentials=pool, window=WINDOW, clock=clock)
        clock.advance(3600)  # an hour later, the same command resumes and finishes
        collect(github_for(server, tiny_org), tmp_path / "s.sqlite", credentials=pool, window=WINDOW, clock=clock)
    assert_matches(tiny_org, tmp_path / "s.sqlite")
    statuses = [r[0] for r in sqlite3.connect(tmp_path / "s.sqlite").execute(
        "SELECT status FROM collection_runs ORDER BY run_id")]
    assert statuses[0] == "stopped" and statuses[-1] == "ok"


def test_a_token_github_rejects_stops_every_worker_with_one_line_naming_it(tiny_org: OrgModel, tmp_path: Path) -> None:
    with FakeGitHub(tiny_org, tokens={TOKENS[0]}, latency=0.003) as server:
        pool = [TokenCredential(TOKENS[0], "token file a"), TokenCredential(TOKENS[1], "token file b")]
        with pytest.raises(AuthError) as caught:
            collect(github_for(server, tiny_org), tmp_path / "s.sqlite", credentials=pool, window=WINDOW)
    assert "token file b" in str(caught.value) and "401" in str(caught.value)
    assert TOKENS[1] not in str(caught.value)
    statuses = [r[0] for r in sqlite3.connect(tmp_path / "s.sqlite").execute("SELECT status FROM collection_runs")]
    assert statuses == ["failed"]


def test_an_app_on_enterprise_server_under_api_v3(tiny_org: OrgModel, tmp_path: Path) -> None:
    clock = FakeClock()
    with FakeGitHub(tiny_org, prefix="/api/v3", tokens=set(), clock=clock, app=app_for(tiny_org.login)) as server:
        github = github_for(server, tiny_org)
        credential = AppCredential(AppSettings(APP_ID, private_pem(), tiny_org.login), github.base_url, clock)
        collect(github, tmp_path / "s.sqlite", credentials=[credential], window=WINDOW, clock=clock)
    assert_matches(tiny_org, tmp_path / "s.sqlite")
    assert {r.path for r in server.log if "installation" in r.path} == {
        f"/api/v3/orgs/{tiny_org.login}/installation", f"/api/v3/app/installations/{INSTALLATION_ID}/access_tokens"}
