"""Review episodes: size-conditional density, feedback landed, T and the rubber-stamp rule (§2.2-2.4)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from _score_helpers import NOW, frames_of, ic, pr, rc, review, stand_in_scorer

from analyzer.scores.episodes import (
    _percentile_by_groupby,
    episode_evidence,
    in_episode,
    size_conditional_percentile,
    thoroughness_scores,
)
from analyzer.scores.options import ScoringOptions
from analyzer.scores.pipeline import score_all

OPTS = ScoringOptions(now=NOW)


def at(day: int, hh: int, mm: int = 0, ss: int = 0) -> str:
    return f"2024-06-{day:02d}T{hh:02d}:{mm:02d}:{ss:02d}Z"


def commit(pr_id: int, sha: str, when: str, author: str = "alice") -> dict[str, Any]:
    return {
        "pr_id": pr_id,
        "sha": sha,
        "author_login": author,
        "committed_at": when,
        "authored_at": when,
        "message": "work",
    }


def files(pr_id: int, *spec: tuple[str, int]) -> list[dict[str, Any]]:
    return [{"pr_id": pr_id, "path": p, "additions": n, "deletions": 0} for p, n in spec]


def test_size_conditional_percentile_by_hand() -> None:
    # two size bins of four: small PRs densities [0, 1, 2, 2], big PRs [.1, .2, .3, .4]
    # small: 1 -> (1 below + .5*1 equal)/4 = .375; 2 -> (2 + .5*2)/4 = .75; 0 -> 0 by rule
    # big: .1 -> .125, .2 -> .375, .3 -> .625, .4 -> .875 (a low raw density on a big PR still ranks high)
    size = pd.Series([10, 20, 30, 40, 1000, 2000, 3000, 4000])
    density = pd.Series([0, 1, 2, 2, 0.1, 0.2, 0.3, 0.4])
    q = size_conditional_percentile(density, size, deciles=2)
    assert q.tolist() == pytest.approx([0, 0.375, 0.75, 0.75, 0.125, 0.375, 0.625, 0.875])


def test_thoroughness_T_by_hand_and_feedback_landed() -> None:
    frames = frames_of(
        OPTS,
        prs=[pr(1, "alice", merged_at=at(20, 0))],
        pr_files=files(1, ("src/a.py", 200), ("src/b.py", 100)),
        review_comments=[
            rc(10, 1, "bob", "rename this because `x` is unclear", path="src/a.py", created_at=at(2, 0)),
            rc(11, 1, "bob", "nit: spacing here please", path="src/a.py", created_at=at(2, 0)),
        ],
        reviews=[review(30, 1, "bob", "COMMENTED", "", submitted_at=at(2, 0))],
        pr_commits=[commit(1, "s1", at(3, 0))],
        commit_files=[{"repo": "o/r", "sha": "s1", "path": "src/a.py", "additions": 1, "deletions": 1}],
    )
    ep = score_all(frames, OPTS, scorer=stand_in_scorer).episodes.set_index("person").loc["bob"]
    # size 300 over 2 files; n_subst 2; density 2/3; the only episode -> q = (0 + .5*1)/1 = .5
    # file_cov 1/2, specificity 2/2 (line anchors), rationale 1/2, change_trigger 2/2 (a.py touched later)
    # T = (.3*.5 + .15*.5 + .2*1 + .2*1 + .15*.5) * (1 - .5*.5 nit share) = .7 * .75 = .525
    assert ep["size"] == 300 and ep["n_subst"] == 2
    assert ep["density"] == pytest.approx(2 / 3)
    assert ep["q_density"] == pytest.approx(0.5)
    assert ep["file_cov"] == pytest.approx(0.5)
    assert ep["change_trigger"] == pytest.approx(1.0)
    assert ep["nit_share"] == pytest.approx(0.5)
    assert ep["T"] == pytest.approx(0.525)


def test_feedback_landed_requires_path_time_and_merge() -> None:
    frames = frames_of(
        OPTS,
        prs=[pr(1, "alice", merged_at=at(10, 0))],
        pr_files=files(1, ("a.py", 50), ("b.py", 50), ("c.py", 50), ("d.py", 50)),
        review_comments=[
            rc(1, 1, "bob", "please rename this variable", path="a.py", created_at=at(2, 0)),  # a.py touched at day 3
            rc(2, 1, "bob", "could you split this function", path="b.py", created_at=at(2, 0)),  # b.py never touched
            rc(3, 1, "bob", "this name is confusing to me", path="c.py", created_at=at(2, 0), thread_id="T3"),
            rc(4, 1, "bob", "maybe extract a helper here", path="d.py", created_at=at(2, 0)),  # touched after merge
            rc(5, 1, "bob", "the guard looks inverted here", path="a.py", created_at=at(4, 0)),  # after the commit
        ],
        threads=[{"thread_id": "T3", "pr_id": 1, "path": "c.py", "is_resolved": 1, "is_outdated": 0}],
        pr_commits=[commit(1, "s1", at(3, 0)), commit(1, "s2", at(11, 0))],
        commit_files=[
            {"repo": "o/r", "sha": "s1", "path": "a.py", "additions": 1, "deletions": 0},
            {"repo": "o/r", "sha": "s2", "path": "d.py", "additions": 1, "deletions": 0},
        ],
    )
    scores = score_all(frames, OPTS, scorer=stand_in_scorer)
    ep = scores.episodes.set_index("person").loc["bob"]
    # landed: #1 (path, later, before merge) and #3 (resolved thread) -> 2 of 5
    assert ep["change_trigger"] == pytest.approx(2 / 5)
    useful = scores.family_scores.query("person == 'bob' and family == 'useful_rate'").iloc[0]
    assert useful["raw"] == pytest.approx(0.4) and useful["n"] == 5


def stamp_case() -> tuple[list[dict[str, Any]], ...]:
    big = ("src/x.py", 300)
    prs = [pr(i, "alice", merged_at=at(20, 0)) for i in range(2, 10)]
    prs[5]["body"] = "Paired with @bob on this one"  # PR 7
    pr_files = (
        files(2, big)
        + files(3, big)
        + files(4, ("a.py", 40), ("b.py", 30), ("c.py", 30))
        + files(5, ("package-lock.json", 250), ("src/y.py", 50))
        + files(6, big)
        + files(7, big)
        + files(8, big)
        + files(9, *[(f"f{i}.py", 1) for i in range(12)])
    )
    commits = [commit(i, f"s{i}", at(5, 10)) for i in range(2, 10)]
    reviews = [
        review(2, 2, "bob", submitted_at=at(5, 10, 30)),  # 0.5 h <= 300/500 h: stamp
        review(3, 3, "bob", submitted_at=at(5, 11, 0)),  # 1 h > 0.6 h: eligible, not a stamp
        review(4, 4, "bob", submitted_at=at(5, 10, 5)),  # size 100, 3 files: not eligible
        review(5, 5, "bob", submitted_at=at(5, 10, 5)),  # lockfile excluded: size 50: not eligible
        review(6, 6, "bob", submitted_at=at(5, 10, 20)),  # substantive inline comment first: not a stamp
        review(7, 7, "bob", submitted_at=at(5, 10, 5)),  # paired: exempt
        review(8, 8, "bob", body="LGTM", submitted_at=at(5, 10, 20)),  # trivial body: stamp
        review(9, 9, "bob", submitted_at=at(5, 10, 1)),  # 12 files, size 12: 60 s <= 12/500 h = 86 s: stamp
    ]
    comments = [
        rc(
            60,
            6,
            "bob",
            "this loop misses the last element because of the bound",
            path="src/x.py",
            created_at=at(5, 10, 10),
        )
    ]
    return prs, pr_files, commits, reviews, comments


def test_rubber_stamp_rule() -> None:
    prs, pr_files, commits, reviews, comments = stamp_case()
    frames = frames_of(OPTS, prs=prs, pr_files=pr_files, pr_commits=commits, reviews=reviews, review_comments=comments)
    scores = score_all(frames, OPTS, scorer=stand_in_scorer)
    ep = scores.episodes.set_index("pr_id")
    assert ep.loc[[2, 8, 9], "rubber_stamp"].all()
    assert not ep.loc[[3, 4, 5, 6, 7], "rubber_stamp"].any()
    assert ep.loc[[2, 3, 6, 8, 9], "eligible_approval"].all()
    assert not ep.loc[[4, 5, 7], "eligible_approval"].any()
    assert ep.loc[5, "size"] == 50  # package-lock.json is generated
    assert pd.isna(ep.loc[9, "T"])  # size 12 < 20: no T, but still an eligible approval
    assert ep.loc[2, "T"] == 0.0  # a rubber stamp zeroes T
    rate = scores.family_scores.query("person == 'bob' and family == 'rubber_stamp_rate'").iloc[0]
    assert rate["raw"] == pytest.approx(3 / 5)  # 3 stamps over 5 eligible approvals
    assert rate["status"] == "insufficient"  # 5 < 10 eligible approvals
    assert scores.team["rubber_stamp_rate"].iloc[0] == pytest.approx(0.6)


def test_own_pr_and_bot_pr_are_not_episodes() -> None:
    frames = frames_of(
        OPTS,
        prs=[pr(1, "alice"), pr(2, "renovate[bot]", author_type="Bot")],
        review_comments=[
            rc(1, 1, "alice", "answering my own reviewer here"),
            rc(2, 2, "bob", "this bump breaks the build because of x"),
        ],
        issue_comments=[ic(3, 1, "bob", "looks fine to me overall")],
    )
    eps = score_all(frames, OPTS, scorer=stand_in_scorer).episodes
    assert list(zip(eps["person"], eps["pr_id"], strict=True)) == [("bob", 1)]


def _episodes_and_comments(n: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Random episodes and inline comments with many tied sizes, T values and times."""
    rng = np.random.default_rng(seed)
    people = pd.array([["al", "bo", "cy", None][i] for i in rng.integers(0, 4, n)], dtype="string")
    t = rng.integers(0, 5, n) / 4.0
    t[rng.random(n) < 0.2] = np.nan
    eps = pd.DataFrame(
        {
            "person": people,
            "pr_id": pd.array(rng.integers(1, 50, n), dtype="Int64"),
            "repo": pd.array(["o/r"] * n, dtype="string"),
            "pr_number": pd.array(rng.integers(1, 50, n), dtype="Int64"),
            "url": pd.array([f"u{i}" for i in range(n)], dtype="string"),
            "title": pd.array([f"PR {i}" for i in range(n)], dtype="string"),
            "approved_at": pd.Timestamp("2024-06-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 9, n), unit="h"),
            "last_at": pd.Timestamp("2024-06-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 9, n), unit="h"),
            "size": rng.integers(0, 6, n) * 10,
            "changed_files": rng.integers(1, 4, n),
            "T": t,
            "n_subst": rng.integers(0, 3, n),
            "rubber_stamp": rng.random(n) < 0.3,
            "eligible_approval": rng.random(n) < 0.6,
        }
    )
    comments = pd.DataFrame(
        {
            "person": people,
            "pr_id": eps["pr_id"],
            "comment_id": [f"c{i}" for i in range(n)],
            "kind": pd.array([["review_comment", "issue_comment", None][i] for i in rng.integers(0, 3, n)], "string"),
            "url": eps["url"],
            "body": pd.array([f"body {i}" for i in range(n)], dtype="string"),
            "markers": pd.array([""] * n, dtype="string"),
            "created_at": eps["approved_at"],
            "is_trivial": rng.random(n) < 0.1,
            "landed": np.where(rng.random(n) < 0.2, np.nan, rng.integers(0, 2, n).astype(float)),
            "in_episode": rng.random(n) < 0.8,
        }
    )
    return eps, comments


def useful_population(comments: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """The plain pandas formulation: non-trivial inline comments made as a reviewer (inside an
    episode), with a 0/1 ``landed``."""
    keep = (comments["kind"] == "review_comment").fillna(False).to_numpy(dtype=bool)
    keep &= ~comments["is_trivial"].to_numpy(dtype=bool) & in_episode(comments, episodes)
    inline = comments.loc[keep, ["person", "comment_id", "url", "body", "markers", "created_at", "landed"]]
    return inline.assign(landed=inline["landed"].fillna(0).astype(int))


def _reference_evidence(eps: pd.DataFrame, comments: pd.DataFrame, k: int) -> tuple[pd.DataFrame, ...]:
    """The rows the plain pandas formulation picks: sort (ties: newer, then lower PR id), then
    groupby("person").head(k)."""
    order = {"ascending": [True, False, False, True], "kind": "stable"}
    stamped = eps[eps["rubber_stamp"]]
    stamps = stamped.sort_values(["person", "size", "approved_at", "pr_id"], **order).groupby("person").head(k)
    with_t = eps[eps["T"].notna()]
    best = with_t.sort_values(["person", "T", "last_at", "pr_id"], **order).groupby("person").head(k)
    useful = useful_population(comments, eps)
    landed = useful[useful["landed"] == 1].sort_values("created_at", ascending=False).groupby("person").head(k)
    return stamps, best, landed


@pytest.mark.parametrize("seed", [0, 1])
def test_episode_evidence_picks_the_rows_of_the_plain_pandas_formulation(seed: int) -> None:
    eps, comments = _episodes_and_comments(4000, seed)
    evidence = episode_evidence(eps, comments, OPTS)
    stamps, best, landed = _reference_evidence(eps, comments, OPTS.evidence_per_family)
    by_family = {f: rows for f, rows in evidence.groupby("family", sort=False)}
    assert by_family["rubber_stamp_rate"]["url"].tolist() == stamps["url"].tolist()
    assert by_family["thoroughness"]["url"].tolist() == best["url"].tolist()
    assert by_family["useful_rate"]["ref"].tolist() == landed["comment_id"].tolist()
    assert by_family["thoroughness"]["excerpt"].str.startswith("T = ").all()


def test_thoroughness_scores_match_grouping_by_name() -> None:
    eps, comments = _episodes_and_comments(600, 2)
    fam = thoroughness_scores(eps, comments, OPTS).set_index(["person", "family"])
    assert fam.loc[("bo", "thoroughness"), "raw"] == eps.groupby("person")["T"].mean()["bo"]
    eligible = eps[eps["eligible_approval"]]
    assert fam.loc[("al", "rubber_stamp_rate"), "raw"] == eligible.groupby("person")["rubber_stamp"].mean()["al"]
    useful = useful_population(comments, eps)
    assert fam.loc[("cy", "useful_rate"), "n"] == (useful["person"] == "cy").sum()


def test_size_conditional_percentile_matches_grouped_ranks_with_ties() -> None:
    rng = np.random.default_rng(5)
    size = pd.Series(rng.integers(0, 40, 3000), index=np.arange(3000) * 2)  # tied sizes, a non-default index
    density = pd.Series(rng.integers(0, 6, 3000) / 3.0, index=size.index)
    fast = size_conditional_percentile(density, size)
    pd.testing.assert_series_equal(fast, _percentile_by_groupby(density, size, 10), check_exact=True)
    assert fast[density == 0].eq(0).all() and fast.between(0, 1).all()
