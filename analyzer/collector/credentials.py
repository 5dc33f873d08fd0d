"""What the collector authenticates with: personal tokens and GitHub App installations.

Each credential has its own rate-limit budget on GitHub; ``run.py`` gives each one its own client
and thread. A credential is named by a ``label`` (which environment variable, which file, which App
installation), never by its secret: tokens, keys and JWTs appear in no message, log or store.

A GitHub App signs a JWT (RS256, PyGithub's ``Auth.AppAuth`` over PyJWT and ``cryptography``) with
its private key, finds its installation on the organisation (``GET /orgs/{org}/installation``) and
mints installation tokens (``POST /app/installations/{id}/access_tokens``, PyGithub's
``GithubIntegration``), asking only for the read permissions collection needs. A token lasts an hour;
it is replaced ``REFRESH_BEFORE`` seconds before it expires (by the collector's clock), and at once
when GitHub calls it expired sooner (clock skew): the request is then sent again.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from github import Auth, GithubException, GithubIntegration
from github.InstallationAuthorization import InstallationAuthorization

from analyzer.collector.clock import Clock
from analyzer.config import GitHubSection
from analyzer.errors import AccessError, AuthError, ConfigError

REFRESH_BEFORE = 300.0  # seconds before expiry a new installation token is minted
TOKEN_LIFETIME = 3600.0  # GitHub's documented lifetime: assumed when expires_at is implausible (skew)
JWT_LIFETIME = 540  # seconds after signing; GitHub allows at most 10 minutes from iat (signed 60 s back)
READ_PERMISSIONS = {"metadata": "read", "contents": "read", "pull_requests": "read", "actions": "read"}
APP_SETTINGS = "github.app_id / github.app_private_key_file"


class Credential:
    """A personal token or an App installation; ``auth`` is what PyGithub sends."""

    label: str = "a credential"

    def auth(self) -> Auth.Auth:
        raise NotImplementedError

    def before_request(self) -> None:
        """Make sure a usable secret is in place (an App mints or refreshes its token here)."""

    def renew(self) -> bool:
        """After a 401: True when a fresh secret may cure it (then the request is sent again)."""
        return False


class TokenCredential(Credential):
    """A personal access token (or any fixed token)."""

    def __init__(self, token: str, label: str = "the token") -> None:
        check_token(token, label)
        self._token = token
        self.label = label

    def auth(self) -> Auth.Auth:
        return Auth.Token(self._token)

    def same_secret(self, other: TokenCredential) -> bool:
        return self._token == other._token


def check_token(token: str, label: str = "the token") -> None:
    """A token with a line break, space or control character would reach an HTTP header (and an error)."""
    if not token or not (token.isascii() and token.isprintable()) or any(ch.isspace() for ch in token):
        raise AuthError(
            f"{label} holds characters no GitHub token has (non-ASCII, control characters, spaces or line"
            " breaks; it is not shown); copy the token again, alone on one line"
        )


@dataclass(frozen=True)
class AppSettings:
    app_id: int
    private_key_pem: str
    owner: str  # the organisation (or user) whose installation collects
    repo: str | None = None  # a repository of ``owner``, to find the installation when no org is named
    installation_id: int | None = None  # known already: skips the lookup


class _ClockedAppAuth(Auth.AppAuth):
    """PyGithub's App JWT, dated by the collector's clock (so tests can move time, and GitHub's rules
    hold: issued 60 s back against clock drift, expiring within 10 minutes)."""

    def __init__(self, app_id: int, private_key: str, clock: Clock) -> None:
        super().__init__(app_id, private_key)
        self._clock = clock

    def create_jwt(self, expiration: int | None = None) -> str:
        now = int(self._clock.now())
        payload = {"iat": now - 60, "exp": now + (expiration or JWT_LIFETIME), "iss": str(self.app_id)}
        assert self._sign_func is not None
        signed = self._sign_func(payload)
        return signed.decode("utf-8") if isinstance(signed, bytes) else signed

    @property
    def _masked_token(self) -> str:
        return "(JWT removed)"


class _InstallationToken(Auth.Auth):
    """The App credential's current installation token, read at each request."""

    def __init__(self, owner: AppCredential) -> None:
        self._owner = owner

    @property
    def token_type(self) -> str:
        return "token"

    @property
    def token(self) -> str:
        return self._owner.current_token()

    @property
    def _masked_token(self) -> str:
        return "(installation token removed)"


