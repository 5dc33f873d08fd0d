"""GraphQL for the fake server: our SDL subset of GitHub's schema, executed for real by graphql-core.

Resolvers read the ``OrgModel`` directly. Connections page with opaque keyset cursors (so a page
boundary stays put when other items change between requests), GitHub's pagination rules and query
cost formula are enforced before execution, and errors carry GitHub's ``type`` field.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, lru_cache
from importlib import resources
from json.encoder import encode_basestring_ascii
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLID,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    build_schema,
    execute_sync,
    get_named_type,
    parse,
    validate,
    value_from_ast,
)

from analyzer.fakegithub import query_plan
from analyzer.fakegithub.fidelity import Fidelity
from analyzer.fakegithub.model import (
    Commit,
    DraftEvent,
    IssueComment,
    OrgModel,
    PullRequest,
    Repo,
    Review,
    ReviewComment,
    ReviewThread,
    User,
    node_id,
)
from analyzer.fakegithub.rest import EPOCH, Renderer, iso

JSON = dict[str, Any]
MAX_PAGE = 100
MAX_NODES = 500_000
_CHANGE_TYPES = {"added": "ADDED", "removed": "DELETED", "modified": "MODIFIED", "renamed": "RENAMED"}


class GitHubError(Exception):
    """An error GitHub reports with a ``type`` (NOT_FOUND, RATE_LIMITED, ...)."""

    def __init__(self, gh_type: str, message: str) -> None:
        super().__init__(message)
        self.gh_type = gh_type
        self.message = message


@cache
def schema() -> GraphQLSchema:
    """Our SDL with resolvers attached (built once per process)."""
    sdl = resources.files("analyzer.fakegithub").joinpath("schema.graphql").read_text(encoding="utf-8")
    built = build_schema(sdl)
    for type_name, fields in _RESOLVERS.items():
        gql_type = built.type_map[type_name]
        assert isinstance(gql_type, GraphQLObjectType)
        for field_name, resolver in fields.items():
            gql_type.fields[field_name].resolve = resolver
    for iface in ("Node", "Actor", "GitObject", "PullRequestTimelineItems"):
        abstract = built.type_map[iface]
        assert isinstance(abstract, GraphQLInterfaceType | GraphQLUnionType)
        abstract.resolve_type = _type_name
    return built


# ---- per-request context ------------------------------------------------------------------------


@dataclass
class RateInfo:
    cost: int
    node_count: int
    limit: int
    remaining: int
    used: int
    reset_at: float


@dataclass
class Context:
    renderer: Renderer
    rate: RateInfo | None = None
    fidelity: Fidelity | None = None  # real-GitHub shapes switched on for this server (fidelity.py)

    @property
    def model(self) -> OrgModel:
        return self.renderer.model


@dataclass(frozen=True)
class Ref:
    repo: Repo


@dataclass(frozen=True)
class Label:
    repo: str
    name: str


@dataclass(frozen=True)
class PRCommit:
    pr: PullRequest
    commit: Commit


@dataclass(frozen=True)
class GitActor:
    name: str
    email: str
    date: datetime
    login: str | None


def _type_name(value: Any, _info: Any, _abstract: Any) -> str:
    if isinstance(value, User):
        return "Bot" if value.type == "Bot" else "User"
    if isinstance(value, DraftEvent):
        return "ReadyForReviewEvent" if value.kind == "ready_for_review" else "ConvertToDraftEvent"
    names: dict[type, str] = {
        PullRequest: "PullRequest",
        ReviewThread: "PullRequestReviewThread",
        Review: "PullRequestReview",
        IssueComment: "IssueComment",
        ReviewComment: "PullRequestReviewComment",
        Repo: "Repository",
        Commit: "Commit",
        OrgModel: "Organization",
        Ref: "Ref",
        Label: "Label",
        PRCommit: "PullRequestCommit",
    }
    return names[type(value)]


def _ctx(info: Any) -> Context:
    ctx = info.context
    assert isinstance(ctx, Context)
    return ctx


# ---- cursors and connections --------------------------------------------------------------------

SortKey = tuple[Any, ...]


def encode_cursor(key: SortKey) -> str:
    return base64.b64encode(b"cursor:v2:" + _key_json(key).encode()).decode()


def _key_json(key: SortKey) -> str:
    """``json.dumps(list(key))`` for the usual keys (str, int, finite float) without the encoder setup."""
    parts: list[str] = []
    for part in key:
        kind = type(part)
        if kind is str:
            parts.append(encode_basestring_ascii(part))
        elif kind is int or (kind is float and math.isfinite(part)):
            parts.append(repr(part))
        else:
            return json.dumps(list(key))
    return "[" + ", ".join(parts) + "]"


def decode_cursor(cursor: str) -> SortKey:
    try:
        raw = base64.b64decode(cursor.encode(), validate=True)
        if not raw.startswith(b"cursor:v2:"):
            raise ValueError(cursor)
        return tuple(json.loads(raw[len(b"cursor:v2:") :]))
    except (ValueError, binascii.Error) as err:
        raise GitHubError(
            "INVALID_CURSOR_ARGUMENTS", f"`{cursor}` does not appear to be a valid cursor."
        ) from err


def connection(
    items: Sequence[Any],
    key: Callable[[Any], SortKey],
    first: int | None,
    after: str | None,
    descending: bool = False,
    *,
    last: int | None = None,
    before: str | None = None,
    skip: int = 0,
) -> JSON:
    """One page of ``items`` (already in output order): those between the keyset cursors ``after`` and
    ``before``, less the first ``skip``, then the ``first`` of them or the ``last`` (GitHub's order of
    slicing). ``totalCount`` counts ``items``; ``filteredCount`` what lies between the cursors."""
    start, end = 0, len(items)
    if after is not None:
        mark = decode_cursor(after)
        start = _first_index(items, key, (lambda k: k < mark) if descending else (lambda k: k > mark))
    if before is not None:
        stop = decode_cursor(before)
        end = max(start, _first_index(items, key, (lambda k: k <= stop) if descending else (lambda k: k >= stop)))
    filtered = end - start
    start = min(end, start + max(skip, 0))
    if last is not None and first is None:
        start = max(start, end - last)
    else:
        end = min(end, start + (MAX_PAGE if first is None else first))
    page = list(items[start:end])

    # Edges and cursors are built only when a query asks for them: the default resolver calls a
    # callable it finds in a dict, and most connections of a big page are read without them.
    def edges(_info: Any) -> list[JSON]:
        return [{"cursor": encode_cursor(key(n)), "node": n} for n in page]

    def start_cursor(_info: Any) -> str | None:
        return encode_cursor(key(page[0])) if page else None

    def end_cursor(_info: Any) -> str | None:
        return encode_cursor(key(page[-1])) if page else None

    return {
        "totalCount": len(items),
        "filteredCount": filtered,
        "pageCount": len(page),
        "nodes": page,
        "edges": edges,
        "pageInfo": {
            "startCursor": start_cursor,
            "endCursor": end_cursor,
            "hasNextPage": end < len(items),
            "hasPreviousPage": start > 0,
        },
    }


def _first_index(items: Sequence[Any], key: Callable[[Any], SortKey], past: Callable[[SortKey], bool]) -> int:
    """The first index whose key is ``past`` a cursor (``len(items)`` when none is)."""
    for i, item in enumerate(items):
        if past(key(item)):
            return i
    return len(items)


def _pushed_at(repo: Repo, info: Any) -> str | None:
    """GitHub moves pushedAt on every push: the model's value, or the newest commit if that is later."""
    model = _ctx(info).model
    times = [c.committed_at for (name, _), c in model.commits.items() if name == repo.name]
    latest = max([t for t in (repo.pushed_at, *times) if t is not None], default=None)
    return iso(latest) if latest else None


