"""Faults injected at random points: the collector retries, and the store still equals ground truth."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.errors import CollectionError
from analyzer.fakegithub.model import OrgModel
from analyzer.fakegithub.ratelimit import FakeClock
from tests.collector.helpers import assert_matches, run, served

RETRYABLE = ["500", "502", "503", "truncated", "reset_connection", "403_retry_after", "429_retry_after",
             "429_no_retry_after", "403_secondary", "graphql_rate_limited"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_faults_are_retried_and_nothing_is_lost(tiny_org: OrgModel, tmp_path: Path, seed: int) -> None:
    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    with served(tiny_org, clock=clock) as server:
        server.faults.random(rate=0.3, seed=seed, kinds=RETRYABLE)
        result = run(server, tiny_org, store, clock=clock, max_retries=8)
        injected = list(server.faults.injected)
    assert len(injected) >= 3, "the plan must really have injected faults"
    assert result.budget.retries >= len(injected)
    assert_matches(tiny_org, store)


@pytest.mark.parametrize("kind", RETRYABLE + ["timeout"])
def test_each_fault_kind_is_survived(tiny_org: OrgModel, tmp_path: Path, kind: str) -> None:
    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    with served(tiny_org, clock=clock) as server:
        server.faults.timeout_seconds = 2.0
        server.faults.add(kind, count=2, after=3)  # type: ignore[arg-type]
        run(server, tiny_org, store, clock=clock, timeout=1.0)
        assert [k for _, k in server.faults.injected] == [kind, kind]
    assert_matches(tiny_org, store)


def test_persistent_failure_stops_cleanly_and_a_rerun_completes(tiny_org: OrgModel, tmp_path: Path) -> None:
    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    with served(tiny_org, clock=clock) as server:
        server.faults.add("502", count=50, match="/actions/runs", after=1)
        with pytest.raises(CollectionError, match="resumes"):
            run(server, tiny_org, store, clock=clock, max_retries=3)
        server.faults.clear()
        run(server, tiny_org, store, clock=clock)
    assert_matches(tiny_org, store)


def test_gateway_timeouts_halve_the_graphql_page_size(tiny_org: OrgModel, tmp_path: Path) -> None:
    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    with served(tiny_org, clock=clock) as server:
        server.faults.add("502", count=1, match="graphql", after=1)  # the first repository page
        run(server, tiny_org, store, clock=clock, page_size=40, max_page_size=100)
        sizes = [(r.graphql_variables or {}).get("prFirst") for r in server.log if r.kind == "graphql"]
    sizes = [s for s in sizes if s is not None]
    # halved once, and never grown again, in this repository or the next ones, however fast the pages
    assert sizes[0] == 40 and sizes[1] == 20 and max(sizes[1:]) == 20
    assert_matches(tiny_org, store)


def test_truncated_runs_page_decoded_off_the_request_path_is_fetched_again(
    tiny_org: OrgModel, tmp_path: Path
) -> None:
    """Runs pages are decoded on the writer thread: a cut body there must still be retried, not lost."""
    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    with served(tiny_org, clock=clock) as server:
        server.faults.add("truncated", count=2, match="/actions/runs", after=1)
        result = run(server, tiny_org, store, clock=clock)
        assert [k for _, k in server.faults.injected] == ["truncated", "truncated"]
    assert result.budget.retries >= 2
    assert_matches(tiny_org, store)