class AppCredential(Credential):
    """A GitHub App installation: tokens minted, and replaced before they expire."""

    def __init__(self, settings: AppSettings, base_url: str, clock: Clock, timeout: float = 30.0) -> None:
        self.settings = settings
        self.clock = clock
        self.label = f"GitHub App {settings.app_id} on {settings.owner}"
        self._integration = GithubIntegration(
            auth=_ClockedAppAuth(settings.app_id, settings.private_key_pem, clock),
            base_url=base_url.rstrip("/"),
            timeout=max(1, round(timeout)),
            retry=None,  # the client's retry policy covers minting too (it runs inside its requests)
            seconds_between_requests=None,
            seconds_between_writes=None,
        )
        self.installation_id = settings.installation_id
        self._token: str | None = None
        self._renew_at = 0.0
        self.minted = 0  # tokens minted so far (for tests and the run summary)

    def auth(self) -> Auth.Auth:
        return _InstallationToken(self)

    def current_token(self) -> str:
        if self._token is None:
            self.before_request()
        assert self._token is not None
        return self._token

    def before_request(self) -> None:
        if self._token is None or self.clock.now() >= self._renew_at:
            self._mint()

    def renew(self) -> bool:
        self._token = None  # minted again before the retry; the client's retry limit bounds a loop
        return True

    def _mint(self) -> None:
        try:
            try:
                asked, granted = self._ask_for_token()
            except GithubException as exc:
                if exc.status != 401:
                    raise
                # asked once more with a new JWT: it lives 10 minutes, and a machine that slept (or a test's
                # clock that jumped) between signing and sending gets "'exp' must be ... the future" for a
                # key that is right
                asked, granted = self._ask_for_token()
        except GithubException as exc:
            raise self._refused(exc) from None
        self._token = granted.token
        expires = granted.expires_at.timestamp() if granted.expires_at else asked + TOKEN_LIFETIME
        lifetime = expires - asked
        if not REFRESH_BEFORE < lifetime <= 2 * TOKEN_LIFETIME:  # the clocks disagree: trust the documented hour
            expires = asked + TOKEN_LIFETIME
        self._renew_at = expires - REFRESH_BEFORE
        self.minted += 1

    def _ask_for_token(self) -> tuple[float, InstallationAuthorization]:
        """(when asked, the installation token GitHub granted), finding the installation first if need be."""
        if self.installation_id is None:
            self.installation_id = self._find_installation()
            app, owner = self.settings.app_id, self.settings.owner
            self.label = f"GitHub App {app} installation {self.installation_id} ({owner})"
        asked = self.clock.now()
        return asked, self._integration.get_access_token(self.installation_id, permissions=dict(READ_PERMISSIONS))

    def _find_installation(self) -> int:
        owner, repo = self.settings.owner, self.settings.repo
        try:
            found = self._integration.get_org_installation(owner)
        except GithubException as exc:
            if exc.status != 404 or repo is None:
                raise
            found = self._integration.get_repo_installation(owner, repo)
        return int(found.id)

    def _refused(self, exc: GithubException) -> Exception:
        status = exc.status
        data = exc.data if isinstance(exc.data, dict) else {}
        said = str(data.get("message") or "")[:200]
        if status >= 500:
            return exc  # GitHub's trouble: retried by the client like any 5xx
        if status == 401:
            return AuthError(
                f"GitHub refused the App's signed token (401: {said or 'Bad credentials'}): check {APP_SETTINGS}"
                " (the key must be this App's, downloaded from its settings) and that this machine's clock is right"
            )
        if status == 404:
            return AccessError(
                f"GitHub App {self.settings.app_id} is not installed on {self.settings.owner} (or"
                " github.app_installation_id is wrong): install the App on the organisation, then run again"
            )
        if status == 422:
            return AccessError(
                f"GitHub App {self.settings.app_id} lacks a permission collection reads ({said}); grant it read"
                f" access to {', '.join(sorted(READ_PERMISSIONS))} in the App's settings"
            )
        return AccessError(f"GitHub refused an installation token for the App (HTTP {status}: {said})")