def _ts(value: datetime | None) -> float:
    return (value or EPOCH).timestamp()


def _by_index(items: Sequence[Any]) -> Callable[[Any], SortKey]:
    positions = {id(item): i for i, item in enumerate(items)}
    return lambda item: (positions[id(item)],)


def _paged_by_index(items: Sequence[Any], first: int | None, after: str | None) -> JSON:
    return connection(items, _by_index(items), first, after)


# ---- query cost (GitHub's documented formula) ---------------------------------------------------


@dataclass
class Cost:
    requests: int = 0
    nodes: int = 0

    @property
    def points(self) -> int:
        return max(1, math.floor(self.requests / 100 + 0.5))


class _CostWalker:
    def __init__(self, gql: GraphQLSchema, doc: DocumentNode, variables: dict[str, Any]) -> None:
        self.schema = gql
        self.variables = variables
        self.fragments = {d.name.value: d for d in doc.definitions if isinstance(d, FragmentDefinitionNode)}
        self.cost = Cost()

    def walk(self, selections: SelectionSetNode | None, parent: Any, multiplier: int) -> None:
        if selections is None:
            return
        for sel in selections.selections:
            if isinstance(sel, FieldNode):
                self._field(sel, parent, multiplier)
            elif isinstance(sel, InlineFragmentNode):
                cond = self.schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
                self.walk(sel.selection_set, cond, multiplier)
            elif isinstance(sel, FragmentSpreadNode):
                frag = self.fragments[sel.name.value]
                self.walk(
                    frag.selection_set, self.schema.get_type(frag.type_condition.name.value), multiplier
                )

    def _field(self, node: FieldNode, parent: Any, multiplier: int) -> None:
        name = node.name.value
        fields = getattr(parent, "fields", None)
        if name.startswith("__") or fields is None or name not in fields:
            return
        named = get_named_type(fields[name].type)
        if named.name.endswith("Connection"):
            first = self._page_size(node, name)
            self.cost.requests += multiplier
            multiplier *= max(first, 1)
            self.cost.nodes += multiplier
            if self.cost.nodes > MAX_NODES:
                raise GitHubError(
                    "MAX_NODE_LIMIT_EXCEEDED",
                    f"By the time this query traverses to the {name} connection, it is requesting up to "
                    f"{self.cost.nodes:,} possible nodes which exceeds the maximum limit of {MAX_NODES:,}.",
                )
        elif name == "nodes" and parent is self.schema.query_type:
            multiplier *= max(len(self._list_arg(node, "ids")), 1)  # one parent instance per id asked
        self.walk(node.selection_set, named, multiplier)

    def _list_arg(self, node: FieldNode, arg: str) -> list[Any]:
        for argument in node.arguments or ():
            if argument.name.value == arg:
                value = value_from_ast(argument.value, GraphQLList(GraphQLID), self.variables)
                return value if isinstance(value, list) else []
        return []

    def _page_size(self, node: FieldNode, name: str) -> int:
        """The ``first`` or ``last`` of a connection field, held to GitHub's pagination rules."""
        first, last = self._int_arg(node, "first"), self._int_arg(node, "last")
        if first is not None and last is not None:
            raise GitHubError(
                "INVALID_PAGINATION",
                f"Passing both `first` and `last` to paginate the `{name}` connection is not supported.",
            )
        size, arg = (first, "first") if first is not None else (last, "last")
        if size is None:
            raise GitHubError(
                "MISSING_PAGINATION_BOUNDARIES",
                f"You must provide a `first` or `last` value to properly paginate the `{name}` connection.",
            )
        if size > MAX_PAGE or size < 0:
            raise GitHubError(
                "EXCESSIVE_PAGINATION",
                f"Requesting {size} records on the `{name}` connection exceeds the `{arg}` limit of "
                f"{MAX_PAGE} records."
                if size > MAX_PAGE
                else f"`{arg}` on the `{name}` connection cannot be less than zero.",
            )
        return size

    def _int_arg(self, node: FieldNode, arg: str) -> int | None:
        for argument in node.arguments or ():
            if argument.name.value == arg:
                value = value_from_ast(argument.value, GraphQLInt, self.variables)
                return value if isinstance(value, int) else None
        return None


