"""The fake's GitHub App endpoints, driven by PyGithub over HTTP and held to GitHub's official shapes
(``github-api/rest/api.github.com.apps-subset.json``): JWT checks, installation lookup, token minting
with expiry, and budgets per installation (shared by its tokens) and per personal token."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from github import Auth, Github, GithubIntegration
from openapi_check import SHARED
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from tiny_org import ORG, TOKEN, build_tiny_org

from analyzer.fakegithub import FakeClock, FakeGitHub, RateLimits
from analyzer.fakegithub.apps import FakeApp, installation_rate_limit

APPS_SPEC = SHARED / "github-api" / "rest" / "api.github.com.apps-subset.json"
APP_ID, INSTALLATION = 31337, 55


@cache
def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _app() -> FakeApp:
    public = _key().public_key().public_bytes(serialization.Encoding.PEM,
                                              serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    app = FakeApp(APP_ID, "test-app", public)
    app.install(INSTALLATION, ORG)
    return app


def _violations(record: Any) -> list[str]:
    spec = json.loads(APPS_SPEC.read_text())
    method = "post" if record.method == "POST" else "get"
    ref = "urn:apps#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in (
        "paths", record.operation, method, "responses", str(record.status), "content", "application/json", "schema"))
    return _check(spec, ref, record.body)


def _check(spec: dict[str, Any], ref: str, body: Any) -> list[str]:
    registry = Registry().with_resource("urn:apps", Resource.from_contents(spec, default_specification=DRAFT4))
    validator = OAS30Validator({"$ref": ref}, registry=registry, format_checker=oas30_format_checker)
    return [e.message for e in validator.iter_errors(body)
            if not (e.instance is None and isinstance(e.schema, dict) and e.schema.get("nullable"))]


def test_pygithub_finds_the_installation_and_mints_tokens_in_official_shapes() -> None:
    clock = FakeClock()
    with FakeGitHub(build_tiny_org(), tokens={TOKEN}, app=_app(), clock=clock) as server:
        signer = Auth.AppAuth(APP_ID, _pem(_key()), jwt_issued_at=-60)
        signer.create_jwt = lambda expiration=None: jwt.encode(  # type: ignore[method-assign]
            {"iat": int(clock.now()) - 60, "exp": int(clock.now()) + 500, "iss": str(APP_ID)}, _pem(_key()), "RS256")
        integration = GithubIntegration(auth=signer, base_url=server.base_url, retry=None)
        assert integration.get_org_installation(ORG).id == INSTALLATION
        assert integration.get_repo_installation(ORG, "api").id == INSTALLATION
        granted = integration.get_access_token(INSTALLATION, permissions={"pull_requests": "read"})
        assert granted.token.startswith("ghs_") and granted.expires_at.timestamp() == clock.now() + 3600
        as_installation = Github(auth=Auth.Token(granted.token), base_url=server.base_url, retry=None)
        assert as_installation.get_repo(f"{ORG}/api").name == "api"
        answered = [r for r in server.log if r.status in (200, 201) and r.operation
                    and (r.operation.startswith("/app") or "installation" in r.operation)]
        assert {r.operation for r in answered} == {"/orgs/{org}/installation", "/repos/{owner}/{repo}/installation",
                                                   "/app/installations/{installation_id}/access_tokens"}
        assert [(r.operation, p) for r in answered for p in _violations(r)] == []
        # an hour later the token has lapsed: 401 Bad credentials, as GitHub answers
        clock.advance(3601)
        answer = requests.get(f"{server.base_url}/repos/{ORG}/api", headers={"Authorization": f"token {granted.token}"},
                              timeout=5)
        assert answer.status_code == 401 and answer.json()["message"] == "Bad credentials"


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"iat": -60, "exp": 600}, "'Expiration time' claim ('exp') is too far in the future"),
        ({"iat": -700, "exp": -100}, "'Expiration time' claim ('exp') must be a numeric value"),
        ({"iat": 120, "exp": 300}, "'Issued at' claim ('iat') must be an Integer"),
        ({"iat": -60, "exp": 300, "iss": "999"}, "Integration not found"),
        ({"iat": -60, "exp": 300, "key": "other"}, "A JSON web token could not be decoded"),
    ],
)
def test_jwts_github_would_refuse_get_401(claims: dict[str, Any], message: str) -> None:
    clock = FakeClock()
    with FakeGitHub(build_tiny_org(), tokens={TOKEN}, app=_app(), clock=clock) as server:
        now = int(clock.now())
        key = rsa.generate_private_key(65537, 2048) if claims.get("key") == "other" else _key()
        payload = {"iat": now + claims["iat"], "exp": now + claims["exp"], "iss": claims.get("iss", str(APP_ID))}
        token = jwt.encode(payload, _pem(key), "RS256")
        answer = requests.post(f"{server.base_url}/app/installations/{INSTALLATION}/access_tokens",
                               headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert answer.status_code == 401 and answer.json()["message"].startswith(message)


def test_budgets_are_per_personal_token_and_per_installation() -> None:
    other = "ghp_other_token"
    app = _app()
    app.installation_limits = RateLimits(rest_limit=3, graphql_limit=100)
    with FakeGitHub(build_tiny_org(), tokens={TOKEN, other}, app=app,
                    token_limits={other: RateLimits(rest_limit=2)}) as server:
        def get(token: str) -> requests.Response:
            return requests.get(f"{server.base_url}/repos/{ORG}/api", headers={"Authorization": f"token {token}"},
                                timeout=5)

        assert [get(other).status_code for _ in range(3)] == [200, 200, 403]  # its own small bucket...
        assert get(TOKEN).headers["x-ratelimit-remaining"] == "4999"  # ...apart from this token's
        first, _ = app.mint(INSTALLATION, server.clock.now())
        second, _ = app.mint(INSTALLATION, server.clock.now())
        # the two tokens of one installation share its bucket
        assert [get(t).status_code for t in (first, second, first, second)] == [200, 200, 200, 403]
    assert installation_rate_limit(repos=10, users=10) == 5000
    assert installation_rate_limit(repos=120, users=60) == 5000 + 50 * 100 + 50 * 40
    assert installation_rate_limit(repos=1000, users=5000) == 12_500
