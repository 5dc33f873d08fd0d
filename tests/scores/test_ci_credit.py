"""CI credit (§5.4): before/after effect, hours saved, minimum runs, gates and bots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from _score_helpers import NOW, frames_of, stand_in_scorer

from analyzer.scores.options import ScoringOptions
from analyzer.scores.pipeline import Scores, score_all

OPTS = ScoringOptions(now=NOW, bootstrap_samples=200)
CHANGE = datetime(2024, 6, 1, tzinfo=UTC)


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def runs(
    path: str, first_id: int, start: datetime, n: int, base: float, fail_every: int = 0
) -> list[dict[str, Any]]:
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
