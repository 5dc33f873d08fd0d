"""PR pages double while GitHub answers them quickly, up to max_page_size, and not when it is slow."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.collector import streams
from analyzer.fakegithub import FakeGitHub
from analyzer.fakegithub.model import OrgModel
from tests.collector.helpers import assert_matches, run, served


def _pr_page_sizes(server: FakeGitHub) -> list[int]:
    """``first`` of every PR page asked for, in order (history-only pages and overflow queries ask none)."""
    sizes = []
    for record in server.log:
        variables = record.graphql_variables or {}
        if record.kind == "graphql" and variables.get("withPulls"):
            sizes.append(int(variables["prFirst"]))
    return sizes


def test_fast_pages_double_up_to_the_maximum_and_carry_over_to_the_next_repository(
    tiny_org: OrgModel, tmp_path: Path
) -> None:
    store = tmp_path / "s.sqlite"
    with served(tiny_org) as server:
        run(server, tiny_org, store, page_size=2, max_page_size=8)
        sizes = _pr_page_sizes(server)
    assert sizes[:3] == [2, 4, 8], sizes
    assert max(sizes) == 8 and sizes.count(2) == 1, "later repositories start at the size reached"
    assert_matches(tiny_org, store)


def test_pages_that_come_back_slowly_keep_their_size(
    tiny_org: OrgModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # every request takes at least the server's 30 ms latency: slower than a 10 ms growth threshold
    monkeypatch.setattr(streams, "GROW_PAGE_BELOW", 0.01)
    store = tmp_path / "s.sqlite"
    with served(tiny_org, latency=0.03) as server:
        run(server, tiny_org, store, page_size=2, max_page_size=8)
        sizes = _pr_page_sizes(server)
    assert len(sizes) > 3 and set(sizes) == {2}, sizes
    assert_matches(tiny_org, store)
