"""Empathy aggregation (§1.3): population, shrinkage, harsh rate, evidence, bot exclusion."""

from __future__ import annotations

import pytest
from _score_helpers import NOW, frames_of, ic, pr, rc, stand_in_scorer

from analyzer.scores.options import ScoringOptions
from analyzer.scores.pipeline import score_all

OPTS = ScoringOptions(now=NOW)


def test_population_excludes_trivial_non_english_own_pr_and_bots() -> None:
    frames = frames_of(
        OPTS,
        prs=[pr(1, "alice"), pr(2, "bob")],
        review_comments=[
            rc(1, 1, "bob", "thanks, this reads much better now"),  # considerate .5
            rc(2, 1, "bob", "LGTM"),  # trivial: no tone
            rc(3, 1, "bob", "¿por qué cambiaste esto aquí?"),
        ],  # non-English
        issue_comments=[
            ic(4, 1, "bob", "this is a stupid way to do it"),  # harsh, considerate -.8
            ic(5, 2, "bob", "my own PR, thanks everyone for the reviews"),  # own PR: excluded
            ic(6, 1, "ci-helper[bot]", "thanks for the contribution!!"),
        ],  # bot
    )
    scores = score_all(frames, OPTS, scorer=stand_in_scorer)
    assert "ic:5" not in set(scores.comments["comment_id"])
    assert "ci-helper[bot]" not in set(scores.comments["person"])
    fam = scores.family_scores.set_index(["person", "family"])
    # population = comments 1 and 4: raw mean (.5 - .8)/2 = -.15; one person -> no shrinkage
    assert fam.loc[("bob", "considerate"), "raw"] == pytest.approx(-0.15)
    assert fam.loc[("bob", "considerate"), "estimate"] == pytest.approx(-0.15)
    assert fam.loc[("bob", "considerate"), "n"] == 2
    assert fam.loc[("bob", "considerate"), "status"] == "insufficient"
    assert fam.loc[("bob", "harsh_rate"), "raw"] == pytest.approx(0.5)
    assert scores.meta["excluded"] == {"bot_comments": 1, "non_english_comments": 1, "trivial_comments": 1}
    evidence = scores.evidence.query("person == 'bob'")
    assert set(evidence["family"]) >= {"considerate", "harsh_rate"}
    assert "ic:4" in set(evidence.query("family == 'harsh_rate'")["ref"])


WORDS = ("parser", "cache", "loop", "guard", "naming", "index", "buffer", "retry", "schema", "logger")


def test_considerate_is_shrunk_toward_team_mean() -> None:
    # bob: 10 comments at .5 (var 0); carol: 10 at 0 (var 0); dave: .5, .5, 0 (mean 1/3, var 1/12, n 3)
    # pooled sigma2 = (9*0 + 9*0 + 2/12)/20 = .008333 (dave, n < 10); bob/carol keep their own 0
    # mu = (.5 + 0 + .3333)/3 = .277778; var(means) = .064815; mean(sigma2/n) = (.008333/3)/3 = .000926
    # tau2 = .063889; w_dave = .063889/(.063889 + .002778) = .958333
    # dave = .958333*.333333 + .041667*.277778 = .331019; half-width 1.6449*sqrt(.958333*.002778) = .084866
    prs = [pr(1, "alice")]
    comments = [rc(100 + i, 1, "bob", f"thanks, the {w} looks right") for i, w in enumerate(WORDS)]
    comments += [rc(200 + i, 1, "carol", f"please look at the {w} again") for i, w in enumerate(WORDS)]
    comments += [
        rc(300, 1, "dave", "thanks for the fix"),
        rc(301, 1, "dave", "thanks, good catch there"),
        rc(302, 1, "dave", "please look again"),
    ]
    scores = score_all(frames_of(OPTS, prs=prs, review_comments=comments), OPTS, scorer=stand_in_scorer)
    fam = scores.family_scores.query("family == 'considerate'").set_index("person")
    assert fam.loc["bob", "estimate"] == pytest.approx(0.5)  # sigma2 = 0 -> w = 1
    assert fam.loc["dave", "raw"] == pytest.approx(1 / 3)
    assert fam.loc["dave", "estimate"] == pytest.approx(0.331019, abs=1e-5)
    assert fam.loc["dave", "hi"] - fam.loc["dave", "estimate"] == pytest.approx(0.084866, abs=1e-5)
    assert fam.loc["bob", "status"] == "insufficient"  # 10 < 20 comments
