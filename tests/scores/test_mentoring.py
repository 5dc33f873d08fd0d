"""Mentoring (§3): interactions, reach, breadth, retention, edges and newcomer inflow."""

from __future__ import annotations

from typing import Any

import pytest
from _score_helpers import NOW, frames_of, pr, rc, stand_in_scorer

from analyzer.scores.options import ScoringOptions
from analyzer.scores.pipeline import Scores, score_all

OPTS = ScoringOptions(now=NOW)


def d(month: int, day: int, hour: int = 0) -> str:
    return f"2024-{month:02d}-{day:02d}T{hour:02d}:00:00Z"


def scenario() -> Scores:
    prs: list[dict[str, Any]] = [
        pr(10 + i, "vet", created_at=d(1, 5 + i), merged_at=d(1, 5 + i, 1)) for i in range(1, 6)
    ]
    prs += [
        pr(16, "vet", created_at=d(6, 15)),
        pr(1, "newbie", created_at=d(6, 1)),
        pr(2, "newbie", created_at=d(6, 5)),
        pr(3, "newbie", created_at=d(6, 10)),
        pr(21, "newbie2", created_at=d(2, 1), merged_at=d(2, 3)),
        pr(22, "newbie2", created_at=d(3, 1)),
        pr(31, "newbie3", created_at=d(2, 10), merged_at=d(2, 12)),
    ]
    comments = [
        rc(1, 1, "mia", "rename it because it clashes", created_at=d(6, 2)),
        rc(2, 2, "mia", "see https://example.com/style for the naming guide", created_at=d(6, 6)),
        rc(3, 16, "mia", "rename it because it clashes with the api", created_at=d(6, 16)),
        rc(4, 21, "mia", "split this because it is long", created_at=d(2, 2)),
        rc(5, 31, "mia", "move this because it belongs in utils", created_at=d(2, 11)),
        rc(6, 1, "hal", "this is stupid because it is wrong", created_at=d(6, 2)),  # harsh: not mentoring
        rc(7, 3, "hal", "could you rename this", created_at=d(6, 11)),  # no teaching cue
    ]
    return score_all(frames_of(OPTS, prs=prs, review_comments=comments), OPTS, scorer=stand_in_scorer)


def test_mentoring_pairs_and_reach() -> None:
    s = scenario()
    pairs = s.mentoring.set_index(["mentor", "mentee"])["n_interactions"].to_dict()
    # vet is no newcomer in June (5 merges in January, first PR + 90 days = April) -> no mia/vet pair
    assert pairs == {("mia", "newbie"): 2, ("mia", "newbie2"): 1, ("mia", "newbie3"): 1}
    fam = s.family_scores.set_index(["person", "family"])
    assert fam.loc[("mia", "mentoring_reach"), "estimate"] == 1  # only newbie has >= 2 interactions
    assert fam.loc[("hal", "mentoring_reach"), "estimate"] == 0


def test_breadth_entropy_by_hand() -> None:
    fam = scenario().family_scores.set_index(["person", "family"])
    # mia reviewed newbie x2, vet, newbie2, newbie3: p = .4,.2,.2,.2 -> H = 1.33218; K = 4 authors -> /ln 4
    assert fam.loc[("mia", "breadth"), "estimate"] == pytest.approx(1.33218 / 1.386294, abs=1e-4)
    assert fam.loc[("mia", "breadth"), "raw"] == 4
    assert fam.loc[("hal", "breadth"), "estimate"] == 0.0  # one author only


def test_retention_edges_and_inflow() -> None:
    s = scenario()
    ret = s.family_scores.query("person == 'mia' and family == 'mentee_retention'").iloc[0]
    # evaluable mentees: newbie2 (back on 03-01, retained), newbie3 (never back); newbie's 90 days not over
    assert ret["n"] == 2 and ret["raw"] == pytest.approx(0.5)
    assert ret["status"] == "insufficient"  # 2 < 8 mentees
    edges = s.review_edges.set_index(["reviewer", "author"])
    assert edges.loc[("mia", "newbie"), "n_episodes"] == 2
    assert bool(edges.loc[("mia", "newbie"), "author_is_newcomer"])
    assert not bool(edges.loc[("mia", "vet"), "author_is_newcomer"])
    inflow = s.newcomer_inflow.set_index("month")
    assert inflow.loc["2024-02", "n_newcomers"] == 2 and inflow.loc["2024-02", "n_helped"] == 2
    assert inflow.loc["2024-06", "n_newcomers"] == 1 and inflow.loc["2024-06", "n_helped"] == 1
    assert inflow.loc["2024-01", "n_helped"] == 0
    people = s.people.set_index("person")
    assert not people.loc["vet", "is_newcomer"] and people.loc["newbie", "is_newcomer"]