@dataclass
class Prepared:
    """A parsed, validated query with its cost, ready to charge and execute."""

    document: DocumentNode
    variables: dict[str, Any]
    operation_name: str | None
    cost: Cost


def error_json(gh_type: str | None, message: str) -> JSON:
    err: JSON = {"message": message}
    if gh_type:
        err["type"] = gh_type
    return err


def prepare(query: str, variables: dict[str, Any] | None, operation_name: str | None) -> Prepared | JSON:
    """Parse, validate and cost a query; an ``{"errors": [...]}`` body when GitHub would refuse it."""
    gql = schema()
    document = _checked_document(query)
    if not isinstance(document, DocumentNode):
        return copy.deepcopy(document)  # the cached body stays as it was
    walker = _CostWalker(gql, document, variables or {})
    try:
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                if operation_name and definition.name and definition.name.value != operation_name:
                    continue
                walker.walk(definition.selection_set, gql.query_type, 1)
    except GitHubError as err:
        return {"errors": [error_json(err.gh_type, err.message)]}
    return Prepared(document, variables or {}, operation_name, walker.cost)


@lru_cache(maxsize=256)
def _checked_document(query: str) -> DocumentNode | JSON:
    """The parsed document, or GitHub's error body; cached, since clients send the same text per page.

    Callers must not change what this returns (the cache hands the same objects out again).
    """
    try:
        document = parse(query)
    except GraphQLError as err:
        return {"errors": [_format(err)]}
    problems = validate(schema(), document)
    if problems:
        return {"errors": [_format(e) for e in problems]}
    return document


def run(prepared: Prepared, ctx: Context) -> JSON:
    """Execute a prepared query: its plan when that answers exactly, else graphql-core (query_plan.py)."""
    try:
        data = query_plan.execute(
            schema(), prepared.document, prepared.variables, prepared.operation_name, ctx
        )
    except Exception:  # noqa: BLE001 - errors, nulls, introspection: graphql-core's exact semantics
        return run_with_graphql_core(prepared, ctx)
    return {"data": data}


