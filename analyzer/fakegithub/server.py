"""A stateful GitHub-compatible HTTP server over an ``OrgModel`` (Werkzeug, in a thread, on 127.0.0.1).

It serves what the collector, its tests, the demo and the benchmark's naive PyGithub loop call, no
more: ``/graphql`` (planned by ``query_plan``, graphql-core where the plan hands over), the two REST
operations the collector uses (workflow runs, one commit with its files), the eight a naive PyGithub
loop over an org's pull requests uses, and the GitHub App endpoints (``apps.py``); every REST body
conforms to GitHub's official description. REST lists page with real ``Link`` headers and filter like
GitHub's; answers carry ETags (304 on a match) and rate-limit headers. Faults can be
injected per request (``faults``). With ``prefix="/api/v3"`` it looks like GitHub Enterprise: REST
under ``/api/v3`` and GraphQL at ``/api/graphql``.

Behaviour choices, where GitHub varies:
- SAML SSO (``model.sso_protected``): REST answers 403 with GitHub's SAML message; GraphQL answers
  HTTP 200 with ``data: null`` and an error of type ``FORBIDDEN`` (what GitHub's GraphQL does).
- Faults never consume budget; 401s and 304s neither. Every other answered request does.
- Budgets are per credential, as on GitHub: each personal token has its own buckets (``token_limits``
  may give one its own size), every token of an App installation shares the installation's
  (``apps.py``). ``RequestRecord.credential`` names whose budget a request used, never the token.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import struct
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import orjson
from werkzeug.exceptions import ClientDisconnected, HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from analyzer.fakegithub import apps, graphql_api
from analyzer.fakegithub.faults import (
    ABUSE_MESSAGE,
    GRAPHQL_RATE_LIMIT_MESSAGE,
    HTML_PAGE,
    SECONDARY_LIMIT_MESSAGE,
    Fault,
    FaultPlan,
)
from analyzer.fakegithub.fidelity import Fidelity
from analyzer.fakegithub.model import OrgModel, PullRequest, Repo
from analyzer.fakegithub.ratelimit import (
    PRIMARY_LIMIT_MESSAGE,
    Clock,
    RateLimiter,
    RateLimits,
    SystemClock,
    rate_headers,
)
from analyzer.fakegithub.rest import (
    JSON,
    ModelIndex,
    Renderer,
    Urls,
    build_index,
    error_body,
    fingerprint,
)

SAML_MESSAGE = (
    "Resource protected by organization SAML enforcement. You must grant your Personal Access token "
    "access to this organization."
)
TIMEOUT_MESSAGE = (
    "We couldn't respond to your request in time. Sorry about that. Please try resubmitting your "
    "request and contact us if the problem persists."
)
RUNS_SEARCH_CAP = 1000  # GitHub returns at most 1,000 runs for a filtered runs search
COMMIT_FILES_MAX_PAGE = 100  # "get a commit" documents per_page max 100 for its files; more follow via Link


@dataclass
class RequestRecord:
    """One request the server answered (``body`` is the parsed JSON sent, None when not JSON)."""

    method: str
    path: str
    query: dict[str, str]
    status: int
    kind: str  # "rest" | "graphql" | "other"
    operation: str | None  # OpenAPI path template, "graphql", or None for unknown paths
    body: Any
    headers: dict[str, str]
    time: float
    graphql_query: str | None = None
    graphql_variables: dict[str, Any] | None = None
    fault: str | None = None
    cost: int = 0  # GraphQL points or REST requests charged
    credential: str | None = None  # whose budget: "token:<sha256 prefix>", "installation:<id>", "app:<id>"


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    encoded: bytes | None = None  # ``body`` as JSON bytes, when already encoded (for the ETag)


def _encode(body: Any) -> bytes:
    """Compact JSON in UTF-8, as GitHub sends it.

    orjson: a page of 100 workflow runs (1.3 MB, each run embedding its ~6 KB repository twice) or
    100 pull requests of GraphQL (1.8 MB) encodes in 1-5 ms instead of the stdlib's 17-40 ms, time
    that every request of a benchmark would otherwise add to the fixed latency it models.
    """
    try:
        return orjson.dumps(body)
    except TypeError:  # a lone UTF-16 surrogate: GitHub sends it as a JSON escape, and so do we
        return json.dumps(body, ensure_ascii=True, separators=(",", ":")).encode()


class _Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Tests read ``FakeGitHub.log`` instead of a stderr line per request."""

    def log_error(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Client disconnects (timeouts, resets) are expected here."""


class _NotFound(Exception):
    pass


class _Invalid(Exception):
    pass


class FakeGitHub:
    """The fake server. ``with FakeGitHub(model) as gh: Github(base_url=gh.base_url, ...)``."""

    def __init__(
        self,
        model: OrgModel,
        *,
        prefix: str = "",
        tokens: set[str] | None = None,
        latency: float = 0.0,
        rate_limit: RateLimits | None = None,
        clock: Clock | None = None,
        per_page_max: int = 100,
        web_url: str | None = None,
        app: apps.FakeApp | None = None,
        token_limits: dict[str, RateLimits] | None = None,
    ) -> None:
        self.model = model
        # Web links (html_url, GraphQL url) may name a fixed host so that output built from them is
        # identical from run to run; API URLs always use the live loopback address.
        self.web_url = web_url.rstrip("/") if web_url else None
        self.prefix = prefix.rstrip("/")
        self.tokens = tokens
        self.latency = latency
        self.clock: Clock = clock or SystemClock()
        self.limits = rate_limit or RateLimits()
        self.rate_limiter = RateLimiter(self.limits, self.clock)
        self.app = app  # a GitHub App whose installations may collect (apps.py)
        self.token_limits = dict(token_limits or {})  # personal token -> its own bucket sizes
        self._limiters: dict[str, RateLimiter] = {}
        self._limiters_lock = threading.Lock()
        # requests being answered, per credential and in all: GitHub asks for serial requests per token
        self.in_flight: dict[str, int] = {}
        self.peak_in_flight: dict[str, int] = {}  # the most a credential ever had at once
        self.peak_concurrency = 0  # the most requests answered at once, all credentials together
        self.per_page_max = per_page_max
        self.faults = FaultPlan()
        self.fidelity = Fidelity()  # real-GitHub shapes on demand (fidelity.py); all off by default
        self.log: list[RequestRecord] = []
        self.errors: list[str] = []  # tracebacks of requests the fake itself failed to answer
        self.lock = threading.Lock()
        self.base_url = ""
        self.root_url = ""
        self._log_lock = threading.Lock()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._index_key: tuple[int, ...] | None = None
        self._index: ModelIndex | None = None
        self._routes = Map(
            [Rule(_rule(template), endpoint=template) for template in _HANDLERS], strict_slashes=False
        )

    # ---- lifecycle ----------------------------------------------------------------------------

    @property
    def graphql_path(self) -> str:
        if self.prefix.endswith("/v3"):
            return self.prefix[: -len("/v3")] + "/graphql"
        return self.prefix + "/graphql"

    @property
    def graphql_url(self) -> str:
        return self.root_url + self.graphql_path

    def start(self) -> str:
        if self._server is not None:
            return self.base_url
        server = make_server("127.0.0.1", 0, self._wsgi, threaded=True, request_handler=_Quiet)
        self._server = server
        self.root_url = f"http://127.0.0.1:{server.socket.getsockname()[1]}"
        self.base_url = self.root_url + self.prefix
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fakegithub", daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeGitHub:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def invalidate(self) -> None:
        """Rebuild the lookup index on the next request.

        Needed only after changing a timestamp that orders a list (e.g. ``Commit.committed_at``)
        without adding or removing anything; additions and removals are detected automatically.
        """
        self._index = None

    def reset_log(self) -> None:
        with self._log_lock:
            self.log.clear()

    def operations(self) -> list[str | None]:
        """The operation of every request logged so far (path template, "graphql", or None)."""
        with self._log_lock:
            return [record.operation for record in self.log]

    # ---- the WSGI pipeline --------------------------------------------------------------------

    def _wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        if self.latency > 0:
            time.sleep(self.latency)
        path = request.path
        is_graphql = path == self.graphql_path
        rest_path = (
            path[len(self.prefix) :] if path.startswith(self.prefix + "/") or not self.prefix else None
        )
        record = RequestRecord(
            method=request.method,
            path=path,
            query=dict(request.args.items()),
            status=0,
            kind="graphql" if is_graphql else ("rest" if rest_path is not None else "other"),
            operation="graphql" if is_graphql else self._operation(rest_path),
            body=None,
            headers={},
            time=self.clock.now(),
        )
        if is_graphql:
            record.graphql_query, record.graphql_variables = _graphql_payload(request)
        record.credential = self._credential(request)
        self._count_in_flight(record.credential, +1)
        try:
            response = self._respond(request, record, rest_path, is_graphql, environ)
        finally:
            self._count_in_flight(record.credential, -1)
        record.status = response.status_code
        record.headers = dict(response.headers.items())
        with self._log_lock:
            self.log.append(record)
        return response(environ, start_response)

    def _respond(
        self, request: Request, record: RequestRecord, rest_path: str | None, is_graphql: bool,
        environ: dict[str, Any],
    ) -> Response:
        fault = self.faults.take(request.path, is_graphql)
        if fault is not None:
            record.fault = fault.kind
            return self._fault_response(fault, request, record, rest_path, environ)
        try:
            answer = self._answer(request, record, rest_path, is_graphql)
        except ClientDisconnected:  # the client went away mid-request (killed): nobody reads the answer
            answer = Answer(400, error_body("Bad Request", 400))
        except Exception:  # a bug in the fake: answer like GitHub would, keep the traceback
            self.errors.append(traceback.format_exc())
            answer = Answer(500, {"message": "Server Error"})
        return self._to_response(answer, record)

    def _count_in_flight(self, credential: str | None, step: int) -> None:
        key = credential or "-"
        with self._log_lock:
            self.in_flight[key] = self.in_flight.get(key, 0) + step
            self.peak_in_flight[key] = max(self.peak_in_flight.get(key, 0), self.in_flight[key])
            self.peak_concurrency = max(self.peak_concurrency, sum(self.in_flight.values()))

    def _answer(
        self, request: Request, record: RequestRecord, rest_path: str | None, is_graphql: bool
    ) -> Answer:
        if self.app is not None and rest_path is not None and apps_route(rest_path) is not None:
            return self._app_answer(request, record, rest_path)
        auth = self._check_auth(request)
        if auth is not None:
            return auth
        if is_graphql:
            if request.method != "POST":
                return Answer(404, error_body("Not Found"))
            return self._graphql(request, record)
        if rest_path is None or request.method not in ("GET", "HEAD"):
            return Answer(404, error_body("Not Found"))
        if self.model.sso_protected:
            return Answer(
                403,
                {
                    "message": SAML_MESSAGE,
                    "documentation_url": "https://docs.github.com/articles/authenticating-to-a-github-organization-"
                    "with-saml-single-sign-on/",
                },
            )
        return self._rest(request, record, rest_path)

    def _check_auth(self, request: Request) -> Answer | None:
        if self.tokens is None:
            return None
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() in ("token", "bearer") and token.strip() in self.tokens:
            return None
        if self.app is not None and self.app.installation_of(token.strip(), self.clock.now()) is not None:
            return None  # a live installation token; an expired one is "Bad credentials" like GitHub's
        return Answer(
            401,
            {
                "message": "Bad credentials",
                "documentation_url": "https://docs.github.com/rest",
                "status": "401",
            },
        )

    # ---- credentials and their budgets ---------------------------------------------------------

    def _credential(self, request: Request) -> str | None:
        """Whose budget a request spends (a label, never the token); None: nobody known."""
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        token = given.strip()
        if not token or scheme.lower() not in ("token", "bearer"):
            return None
        if self.tokens is not None and token in self.tokens:
            return token_label(token)
        if self.app is not None:
            installation = self.app.installation_of(token, self.clock.now())
            if installation is not None:
                return f"installation:{installation}"
            if token.count(".") == 2:
                return f"app:{self.app.id}"
        return None

    def budget(self, credential: str | None) -> RateLimiter:
        """The buckets of ``credential`` (a label from ``RequestRecord.credential``).

        When the server accepts one personal token, that token's buckets are ``rate_limiter``.
        """
        if credential is None or (self.tokens is not None and len(self.tokens) == 1
                                   and credential == token_label(next(iter(self.tokens)))):
            return self.rate_limiter
        with self._limiters_lock:
            found = self._limiters.get(credential)
            if found is None:
                found = RateLimiter(self._limits_of(credential), self.clock)
                self._limiters[credential] = found
            return found

    def _limits_of(self, credential: str) -> RateLimits:
        for token, limits in self.token_limits.items():
            if token_label(token) == credential:
                return limits
        if credential.startswith("installation:") and self.app is not None:
            return apps.limits_for(self.app, self.limits, len(self.model.repos), len(self.model.members))
        return self.limits

    def _app_answer(self, request: Request, record: RequestRecord, rest_path: str) -> Answer:
        """The App endpoints the collector calls (PyGithub's ``GithubIntegration``), each with a JWT: the
        installation of an organisation or repository, and a new installation token."""
        assert self.app is not None
        app = self.app
        template, args = apps_route(rest_path) or ("", {})
        record.operation = template
        method = "POST" if template.endswith("/access_tokens") else "GET"
        if request.method != method:
            return Answer(404, error_body("Not Found"))
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        try:
            if scheme.lower() != "bearer":
                raise apps.JwtRefused("A JSON web token could not be decoded")
            apps.verify_jwt(app, token.strip(), self.clock.now())
            app.jwts.append(token.strip())
        except apps.JwtRefused as refused:
            return Answer(401, error_body(str(refused), 401, apps.DOCS))
        found: apps.Installation | None = None
        if "installation_id" in args:
            found = app.installations.get(int(args["installation_id"]))
        elif "org" in args or "owner" in args:
            login = str(args.get("org") or args.get("owner"))
            found = next((i for i in app.installations.values() if i.account.lower() == login.lower()), None)
            if "repo" in args and str(args["repo"]) not in self.model.repos:
                found = None
        if found is None:
            return Answer(404, error_body("Not Found"))
        if template.endswith("/access_tokens"):
            wanted = apps.requested_permissions(_json_body(request), found.permissions)
            if isinstance(wanted, str):
                return Answer(422, error_body(wanted, 422, apps.DOCS))
            token_value, issued = app.mint(found.id, self.clock.now())
            return Answer(201, apps.token_body(token_value, issued, wanted))
        account = self._renderer().org_as_user()
        root = self.web_url or self.root_url
        return Answer(200, apps.installation_body(app, found, account, self.base_url, root, self.model.id))

    def _to_response(self, answer: Answer, record: RequestRecord) -> Response:
        record.body = answer.body
        data = answer.encoded
        if data is None:
            data = b"" if answer.body is None else _encode(answer.body)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-GitHub-Media-Type": "github.v3; format=json",
            "X-GitHub-Request-Id": uuid.uuid4().hex[:20].upper(),
            **answer.headers,
        }
        if "x-ratelimit-limit" not in headers:  # GitHub sends them on every response
            limiter = self.budget(record.credential)
            bucket = limiter.graphql if record.kind == "graphql" else limiter.core
            headers.update(rate_headers(bucket.state()))
        return Response(data, status=answer.status, headers=headers)

    # ---- REST ---------------------------------------------------------------------------------

    def _operation(self, rest_path: str | None) -> str | None:
        if rest_path is None:
            return None
        try:
            template, _args = self._routes.bind("fake").match(rest_path, method="GET")
        except HTTPException:
            return None
        return str(template)

    def _rest(self, request: Request, record: RequestRecord, rest_path: str) -> Answer:
        core = self.budget(record.credential).core
        answer = self._render_rest(request, rest_path)
        if answer.status == 200 and answer.body is not None:
            answer.encoded = _encode(answer.body)
            etag = '"' + hashlib.sha256(answer.encoded).hexdigest() + '"'
            answer.headers["ETag"] = etag
            if _etag_matches(request.headers.get("If-None-Match"), etag):
                # Conditional hits are free on GitHub's primary limit.
                return Answer(304, None, {**answer.headers, **rate_headers(core.state())})
        if not core.try_charge(1):
            return self._exhausted_rest(record)
        record.cost = 1
        answer.headers.update(rate_headers(core.state()))
        return answer

    def _render_rest(self, request: Request, rest_path: str) -> Answer:
        """The normal answer to a REST GET, without touching budgets."""
        try:
            template, args = self._routes.bind("fake").match(rest_path, method="GET")
        except HTTPException:
            return Answer(404, error_body("Not Found"))
        handler = _HANDLERS[str(template)]
        with self.lock:
            view = _View(self, request, self._renderer())
            try:
                return handler(view, **args)
            except _NotFound:
                return Answer(404, error_body("Not Found"))
            except _Invalid as err:
                return Answer(
                    422,
                    {
                        "message": "Validation Failed",
                        "errors": [{"message": str(err)}],
                        "documentation_url": "https://docs.github.com/rest",
                        "status": "422",
                    },
                )

    def _renderer(self) -> Renderer:
        """A renderer over the current model; the index is rebuilt only when entities were added."""
        key = fingerprint(self.model)
        if self._index is None or key != self._index_key:
            self._index, self._index_key = build_index(self.model), key
        return Renderer(self.model, Urls(self.web_url or self.root_url, self.base_url, self.model.login), self._index)

    def _exhausted_rest(self, record: RequestRecord) -> Answer:
        state = self.budget(record.credential).core.state()
        body = {
            "message": PRIMARY_LIMIT_MESSAGE + " If you reach out to GitHub Support for help, please "
            "include the request ID 0000:1111:2222:3333:44444444 and timestamp "
            f"{datetime.fromtimestamp(self.clock.now(), UTC):%Y-%m-%d %H:%M:%S} UTC.",
            "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
        }
        headers = rate_headers(state)
        headers["x-ratelimit-remaining"] = "0"
        return Answer(self.limits.exhausted_status, body, headers)

    # ---- GraphQL ------------------------------------------------------------------------------

    def _graphql(self, request: Request, record: RequestRecord) -> Answer:
        bucket = self.budget(record.credential).graphql
        if record.graphql_query is None:
            return Answer(
                200,
                {"errors": [{"message": "A query attribute must be specified and must be a string."}]},
                rate_headers(bucket.state()),
            )
        if self.model.sso_protected:
            return Answer(
                200,
                {"data": None, "errors": [{"type": "FORBIDDEN", "message": SAML_MESSAGE}]},
                rate_headers(bucket.state()),
            )
        refused = self.fidelity.refuse_query(record.graphql_query)
        if refused is not None:
            return Answer(200, refused, rate_headers(bucket.state()))
        prepared = graphql_api.prepare(
            record.graphql_query, record.graphql_variables, _operation_name(request)
        )
        if not isinstance(prepared, graphql_api.Prepared):
            return Answer(200, prepared, rate_headers(bucket.state()))
        points = prepared.cost.points
        if not bucket.try_charge(points):
            return self._graphql_rate_limited(record)
        record.cost = points
        state = bucket.state()
        rate = graphql_api.RateInfo(
            points, prepared.cost.nodes, state.limit, state.remaining, state.used, float(state.reset)
        )
        with self.lock:
            body = graphql_api.run(prepared, graphql_api.Context(self._renderer(), rate, self.fidelity))
            body = self.fidelity.reshape(body, self.model, self.clock.now())
        return Answer(200, body, rate_headers(state))

    def _graphql_rate_limited(self, record: RequestRecord) -> Answer:
        headers = rate_headers(self.budget(record.credential).graphql.state())
        headers["x-ratelimit-remaining"] = "0"
        return Answer(200, {"errors": [{"type": "RATE_LIMITED", "message": PRIMARY_LIMIT_MESSAGE}]}, headers)

    # ---- faults -------------------------------------------------------------------------------

    def _fault_response(
        self,
        fault: Fault,
        request: Request,
        record: RequestRecord,
        rest_path: str | None,
        environ: dict[str, Any],
    ) -> Response:
        kind = fault.kind
        limiter = self.budget(record.credential)
        state = limiter.graphql.state() if record.kind == "graphql" else limiter.core.state()
        headers = rate_headers(state)
        if kind in ("500", "502", "503"):
            messages = {"500": "Server Error", "502": "Bad Gateway", "503": "Service Unavailable"}
            return self._to_response(Answer(int(kind), {"message": messages[kind]}, headers), record)
        if kind == "timeout":
            time.sleep(self.faults.timeout_seconds)
            return self._to_response(Answer(504, {"message": TIMEOUT_MESSAGE}, headers), record)
        if kind in ("403_retry_after", "429_retry_after", "403_secondary", "429_no_retry_after"):
            if kind.endswith("retry_after") and not kind.endswith("no_retry_after"):
                headers["Retry-After"] = str(fault.retry_after)
            body = {
                "message": SECONDARY_LIMIT_MESSAGE,
                "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
            }
            return self._to_response(Answer(int(kind[:3]), body, headers), record)
        if kind == "graphql_rate_limited":
            answer = self._graphql_rate_limited(record) if record.kind == "graphql" else self._exhausted_rest(record)
            return self._to_response(answer, record)
        if kind == "graphql_rate_limit":
            error = {"type": "RATE_LIMIT", "code": "graphql_rate_limit", "message": GRAPHQL_RATE_LIMIT_MESSAGE}
            headers["x-ratelimit-remaining"] = "0"
            return self._to_response(Answer(200, {"errors": [error]}, headers), record)
        if kind == "403_abuse":
            body = {"message": ABUSE_MESSAGE, "documentation_url": "https://docs.github.com/rest/overview/resources-in-the-rest-api#secondary-rate-limits"}
            return self._to_response(Answer(403, body, headers), record)
        if kind == "empty_200":
            return Response(b"", status=200, headers={"Content-Type": "application/json; charset=utf-8"})
        if kind == "html_200":
            return Response(HTML_PAGE, status=200, headers={"Content-Type": "text/html; charset=utf-8"})
        if kind == "truncated":
            return self._truncated(request, record, rest_path)
        _reset(environ)
        return Response(b"", status=502)  # never reaches the client: the socket is gone

    def _truncated(self, request: Request, record: RequestRecord, rest_path: str | None) -> Response:
        """The real body cut in half, with a Content-Length that matches the cut (so JSON parsing fails)."""
        if record.kind == "graphql" and record.graphql_query is not None:
            prepared = graphql_api.prepare(record.graphql_query, record.graphql_variables, None)
            if isinstance(prepared, graphql_api.Prepared):
                with self.lock:
                    full: Any = graphql_api.run(prepared, graphql_api.Context(self._renderer()))
            else:
                full = prepared
        elif rest_path is not None:
            full = self._render_rest(request, rest_path).body
        else:
            full = error_body("Not Found")
        data = _encode(full)
        cut = data[: max(1, len(data) // 2)]
        return Response(cut, status=200, headers={"Content-Type": "application/json; charset=utf-8"})


_CONVERTERS = {"pull_number": "int:", "issue_number": "int:", "installation_id": "int:", "ref": "path:"}


def _rule(template: str) -> str:
    """The Werkzeug rule of an OpenAPI path template: ``{pull_number}`` -> ``<int:pull_number>``."""
    return re.sub(r"\{(\w+)\}", lambda m: f"<{_CONVERTERS.get(m[1], '')}{m[1]}>", template)


_APP_ROUTES = Map(
    [
        Rule(_rule(template), endpoint=template)
        for template in (
            "/app/installations/{installation_id}/access_tokens",
            "/orgs/{org}/installation",
            "/repos/{owner}/{repo}/installation",
        )
    ],
    strict_slashes=False,
)


def apps_route(rest_path: str) -> tuple[str, dict[str, Any]] | None:
    """The App operation (OpenAPI template) a path names, with its arguments; None for other paths."""
    try:
        template, args = _APP_ROUTES.bind("fake").match(rest_path, method="GET")
    except HTTPException:
        return None
    return str(template), dict(args)


def token_label(token: str) -> str:
    """A personal token's name in logs: a short hash, never the token."""
    return "token:" + hashlib.sha256(token.encode()).hexdigest()[:12]


def _json_body(request: Request) -> Any:
    try:
        return json.loads(request.get_data(cache=True) or b"{}")
    except ValueError:
        return None


def _reset(environ: dict[str, Any]) -> None:
    """Abort the TCP connection (RST) before any response byte is sent."""
    sock = environ.get("werkzeug.socket")
    if isinstance(sock, socket.socket):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RDWR)


def _graphql_payload(request: Request) -> tuple[str | None, dict[str, Any] | None]:
    try:
        payload = json.loads(request.get_data(cache=True) or b"{}")
    except (ValueError, ClientDisconnected):
        return None, None
    if not isinstance(payload, dict):
        return None, None
    query, variables = payload.get("query"), payload.get("variables")
    return (query if isinstance(query, str) else None, variables if isinstance(variables, dict) else None)


def _operation_name(request: Request) -> str | None:
    try:
        payload = json.loads(request.get_data(cache=True) or b"{}")
    except ValueError:
        return None
    name = payload.get("operationName") if isinstance(payload, dict) else None
    return name if isinstance(name, str) else None


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    candidates = [c.strip().removeprefix("W/") for c in header.split(",")]
    return etag in candidates or "*" in candidates


# ---- REST handlers --------------------------------------------------------------------------------


def _parse_time(value: str | None, name: str) -> datetime | None:
    if value is None or value == "":
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as err:
        raise _Invalid(f"Invalid value for `{name}`: {value!r} is not an ISO 8601 timestamp") from err
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class _View:
    """What one REST handler needs: the request, the renderer and pagination helpers."""

    def __init__(self, server: FakeGitHub, request: Request, renderer: Renderer) -> None:
        self.server = server
        self.request = request
        self.r = renderer
        self.model = server.model
        self.index = renderer.index

    def arg(self, name: str, default: str | None = None) -> str | None:
        return self.request.args.get(name, default)

    def repo(self, owner: str, repo: str) -> Repo:
        found = self.model.repos.get(repo)
        if owner.lower() != self.model.login.lower() or found is None:
            raise _NotFound
        return found

    def pull(self, owner: str, repo: str, number: int) -> PullRequest:
        self.repo(owner, repo)
        pr = self.model.pulls.get((repo, number))
        if pr is None:
            raise _NotFound
        return pr

    def page_params(self, max_per_page: int | None = None) -> tuple[int, int]:
        cap = max_per_page or self.server.per_page_max
        try:
            per_page = int(self.arg("per_page") or 30)
            page = int(self.arg("page") or 1)
        except ValueError as err:
            raise _Invalid("per_page and page must be integers") from err
        return max(1, min(per_page, cap)), max(1, page)

    def paginate(
        self, items: Sequence[Any], max_per_page: int | None = None
    ) -> tuple[list[Any], dict[str, str]]:
        """One page of ``items`` and GitHub's ``Link`` header for it."""
        per_page, page = self.page_params(max_per_page)
        last = max(1, -(-len(items) // per_page))
        chunk = list(items[(page - 1) * per_page : page * per_page])
        links: list[tuple[str, int]] = []
        if page > 1:
            links.append(("prev", min(page - 1, last)))
        if page < last:
            links += [("next", page + 1), ("last", last)]
        if page > 1:
            links.append(("first", 1))
        headers: dict[str, str] = {}
        if links:
            headers["Link"] = ", ".join(f'<{self._page_url(n)}>; rel="{rel}"' for rel, n in links)
        return chunk, headers

    def _page_url(self, page: int) -> str:
        params = [(k, v) for k, v in self.request.args.items(multi=True) if k != "page"]
        params.append(("page", str(page)))
        return f"{self.server.root_url}{self.request.path}?{urlencode(params)}"

    def listing(self, items: Sequence[Any], render: Callable[[Any], JSON]) -> Answer:
        chunk, headers = self.paginate(items)
        return Answer(200, [render(x) for x in chunk], headers)

    def since_filter(self, items: Sequence[Any]) -> list[Any]:
        since = _parse_time(self.arg("since"), "since")
        return [x for x in items if since is None or x.updated_at >= since]

    def sort_and_direct(self, items: Sequence[Any], default_sort: str, default_dir: str) -> list[Any]:
        sort = self.arg("sort") or default_sort
        direction = self.arg("direction") or default_dir
        attr = "updated_at" if sort == "updated" else "created_at"
        return sorted(items, key=lambda x: (getattr(x, attr), x.id), reverse=direction == "desc")


def _get_org(v: _View, org: str) -> Answer:
    if org.lower() != v.model.login.lower():
        raise _NotFound
    return Answer(200, v.r.organization())


def _org_repos(v: _View, org: str) -> Answer:
    if org.lower() != v.model.login.lower():
        raise _NotFound
    kind = v.arg("type") or "all"
    repos = [
        r
        for r in v.model.repos.values()
        if kind in ("all", "sources", "member") or (kind == "private") == r.private and kind != "forks"
    ]
    sort = v.arg("sort") or "created"
    direction = v.arg("direction") or ("asc" if sort == "full_name" else "desc")
    keys: dict[str, Callable[[Repo], Any]] = {
        "created": lambda r: (r.created_at or v.model.created_at or datetime.min.replace(tzinfo=UTC), r.id),
        "updated": lambda r: (r.updated_at or r.created_at or datetime.min.replace(tzinfo=UTC), r.id),
        "pushed": lambda r: (r.pushed_at or r.created_at or datetime.min.replace(tzinfo=UTC), r.id),
        "full_name": lambda r: (r.name.lower(), r.id),
    }
    repos.sort(key=keys.get(sort, keys["created"]), reverse=direction == "desc")
    return v.listing(repos, v.r.repository)


def _get_repo(v: _View, owner: str, repo: str) -> Answer:
    return Answer(200, v.r.repository(v.repo(owner, repo)))


def _list_pulls(v: _View, owner: str, repo: str) -> Answer:
    v.repo(owner, repo)
    state = v.arg("state") or "open"
    if state not in ("open", "closed", "all"):
        raise _Invalid(f"Invalid value for `state`: {state!r}")
    pulls = [p for p in v.index.pulls_by_repo.get(repo, []) if state == "all" or p.state == state]
    base, head = v.arg("base"), v.arg("head")
    if base:
        pulls = [p for p in pulls if p.base_ref == base]
    if head:
        pulls = [p for p in pulls if p.head_ref == head.split(":", 1)[-1]]
    sort = v.arg("sort") or "created"
    direction = v.arg("direction") or ("desc" if sort == "created" else "asc")
    comments = v.index.issue_comments_by_issue
    keys: dict[str, Callable[[PullRequest], Any]] = {
        "created": lambda p: (p.created_at, p.id),
        "updated": lambda p: (p.updated_at, p.id),
        "popularity": lambda p: (len(comments.get((p.repo, p.number), [])), p.id),
        "long-running": lambda p: (p.created_at, p.id),
    }
    pulls.sort(key=keys.get(sort, keys["created"]), reverse=direction == "desc")
    return v.listing(pulls, v.r.pull_simple)


def _get_pull(v: _View, owner: str, repo: str, pull_number: int) -> Answer:
    return Answer(200, v.r.pull_full(v.pull(owner, repo, pull_number)))


def _pull_reviews(v: _View, owner: str, repo: str, pull_number: int) -> Answer:
    v.pull(owner, repo, pull_number)
    # Pending reviews are visible to their author only; the token is nobody's.
    reviews = [r for r in v.index.reviews_by_pr.get((repo, pull_number), []) if r.state != "PENDING"]
    return v.listing(reviews, v.r.review)


def _pull_review_comments(v: _View, owner: str, repo: str, pull_number: int) -> Answer:
    v.pull(owner, repo, pull_number)
    items = v.since_filter(v.index.review_comments_by_pr.get((repo, pull_number), []))
    return v.listing(v.sort_and_direct(items, "created", "asc"), v.r.review_comment)


def _pull_files(v: _View, owner: str, repo: str, pull_number: int) -> Answer:
    pr = v.pull(owner, repo, pull_number)
    head = v.r.head_sha(pr)
    return v.listing(pr.files[:3000], lambda f: v.r.diff_entry(repo, head, f))


def _issue_comments(v: _View, owner: str, repo: str, issue_number: int) -> Answer:
    v.pull(owner, repo, issue_number)  # every issue the model holds is a pull request
    items = v.since_filter(v.index.issue_comments_by_issue.get((repo, issue_number), []))
    return v.listing(sorted(items, key=lambda c: c.id), v.r.issue_comment)


def _find_commit(v: _View, repo: str, ref: str) -> Any:
    if ref == v.model.repos[repo].default_branch:
        head = v.index.branch_commits.get(repo, [])
        if head:
            return head[0]
        raise _NotFound
    exact = v.model.commits.get((repo, ref)) if len(ref) >= 7 else None
    if exact is not None:  # a whole sha names its commit (the usual case: skip the prefix scan)
        return exact
    matches = [
        c for (r, s), c in v.model.commits.items() if r == repo and len(ref) >= 7 and s.startswith(ref)
    ]
    if len(matches) != 1:
        raise _NotFound
    return matches[0]


def _get_commit(v: _View, owner: str, repo: str, ref: str) -> Answer:
    v.repo(owner, repo)
    commit = _find_commit(v, repo, ref)
    files, headers = v.paginate(commit.files[:3000], COMMIT_FILES_MAX_PAGE)
    return Answer(200, v.r.commit(commit, files), headers)


_RUN_FILTERS = ("actor", "branch", "check_suite_id", "created", "event", "head_sha", "status")


def _runs(v: _View, owner: str, repo: str) -> Answer:
    v.repo(owner, repo)
    runs = v.index.runs_by_repo.get(repo, [])
    lo, hi = _created_range(v.arg("created"))
    status, branch, event = v.arg("status"), v.arg("branch"), v.arg("event")
    head_sha, actor, suite = v.arg("head_sha"), v.arg("actor"), v.arg("check_suite_id")
    chosen = [
        r
        for r in runs
        if (lo is None or r.created_at >= lo)
        and (hi is None or r.created_at <= hi)
        and (not status or status in (r.status, r.conclusion))
        and (not branch or r.head_branch == branch)
        and (not event or r.event == event)
        and (not head_sha or r.head_sha == head_sha)
        and (not actor or r.actor == actor)
        and (not suite or str(r.id * 10) == suite)
    ]
    if any(v.arg(name) for name in _RUN_FILTERS):
        chosen = chosen[:RUNS_SEARCH_CAP]
    exclude = (v.arg("exclude_pull_requests") or "").lower() == "true"
    chunk, headers = v.paginate(chosen)
    body = {"total_count": len(chosen), "workflow_runs": [v.r.workflow_run(r, exclude) for r in chunk]}
    return Answer(200, body, headers)


def _created_range(value: str | None) -> tuple[datetime | None, datetime | None]:
    """GitHub's search date syntax: ``>=d``, ``>d``, ``<=d``, ``<d``, ``a..b`` (``*`` open), ``d``."""
    if not value:
        return None, None
    value = value.strip()
    one_tick = timedelta(microseconds=1)
    if value.startswith(">="):
        return _bound(value[2:], end=False), None
    if value.startswith("<="):
        return None, _bound(value[2:], end=True)
    if value.startswith(">"):
        return _bound(value[1:], end=True) + one_tick, None
    if value.startswith("<"):
        return None, _bound(value[1:], end=False) - one_tick
    if ".." in value:
        a, b = value.split("..", 1)
        return (None if a in ("", "*") else _bound(a, end=False)), (
            None if b in ("", "*") else _bound(b, end=True)
        )
    return _bound(value, end=False), _bound(value, end=True)


def _bound(text: str, *, end: bool) -> datetime:
    """A date is a whole day: its start as a lower bound, its last second as an upper one."""
    parsed = _parse_time(text, "created")
    assert parsed is not None
    if end and len(text.strip()) == 10:
        return parsed + timedelta(days=1) - timedelta(microseconds=1)
    return parsed


_T = "/repos/{owner}/{repo}"
# REST operations by OpenAPI path template: what a naive PyGithub loop over an org's pull requests
# calls (benchmarks/collect_cost.py), and the collector's workflow runs and single commits.
_HANDLERS: dict[str, Callable[..., Answer]] = {
    "/orgs/{org}": _get_org,
    "/orgs/{org}/repos": _org_repos,
    _T: _get_repo,
    f"{_T}/pulls": _list_pulls,
    f"{_T}/pulls/{{pull_number}}": _get_pull,
    f"{_T}/pulls/{{pull_number}}/reviews": _pull_reviews,
    f"{_T}/pulls/{{pull_number}}/comments": _pull_review_comments,
    f"{_T}/pulls/{{pull_number}}/files": _pull_files,
    f"{_T}/issues/{{issue_number}}/comments": _issue_comments,
    f"{_T}/commits/{{ref}}": _get_commit,
    f"{_T}/actions/runs": _runs,
}
REST_OPERATIONS = tuple(_HANDLERS)  # the OpenAPI path templates served
