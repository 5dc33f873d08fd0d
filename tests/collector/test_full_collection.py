"""A full collection over real HTTP equals the server's ground truth, within the API's descriptions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import graphql
import pytest

from analyzer.fakegithub.model import OrgModel
from tests.collector.helpers import assert_matches, run, served


def test_full_run_stores_exactly_the_ground_truth(tiny_org: OrgModel, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    with served(tiny_org) as server:
        result = run(server, tiny_org, store)
    assert_matches(tiny_org, store)
    assert result.status == "ok"
    assert result.budget.graphql_requests > 0 and result.budget.rest_requests > 0
    conn = sqlite3.connect(store)
    runs = conn.execute("SELECT status, requests_rest, requests_graphql, ended_at FROM collection_runs").fetchall()
    assert runs == [("ok", result.budget.rest_requests, result.budget.graphql_requests, runs[0][3])]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # every item keeps its raw payload, so re-scoring never needs the network
    for table in ("pull_requests", "reviews", "review_comments", "issue_comments", "workflow_runs", "commits"):
        assert conn.execute(f"SELECT COUNT(*) FROM {table} WHERE raw IS NULL OR raw = ''").fetchone()[0] == 0


def test_nested_connections_that_overflow_are_paged(tiny_org: OrgModel, tmp_path: Path) -> None:
    big = max(tiny_org.pulls.values(), key=lambda p: len(p.files))
    assert len(big.files) > 100, "the demo must hold a PR with more files than one page"
    store = tmp_path / "s.sqlite"
    with served(tiny_org) as server:
        run(server, tiny_org, store)
        overflow_queries = [r for r in server.log if r.kind == "graphql" and "node(id:" in (r.graphql_query or "")]
    conn = sqlite3.connect(store)
    assert conn.execute("SELECT COUNT(*) FROM pr_files WHERE pr_id = ?", (big.id,)).fetchone()[0] == len(big.files)
    assert overflow_queries, "overflowing connections must be paged with node(id:) follow-ups"


def test_every_graphql_query_validates_against_githubs_schema(
    tiny_org: OrgModel, tmp_path: Path, shared_dir: Path
) -> None:
    sdl = (shared_dir / "github-api" / "graphql" / "schema.graphql").read_text()
    schema = graphql.build_schema(sdl, assume_valid_sdl=True, assume_valid=True)
    with served(tiny_org) as server:
        result = run(server, tiny_org, tmp_path / "s.sqlite")
    sent = set(result.budget.queries)
    assert len(sent) >= 3
    for query in sent:
        errors = graphql.validate(schema, graphql.parse(query))
        assert not errors, [e.message for e in errors]


def test_every_rest_body_validates_against_the_openapi_description(
    tiny_org: OrgModel, tmp_path: Path, shared_dir: Path
) -> None:
    from tests.fakegithub.openapi_check import validate_rest_log

    with served(tiny_org) as server:
        run(server, tiny_org, tmp_path / "s.sqlite")
        rest = [r for r in server.log if r.kind == "rest"]
        assert {r.operation for r in rest} >= {
            "/repos/{owner}/{repo}/actions/runs",
            "/repos/{owner}/{repo}/commits/{ref}",
        }
        assert validate_rest_log(rest) == []


def test_rerun_with_nothing_changed_costs_at_most_two_requests_per_repo(
    tiny_org: OrgModel, tmp_path: Path
) -> None:
    store = tmp_path / "s.sqlite"
    with served(tiny_org) as server:
        run(server, tiny_org, store)
        again = run(server, tiny_org, store)
    repos = len(again.repos)
    assert again.budget.requests <= 2 * repos, (again.budget.requests, repos)
    assert_matches(tiny_org, store)


@pytest.mark.parametrize("prefix", ["/api/v3"])
def test_enterprise_prefix(tiny_org: OrgModel, tmp_path: Path, prefix: str) -> None:
    store = tmp_path / "s.sqlite"
    with served(tiny_org, prefix=prefix) as server:
        assert server.base_url.endswith("/api/v3")
        run(server, tiny_org, store)
        paths = {r.path for r in server.log}
    assert "/api/graphql" in paths
    assert_matches(tiny_org, store)
