"""The one place that talks HTTP to GitHub, through PyGithub's requester.

Retries and rate limits live here and only here. PyGithub's own retry is switched off
(``retry=None``) because it sleeps for real inside urllib3, never retries GraphQL rate-limit errors
and gives up on a 429 without Retry-After; this policy handles all of them against an injectable
clock, and stops cleanly (``RateLimitWaitTooLong``) when a wait would exceed ``max_wait``.

Bodies are decoded here, not by PyGithub (``requestJson``): GitHub answers HTTP 200 with shapes that
PyGithub's ``graphql_query`` throws away or trips over (issue 9): partial ``errors`` beside usable
``data`` (kept; the errors go to the caller as gaps), ``RATE_LIMIT`` as well as ``RATE_LIMITED``,
"Something went wrong" (GitHub's timeout for a heavy query: retried on a smaller page, then
``QueryTimedOut``), Enterprise Server's "Field 'X' doesn't exist on type 'Y'" (the field is swapped
for an older one, once per server), and empty or HTML bodies (transient; but a first answer that is
not GitHub's JSON means the URL is not the GitHub API at all).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import orjson
import requests
from github import Github, GithubException

from analyzer.collector.clock import Clock, parse_iso
from analyzer.collector.credentials import Credential, TokenCredential
from analyzer.errors import (
    AccessError,
    AuthError,
    CollectionError,
    ConfigError,
    ConnectionFailed,
    NotFoundError,
    RateLimitWaitTooLong,
)

T = TypeVar("T")
JSON = dict[str, Any]

SECONDARY_WAIT = 60.0  # GitHub's advice when a secondary limit gives no Retry-After: at least a minute...
SECONDARY_WAIT_MAX = 960.0  # ...then longer on each repeat (doubling, up to 16 minutes)
RATE_LIMIT_TYPES = {"RATE_LIMITED", "RATE_LIMIT"}  # GraphQL spells it both ways (code graphql_rate_limit)
# Retry reasons the retry loop tells apart (a reason is also what a give-up message quotes).
QUERY_TIMED_OUT = "GitHub timed out on the query"
OLDER_SCHEMA = "an older GitHub Enterprise Server schema"
TIMEOUT_REASONS = ("HTTP 502", "HTTP 504", "network error: ReadTimeout", QUERY_TIMED_OUT)
SOMETHING_WENT_WRONG = "something went wrong while executing your query"
UNKNOWN_FIELD = re.compile(r"Field '(\w+)' doesn't exist on type '(\w+)'")
# Fields older Enterprise Server versions lack, and what to ask for instead (the rows read either).
FIELD_FALLBACKS = {"fullDatabaseId": "databaseId"}
BASE_URL_SETTING = "--base-url or [github] base_url in config.toml"


class QueryTimedOut(CollectionError):
    """GitHub kept answering "Something went wrong" (its timeout for a heavy query) after every retry."""


class NotGitHubError(ConnectionFailed):
    """The server at the base URL answers, but not as the GitHub API does."""


def check_base_url(url: str) -> None:
    """Refuse a base URL that carries credentials (``https://user:secret@host``), without echoing them."""
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        host = parts.hostname or "?"
        shown = urlunsplit((parts.scheme, f"***@{host}" + (f":{parts.port}" if parts.port else ""),
                            parts.path, "", ""))
        raise ConfigError(
            f"the GitHub base URL carries a user name or password ({shown}); remove them from"
            f" {BASE_URL_SETTING} and give the token through GITHUB_TOKEN or --token-file"
        )


class Cancelled(Exception):
    """Internal: another credential's worker failed, or the run was interrupted; stop before the next request."""


@dataclass
class ClientOptions:
    base_url: str
    token: str | None = None
    credential: Credential | None = None  # instead of ``token``: a labelled token or a GitHub App installation
    seconds_between_requests: float | None = 0.25
    timeout: float = 30.0
    max_retries: int = 5
    max_wait: float = 900.0
    backoff_base: float = 2.0


@dataclass
class Budget:
    """Requests made and what GitHub says is left, kept up to date from response headers."""

    rest_requests: int = 0
    graphql_requests: int = 0
    graphql_points: int = 0
    retries: int = 0
    waited_seconds: float = 0.0
    rest_remaining: int | None = None
    rest_reset: float | None = None
    graphql_remaining: int | None = None
    graphql_reset: float | None = None
    queries: list[str] = field(default_factory=list)  # every GraphQL document sent (for schema checks)

    @property
    def requests(self) -> int:
        return self.rest_requests + self.graphql_requests


class RetryableError(Exception):
    """Internal: a failure worth another try after ``wait`` seconds."""

    def __init__(self, reason: str, wait: float, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait
        self.detail = detail  # what GitHub said, when it said something


class GitHubClient:
    """REST and GraphQL over one PyGithub ``Github`` instance, serial, with one retry policy."""

    def __init__(self, options: ClientOptions, clock: Clock) -> None:
        check_base_url(options.base_url)
        self.credential = options.credential or (TokenCredential(options.token) if options.token else None)
        self.options = options
        self.cancel: threading.Event | None = None  # set by the pool: stop at the next request or wait
        self.clock = clock
        self.budget = Budget()
        self.missing_fields: set[str] = set()  # fields this server's schema lacks (GitHub Enterprise Server)
        self._answered = False  # whether this server ever answered like the GitHub API
        self._secondary_hits = 0  # secondary rate limits in a row: each waits longer
        auth = self.credential.auth() if self.credential else None
        self.github = Github(
            auth=auth,
            base_url=options.base_url.rstrip("/"),
            per_page=100,
            timeout=max(1, round(options.timeout)),
            retry=None,
            seconds_between_requests=options.seconds_between_requests,
            # GraphQL queries are POSTs, which PyGithub spaces 1 s apart as "writes"; they read only.
            seconds_between_writes=options.seconds_between_requests,
            lazy=True,
        )
        self.requester = self.github.requester
        # GraphQL points each query cost last time (a new one: the dearest so far): GitHub refuses a query
        # the budget cannot pay for, so the wait for a reset must come before it
        self._expected_cost: dict[str, int] = {}
        self._dearest = 1

    def _before_request(self, kind: str, need: int = 1) -> None:
        """Stop if told to, wait for the budget, then make sure the credential is fresh (after the wait:
        an hour's wait outlives an installation token)."""
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled
        self._wait_for_budget(kind, need)
        if self.credential is not None:
            self.credential.before_request()

    # -- public calls ----------------------------------------------------------------------------

    def graphql(
        self,
        query: str,
        variables: dict[str, Any],
        shrink: Callable[[dict[str, Any]], None] | None = None,
        errors: list[JSON] | None = None,
    ) -> dict[str, Any]:
        """Run one GraphQL query and return its ``data``; waits out rate limits first.

        ``shrink`` may lighten ``variables`` (e.g. halve a page size) before a retry that follows a
        gateway timeout: GitHub cuts GraphQL requests off after 10 s with a 502 or 504, or answers
        "Something went wrong". Errors GitHub reports beside usable data (each with its ``path``) are
        appended to ``errors``; the data is returned with those parts null.
        """
        self.budget.queries.append(query)

        def call() -> dict[str, Any]:
            self._before_request("graphql", need=self._expected_cost.get(query, self._dearest))
            self.budget.graphql_requests += 1
            sent = self._dialect(query)
            status, headers, text = self.requester.requestJson(
                "POST", self.requester.graphql_url, input={"query": sent, "variables": variables}
            )
            body = self._decode(status, headers, text)
            self._note_headers(headers, "graphql")
            if not isinstance(body, dict):
                raise RetryableError("an answer that is not a JSON object", self._backoff())
            data = body.get("data")
            if isinstance(data, dict) and isinstance(data.get("rateLimit"), dict):
                self._note_graphql_rate(data["rateLimit"], query)
            problems = [e for e in body.get("errors") or [] if isinstance(e, dict)]
            if problems:
                usable = isinstance(data, dict) and any(v is not None for k, v in data.items() if k != "rateLimit")
                self._graphql_errors(problems, headers, body, partial=usable)
                if errors is not None:
                    errors.extend(problems)
            self._secondary_hits = 0
            return data if isinstance(data, dict) else {}

        return self._with_retries(call, lambda: shrink(variables) if shrink else None)

    def _dialect(self, query: str) -> str:
        """``query`` in the words this server knows (fields an older Enterprise Server lacks swapped)."""
        for missing in self.missing_fields:
            query = re.sub(rf"\b{missing}\b", FIELD_FALLBACKS[missing], query)
        return query

    def _graphql_errors(self, problems: list[JSON], headers: dict[str, Any], body: JSON, *, partial: bool) -> None:
        """Raise what GraphQL errors call for; return when they only mark parts of usable data."""
        types = {str(e.get("type", "")) for e in problems} | {str(e.get("code", "")).upper() for e in problems}
        messages = " ".join(str(e.get("message", "")) for e in problems)
        if types & RATE_LIMIT_TYPES or "GRAPHQL_RATE_LIMIT" in types or "rate limit" in messages.lower():
            lowered = {k.lower(): v for k, v in headers.items()}
            raise RetryableError("rate limit", self._rate_limit_wait(lowered, 200, graphql=True))
        unknown = [m for m in (UNKNOWN_FIELD.search(str(e.get("message", ""))) for e in problems) if m]
        if unknown:
            fields = {m[1] for m in unknown}
            if fields <= set(FIELD_FALLBACKS) and not fields <= self.missing_fields:
                self.missing_fields |= fields  # once per server: every later query is sent rewritten
                raise RetryableError(OLDER_SCHEMA, 0.0)
            raise CollectionError(
                f"this GitHub server does not know {', '.join(f'{m[2]}.{m[1]}' for m in unknown)}; it may be an"
                " Enterprise Server version older than analyzer supports (3.16 or newer)"
            )
        if partial:
            return
        if SOMETHING_WENT_WRONG in messages.lower():
            raise RetryableError(QUERY_TIMED_OUT, self._backoff(), messages.strip())
        status = 404 if len(problems) == 1 and problems[0].get("type") == "NOT_FOUND" else 200
        raise self._from_github_exception(GithubException(status, body, headers))

    def _decode(self, status: int, headers: dict[str, Any], text: str) -> Any:
        """The JSON body; an empty or non-JSON one is transient, unless the server never spoke GitHub's JSON."""
        body = decode_json(text)
        lowered = {k.lower(): v for k, v in headers.items()}
        if body is _NOT_JSON or status == 501:
            kind = str(lowered.get("content-type", "")).split(";")[0] or "no content type"
            if not self._answered:
                raise NotGitHubError(
                    f"the server at {self.options.base_url} does not look like the GitHub API (HTTP {status},"
                    f" {'an empty body' if not text.strip() else kind}); check {BASE_URL_SETTING}"
                    " (Enterprise Server: https://HOST/api/v3)"
                )
            if status < 400:
                raise RetryableError("an empty or non-JSON answer", self._backoff())
            body = {"message": f"HTTP {status}"}
        if status >= 400:
            raise self.requester.createException(status, headers, body if isinstance(body, dict) else {"data": body})
        self._answered = True
        return body

    def rest(self, path: str, params: dict[str, Any] | None = None) -> tuple[dict[str, Any], Any]:
        """GET a REST path (relative to the base URL); returns (headers, parsed JSON)."""
        url = self._rest_url(path)

        def call() -> tuple[dict[str, Any], Any]:
            self._before_request("rest")
            self.budget.rest_requests += 1
            status, headers, text = self.requester.requestJson("GET", url, parameters=params)
            body = self._decode(status, headers, text)
            self._note_headers(headers, "rest")
            self._secondary_hits = 0
            return headers, body

        return self._with_retries(call)

    def rest_text(self, path: str, params: dict[str, Any] | None = None) -> tuple[dict[str, Any], str]:
        """GET like ``rest``, but return the body unparsed: the caller decodes it off the request path.

        Errors are raised here as for ``rest``; a 2xx body that is not valid JSON (a truncated page)
        is the caller's to detect when it decodes it.
        """
        url = self._rest_url(path)

        def call() -> tuple[dict[str, Any], str]:
            self._before_request("rest")
            self.budget.rest_requests += 1
            status, headers, text = self.requester.requestJson("GET", url, parameters=params)
            if status >= 400 or not self._answered:
                self._decode(status, headers, text)  # raises for an error status or a server that is not GitHub
            self._note_headers(headers, "rest")
            self._secondary_hits = 0
            return headers, text

        return self._with_retries(call)

    def _rest_url(self, path: str) -> str:
        """An absolute URL as given (pagination links), a path relative to the base URL otherwise."""
        return path if path.startswith("http") else self.options.base_url.rstrip("/") + path

    # -- retry policy ----------------------------------------------------------------------------

    def _with_retries(self, call: Callable[[], T], on_timeout: Callable[[], None] | None = None) -> T:
        attempt = 0
        while True:
            try:
                return self._classify(call)
            except RetryableError as retry:
                attempt += 1
                if retry.wait < 0:  # server error or network trouble: exponential backoff per request
                    retry.wait = float(self.options.backoff_base ** min(attempt - 1, 6))
                if on_timeout and retry.reason in TIMEOUT_REASONS:
                    on_timeout()
                if retry.reason == OLDER_SCHEMA:
                    attempt -= 1  # not a failure: the same request again, in the words this server knows
                    continue
                if attempt > self.options.max_retries and retry.reason == QUERY_TIMED_OUT:
                    raise QueryTimedOut(
                        f"GitHub failed the query {self.options.max_retries + 1} times: {retry.detail}"
                    ) from retry
                if attempt > self.options.max_retries and not retry.reason.startswith("rate limit"):
                    raise CollectionError(
                        f"GitHub kept failing ({retry.reason}) after {self.options.max_retries} retries;"
                        " run the same command again later: it resumes where it stopped"
                    ) from retry
                self._sleep(retry.wait, retry.reason)
                self.budget.retries += 1

    def _classify(self, call: Callable[[], T]) -> T:
        """Run ``call``; turn every failure into a typed error or a RetryableError."""
        try:
            return call()
        except GithubException as exc:
            raise self._from_github_exception(exc) from exc
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
            first = self.budget.requests <= 1 and isinstance(exc, requests.exceptions.ConnectionError)
            if first and any(s in str(exc) for s in ("Connection refused", "Name or service", "Failed to")):
                raise ConnectionFailed(
                        f"cannot reach {self.options.base_url}: check github.base_url in config.toml"
                        " (or --base-url) and your network"
                ) from exc
            raise RetryableError(f"network error: {type(exc).__name__}", self._backoff()) from exc
        except (
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
            json.JSONDecodeError,
        ) as exc:
            raise RetryableError("truncated response", self._backoff()) from exc
        except requests.exceptions.InvalidHeader:  # its message would quote the token: never shown
            raise AuthError("the GitHub token cannot be sent in an HTTP header; copy it again") from None
        except requests.exceptions.RequestException as exc:
            raise ConnectionFailed(
                f"cannot talk to {self.options.base_url} ({type(exc).__name__}); check {BASE_URL_SETTING}"
            ) from exc

    def _from_github_exception(self, exc: GithubException) -> Exception:
        status = exc.status
        data = exc.data if isinstance(exc.data, dict) else {}
        headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
        message = str(data.get("message") or "")
        raw_errors = data.get("errors")
        errors: list[Any] = raw_errors if isinstance(raw_errors, list) else []
        error_types = {str(e.get("type", "")) for e in errors if isinstance(e, dict)}
        if status == 401:
            if self.credential is not None and self.credential.renew():  # an installation token GitHub let lapse
                return RetryableError("an expired installation token", 0.0)
            label = self.credential.label if self.credential else "no token"
            return AuthError(
                f"GitHub rejected the token ({label}; 401 Bad credentials): create a new token and set"
                " GITHUB_TOKEN or the token file"
            )
        if "SAML" in message or any("SAML" in str(e.get("message", "")) for e in errors if isinstance(e, dict)):
            return AccessError(
                "the organization enforces SAML single sign-on: authorize your token for it"
                " (GitHub > Settings > Tokens > Configure SSO) and run again"
            )
        if error_types & RATE_LIMIT_TYPES or (status in (403, 429) and self._is_rate_limit(message, headers)):
            graphql = bool(error_types & RATE_LIMIT_TYPES)
            return RetryableError("rate limit", self._rate_limit_wait(headers, status, graphql))
        if status == 404 or "NOT_FOUND" in error_types:
            detail = next((str(e.get("message")) for e in errors if isinstance(e, dict)), message or "Not Found")
            return NotFoundError(
                f"not found on {self.options.base_url}: {detail} - check the org/repository name and"
                " that the token can see it"
            )
        if status >= 500:
            return RetryableError(f"HTTP {status}", self._backoff())
        if status == 403:
            return AccessError(f"GitHub refused access (403: {message or 'forbidden'}); check the token's scopes")
        if status == 200:  # GraphQL errors without usable data
            said = "; ".join(str(e.get("message", e)) for e in errors if isinstance(e, dict))[:300]
            return CollectionError(f"GitHub's GraphQL API refused the query: {said}; this is unexpected -"
                                   " run again, and report it if it repeats")
        return CollectionError(f"GitHub answered HTTP {status}: {message or errors}; this is unexpected")

    @staticmethod
    def _is_rate_limit(message: str, headers: dict[str, Any]) -> bool:
        lowered = message.lower()
        return (
            "rate limit" in lowered
            or "abuse detection" in lowered  # the older wording of a secondary rate limit
            or "retry-after" in headers
            or str(headers.get("x-ratelimit-remaining", "")) == "0"
        )

    def _rate_limit_wait(self, headers: dict[str, Any], status: int, graphql: bool) -> float:
        if "retry-after" in headers:
            return max(1.0, float(headers["retry-after"]))
        if str(headers.get("x-ratelimit-remaining", "")) == "0" and "x-ratelimit-reset" in headers:
            return max(1.0, float(headers["x-ratelimit-reset"]) - self.clock.now() + 1.0)
        if graphql and self.budget.graphql_reset is not None:
            return max(1.0, self.budget.graphql_reset - self.clock.now() + 1.0)
        # a secondary limit without Retry-After: at least a minute, doubling on each repeat (GitHub's docs)
        self._secondary_hits += 1
        return min(SECONDARY_WAIT_MAX, SECONDARY_WAIT * float(2 ** (self._secondary_hits - 1)))

    @staticmethod
    def _backoff() -> float:
        return -1.0  # decided in _with_retries, which knows the attempt number

    def _sleep(self, seconds: float, reason: str) -> None:
        if seconds > self.options.max_wait:
            raise RateLimitWaitTooLong(
                f"{reason}: the next request needs a {seconds:.0f} s wait, more than --max-wait"
                f" {self.options.max_wait:.0f} s; everything so far is stored - run again later to resume",
                seconds,
            )
        self.budget.waited_seconds += seconds
        if self.cancel is None:
            self.clock.sleep(seconds)
            return
        left = seconds
        while left > 0:  # in slices, so that another worker's failure or Ctrl-C ends the wait
            if self.cancel.is_set():
                raise Cancelled
            step = min(left, 1.0)
            self.clock.sleep(step)
            left -= step

    # -- budget bookkeeping ----------------------------------------------------------------------

    def _wait_for_budget(self, kind: str, need: int = 1) -> None:
        """Before a request: if what is left cannot pay for it, wait for the reset (or stop).

        GitHub answers a GraphQL query it cannot afford with RATE_LIMITED and PyGithub never retries
        that, so the cost of the dearest query so far stands in for the cost of the next one.
        """
        remaining = self.budget.rest_remaining if kind == "rest" else self.budget.graphql_remaining
        reset = self.budget.rest_reset if kind == "rest" else self.budget.graphql_reset
        if remaining is not None and remaining < need and reset is not None:
            wait = reset - self.clock.now() + 1.0
            if wait > 0:
                self._sleep(wait, f"{kind} rate limit used up")
            if kind == "rest":
                self.budget.rest_remaining = None
            else:
                self.budget.graphql_remaining = None

    def _note_headers(self, headers: dict[str, Any], kind: str) -> None:
        lowered = {k.lower(): v for k, v in headers.items()}
        if "x-ratelimit-remaining" not in lowered:
            return
        remaining = int(lowered["x-ratelimit-remaining"])
        reset = float(lowered.get("x-ratelimit-reset", 0)) or None
        if kind == "rest":
            self.budget.rest_remaining, self.budget.rest_reset = remaining, reset
        else:
            self.budget.graphql_remaining, self.budget.graphql_reset = remaining, reset

    def _note_graphql_rate(self, rate: dict[str, Any], query: str) -> None:
        cost = int(rate.get("cost") or 0)
        self.budget.graphql_points += cost
        self._expected_cost[query] = max(self._expected_cost.get(query, 0), cost)
        self._dearest = max(self._dearest, cost)
        if rate.get("remaining") is not None:
            self.budget.graphql_remaining = int(rate["remaining"])
        if rate.get("resetAt"):
            self.budget.graphql_reset = parse_iso(str(rate["resetAt"]))


_NOT_JSON: Any = object()  # decode_json's answer for an empty body or one that is not JSON


def decode_json(text: str) -> Any:
    """Parse a body: orjson, or the stdlib for what orjson refuses but GitHub sends (lone UTF-16 surrogates).

    Text with a lone surrogate stays as it is here: the store writes U+FFFD in its typed columns and
    keeps the original escape in ``raw`` (analyzer/store/store.py).
    """
    if not text or not text.strip():
        return _NOT_JSON
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(text)
    except ValueError:
        stripped = text.lstrip()
        if stripped.startswith(("{", "[")):
            raise  # a cut JSON body: truncated, retried as such
        return _NOT_JSON
