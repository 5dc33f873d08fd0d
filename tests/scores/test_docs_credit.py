"""Documentation credit (§4): weighting, cap, upkeep and onboarding."""

from __future__ import annotations

import math

import pytest
from _score_helpers import NOW, frames_of, pr, stand_in_scorer

from analyzer.scores.options import ScoringOptions
from analyzer.scores.pipeline import score_all

OPTS = ScoringOptions(now=NOW)


def f(pr_id: int, path: str, add: int) -> dict[str, object]:
    return {"pr_id": pr_id, "path": path, "additions": add, "deletions": 0}


def test_doc_weighting_cap_upkeep_and_onboarding() -> None:
    frames = frames_of(
        OPTS,
        prs=[pr(1, "alice"), pr(2, "alice"), pr(3, "bob"), pr(4, "bob", merged_at=None, state="OPEN")],
        pr_files=[
            f(1, "README.md", 10),
            f(1, "docs/guide.md", 2),
            f(1, "src/a.py", 30),
            f(2, "src/b.py", 5),
            f(3, "docs/api/ref.md", 500),
            f(3, "CHANGES.md", 4),
            f(4, "docs/unmerged.md", 50),
        ],
        commits=[
            {
                "repo": "o/r",
                "sha": "d1",
                "author_login": "bob",
                "committed_at": "2024-06-03T00:00:00Z",
                "pr_number": None,
                "message": "docs",
            }
        ],
        commit_files=[
            {"repo": "o/r", "sha": "d1", "path": "CONTRIBUTING.md", "additions": 3, "deletions": 0}
        ],
    )
    s = score_all(frames, OPTS, scorer=stand_in_scorer)
    dc = s.doc_changes.set_index("ref")
    # PR 1: README 10 lines x2 (onboarding) = 20, guide 2 lines (<= 2: typo weight .3) = .6 -> 20.6
    assert dc.loc["1", "weighted_lines"] == pytest.approx(20.6)
    assert dc.loc["1", "doc_lines"] == 12 and dc.loc["1", "onboarding"] and dc.loc["1", "with_code"]
    # PR 3: docs/api/** is generated -> only CHANGES.md, 4 lines x1
    assert dc.loc["3", "weighted_lines"] == pytest.approx(4.0)
    # direct commit: CONTRIBUTING 3 lines x2 = 6; the unmerged PR 4 is not credited
    assert dc.loc["d1", "weighted_lines"] == pytest.approx(6.0) and dc.loc["d1", "kind"] == "commit"
    assert "4" not in dc.index
    fam = s.family_scores.set_index(["person", "family"])
    # cap = 95th percentile of [4, 6, 20.6] = 6 + .9*(20.6 - 6) = 19.14 -> alice volume log1p(19.14)
    assert fam.loc[("alice", "docs_volume"), "estimate"] == pytest.approx(math.log1p(19.14))
    assert fam.loc[("bob", "docs_volume"), "estimate"] == pytest.approx(math.log1p(10.0))
    # upkeep: alice's code PRs 1 (with docs) and 2 (without) -> raw 1/2
    assert fam.loc[("alice", "docs_upkeep"), "raw"] == pytest.approx(0.5)
    assert fam.loc[("alice", "docs_upkeep"), "status"] == "insufficient"
    assert fam.loc[("alice", "onboarding_docs"), "estimate"] == 1
    assert fam.loc[("bob", "onboarding_docs"), "estimate"] == 1
