"""The uplift outcomes built from the store's tables (docs/methodology.md, "Multiplier effect (uplift)"):
CI failure on the first push and rework within 14 days, on tables typed by the product's ``build_frames``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from analyzer.frames import build_frames
from analyzer.scores.options import ScoringOptions
from analyzer.scores.outcomes import pr_outcomes, reads_as_fix

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def pr(pr_id: int, author: str, title: str, created: float, merged: float | None) -> dict[str, object]:
    return {
        "pr_id": pr_id,
        "repo": "api",
        "number": pr_id,
        "title": title,
        "author": author,
        "author_type": "User",
        "state": "MERGED" if merged is not None else "OPEN",
        "created_at": day(created),
        "merged_at": day(merged) if merged is not None else None,
        "additions": 10,
        "deletions": 2,
    }


def run(run_id: int, sha: str, at: float, conclusion: str | None, event: str = "pull_request") -> dict[str, object]:
    return {
        "run_id": run_id,
        "repo": "api",
        "workflow_id": 1,
        "head_sha": sha,
        "event": event,
        "status": "completed",
        "conclusion": conclusion,
        "created_at": day(at),
    }


def outcomes() -> pd.DataFrame:
    prs = [
        pr(1, "ana", "Add rate limits", 0, 2),  # first push fails CI, the second passes
        pr(2, "ana", "Add paging", 10, 12),  # first push passes; later run fails: still 0
        pr(3, "ben", "fix: paging off by one", 13, 14),  # reworks PR 2 (same file, within 14 days)
        pr(4, "ben", "Add metrics", 20, 21),  # only a cancelled run: undefined; a direct fix 20 days later
        pr(5, "ana", 'Revert "Add tracing"', 30, 31),  # touches another file only
        pr(6, "ben", "Add tracing", 80, 82),  # merged within 14 days of now: rework undefined
    ]
    files = [(1, "src/limits.py"), (2, "src/paging.py"), (3, "src/paging.py"), (4, "src/metrics.py")]
    files += [(5, "src/tracing.py"), (6, "src/limits.py")]
    commits = [(1, "a1", 0), (1, "a2", 1), (2, "b1", 10), (2, "b2", 11), (3, "c1", 13), (4, "d1", 20)]
    commits += [(5, "e1", 30), (6, "f1", 80)]
    runs = [run(1, "a1", 0.1, "failure"), run(2, "a2", 1.1, "success"), run(3, "b1", 10.1, "success")]
    runs += [run(4, "b2", 11.1, "failure"), run(5, "d1", 20.1, "cancelled"), run(6, "e1", 30.1, "success")]
    runs += [run(7, "c1", 13.1, "failure", event="push")]  # not a pull_request run: PR 3 has none
    tables = {
        "prs": pd.DataFrame(prs),
        "pr_files": pd.DataFrame([{"pr_id": i, "path": p, "additions": 1, "deletions": 1} for i, p in files]),
        "pr_commits": pd.DataFrame(
            [{"pr_id": i, "sha": s, "author_login": "ana", "committed_at": day(t)} for i, s, t in commits]
        ),
        "workflow_runs": pd.DataFrame(runs),
        "commits": pd.DataFrame(
            [
                {
                    "repo": "api",
                    "sha": "z1",
                    "author_login": "ben",
                    "message": "hotfix metrics",
                    "committed_at": day(40),
                },
                {"repo": "api", "sha": "z2", "author_login": "ben", "message": "Fix limits", "committed_at": day(9)},
            ]
        ),
        "commit_files": pd.DataFrame(
            [
                {"repo": "api", "sha": "z1", "path": "src/metrics.py", "additions": 1, "deletions": 1},
                {"repo": "api", "sha": "z2", "path": "src/limits.py", "additions": 1, "deletions": 1},
            ]
        ),
    }
    frames = build_frames(tables, ScoringOptions(now=NOW))
    return pr_outcomes(frames).set_index("pr_id")


def test_ci_failure_on_the_first_push() -> None:
    got = outcomes()["ci_failed_first"]
    assert got[1] == 1.0  # the first CI'd commit failed, even though the PR went green later
    assert got[2] == 0.0  # passed on its first push; a later failure is not the first push
    assert np.isnan(got[3]) and np.isnan(got[4])  # no pull_request run; only a cancelled one


def test_rework_is_a_fix_or_revert_touching_the_files_within_14_days() -> None:
    got = outcomes()["rework"]
    assert got[2] == 1.0  # "fix: paging off by one" touched src/paging.py a day after the merge
    assert got[1] == 1.0  # a direct "Fix limits" commit on src/limits.py 7 days after the merge
    assert got[4] == 0.0  # the direct hotfix came 19 days after the merge: too late
    assert got[3] == 0.0 and got[5] == 0.0  # nothing fixed them afterwards (a fix does not rework itself)
    assert np.isnan(got[6])  # merged less than 14 days before the scoring clock


def test_what_reads_as_a_fix_or_revert() -> None:
    titles = pd.Series(["fix: x", 'Revert "y"', "hotfix", "Bugfix for z", "Rolled back w", "prefix tree", None])
    assert reads_as_fix(titles).tolist() == [True, True, True, True, True, False, False]


def test_a_drafts_hours_to_merge_count_from_its_last_ready_for_review() -> None:
    def with_ready(row: dict[str, object], ready: float | None, events: int | None) -> dict[str, object]:
        return {**row, "ready_at": day(ready) if ready is not None else None, "ready_events": events}

    prs = [
        with_ready(pr(1, "ana", "Add paging", 0, 3), 2, 2),  # a draft for two days (marked ready twice)
        with_ready(pr(2, "ana", "Add limits", 0, 3), None, 0),  # never a draft: from its opening
        with_ready(pr(3, "ben", "Add metrics", 0, 3), None, None),  # not known: unknown, not guessed
        with_ready(pr(4, "ben", "Add tracing", 0, 3), 5, 1),  # "ready" after the merge: bounded by it
        with_ready(pr(5, "ben", "Add logs", 0, None), 1, 1),  # not merged: no outcome
    ]
    frames = build_frames({"prs": pd.DataFrame(prs)}, ScoringOptions(now=NOW))
    hours = pr_outcomes(frames).set_index("pr_id")["hours_to_merge"]
    assert hours[1] == 24.0  # from the last ready-for-review (day 2), not the opening (day 0)
    assert hours[2] == 72.0
    assert np.isnan(hours[3])  # a draft's days would count as review time: not filled in from the opening
    assert hours[4] == 1 / 60  # the floor of one minute
    assert np.isnan(hours[5])
