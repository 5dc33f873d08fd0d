"""CI credit (§5.4): before/after effect, hours saved, minimum runs, gates and bots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
import pytest
from _score_helpers import NOW, frames_of, stand_in_scorer

from analyzer.scores.options import ScoringOptions
from analyzer.scores.pipeline import Scores, score_all

OPTS = ScoringOptions(now=NOW, bootstrap_samples=200)
CHANGE = datetime(2024, 6, 1, tzinfo=UTC)


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def runs(path: str, first_id: int, start: datetime, n: int, base: float, fail_every: int = 0) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        t = start + timedelta(hours=12 * i)
        out.append(
            {
                "run_id": first_id + i,
                "repo": "o/r",
                "workflow_id": hash(path) % 1000,
                "path": path,
                "name": path,
                "event": "push",
                "head_sha": f"{path}-{first_id + i}",
                "status": "completed",
                "conclusion": "failure" if fail_every and i % fail_every == 0 else "success",
                "created_at": iso(t),
                "run_started_at": iso(t),
                "updated_at": iso(t + timedelta(seconds=base + i % 5)),
                "run_attempt": 1,
                "url": f"https://gh/run/{first_id + i}",
            }
        )
    return out


def commit(sha: str, author: str, when: datetime, message: str) -> dict[str, Any]:
    return {
        "repo": "o/r",
        "sha": sha,
        "author_login": author,
        "committed_at": iso(when),
        "message": message,
        "pr_number": None,
        "url": f"https://gh/c/{sha}",
    }


def scenario() -> Scores:
    ci = ".github/workflows/ci.yml"
    lint = ".github/workflows/lint.yml"
    deploy = ".github/workflows/deploy.yml"
    wf_runs = (
        runs(ci, 1, CHANGE - timedelta(days=20), 40, 600)
        + runs(ci, 100, CHANGE + timedelta(hours=1), 40, 480)
        + runs(deploy, 300, CHANGE - timedelta(days=20), 40, 300)
        + runs(deploy, 400, CHANGE + timedelta(hours=1), 10, 200)
        + runs(lint, 500, CHANGE + timedelta(hours=1), 40, 100, fail_every=3)
    )
    commits = [
        commit("c1", "carol", CHANGE, "cache pip dependencies"),
        commit("c2", "dan", CHANGE, "speed up deploy"),
        commit("c3", "erin", CHANGE, "add lint workflow"),
        commit("c4", "dependabot[bot]", CHANGE - timedelta(days=40), "bump actions/checkout"),
    ]
    files = [
        {"repo": "o/r", "sha": "c1", "path": ci, "additions": 3, "deletions": 1, "status": "modified"},
        {"repo": "o/r", "sha": "c2", "path": deploy, "additions": 3, "deletions": 1, "status": "modified"},
        {"repo": "o/r", "sha": "c3", "path": lint, "additions": 30, "deletions": 0, "status": "added"},
        {"repo": "o/r", "sha": "c4", "path": ci, "additions": 1, "deletions": 1, "status": "modified"},
    ]
    return score_all(
        frames_of(OPTS, workflow_runs=wf_runs, commits=commits, commit_files=files),
        OPTS,
        scorer=stand_in_scorer,
    )


def test_ci_change_effect_and_hours_by_hand() -> None:
    s = scenario()
    row = s.ci_changes.set_index("sha").loc["c1"]
    # durations 600 + (i % 5) before, 480 + (i % 5) after: every pairwise shift is symmetric around -120
    assert row["shift_s"] == pytest.approx(-120)
    assert row["shift_hi_s"] < 0 and row["credited"] and row["status"] == "ok"
    assert row["runs_before"] == 40 and row["runs_after"] == 40
    assert row["change_type"] == "caching"
    # 40 runs over 19.5 days -> 40/19.5*30.44 = 62.44 runs/month; 120 s * 62.44 / 3600 = 2.081 h/month
    expected = 120 * 40 / 19.5 * 30.44 / 3600
    assert row["hours_saved_month"] == pytest.approx(expected, rel=1e-6)
    assert row["hours_lo"] <= row["hours_saved_month"] <= row["hours_hi"]
    fam = s.family_scores.set_index(["person", "family"])
    assert fam.loc[("carol", "ci_hours_saved"), "estimate"] == pytest.approx(expected, rel=1e-6)
    assert s.team["ci_hours_saved"].iloc[0] == pytest.approx(expected, rel=1e-6)


def test_not_measurable_gate_and_bot_changes() -> None:
    s = scenario()
    changes = s.ci_changes.set_index("sha")
    assert changes.loc["c2", "status"] == "not_measurable"  # 10 runs after < 30
    assert not changes.loc["c2", "credited"]
    # a new workflow file is a new quality gate: no runs before -> not measurable, never credited hours
    assert changes.loc["c3", "change_type"] == "new quality gate" and not changes.loc["c3", "credited"]
    assert "c4" not in changes.index  # bot commit
    fam = s.family_scores.set_index(["person", "family"])
    assert fam.loc[("dan", "ci_hours_saved"), "status"] == "not_measurable"
    assert fam.loc[("dan", "ci_hours_saved"), "estimate"] == 0.0
    assert len(s.ci_series) == 40 + 40 + 40 + 10 + 40


def pr_change_scenario() -> Scores:
    """A merged PR (three commits) changing ci.yml, merged just before runs get 120 s faster; a second
    PR 5 days earlier that changes nothing measurable; a direct push to a shared CI file."""
    ci = ".github/workflows/ci.yml"
    merged = CHANGE
    early = CHANGE - timedelta(days=5)
    wf_runs = runs(ci, 1, CHANGE - timedelta(days=30), 60, 600) + runs(ci, 100, CHANGE + timedelta(hours=1), 40, 480)
    prs = [
        {
            "pr_id": 7,
            "repo": "o/r",
            "number": 7,
            "title": "ci: cache pip between runs",
            "body": "",
            "author": "carol",
            "author_type": "User",
            "state": "MERGED",
            "created_at": iso(CHANGE - timedelta(days=2)),
            "merged_at": iso(merged),
            "url": "https://gh/o/r/pull/7",
        },
        {
            "pr_id": 8,
            "repo": "o/r",
            "number": 8,
            "title": "ci: pin action versions",
            "body": "",
            "author": "dan",
            "author_type": "User",
            "state": "MERGED",
            "created_at": iso(early - timedelta(days=1)),
            "merged_at": iso(early),
            "url": "https://gh/o/r/pull/8",
        },
    ]
    pr_files = [
        {"pr_id": 7, "path": ci, "additions": 5, "deletions": 1, "change_type": "MODIFIED"},
        {"pr_id": 8, "path": ci, "additions": 1, "deletions": 1, "change_type": "MODIFIED"},
    ]
    pr_commits = [
        {
            "pr_id": 7,
            "sha": f"p{i}",
            "author_login": "carol",
            "committed_at": iso(CHANGE - timedelta(days=2, hours=-i)),
            "message": "wip" if i < 2 else "cache\n\nCo-authored-by: Erin <123+erin@users.noreply.github.com>",
        }
        for i in range(3)
    ]
    # the PR's commits also appear on the default branch with their PR number: not separate changes
    commits = [
        commit(f"p{i}", "carol", CHANGE - timedelta(days=2, hours=-i), "wip") | {"pr_number": 7} for i in range(3)
    ]
    commits.append(commit("d1", "frank", CHANGE + timedelta(days=20), "tox: tweak"))
    files = [{"repo": "o/r", "sha": "d1", "path": "tox.ini", "additions": 1, "deletions": 1, "status": "modified"}]
    return score_all(
        frames_of(
            OPTS,
            prs=prs,
            pr_files=pr_files,
            pr_commits=pr_commits,
            commits=commits,
            commit_files=files,
            workflow_runs=wf_runs,
        ),
        OPTS,
        scorer=stand_in_scorer,
    )


def test_merged_pr_is_one_change_at_merge_time_credited_to_author_and_co_author() -> None:
    s = pr_change_scenario()
    mine = s.ci_changes[s.ci_changes["pr_number"] == 7]
    assert sorted(mine["person"]) == ["carol", "erin"]  # one row per credited person, not per commit
    assert (mine["changed_at"] == pd.Timestamp(CHANGE)).all()
    assert mine["credited"].all() and (mine["shift_hi_s"] < 0).all()
    assert mine["shift_s"].iloc[0] == pytest.approx(-120, abs=5)
    fam = s.family_scores.set_index(["person", "family"])
    carol, erin = fam.loc[("carol", "ci_hours_saved")], fam.loc[("erin", "ci_hours_saved")]
    assert carol["lo"] > 0 and carol["estimate"] == pytest.approx(erin["estimate"])  # split equally
    # the rows of the table add up to the team total
    credited = s.ci_changes[s.ci_changes["credited"]]
    assert credited["hours_saved_month"].sum() == pytest.approx(s.team["ci_hours_saved"].iloc[0])


def test_neighbouring_change_is_not_credited_with_the_next_ones_effect() -> None:
    s = pr_change_scenario()
    dan = s.ci_changes[s.ci_changes["pr_number"] == 8].iloc[0]
    # dan's after-window contains carol's faster runs; the joint fit removes carol's step first
    assert dan["status"] == "ok" and not dan["credited"]
    assert dan["shift_lo_s"] <= 0 <= dan["shift_hi_s"]


def test_direct_push_to_a_shared_ci_file_affects_every_workflow_of_the_repo() -> None:
    s = pr_change_scenario()
    push = s.ci_changes[s.ci_changes["sha"] == "d1"]
    assert list(push["person"]) == ["frank"]
    assert list(push["workflow_path"]) == [".github/workflows/ci.yml"]
    assert push["pr_number"].isna().all()
