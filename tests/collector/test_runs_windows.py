"""Workflow runs beyond the 1,000 results one filtered search returns: the collector splits the window."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from analyzer.demo import generate_org
from tests.collector.helpers import assert_matches, run, served


def test_a_window_with_more_runs_than_one_search_returns_is_split_and_nothing_is_lost(tmp_path: Path) -> None:
    model = generate_org(seed=3, scale=0.05)
    template = next(iter(model.workflow_runs.values()))
    first_id = max(model.workflow_runs) + 1
    start = min(r.created_at for r in model.workflow_runs.values())
    for i in range(2_500):  # one repository, 2,500 more runs: the server answers at most 1,000 per search
        at = start + timedelta(minutes=20 * i)
        model.workflow_runs[first_id + i] = replace(
            template, id=first_id + i, created_at=at, run_started_at=at, updated_at=at + timedelta(minutes=4)
        )
    store = tmp_path / "s.sqlite"
    with served(model) as server:
        run(server, model, store)
        searches = [r for r in server.log if r.operation == "/repos/{owner}/{repo}/actions/runs"]
    assert_matches(model, store)  # every run id stored, none twice
    assert len(searches) >= 26  # at least 2,500 / 100 pages, over split windows