def run_with_graphql_core(prepared: Prepared, ctx: Context) -> JSON:
    result = execute_sync(
        schema(),
        prepared.document,
        context_value=ctx,
        variable_values=prepared.variables,
        operation_name=prepared.operation_name,
    )
    body: JSON = {"data": result.data}
    if result.errors:
        body["errors"] = [_format(e) for e in result.errors]
    return body


def _format(err: GraphQLError) -> JSON:
    out: JSON = dict(err.formatted)
    out.pop("extensions", None)
    original = err.original_error
    if isinstance(original, GitHubError):
        out["type"] = original.gh_type
    return out


# ---- resolvers ----------------------------------------------------------------------------------


def _attr(name: str, convert: Callable[[Any], Any] | None = None) -> Callable[..., Any]:
    """A resolver that reads one attribute of its source, optionally converted (a datetime to GitHub's text)."""
    if convert is None:
        return lambda source, _info: getattr(source, name)
    return lambda source, _info: convert(getattr(source, name))


def _actor(info: Any, login: str | None) -> User | None:
    """The live account behind ``login``; None for a ghost (GitHub returns null authors then)."""
    renderer = _ctx(info).renderer
    return None if renderer.is_ghost(login) else renderer.account(login)


def _commit(info: Any, repo: str, sha: str) -> Commit:
    found = _ctx(info).model.commits.get((repo, sha))
    if found is not None:
        return found
    return Commit(
        sha=sha,
        repo=repo,
        message="",
        author_login=None,
        author_name="",
        author_email="",
        authored_at=EPOCH,
        committed_at=EPOCH,
    )


def _pr_url(info: Any, pr: PullRequest) -> str:
    return f"{_ctx(info).renderer.urls.repo_html(pr.repo)}/pull/{pr.number}"


def _resolve_organization(_root: Any, info: Any, login: str) -> OrgModel:
    model = _ctx(info).model
    if login.lower() != model.login.lower():
        raise GitHubError("NOT_FOUND", f"Could not resolve to an Organization with the login of '{login}'.")
    return model


def _resolve_repository(_root: Any, info: Any, owner: str, name: str) -> Repo:
    model = _ctx(info).model
    repo = model.repos.get(name)
    if owner.lower() != model.login.lower() or repo is None:
        raise GitHubError("NOT_FOUND", f"Could not resolve to a Repository with the name '{owner}/{name}'.")
    return repo


