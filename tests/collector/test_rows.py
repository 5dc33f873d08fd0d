"""Row building from payloads: what the store keeps of a workflow run."""

from __future__ import annotations

import json

from analyzer.collector.rows import run_row


def _run() -> dict[str, object]:
    repo = {"id": 7, "full_name": "acme/app", "name": "app", "hooks_url": "https://x/hooks", "owner": {"id": 1}}
    return {
        "id": 42, "workflow_id": 3, "name": "CI", "created_at": "2024-01-01T00:00:00Z",
        "updated_at": "2024-01-01T00:05:00Z", "actor": {"login": "ann"}, "head_sha": "ab" * 20,
        "repository": repo, "head_repository": {**repo, "id": 8, "full_name": "fork/app"},
    }


def test_run_raw_keeps_the_run_but_only_the_ids_of_its_embedded_repositories() -> None:
    run = _run()
    raw = json.loads(run_row("acme/app", run, "2024-02-01T00:00:00Z")["raw"])
    assert raw["repository"] == {"id": 7, "full_name": "acme/app"}
    assert raw["head_repository"] == {"id": 8, "full_name": "fork/app"}
    assert {k: v for k, v in raw.items() if "repository" not in k} == {
        k: v for k, v in run.items() if "repository" not in k
    }
    assert run["repository"]["hooks_url"] == "https://x/hooks"  # type: ignore[index]  # input untouched


def test_run_without_embedded_repositories_is_stored_whole() -> None:
    run = {k: v for k, v in _run().items() if "repository" not in k}
    raw = json.loads(run_row("acme/app", run, "2024-02-01T00:00:00Z")["raw"])
    assert raw == run
