"""GitHub App authentication for the fake server, in the shapes of ``github-api/rest/api.github.com.apps-subset.json``.

An App is an id, a slug and the public half of its RSA key. The server answers what the collector calls
through PyGithub's ``GithubIntegration``; those requests (``/orgs/{org}/installation``,
``/repos/{o}/{r}/installation``, ``/app/installations/{id}/access_tokens``) must carry a JWT (``Authorization:
Bearer``) signed RS256 with the App's private key, with ``iss`` the App id, ``iat`` not in the future
and ``exp`` in the future but at most 10 minutes after ``iat`` (checked against the server's clock,
so a ``FakeClock`` moves JWTs and tokens alike). ``POST /app/installations/{id}/access_tokens`` mints an
installation token (``ghs_...``) that expires one hour later; an expired token answers 401 like an
unknown one. Every token of one installation shares the installation's rate-limit buckets (GitHub's
rule: 5,000 an hour, +50 per repository and per user above 20, at most 12,500), which
``installation_limits`` can override for tests.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import jwt

from analyzer.fakegithub.ratelimit import Clock, RateLimits

JSON = dict[str, Any]
TOKEN_LIFETIME = 3600.0  # GitHub: "Installation tokens expire one hour from the time you create them"
JWT_MAX_LIFETIME = 600  # GitHub refuses an exp more than 10 minutes after iat
DOCS = "https://docs.github.com/rest/apps/apps"  # the documentation_url of the App endpoints' errors
# what an installation of the collector's App is granted (read-only, what it collects)
GRANTED = {"metadata": "read", "contents": "read", "pull_requests": "read", "actions": "read", "members": "read"}


def installation_rate_limit(repos: int, users: int) -> int:
    """GitHub's hourly budget of an App installation (not on Enterprise Cloud)."""
    return min(12_500, 5_000 + 50 * max(0, repos - 20) + 50 * max(0, users - 20))


@dataclass
class Installation:
    id: int
    account: str  # the organisation's login
    permissions: dict[str, str] = field(default_factory=lambda: dict(GRANTED))


@dataclass
class IssuedToken:
    installation_id: int
    expires_at: float


@dataclass
class FakeApp:
    """One GitHub App registered with the fake server. ``public_key_pem`` verifies its JWTs."""

    id: int
    slug: str
    public_key_pem: str
    installations: dict[int, Installation] = field(default_factory=dict)
    installation_limits: RateLimits | None = None  # None: GitHub's formula over the org's size
    token_lifetime: float = TOKEN_LIFETIME
    issued: dict[str, IssuedToken] = field(default_factory=dict)  # token -> installation, expiry
    jwts: list[str] = field(default_factory=list)  # every JWT accepted (tests check that none leaks)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def install(self, installation_id: int, account: str) -> Installation:
        found = Installation(installation_id, account)
        self.installations[installation_id] = found
        return found

    def installation_of(self, token: str, now: float) -> int | None:
        """The installation a live token belongs to (None: unknown or expired)."""
        with self.lock:
            issued = self.issued.get(token)
        if issued is None or now >= issued.expires_at:
            return None
        return issued.installation_id

    def mint(self, installation_id: int, now: float) -> tuple[str, IssuedToken]:
        token = "ghs_" + secrets.token_urlsafe(27).replace("-", "a").replace("_", "b")[:36]
        issued = IssuedToken(installation_id, now + self.token_lifetime)
        with self.lock:
            self.issued[token] = issued
        return token, issued


class JwtRefused(Exception):
    """A JWT GitHub would refuse: ``str(exc)`` is GitHub's message."""


def verify_jwt(app: FakeApp, token: str, now: float) -> None:
    """Raise ``JwtRefused`` unless ``token`` is a valid JWT of ``app`` at ``now``."""
    try:
        claims = jwt.decode(
            token,
            app.public_key_pem,
            algorithms=["RS256"],
            options={"verify_exp": False, "verify_iat": False, "verify_nbf": False, "require": ["iat", "exp", "iss"]},
        )
    except jwt.PyJWTError as exc:
        raise JwtRefused("A JSON web token could not be decoded") from exc
    if str(claims["iss"]) != str(app.id):
        raise JwtRefused("Integration not found")
    iat, exp = claims["iat"], claims["exp"]
    if not isinstance(iat, int) or iat > now + 1:
        raise JwtRefused("'Issued at' claim ('iat') must be an Integer representing the time that the assertion"
                         " was issued")
    if not isinstance(exp, int) or exp <= now:
        raise JwtRefused("'Expiration time' claim ('exp') must be a numeric value representing the future time at"
                         " which the assertion expires")
    if exp - iat > JWT_MAX_LIFETIME:
        raise JwtRefused("'Expiration time' claim ('exp') is too far in the future")


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def installation_body(app: FakeApp, found: Installation, account: JSON, api: str, root: str, org_id: int) -> JSON:
    """``installation`` (GET /orgs/{org}/installation, /repos/{owner}/{repo}/installation)."""
    return {
        "id": found.id,
        "account": account,
        "repository_selection": "all",
        "access_tokens_url": f"{api}/app/installations/{found.id}/access_tokens",
        "repositories_url": f"{api}/installation/repositories",
        "html_url": f"{root}/organizations/{found.account}/settings/installations/{found.id}",
        "app_id": app.id,
        "app_slug": app.slug,
        "client_id": f"Iv1.{app.id:016x}",
        "target_id": org_id,
        "target_type": "Organization",
        "permissions": dict(found.permissions),
        "events": [],
        "created_at": "2024-01-01T00:00:00Z",
        "updated_at": "2024-01-01T00:00:00Z",
        "single_file_name": None,
        "has_multiple_single_files": False,
        "single_file_paths": [],
        "suspended_by": None,
        "suspended_at": None,
    }


def token_body(token: str, issued: IssuedToken, permissions: dict[str, str]) -> JSON:
    """``installation-token`` (POST /app/installations/{id}/access_tokens, 201)."""
    return {
        "token": token,
        "expires_at": iso(issued.expires_at),
        "permissions": permissions,
        "repository_selection": "all",
    }


def requested_permissions(body: Any, granted: dict[str, str]) -> dict[str, str] | str:
    """The permissions a token asks for (all granted ones when none are named), or GitHub's 422 message."""
    wanted = body.get("permissions") if isinstance(body, dict) else None
    if not wanted:
        return dict(granted)
    if not isinstance(wanted, dict):
        return "Invalid request.\n\nFor 'properties/permissions', is not an object."
    for name, level in wanted.items():
        have = granted.get(str(name))
        if have is None or (level == "write" and have != "write"):
            return "The permissions requested are not granted to this installation."
    return {str(k): str(v) for k, v in wanted.items()}


def limits_for(app: FakeApp, base: RateLimits, repos: int, users: int) -> RateLimits:
    """The buckets of one installation."""
    if app.installation_limits is not None:
        return app.installation_limits
    limit = installation_rate_limit(repos, users)
    return RateLimits(rest_limit=limit, graphql_limit=limit, window_seconds=base.window_seconds,
                      exhausted_status=base.exhausted_status)


__all__ = ["Clock", "FakeApp", "Installation", "JwtRefused", "installation_rate_limit", "verify_jwt"]
