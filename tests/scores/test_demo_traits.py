"""The scores recover the demo org's built-in traits (ground truth in ``generate_org(...).traits``).

Uses the session's demo run (served on loopback, collected for real, scored with ``now = DEMO_NOW``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from analyzer.demo import DEMO_NOW, generate_org
from analyzer.pipeline import score
from analyzer.scores.pipeline import SCORE_SCHEMAS, Scores, read_scores

BOTS = {"dependabot", "github-actions", "release-notes[bot]", "qa-automation"}


@cache
def trait_logins() -> dict[str, list[str]]:
    """trait -> logins, from the generator's ground truth (same seed and scale as the fixture)."""
    found: dict[str, list[str]] = {}
    for trait in generate_org(seed=7, scale=1.0).traits:
        found.setdefault(trait.trait, []).append(trait.login)
    return found


def the(trait: str) -> str:
    (login,) = trait_logins()[trait]
    return login


@pytest.fixture(scope="module")
def scores(demo_store: Path) -> Scores:
    return read_scores(demo_store)


def ranked(scores: Scores, family: str) -> pd.DataFrame:
    """People with status ok for ``family``, best estimate first (ties broken by name, for stable output)."""
    rows = scores.family_scores[(scores.family_scores["family"] == family) & (scores.family_scores["status"] == "ok")]
    return rows.sort_values(["estimate", "person"], ascending=[False, True]).reset_index(drop=True)


def leader(scores: Scores, family: str) -> str:
    top = ranked(scores, family)
    assert len(top) >= 2, f"fewer than two people with a {family} score"
    assert top.loc[0, "estimate"] > top.loc[1, "estimate"], f"{family}: tie at the top"
    return str(top.loc[0, "person"])


def test_harsh_reviewer_has_the_highest_harsh_rate(scores: Scores) -> None:
    assert leader(scores, "harsh_rate") == the("harsh_reviewer")


def test_rubber_stamper_has_the_highest_rubber_stamp_rate(scores: Scores) -> None:
    assert leader(scores, "rubber_stamp_rate") == the("rubber_stamper")


def test_mentor_has_the_widest_newcomer_reach(scores: Scores) -> None:
    assert leader(scores, "mentoring_reach") == the("mentor")
    newcomers = set(trait_logins()["newcomer"])
    pairs = scores.mentoring[scores.mentoring["mentor"] == the("mentor")]
    reached = set(pairs.loc[pairs["n_interactions"] >= 2, "mentee"])
    # reach counts newcomers only, and the mentor reaches most of the built-in ones
    assert len(reached & newcomers) >= len(newcomers) // 2
    established = {login for t, logins in trait_logins().items() if t != "newcomer" for login in logins}
    assert not reached & established


def test_team_newcomer_inflow_counts_the_built_in_newcomers(scores: Scores) -> None:
    newcomers = {t.login for t in generate_org(seed=7).traits if t.trait == "newcomer"}
    arrived = int(scores.newcomer_inflow["n_newcomers"].sum())
    assert len(newcomers) <= arrived <= len(newcomers) + 5  # the 11 planted, plus a few organic first-timers
    assert int(scores.team["n_newcomers"].iloc[0]) == arrived
    assert int(scores.newcomer_inflow["n_helped"].sum()) <= arrived


def test_ci_improver_has_credit_whose_interval_excludes_zero(scores: Scores) -> None:
    ci = ranked(scores, "ci_hours_saved").set_index("person")
    improver = ci.loc[the("ci_improver")]
    assert improver["lo"] > 0 and improver["estimate"] >= improver["lo"]
    assert improver["estimate"] == ci["estimate"].max()
    changes = scores.ci_changes[scores.ci_changes["person"] == the("ci_improver")]
    credited = changes[changes["credited"]]
    # each scripted improvement is a merged PR to ci.yml, measured on ci.yml runs, faster afterwards
    assert len(credited) >= 3
    assert set(credited["workflow_path"]) == {".github/workflows/ci.yml"}
    assert (credited["shift_hi_s"] < 0).all() and credited["pr_number"].notna().all()
    assert (credited[["runs_before", "runs_after"]] >= 30).all().all()


def test_ci_changes_are_not_duplicated(scores: Scores) -> None:
    keys = ["person", "repo", "sha", "pr_number", "workflow_path"]
    assert not scores.ci_changes.duplicated(keys).any()


def test_docs_champion_has_the_most_docs_credit(scores: Scores) -> None:
    assert leader(scores, "docs_volume") == the("docs_champion")
    assert leader(scores, "onboarding_docs") == the("docs_champion")


def test_bots_appear_in_no_persons_scores(scores: Scores) -> None:
    assert set(scores.bots["login"]) >= BOTS
    columns = {
        "people": ["person"],
        "family_scores": ["person"],
        "comments": ["person"],
        "episodes": ["person", "pr_author"],
        "review_edges": ["reviewer", "author"],
        "mentoring": ["mentor", "mentee"],
        "ci_changes": ["person"],
        "doc_changes": ["person"],
        "evidence": ["person"],
    }
    for table, cols in columns.items():
        frame = getattr(scores, table)
        for col in cols:
            assert not BOTS & set(frame[col].dropna()), f"bot in {table}.{col}"


def test_scoring_the_same_store_twice_gives_identical_tables(demo_store: Path, scores: Scores) -> None:
    first, second = score(demo_store, now=DEMO_NOW), score(demo_store, now=DEMO_NOW)
    for name in SCORE_SCHEMAS:
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name), obj=name)
        # and identical to what the demo run wrote into the store
        pd.testing.assert_frame_equal(getattr(first, name), getattr(scores, name), check_categorical=False, obj=name)
    strip = {"timings_s", "cache"}
    assert {k: v for k, v in first.meta.items() if k not in strip} == {
        k: v for k, v in second.meta.items() if k not in strip
    }
