"""Mentoring (§3): interactions, reach, breadth, retention, edges and newcomer inflow."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from _score_helpers import NOW, frames_of, pr, rc, review, stand_in_scorer

from analyzer.scores.mentee_outcomes import bootstrap_mean_interval, rounds_change_scores
from analyzer.scores.mentoring import mentoring_pairs, review_edges
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


def rounds_scenario() -> Scores:
    prs = [
        pr(1, "newbie", created_at=d(6, 1)),
        pr(2, "newbie", created_at=d(6, 10)),
        pr(3, "newbie", created_at=d(6, 15)),
        pr(21, "newbie2", created_at=d(6, 1)),
        pr(22, "newbie2", created_at=d(6, 20)),
    ]
    comments = [
        rc(1, 1, "mia", "rename it because it clashes", created_at=d(6, 2)),
        rc(2, 21, "mia", "split this because it is long", created_at=d(6, 2)),
    ]
    reviews = [
        review(41, 1, "mia", "CHANGES_REQUESTED", submitted_at=d(6, 2)),
        review(42, 1, "bob", "CHANGES_REQUESTED", submitted_at=d(6, 3)),
        review(43, 2, "mia", "CHANGES_REQUESTED", submitted_at=d(6, 11)),
        review(44, 3, "mia", "APPROVED", submitted_at=d(6, 16)),
        review(45, 21, "mia", "APPROVED", submitted_at=d(6, 2)),
        review(46, 22, "hal", "CHANGES_REQUESTED", submitted_at=d(6, 21)),
    ]
    commits = [
        {"pr_id": 1, "sha": "a1", "author_login": "newbie", "committed_at": d(6, 1)},  # before the 1st review
        {"pr_id": 1, "sha": "a2", "author_login": "newbie", "committed_at": d(6, 4)},  # a push after it
        {"pr_id": 3, "sha": "a3", "author_login": "newbie", "committed_at": d(6, 15)},  # before the review
        {"pr_id": 22, "sha": "b1", "author_login": "newbie2", "committed_at": d(6, 22)},  # a push
        {"pr_id": 22, "sha": "b2", "author_login": "bob", "committed_at": d(6, 22)},  # not the author
    ]
    frames = frames_of(OPTS, prs=prs, review_comments=comments, reviews=reviews, pr_commits=commits)
    return score_all(frames, OPTS, scorer=stand_in_scorer)


def test_mentee_rounds_change_by_hand() -> None:
    s = rounds_scenario()
    row = s.family_scores.query("person == 'mia' and family == 'mentee_rounds_change'").iloc[0]
    # newbie: first mentored PR 1 has 2 change requests + 1 own push after the first review = 3 rounds;
    # later PRs 2 (1 round) and 3 (0) -> d = 0.5 - 3 = -2.5. newbie2: PR 21 has 0 rounds, PR 22 has
    # 1 change request + 1 own push = 2 -> d = 2. Mean over the 2 mentees = -0.25.
    assert row["estimate"] == pytest.approx(-0.25)
    assert row["n"] == 2 and row["status"] == "insufficient"  # 2 < 8 mentees
    assert -2.5 <= row["lo"] <= row["estimate"] <= row["hi"] <= 2.0
    assert not row["higher_is_better"] and row["unit"].startswith("change in review rounds")
    evidence = s.evidence.query("family == 'mentee_rounds_change'")
    assert set(evidence["person"]) == {"mia"} and set(evidence["ref"]) == {"pr:1", "pr:21"}


def test_mentee_rounds_status_needs_8_mentees_and_30_later_prs() -> None:
    def outcomes(n_later: int) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "mentor": "mia",
                "mentee": [f"m{i}" for i in range(8)],
                "first_rounds": 2.0,
                "later_rounds": [1.0, 2.0] * 4,
                "n_later": n_later,
            }
        )

    people = pd.Index(["mia", "hal"])
    enough = rounds_change_scores(outcomes(4), OPTS, people).set_index("person")  # 32 later PRs
    assert enough.loc["mia", "status"] == "exploratory"
    assert enough.loc["mia", "estimate"] == pytest.approx(-0.5)
    assert enough.loc["hal", "status"] == "insufficient" and np.isnan(enough.loc["hal", "estimate"])
    short = rounds_change_scores(outcomes(3), OPTS, people).set_index("person")  # 24 later PRs
    assert short.loc["mia", "status"] == "insufficient"


def test_knowledge_spreading_counts_files_with_at_most_one_other_author() -> None:
    # a.py: only alice authors it (at risk for anyone); b.py: bob and carol (at risk for carol only, whose
    # other author is bob; dave sees two others); c.py: three authors (never at risk)
    def files(pr_id: int, path: str) -> dict[str, Any]:
        return {"pr_id": pr_id, "path": path, "additions": 5, "deletions": 0}

    prs = [pr(1, "alice"), pr(2, "bob"), pr(3, "carol"), pr(4, "erin"), pr(5, "fay"), pr(6, "gus")]
    pr_files = [files(1, "a.py"), files(2, "b.py"), files(3, "b.py")]
    pr_files += [files(4, "c.py"), files(5, "c.py"), files(6, "c.py")]
    reviews = [
        review(50 + i, p, who) for i, (p, who) in enumerate([(1, "dave"), (2, "dave"), (2, "carol"), (4, "carol")])
    ]
    frames = frames_of(OPTS, prs=prs, pr_files=pr_files, reviews=reviews)
    fam = score_all(frames, OPTS, scorer=stand_in_scorer).family_scores.set_index(["person", "family"])
    assert fam.loc[("dave", "knowledge_spreading"), "raw"] == pytest.approx(1 / 2)  # PR 1 yes, PR 2 no
    assert fam.loc[("carol", "knowledge_spreading"), "raw"] == pytest.approx(1 / 2)  # PR 2 yes, PR 4 no
    assert fam.loc[("dave", "knowledge_spreading"), "n"] == 2


def test_rounds_change_bootstrap_equals_one_mentor_at_a_time() -> None:
    rng = np.random.default_rng(2)
    mentors = [["mia", "hal", "ann", "bo", "zed"][i] for i in rng.integers(0, 5, 60)]  # zed: not a reviewer
    outcomes = pd.DataFrame(
        {
            "mentor": mentors,
            "first_rounds": rng.integers(0, 4, 60).astype(float),
            "later_rounds": rng.random(60) * 3,
            "n_later": rng.integers(1, 5, 60),
        }
    )
    outcomes.loc[outcomes["mentor"] == "bo", "mentor"] = ["bo"] + ["ann"] * int((outcomes["mentor"] == "bo").sum() - 1)
    people = pd.Index(["ann", "bo", "hal", "mia", "nobody"])
    rows = rounds_change_scores(outcomes, OPTS, people).set_index("person")
    for person in ["ann", "hal", "mia"]:
        mine = outcomes[outcomes["mentor"] == person]
        change = (mine["later_rounds"] - mine["first_rounds"]).to_numpy()
        lo, hi = bootstrap_mean_interval(change, OPTS.bootstrap_samples, OPTS.seed, OPTS.level)
        assert (rows.loc[person, "lo"], rows.loc[person, "hi"]) == (lo, hi)  # bit for bit
        assert rows.loc[person, "estimate"] == change.mean() and rows.loc[person, "n"] == len(mine)
    assert rows.loc["bo", "n"] == 1 and np.isnan(rows.loc["bo", "lo"])  # one mentee: no interval
    assert np.isnan(rows.loc["nobody", "estimate"])


def test_a_reply_to_the_newcomer_is_a_teaching_comment() -> None:
    prs = [pr(1, "newbie", created_at=d(6, 1))]
    comments = [
        rc(10, 1, "newbie", "why is this flag needed here", created_at=d(6, 2)),
        rc(11, 1, "mia", "it keeps the cache warm later", in_reply_to_id=10, created_at=d(6, 3)),  # answers newbie
        rc(12, 1, "hal", "what does this flag toggle", created_at=d(6, 2)),
        rc(13, 1, "zoe", "it toggles the cache warmup", in_reply_to_id=12, created_at=d(6, 3)),  # answers hal
        rc(14, 1, "ann", "it toggles the cache warmup", in_reply_to_id=99, created_at=d(6, 3)),  # unknown target
    ]
    s = score_all(frames_of(OPTS, prs=prs, review_comments=comments), OPTS, scorer=stand_in_scorer)
    assert s.mentoring[["mentor", "mentee", "n_interactions"]].values.tolist() == [["mia", "newbie", 1]]


def test_mentoring_pairs_join_pr_ids_and_break_time_ties_by_pr() -> None:
    at = pd.to_datetime(["2024-06-03", "2024-06-01", "2024-06-01", "2024-06-02", "2024-06-05"], utc=True)
    teaching = pd.DataFrame(
        {
            "person": pd.Series(["mia", "mia", "mia", "hal", "mia"], dtype="string"),
            "pr_author": pd.Series(["newbie", "newbie", "newbie", "newbie", None], dtype="string"),
            "pr_id": pd.array([12, 30, 7, 5, 1], dtype="Int64"),
            "created_at": at,
        }
    )
    pairs = mentoring_pairs(teaching)
    assert pairs[["mentor", "mentee", "n_interactions"]].values.tolist() == [["hal", "newbie", 1], ["mia", "newbie", 3]]
    assert pairs["pr_ids"].tolist() == ["5", "7;12;30"]  # by PR id; the comment without a mentee is dropped
    assert pairs["first_pr_id"].tolist() == [5, 7]  # PRs 30 and 7 tie on the earliest time: the lower id
    assert pairs["first_at"].tolist() == [at[3], at[1]] and pairs["last_at"].tolist() == [at[3], at[0]]
    assert str(pairs["mentor"].dtype) == "str" and str(pairs["pr_ids"].dtype) == "str"


def test_review_edges_count_episodes_per_reviewer_and_author() -> None:
    episodes = pd.DataFrame(
        {
            "person": pd.Series(["mia", "hal", "mia", None, "mia"], dtype="string"),
            "pr_author": pd.Series(["vet", "newbie", "vet", "vet", None], dtype="string"),
            "to_newcomer": [False, True, True, True, True],
        }
    )
    edges = review_edges(episodes)
    assert edges.values.tolist() == [["hal", "newbie", 1, True], ["mia", "vet", 2, True]]  # sorted by names
    assert edges.dtypes.astype(str).tolist() == ["string", "string", "int64", "bool"]
