"""Real-GitHub response shapes the fake emits on demand (all off by default, and off in the demo).

Each switch reproduces one thing api.github.com or GitHub Enterprise Server really sends (issue 9);
per-request shapes (rate-limit variants, abuse messages, empty or HTML bodies) are faults instead
(``faults.py``). The GraphQL answer is produced as usual and then reshaped here, so the data around
the reshaped part is exactly what the model holds.

- ``timeout_prs``: any query that loads the nested connections of one of these PRs answers HTTP 200
  with ``data: null`` and GitHub's "Something went wrong while executing your query" (GitHub's own
  timeout for a heavy query, which repeats for the same PR on every try).
- ``forbidden``: (repo, PR number) -> a nested connection of that PR (``timelineItems`` too), answered
  ``null`` beside an error of type FORBIDDEN ("Resource not accessible by integration") that carries its ``path``.
- ``not_found_prs``: these PR nodes answer ``null`` beside a NOT_FOUND error with its path.
- ``upstream_prs``: repo -> another repo of the model; a commit's ``associatedPullRequests`` lists a
  PR of that other repo first, as a fork's commits list the upstream's PRs.
- ``null_database_ids``: ids whose ``fullDatabaseId`` / ``databaseId`` answer null (both are nullable).
- ``missing_fields``: fields this "Enterprise Server version" does not know; a query that names one
  gets HTTP 200 with GHES's "Field 'X' doesn't exist on type 'Y'" and no data.
- ``show_pending``: the token owner's own pending reviews appear (state PENDING, submittedAt null).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

from graphql import GraphQLError, build_schema, parse, validate

from analyzer.fakegithub.model import OrgModel

JSON = dict[str, Any]
PR_CONNECTIONS = ("files", "commits", "reviews", "comments", "reviewThreads")
FORBIDDEN_MESSAGE = "Resource not accessible by integration"


def something_went_wrong(now: float) -> str:
    stamp = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"Something went wrong while executing your query on {stamp}. This may be the result of a timeout, or"
        " it could be a GitHub bug. Please include `C3A4:2F1B:8D2E5A:9B1C4F:6570A1B2` when reporting this issue."
    )


@dataclass
class Fidelity:
    timeout_prs: set[tuple[str, int]] = field(default_factory=set)
    forbidden: dict[tuple[str, int], str] = field(default_factory=dict)
    not_found_prs: set[tuple[str, int]] = field(default_factory=set)
    upstream_prs: dict[str, str] = field(default_factory=dict)
    null_database_ids: set[int] = field(default_factory=set)
    missing_fields: frozenset[str] = frozenset()
    show_pending: bool = False

    @property
    def reshapes(self) -> bool:
        """Whether a GraphQL answer needs the post-execution pass at all."""
        return bool(self.timeout_prs or self.forbidden or self.not_found_prs or self.null_database_ids)

    # -- before execution ---------------------------------------------------------------------

    def refuse_query(self, query: str) -> JSON | None:
        """GHES's answer to a query naming a field it lacks, or None when the query is fine."""
        if not self.missing_fields or not any(re.search(rf"\b{f}\b", query) for f in self.missing_fields):
            return None
        try:
            problems = validate(_schema_without(self.missing_fields), parse(query))
        except GraphQLError:
            return None
        errors = []
        for problem in problems:
            found = re.search(r"Cannot query field '(\w+)' on type '(\w+)'", problem.message)
            if found:
                errors.append({
                    "path": ["query"],
                    "extensions": {"code": "undefinedField", "typeName": found[2], "fieldName": found[1]},
                    "locations": [{"line": loc.line, "column": loc.column} for loc in problem.locations or []],
                    "message": f"Field '{found[1]}' doesn't exist on type '{found[2]}'",
                })
        return {"errors": errors} if errors else None

    # -- after execution ----------------------------------------------------------------------

    def reshape(self, body: JSON, model: OrgModel, now: float) -> JSON:
        data = body.get("data")
        if not self.reshapes or not isinstance(data, dict):
            return body
        by_node = {model.pulls[key].node_id: key for key in self._pr_keys() if key in model.pulls}
        errors: list[JSON] = list(body.get("errors") or [])
        for path, node in list(_dicts(data, [])):
            key = by_node.get(str(node.get("id")))
            if key is not None and any(c in node for c in (*PR_CONNECTIONS, "timelineItems")):
                if key in self.timeout_prs and any(c in node for c in PR_CONNECTIONS):  # a heavy query only
                    return {"data": None, "errors": [{"message": something_went_wrong(now)}]}
                if key in self.not_found_prs and path:
                    _set(data, path, None)
                    errors.append(_error("NOT_FOUND", f"Could not resolve to a node with the global id of"
                                                      f" '{node['id']}'", path))
                    continue
                connection = self.forbidden.get(key)
                if connection is not None and connection in node:
                    node[connection] = None
                    errors.append(_error("FORBIDDEN", FORBIDDEN_MESSAGE, [*path, connection]))
            for name in ("fullDatabaseId", "databaseId"):
                value = node.get(name)
                if value is not None and int(value) in self.null_database_ids:
                    node[name] = None
        out: JSON = {"data": data}
        if errors:
            out["errors"] = errors
        return out

    def _pr_keys(self) -> set[tuple[str, int]]:
        return self.timeout_prs | set(self.forbidden) | self.not_found_prs


def _error(kind: str, message: str, path: list[Any]) -> JSON:
    return {"type": kind, "path": path, "locations": [{"line": 1, "column": 1}], "message": message}


def _dicts(value: Any, path: list[Any]) -> Iterator[tuple[list[Any], JSON]]:
    """Every object in a JSON value with its path (keys and list indexes), parents before children."""
    if isinstance(value, dict):
        yield path, value
        for key, child in value.items():
            if isinstance(child, dict | list):
                yield from _dicts(child, [*path, key])
    elif isinstance(value, list):
        for index, child in enumerate(value):
            if isinstance(child, dict | list):
                yield from _dicts(child, [*path, index])


def _set(data: Any, path: list[Any], value: Any) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


@cache
def _schema_without(fields: frozenset[str]) -> Any:
    sdl = resources.files("analyzer.fakegithub").joinpath("schema.graphql").read_text(encoding="utf-8")
    kept = [line for line in sdl.splitlines() if line.strip().split(":", 1)[0].split("(", 1)[0] not in fields]
    return build_schema("\n".join(kept))