def _lookup_node(info: Any, global_id: str) -> Any:
    ctx = _ctx(info)
    model, index = ctx.model, ctx.renderer.index
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        kind, _, raw = base64.b64decode(padded.encode(), validate=True).decode().partition(":")
        number = int(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        kind, number = "", -1
    tables: dict[str, Callable[[int], Any]] = {
        "PullRequest": index.pulls_by_id.get,
        "PullRequestReviewThread": model.review_threads.get,
        "PullRequestReview": model.reviews.get,
        "IssueComment": model.issue_comments.get,
        "ReadyForReviewEvent": lambda n: _draft_event(model, n, "ready_for_review"),
        "ConvertToDraftEvent": lambda n: _draft_event(model, n, "convert_to_draft"),
        "PullRequestReviewComment": model.review_comments.get,
        "Repository": lambda n: next((r for r in model.repos.values() if r.id == n), None),
        "User": lambda n: next((u for u in model.users.values() if u.id == n and not u.deleted), None),
        "Bot": lambda n: next((u for u in model.users.values() if u.id == n and not u.deleted), None),
    }
    found = tables[kind](number) if kind in tables else None
    if found is None or (isinstance(found, Review) and found.state == "PENDING"):
        raise GitHubError("NOT_FOUND", f"Could not resolve to a node with the global id of '{global_id}'.")
    return found


def _draft_event(model: OrgModel, number: int, kind: str) -> DraftEvent | None:
    event = model.draft_events.get(number)
    return event if event is not None and event.kind == kind else None


def _resolve_nodes(_root: Any, info: Any, ids: list[str]) -> list[Any]:
    """Each node, or (for an id nothing answers to) the error GitHub reports beside a null at its index."""
    out: list[Any] = []
    for gid in ids:
        try:
            out.append(_lookup_node(info, gid))
        except GitHubError as err:
            out.append(err)  # graphql-core nulls the item and reports it with path ["nodes", index]
    return out


def _rate_limit(_root: Any, info: Any) -> JSON | None:
    rate = _ctx(info).rate
    if rate is None:
        return None
    return {
        "cost": rate.cost,
        "limit": rate.limit,
        "remaining": rate.remaining,
        "used": rate.used,
        "nodeCount": rate.node_count,
        "resetAt": datetime.fromtimestamp(rate.reset_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _repositories(
    org: OrgModel, info: Any, first: int | None = None, after: str | None = None, orderBy: JSON | None = None
) -> JSON:  # noqa: N803 - GraphQL argument name
    field = (orderBy or {}).get("field", "CREATED_AT")
    descending = (orderBy or {}).get("direction", "ASC") == "DESC"
    keys: dict[str, Callable[[Repo], SortKey]] = {
        "NAME": lambda r: (r.name.lower(), r.id),
        "CREATED_AT": lambda r: (_ts(r.created_at), r.id),
        "UPDATED_AT": lambda r: (_ts(r.updated_at), r.id),
        "PUSHED_AT": lambda r: (_ts(r.pushed_at), r.id),
        "STARGAZERS": lambda r: (0, r.id),
    }
    key = keys[field]
    repos = sorted(org.repos.values(), key=key, reverse=descending)
    return connection(repos, key, first, after, descending)


def _pull_requests(
    repo: Repo,
    info: Any,
    first: int | None = None,
    after: str | None = None,
    orderBy: JSON | None = None,
    states: list[str] | None = None,
) -> JSON:  # noqa: N803
    ctx = _ctx(info)
    pulls = ctx.renderer.index.pulls_by_repo.get(repo.name, [])
    if states:
        pulls = [p for p in pulls if _pr_state(p) in states]
    field = (orderBy or {}).get("field")
    descending = (orderBy or {}).get("direction", "ASC") == "DESC"
    comments = ctx.renderer.index.issue_comments_by_issue
    keys: dict[str | None, Callable[[PullRequest], SortKey]] = {
        None: lambda p: (_ts(p.created_at), p.id),
        "CREATED_AT": lambda p: (_ts(p.created_at), p.id),
        "UPDATED_AT": lambda p: (_ts(p.updated_at), p.id),
        "COMMENTS": lambda p: (len(comments.get((p.repo, p.number), [])), p.id),
    }
    key = keys[field]
    return connection(sorted(pulls, key=key, reverse=descending), key, first, after, descending)


def _pr_state(pr: PullRequest) -> str:
    if pr.merged_at is not None:
        return "MERGED"
    return "CLOSED" if pr.closed_at is not None else "OPEN"


def _reviews(
    pr: PullRequest,
    info: Any,
    first: int | None = None,
    after: str | None = None,
    states: list[str] | None = None,
) -> JSON:
    fidelity = _ctx(info).fidelity
    pending = fidelity is not None and fidelity.show_pending  # only the token owner sees their own
    reviews = [
        r
        for r in _ctx(info).renderer.index.reviews_by_pr.get((pr.repo, pr.number), [])
        if (pending or r.state != "PENDING") and (not states or r.state in states)
    ]
    return connection(reviews, lambda r: (_ts(r.submitted_at), r.id), first, after)


def _issue_comments(pr: PullRequest, info: Any, first: int | None = None, after: str | None = None) -> JSON:
    comments = _ctx(info).renderer.index.issue_comments_by_issue.get((pr.repo, pr.number), [])
    return connection(comments, lambda c: (_ts(c.created_at), c.id), first, after)


def _threads(pr: PullRequest, info: Any, first: int | None = None, after: str | None = None) -> JSON:
    threads = _ctx(info).renderer.index.threads_by_pr.get((pr.repo, pr.number), [])
    return connection(threads, lambda t: (t.id,), first, after)


def _thread_comments(
    thread: ReviewThread, info: Any, first: int | None = None, after: str | None = None
) -> JSON:
    table = _ctx(info).model.review_comments
    comments = sorted(
        (table[i] for i in thread.comment_ids if i in table), key=lambda c: (c.created_at, c.id)
    )
    return connection(comments, lambda c: (_ts(c.created_at), c.id), first, after)


_ITEM_TYPES = {"READY_FOR_REVIEW_EVENT": "ready_for_review", "CONVERT_TO_DRAFT_EVENT": "convert_to_draft"}


def _timeline_items(
    pr: PullRequest,
    info: Any,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    itemTypes: list[str] | None = None,  # noqa: N803 - GraphQL argument name
    since: str | None = None,
    skip: int | None = None,
) -> JSON:
    """The PR's draft/ready toggles, oldest first, as GitHub pages its timeline (``totalCount``: the
    items of the asked types since ``since``, whatever the page)."""
    if not itemTypes:  # GitHub would list comments, commits, reviews... too: the fake serves only these
        raise GitHubError("UNSUPPORTED_BY_FAKE", "the fake GitHub serves timelineItems only with itemTypes")
    kinds = {_ITEM_TYPES[name] for name in itemTypes}
    lo = _parse_ts(since)
    events = [
        e
        for e in _ctx(info).renderer.index.draft_events_by_pr.get((pr.repo, pr.number), [])
        if e.kind in kinds and (lo is None or e.created_at >= lo)
    ]
    page = connection(events, lambda e: (_ts(e.created_at), e.id), first, after, last=last, before=before,
                      skip=skip or 0)
    page["updatedAt"] = iso(pr.updated_at)
    return page


def _event_url(event: DraftEvent, info: Any) -> str:
    return f"{_ctx(info).renderer.urls.repo_html(event.repo)}/pull/{event.pr_number}#event-{event.id}"


_DRAFT_EVENT: dict[str, Callable[..., Any]] = {
    "id": _attr("node_id"),
    "actor": lambda e, info: _actor(info, e.actor),
    "createdAt": _attr("created_at", iso),
    "pullRequest": lambda e, info: _ctx(info).model.pulls[(e.repo, e.pr_number)],
    "url": _event_url,
    "resourcePath": lambda e, info: "/" + _event_url(e, info).split("/", 3)[3],
}


def _pr_commits(pr: PullRequest, info: Any, first: int | None = None, after: str | None = None) -> JSON:
    items = [PRCommit(pr, _commit(info, pr.repo, sha)) for sha in pr.commit_shas]
    return _paged_by_index(items, first, after)


def _labels(pr: PullRequest, _info: Any, first: int | None = None, after: str | None = None) -> JSON:
    return _paged_by_index([Label(pr.repo, name) for name in pr.labels], first, after)


def _files(pr: PullRequest, _info: Any, first: int | None = None, after: str | None = None) -> JSON:
    return _paged_by_index(pr.files, first, after)


def _history(
    c: Commit,
    info: Any,
    first: int | None = None,
    after: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> JSON:
    commits = _ctx(info).renderer.index.branch_commits.get(c.repo, [])
    lo, hi = _parse_ts(since), _parse_ts(until)
    chosen = [
        x
        for x in commits
        if (x.committed_at, x.sha) <= (c.committed_at, c.sha)
        and (lo is None or x.committed_at >= lo)
        and (hi is None or x.committed_at <= hi)
    ]
    return connection(chosen, lambda x: (_ts(x.committed_at), x.sha), first, after, descending=True)


def _parse_ts(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as err:
        raise GitHubError("INVALID_ARGUMENTS", f"'{value}' is not a valid GitTimestamp.") from err
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _associated_prs(c: Commit, info: Any, first: int | None = None, after: str | None = None) -> JSON:
    ctx = _ctx(info)
    prs = ctx.renderer.index.pulls_by_sha.get((c.repo, c.sha), [])
    upstream = ctx.fidelity.upstream_prs.get(c.repo) if ctx.fidelity else None
    if upstream:  # a fork's commit: GitHub lists the upstream's PR (another base repository) first
        theirs = ctx.renderer.index.pulls_by_repo.get(upstream, [])
        if theirs:
            prs = [theirs[len(c.sha) % len(theirs)], *prs]
    return connection(prs, lambda p: (p.id,), first, after)


def _parents(c: Commit, info: Any, first: int | None = None, after: str | None = None) -> JSON:
    return _paged_by_index([_commit(info, c.repo, sha) for sha in c.parents], first, after)


def _git_actor(info: Any, c: Commit, committer: bool) -> GitActor:
    renderer = _ctx(info).renderer
    if committer:
        return GitActor(
            renderer._committer_name(c), renderer._committer_email(c), c.committed_at, c.committer_login
        )
    return GitActor(c.author_name, c.author_email, c.authored_at, c.author_login)


def _git_user(info: Any, login: str | None) -> User | None:
    user = _actor(info, login) if login else None
    return None if user is None or user.type == "Bot" else user


def _ref_target(ref: Ref, info: Any) -> Commit | None:
    commits = _ctx(info).renderer.index.branch_commits.get(ref.repo.name, [])
    return commits[0] if commits else None


def _avatar(user: User, info: Any, size: int | None = None) -> str:
    url = _ctx(info).renderer.urls.avatar(user.id)
    return f"{url}&s={size}" if size else url


def _int32(value: int) -> int | None:
    """``databaseId`` is a GraphQL Int (32 bits): null for ids beyond it, as on GitHub."""
    return value if value < 2**31 else None


def _graphql_login(user: User) -> str:
    # GitHub's GraphQL shows apps without the "[bot]" suffix that REST logins carry.
    return user.login.removesuffix("[bot]") if user.type == "Bot" else user.login


def _user_url(user: User, info: Any) -> str:
    root = _ctx(info).renderer.urls.root
    return f"{root}/apps/{_graphql_login(user)}" if user.type == "Bot" else f"{root}/{user.login}"


_ACTOR: dict[str, Callable[..., Any]] = {
    "id": _attr("node_id"),
    "databaseId": _attr("id"),
    "login": lambda u, _i: _graphql_login(u),
    "name": _attr("name"),
    "url": _user_url,
    "avatarUrl": _avatar,
}

_RESOLVERS: dict[str, dict[str, Callable[..., Any]]] = {
    "Query": {
        "organization": _resolve_organization,
        "repository": _resolve_repository,
        "node": lambda _r, info, id: _lookup_node(info, id),  # noqa: A006 - GraphQL argument name
        "nodes": _resolve_nodes,
        "rateLimit": _rate_limit,
    },
    "User": _ACTOR,
    "Bot": {k: v for k, v in _ACTOR.items() if k != "name"},
    "Organization": {
        "id": lambda o, _i: node_id("Organization", o.id),
        "databaseId": _attr("id"),
        "login": _attr("login"),
        "name": _attr("name"),
        "url": lambda o, info: f"{_ctx(info).renderer.urls.root}/{o.login}",
        "repositories": _repositories,
    },
    "Repository": {
        "id": _attr("node_id"),
        "databaseId": _attr("id"),
        "name": _attr("name"),
        "nameWithOwner": lambda r, info: f"{_ctx(info).model.login}/{r.name}",
        "url": lambda r, info: _ctx(info).renderer.urls.repo_html(r.name),
        "description": _attr("description"),
        "isArchived": _attr("archived"),
        "isPrivate": _attr("private"),
        "createdAt": lambda r, info: iso(r.created_at or _ctx(info).model.created_at or EPOCH),
        "pushedAt": _pushed_at,
        "updatedAt": lambda r, info: iso(r.updated_at or r.created_at or EPOCH),
        "defaultBranchRef": lambda r, _i: Ref(r),
        "pullRequest": lambda r, info, number: _ctx(info).model.pulls.get((r.name, number)),
        "pullRequests": _pull_requests,
    },
    "Ref": {
        "id": lambda ref, _i: node_id("Ref", ref.repo.id),
        "name": lambda ref, _i: ref.repo.default_branch,
        "target": _ref_target,
    },
    "Commit": {
        "id": _attr("node_id"),
        "oid": _attr("sha"),
        "message": _attr("message"),
        "messageHeadline": lambda c, _i: c.message.splitlines()[0] if c.message else "",
        "committedDate": _attr("committed_at", iso),
        "authoredDate": _attr("authored_at", iso),
        "additions": lambda c, _i: sum(f.additions for f in c.files),
        "deletions": lambda c, _i: sum(f.deletions for f in c.files),
        "url": lambda c, info: f"{_ctx(info).renderer.urls.repo_html(c.repo)}/commit/{c.sha}",
        "author": lambda c, info: _git_actor(info, c, committer=False),
        "committer": lambda c, info: _git_actor(info, c, committer=True),
        "associatedPullRequests": _associated_prs,
        "parents": _parents,
        "history": _history,
    },
    "GitActor": {
        "name": _attr("name"),
        "email": _attr("email"),
        "date": _attr("date", iso),
        # GitActor.user is a User: a bot (an app, not a user) is null there, as on GitHub
        "user": lambda a, info: _git_user(info, a.login),
    },
    "PullRequest": {
        "id": _attr("node_id"),
        "fullDatabaseId": lambda p, _i: str(p.id),
        "databaseId": lambda p, _i: _int32(p.id),
        "baseRepository": lambda p, info: _ctx(info).model.repos[p.repo],
        "number": _attr("number"),
        "title": _attr("title"),
        "body": _attr("body"),
        "url": lambda p, info: _pr_url(info, p),
        "state": lambda p, _i: _pr_state(p),
        "isDraft": _attr("draft"),
        "createdAt": _attr("created_at", iso),
        "updatedAt": _attr("updated_at", iso),
        "closedAt": _attr("closed_at", iso),
        "mergedAt": _attr("merged_at", iso),
        "merged": lambda p, _i: p.merged_at is not None,
        "mergedBy": lambda p, info: _actor(info, p.merged_by) if p.merged_at else None,
        "author": lambda p, info: _actor(info, p.author),
        "authorAssociation": _attr("author_association"),
        "additions": _attr("additions"),
        "deletions": _attr("deletions"),
        "changedFiles": lambda p, _i: len(p.files),
        "baseRefName": _attr("base_ref"),
        "headRefName": _attr("head_ref"),
        "repository": lambda p, info: _ctx(info).model.repos[p.repo],
        "labels": _labels,
        "files": _files,
        "commits": _pr_commits,
        "reviews": _reviews,
        "comments": _issue_comments,
        "reviewThreads": _threads,
        "timelineItems": _timeline_items,
    },
    "ReadyForReviewEvent": _DRAFT_EVENT,
    "ConvertToDraftEvent": _DRAFT_EVENT,
    "Label": {
        "id": lambda lb, _i: node_id("Label", abs(hash((lb.repo, lb.name))) % 10**9),
        "name": _attr("name"),
    },
    "PullRequestChangedFile": {
        "path": _attr("path"),
        "additions": _attr("additions"),
        "deletions": _attr("deletions"),
        "changeType": lambda f, _i: _CHANGE_TYPES[f.change_type],
    },
    "PullRequestCommit": {
        "id": lambda pc, _i: node_id("PullRequestCommit", int(pc.commit.sha[:12], 16)),
        "commit": _attr("commit"),
        "url": lambda pc, info: f"{_pr_url(info, pc.pr)}/commits/{pc.commit.sha}",
    },
    "PullRequestReview": {
        "id": _attr("node_id"),
        "fullDatabaseId": lambda r, _i: str(r.id),
        "databaseId": lambda r, _i: _int32(r.id),
        "author": lambda r, info: _actor(info, r.author),
        "authorAssociation": _attr("author_association"),
        "state": _attr("state"),
        "body": _attr("body"),
        "submittedAt": lambda r, _i: None if r.state == "PENDING" else iso(r.submitted_at),
        "createdAt": _attr("submitted_at", iso),
        "updatedAt": lambda r, _i: iso(r.updated_at or r.submitted_at),
        "url": lambda r, info: (
            f"{_ctx(info).renderer.urls.repo_html(r.repo)}/pull/{r.pr_number}#pullrequestreview-{r.id}"
        ),
        "commit": lambda r, info: _commit(info, r.repo, r.commit_sha),
    },
    "IssueComment": {
        "id": _attr("node_id"),
        "databaseId": lambda c, _i: _int32(c.id),
        "fullDatabaseId": lambda c, _i: str(c.id),
        "author": lambda c, info: _actor(info, c.author),
        "authorAssociation": _attr("author_association"),
        "body": _attr("body"),
        "createdAt": _attr("created_at", iso),
        "updatedAt": _attr("updated_at", iso),
        "url": lambda c, info: (
            f"{_ctx(info).renderer.urls.repo_html(c.repo)}/pull/{c.issue_number}#issuecomment-{c.id}"
        ),
    },
    "PullRequestReviewThread": {
        "id": _attr("node_id"),
        "path": _attr("path"),
        "line": _attr("line"),
        "originalLine": _attr("original_line"),
        "diffSide": _attr("diff_side"),
        "isResolved": _attr("is_resolved"),
        "isOutdated": _attr("is_outdated"),
        "resolvedBy": lambda t, info: (
            _actor(info, t.resolved_by) if t.is_resolved and t.resolved_by else None
        ),
        "pullRequest": lambda t, info: _ctx(info).model.pulls[(t.repo, t.pr_number)],
        "comments": _thread_comments,
    },
    "PullRequestReviewComment": {
        "id": _attr("node_id"),
        "fullDatabaseId": lambda c, _i: str(c.id),
        "databaseId": lambda c, _i: _int32(c.id),
        "author": lambda c, info: _actor(info, c.author),
        "authorAssociation": _attr("author_association"),
        "body": _attr("body"),
        "path": _attr("path"),
        "line": _attr("line"),
        "originalLine": _attr("original_line"),
        "diffHunk": _attr("diff_hunk"),
        "createdAt": _attr("created_at", iso),
        "updatedAt": _attr("updated_at", iso),
        "url": lambda c, info: (
            f"{_ctx(info).renderer.urls.repo_html(c.repo)}/pull/{c.pr_number}#discussion_r{c.id}"
        ),
        "commit": lambda c, info: _commit(info, c.repo, c.commit_sha),
        "originalCommit": lambda c, info: _commit(info, c.repo, c.original_commit_sha),
        "replyTo": lambda c, info: (
            _ctx(info).model.review_comments.get(c.in_reply_to_id) if c.in_reply_to_id is not None else None
        ),
        "pullRequestReview": lambda c, info: _ctx(info).model.reviews.get(c.review_id),
        "pullRequest": lambda c, info: _ctx(info).model.pulls[(c.repo, c.pr_number)],
    },
}