def read_token_file(path: str | Path) -> str:
    """One token from a file, refused in one line (never echoed) when it cannot be one."""
    file = Path(path).expanduser()
    where = f"the token file {file}"
    if not file.is_file():
        if file.exists():
            raise AuthError(f"cannot read {where}: it is a folder; point --token-file at a file")
        raise AuthError(f"token file not found: {file} - write your token into it or set GITHUB_TOKEN")
    try:
        value = file.read_text(encoding="utf-8").strip()
    except UnicodeDecodeError as exc:
        raise AuthError(f"{where} is not text (binary data?); write only the token into it") from exc
    except OSError as exc:
        raise AuthError(f"cannot read {where}: {exc.strerror or exc}; point --token-file at a file") from exc
    if not value:
        raise AuthError(f"token file {file} is empty - write your token into it or set GITHUB_TOKEN")
    check_token(value, where)
    return value


def read_private_key(path: str) -> str:
    """The App's private key (PEM), checked to be an RSA private key; errors name the setting, never the key."""
    setting = "github.app_private_key_file"
    if not path:
        raise ConfigError(f"github.app_id is set but {setting} is not: point it at the App's private key (.pem)")
    file = Path(path).expanduser()
    if not file.is_file():
        raise ConfigError(f"{setting}: {file} is not a file; download the App's private key (.pem) and point"
                          f" {setting} at it")
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{setting}: cannot read {file} ({exc.strerror or exc}); check its permissions") from None
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key: Any = load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ConfigError(
            f"{setting}: {file} does not hold an unencrypted RSA private key in PEM format (its contents are not"
            " shown); download a new private key from the App's settings"
        )
    return data.decode("ascii", errors="strict")


def resolve_credentials(
    github: GitHubSection,
    clock: Clock,
    token_files: Sequence[str] = (),
    env: dict[str, str] | None = None,
) -> list[Credential]:
    """Every credential to collect with, in this order of preference for personal tokens:
    GITHUB_TOKEN (or GH_TOKEN), else the ``token_files`` given on the command line, else
    ``github.token_file`` and ``github.token_files``; then the GitHub App installation, when
    ``github.app_id`` is set. The same token given twice counts once."""
    environ = os.environ if env is None else env
    tokens: list[TokenCredential] = []
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        value = environ.get(name, "").strip()
        if value:
            tokens = [TokenCredential(value, name)]
            break
    if not tokens:
        files = list(token_files) or [f for f in (github.token_file, *github.token_files) if f]
        for file in dict.fromkeys(files):
            found = TokenCredential(read_token_file(file), f"token file {file}")
            if not any(found.same_secret(t) for t in tokens):
                tokens.append(found)
    credentials: list[Credential] = list(tokens)
    if github.app_id:
        credentials.append(AppCredential(app_settings(github), github.base_url, clock, github.timeout))
    if not credentials:
        raise AuthError("no GitHub token: set GITHUB_TOKEN (or GH_TOKEN), or pass --token-file PATH"
                        " (repeat it for several tokens), or configure a GitHub App (github.app_id)")
    return credentials


def app_settings(github: GitHubSection) -> AppSettings:
    key = read_private_key(github.app_private_key_file)
    if github.organizations:
        owner, repo = github.organizations[0], None
    elif github.repositories:
        owner, repo = github.repositories[0].split("/", 1)
    else:
        raise ConfigError("nothing to collect: give --org NAME, or set github.organizations in config.toml")
    return AppSettings(github.app_id, key, owner, repo, github.app_installation_id or None)
