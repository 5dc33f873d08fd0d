"""When a PR was last marked ready for review, collected over HTTP (PyGithub against the fake server),
kept through incremental runs, and fetched once for the PRs of a store written before it was collected."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from analyzer.collector import queries
from analyzer.demo import mutate_for_incremental
from analyzer.fakegithub.model import DraftEvent, OrgModel, PullRequest
from analyzer.fakegithub.rest import iso
from analyzer.store.schema import SCHEMA_VERSION
from tests.collector.helpers import assert_matches, ready_truth, run, served, stored

TABLES = ("pull_requests", "reviews", "review_comments", "issue_comments", "pr_files", "pr_commits", "commits",
          "workflow_runs", "collection_runs", "sync_state")


def _toggled_twice(model: OrgModel) -> PullRequest:
    """A merged PR opened as a draft: ready, back to draft, ready again, all before its merge."""
    pr = min((p for p in model.pulls.values() if p.merged_at and not _events(model, p)), key=lambda p: p.id)
    assert pr.merged_at is not None
    span = pr.merged_at - pr.created_at
    for share, kind in ((0.2, "ready_for_review"), (0.4, "convert_to_draft"), (0.6, "ready_for_review")):
        model.toggle_draft(pr, kind, (pr.created_at + span * share).replace(microsecond=0), pr.author)  # type: ignore[arg-type]
    return pr


def _events(model: OrgModel, pr: PullRequest) -> list[DraftEvent]:
    return [e for e in model.draft_events.values() if (e.repo, e.pr_number) == (pr.repo, pr.number)]


def _ready(store: Path, pr_id: int) -> tuple[str | None, int | None]:
    with sqlite3.connect(store) as conn:
        row = conn.execute("SELECT ready_at, ready_events FROM pull_requests WHERE id = ?", (pr_id,)).fetchone()
    return row[0], row[1]


def test_the_last_ready_for_review_of_a_toggled_draft_is_stored(tiny_org: OrgModel, tmp_path: Path) -> None:
    pr = _toggled_twice(tiny_org)
    never = next(p for p in tiny_org.pulls.values() if not _events(tiny_org, p))
    store = tmp_path / "s.sqlite"
    with served(tiny_org) as server:
        run(server, tiny_org, store)
    last = pr.created_at + (pr.merged_at - pr.created_at) * 0.6  # type: ignore[operator]
    assert _ready(store, pr.id) == (iso(last.replace(microsecond=0)), 2)
    assert _ready(store, never.id) == (None, 0)  # never a draft: known, and no ready-for-review
    assert_matches(tiny_org, store)  # every PR of the demo's drafts too


def test_a_draft_marked_ready_between_runs_is_caught_by_the_incremental_run(
    tiny_org: OrgModel, tmp_path: Path
) -> None:
    store = tmp_path / "s.sqlite"
    with served(tiny_org) as server:
        run(server, tiny_org, store)
        latest = max(p.updated_at for p in tiny_org.pulls.values())
        with server.lock:
            changed = mutate_for_incremental(tiny_org, seed=5, now=latest + timedelta(days=2))
        readied = next(p for p in tiny_org.pulls.values() if p.updated_at > latest and not p.draft
                       and any(e.created_at > latest for e in _events(tiny_org, p)))
        run(server, tiny_org, store)
    assert changed["readied_drafts"] == 1
    assert _ready(store, readied.id) == ready_truth(tiny_org)[readied.id]
    assert _ready(store, readied.id)[0] is not None
    assert_matches(tiny_org, store)


def _as_schema_2(store: Path) -> None:
    """The store as an analyzer before the ready-for-review moment wrote it (schema 2: no such columns)."""
    with sqlite3.connect(store) as conn:
        conn.execute("ALTER TABLE pull_requests DROP COLUMN ready_at")
        conn.execute("ALTER TABLE pull_requests DROP COLUMN ready_events")
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")


def _counts(store: Path) -> dict[str, int]:
    with sqlite3.connect(store) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_an_older_store_is_upgraded_and_its_prs_get_their_ready_moment_cheaply(
    tiny_org: OrgModel, tmp_path: Path
) -> None:
    store = tmp_path / "s.sqlite"
    with served(tiny_org) as server:
        run(server, tiny_org, store)
        _as_schema_2(store)
        before = _counts(store)
        again = run(server, tiny_org, store)
        backfills = [r for r in server.log if r.kind == "graphql" and "query ReadyAt" in (r.graphql_query or "")]
    with sqlite3.connect(store) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    after = _counts(store)
    assert {t: after[t] for t in TABLES if t != "collection_runs"} == {
        t: before[t] for t in TABLES if t != "collection_runs"
    }, "nothing stored before the upgrade is lost"
    assert stored(store)["ready"] == ready_truth(tiny_org)  # every PR's moment, the demo's drafts among them
    repos_with_prs = len({p.repo for p in tiny_org.pulls.values()})
    per_query = queries.READY_BACKFILL_BATCH
    assert len(backfills) == sum(-(-sum(1 for p in tiny_org.pulls.values() if p.repo == r) // per_query)
                                 for r in {p.repo for p in tiny_org.pulls.values()})
    assert len(backfills) == repos_with_prs  # the tiny org: fewer than 100 PRs a repository, one query each
    assert again.status == "ok"


def test_a_pr_github_no_longer_has_stays_unknown_and_the_rest_is_filled(tiny_org: OrgModel, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    gone = min(tiny_org.pulls.values(), key=lambda p: p.id)
    with served(tiny_org) as server:
        run(server, tiny_org, store)
        _as_schema_2(store)
        with server.lock:
            del tiny_org.pulls[(gone.repo, gone.number)]
        result = run(server, tiny_org, store)
    assert result.status == "ok"
    assert _ready(store, gone.id) == (None, None)  # GitHub answered NOT_FOUND: still unknown, asked again later
    got = stored(store)["ready"]
    assert all(got[pr_id] == want for pr_id, want in ready_truth(tiny_org).items())


def test_a_forbidden_timeline_leaves_the_moment_unknown_not_zero(tiny_org: OrgModel, tmp_path: Path) -> None:
    pr = _toggled_twice(tiny_org)
    store = tmp_path / "s.sqlite"
    with served(tiny_org) as server:
        server.fidelity.forbidden[(pr.repo, pr.number)] = "timelineItems"
        run(server, tiny_org, store)
    assert _ready(store, pr.id) == (None, None)
    with sqlite3.connect(store) as conn:
        paths = [r[0] for r in conn.execute("SELECT path FROM collection_gaps WHERE pr_number = ?", (pr.number,))]
    assert "timelineItems" in paths
