"""Entity tables count their changes, so the server rebuilds its lookup index exactly when it must."""

from __future__ import annotations

from dataclasses import replace

import requests
from tiny_org import ORG, TOKEN, add_many_prs, build_tiny_org

from analyzer.fakegithub import FakeGitHub
from analyzer.fakegithub.model import Table
from analyzer.fakegithub.rest import fingerprint


def test_every_way_of_changing_a_table_moves_its_version() -> None:
    table: Table[int, str] = Table({1: "a"})
    changes = [
        lambda: table.__setitem__(2, "b"),
        lambda: table.__delitem__(2),
        lambda: table.update({3: "c"}),
        lambda: table.setdefault(4, "d"),
        lambda: table.pop(4),
        lambda: table.popitem(),
        lambda: table.__ior__({5: "e"}),
        lambda: table.clear(),
    ]
    for change in changes:
        before = table.version
        change()
        assert table.version > before


def test_the_models_dicts_are_tables_even_when_replaced() -> None:
    model = build_tiny_org()
    assert isinstance(model.pulls, Table) and isinstance(model.commits, Table)
    model.reviews = {}  # type: ignore[assignment]
    assert isinstance(model.reviews, Table)


def test_the_fingerprint_moves_on_additions_replacements_and_removals_only() -> None:
    model = build_tiny_org()
    first = fingerprint(model)
    assert fingerprint(model) == first  # reading is free
    add_many_prs(model, "api", 1)
    second = fingerprint(model)
    assert second != first
    key, pr = next(iter(model.pulls.items()))
    model.pulls[key] = replace(pr, title="renamed")
    assert fingerprint(model) != second
    third = fingerprint(model)
    del model.issue_comments[next(iter(model.issue_comments))]
    assert fingerprint(model) != third


def _numbers(server: FakeGitHub) -> list[int]:
    response = requests.get(f"{server.base_url}/repos/{ORG}/api/pulls", params={"state": "all"},
                            headers={"Authorization": f"token {TOKEN}"}, timeout=5)
    return sorted(p["number"] for p in response.json())


def test_the_server_serves_entities_added_between_requests() -> None:
    model = build_tiny_org()
    with FakeGitHub(model, tokens={TOKEN}) as server:
        before = _numbers(server)
        added = add_many_prs(model, "api", 2)
        after = _numbers(server)
    assert after == sorted(before + [pr.number for pr in added])
