"""The one place that talks HTTP to GitHub, through PyGithub's requester.

Retries and rate limits live here and only here. PyGithub's own retry is switched off
(``retry=None``) because it sleeps for real inside urllib3, never retries GraphQL rate-limit errors
and gives up on a 429 without Retry-After; this policy handles all of them against an injectable
clock, and stops cleanly (``RateLimitWaitTooLong``) when a wait would exceed ``max_wait``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import requests
from github import Auth, Github, GithubException

from analyzer.collector.clock import Clock, parse_iso
from analyzer.errors import (
    AccessError,
    AuthError,
    CollectionError,
    ConnectionFailed,
    NotFoundError,
    RateLimitWaitTooLong,
)

T = TypeVar("T")

SECONDARY_WAIT = 60.0  # GitHub's advice when a secondary limit gives no Retry-After


@dataclass
class ClientOptions:
    base_url: str
    token: str | None
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

    def __init__(self, reason: str, wait: float) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


class GitHubClient:
    """REST and GraphQL over one PyGithub ``Github`` instance, serial, with one retry policy."""

    def __init__(self, options: ClientOptions, clock: Clock) -> None:
        self.options = options
        self.clock = clock
        self.budget = Budget()
        auth = Auth.Token(options.token) if options.token else None
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
        self._expected_cost = 1

    # -- public calls ----------------------------------------------------------------------------

    def graphql(
        self,
        query: str,
        variables: dict[str, Any],
        shrink: Callable[[dict[str, Any]], None] | None = None,
    ) -> dict[str, Any]:
        """Run one GraphQL query and return its ``data``; waits out rate limits first.

        ``shrink`` may lighten ``variables`` (e.g. halve a page size) before a retry that follows a
        gateway timeout: GitHub cuts GraphQL requests off after 10 s with a 502 or 504.
        """
        self.budget.queries.append(query)

        def call() -> dict[str, Any]:
            self._wait_for_budget("graphql", need=self._expected_cost)
            self.budget.graphql_requests += 1
            headers, body = self.requester.graphql_query(query, variables)
            self._note_headers(headers, "graphql")
            data = body.get("data") or {}
            rate = data.get("rateLimit") if isinstance(data, dict) else None
            if isinstance(rate, dict):
                self._note_graphql_rate(rate)
            return data if isinstance(data, dict) else {}

        return self._with_retries(call, lambda: shrink(variables) if shrink else None)

    def rest(self, path: str, params: dict[str, Any] | None = None) -> tuple[dict[str, Any], Any]:
        """GET a REST path (relative to the base URL); returns (headers, parsed JSON)."""
        url = self._rest_url(path)

        def call() -> tuple[dict[str, Any], Any]:
            self._wait_for_budget("rest")
            self.budget.rest_requests += 1
            headers, body = self.requester.requestJsonAndCheck("GET", url, parameters=params)
            self._note_headers(headers, "rest")
            return headers, body

        return self._with_retries(call)

    def rest_text(self, path: str, params: dict[str, Any] | None = None) -> tuple[dict[str, Any], str]:
        """GET like ``rest``, but return the body unparsed: the caller decodes it off the request path.

        Errors are raised here as for ``rest``; a 2xx body that is not valid JSON (a truncated page)
        is the caller's to detect when it decodes it.
        """
        url = self._rest_url(path)

        def call() -> tuple[dict[str, Any], str]:
            self._wait_for_budget("rest")
            self.budget.rest_requests += 1
            status, headers, text = self.requester.requestJson("GET", url, parameters=params)
            if status >= 400:
                raise self.requester.createException(status, headers, _error_data(text))
            self._note_headers(headers, "rest")
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
                if on_timeout and retry.reason in ("HTTP 502", "HTTP 504", "network error: ReadTimeout"):
                    on_timeout()
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

    def _from_github_exception(self, exc: GithubException) -> Exception:
        status = exc.status
        data = exc.data if isinstance(exc.data, dict) else {}
        headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
        message = str(data.get("message") or "")
        raw_errors = data.get("errors")
        errors: list[Any] = raw_errors if isinstance(raw_errors, list) else []
        error_types = {str(e.get("type", "")) for e in errors if isinstance(e, dict)}
        if status == 401:
            return AuthError(
                "GitHub rejected the token (401 Bad credentials): create a new token and set GITHUB_TOKEN"
            )
        if "SAML" in message or any("SAML" in str(e.get("message", "")) for e in errors if isinstance(e, dict)):
            return AccessError(
                "the organization enforces SAML single sign-on: authorize your token for it"
                " (GitHub > Settings > Tokens > Configure SSO) and run again"
            )
        if "RATE_LIMITED" in error_types or (status in (403, 429) and self._is_rate_limit(message, headers)):
            return RetryableError("rate limit", self._rate_limit_wait(headers, status, "RATE_LIMITED" in error_types))
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
        return CollectionError(f"GitHub answered HTTP {status}: {message or errors}; this is unexpected")

    @staticmethod
    def _is_rate_limit(message: str, headers: dict[str, Any]) -> bool:
        lowered = message.lower()
        return (
            "rate limit" in lowered
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
        return SECONDARY_WAIT

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
        self.clock.sleep(seconds)

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

    def _note_graphql_rate(self, rate: dict[str, Any]) -> None:
        cost = int(rate.get("cost") or 0)
        self.budget.graphql_points += cost
        self._expected_cost = max(self._expected_cost, cost)
        if rate.get("remaining") is not None:
            self.budget.graphql_remaining = int(rate["remaining"])
        if rate.get("resetAt"):
            self.budget.graphql_reset = parse_iso(str(rate["resetAt"]))


def _error_data(text: str) -> Any:
    """An error body as PyGithub would hand it to its exception (JSON, or the text itself)."""
    try:
        return json.loads(text) if text else None
    except ValueError:
        return {"data": text}
