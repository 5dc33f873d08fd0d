"""Mentees' first clean merge (docs/methodology.md, "Mentees' first clean merge"): per mentor, the share of
their mentees whose first PR merged with no changes requested came within 90 days of their first PR.

A hand-built team where every answer is known: newbie's first clean merge is their 3rd PR, 10 days after
their first (their 1st and 2nd got changes requested by a colleague; the 3rd got "changes requested" only
from newbie themself and from a bot, which do not count); slow's first clean merge comes after 111 days
(evaluable, not in time); late's first PR is younger than 90 days at the end of the data (censored: left
out of n).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from _score_helpers import NOW, frames_of, pr, rc, review, stand_in_scorer

from analyzer.config import load_config
from analyzer.report import build_report
from analyzer.report.build import unpack_people
from analyzer.scores import families
from analyzer.scores.newcomer_merge import FAMILY, first_clean_merges, ordinal
from analyzer.scores.options import ScoringOptions, options_from_config
from analyzer.scores.pipeline import Scores, score_all

OPTS = ScoringOptions(now=NOW)  # NOW = 2024-07-01


def d(month: int, day: int) -> str:
    return f"2024-{month:02d}-{day:02d}T00:00:00Z"


def team() -> dict[str, list[dict[str, Any]]]:
    prs = [
        pr(1, "newbie", created_at=d(2, 1), merged_at=d(2, 4)),
        pr(2, "newbie", created_at=d(2, 3), merged_at=d(2, 6)),
        pr(3, "newbie", created_at=d(2, 5), merged_at=d(2, 11)),  # 10 days after PR 1 opened
        pr(4, "newbie", created_at=d(2, 20), merged_at=d(2, 22)),  # clean too, but later
        pr(11, "slow", created_at=d(1, 10), merged_at=d(1, 20)),
        pr(12, "slow", created_at=d(4, 20), merged_at=d(4, 30)),  # clean: 111 days after PR 11 opened
        pr(21, "late", created_at=d(6, 1), merged_at=None, state="OPEN"),  # 30 days before NOW
        pr(31, "selfie", created_at=d(3, 1), merged_at=d(3, 2)),
        pr(41, "botted", created_at=d(3, 1), merged_at=d(3, 2)),
    ]
    reviews = [
        review(100, 1, "hal", "CHANGES_REQUESTED", submitted_at=d(2, 2)),
        review(101, 2, "mia", "CHANGES_REQUESTED", submitted_at=d(2, 4)),
        review(102, 3, "newbie", "CHANGES_REQUESTED", submitted_at=d(2, 6)),  # the author: does not count
        review(103, 3, "renovate[bot]", "CHANGES_REQUESTED", author_type="Bot", submitted_at=d(2, 6)),
        review(104, 3, "mia", "APPROVED", submitted_at=d(2, 7)),
        review(110, 11, "mia", "CHANGES_REQUESTED", submitted_at=d(1, 12)),
        review(130, 31, "selfie", "CHANGES_REQUESTED", submitted_at=d(3, 1)),
        review(140, 41, "renovate[bot]", "CHANGES_REQUESTED", author_type="Bot", submitted_at=d(3, 1)),
    ]
    # mia's teaching comments (a reason: "because") on each mentee's first PR make the mentoring pairs
    comments = [
        rc(1, 1, "mia", "rename it because it clashes", created_at=d(2, 2)),
        rc(2, 11, "mia", "split this because it is long", created_at=d(1, 11)),
        rc(3, 21, "mia", "move this because it belongs in utils", created_at=d(6, 2)),
    ]
    return {"prs": prs, "reviews": reviews, "review_comments": comments}


def scored(options: ScoringOptions = OPTS) -> Scores:
    return score_all(frames_of(options, **team()), options, scorer=stand_in_scorer)


def mia_row(scores: Scores) -> pd.Series:
    fs = scores.family_scores
    return fs[(fs["person"] == "mia") & (fs["family"] == FAMILY)].iloc[0]


def test_first_clean_merge_skips_changes_requested_by_others_only() -> None:
    merges = first_clean_merges(frames_of(OPTS, **team())).set_index("person")
    newbie = merges.loc["newbie"]
    assert newbie["first_pr"] == 1 and newbie["clean_pr"] == 3 and newbie["ordinal"] == 3
    assert newbie["clean_at"] - newbie["first_at"] == pd.Timedelta(days=10)
    assert merges.loc["selfie", "clean_pr"] == 31  # changes requested only by the author themself
    assert merges.loc["botted", "clean_pr"] == 41  # changes requested only by a bot
    assert merges.loc["slow", "clean_pr"] == 12
    assert merges["clean_pr"].isna()["late"]  # never merged
    assert "renovate[bot]" not in merges.index  # bots are nobody's mentee


def test_share_in_time_over_evaluable_mentees_by_hand() -> None:
    s = scored()
    assert set(s.mentoring.loc[s.mentoring["mentor"] == "mia", "mentee"]) == {"newbie", "slow", "late"}
    row = mia_row(s)
    # evaluable: newbie (in time: 10 days) and slow (111 days > 90); late (first PR 30 days old) censored
    assert row["n"] == 2 and row["raw"] == pytest.approx(0.5)
    assert row["lo"] < row["estimate"] < row["hi"]  # a beta-binomial interval around the shrunk share
    assert row["status"] == "insufficient" and row["min_n"] == 8  # 2 < 8 mentees: insufficient data
    assert bool(row["higher_is_better"])
    evidence = s.evidence[(s.evidence["family"] == FAMILY) & (s.evidence["person"] == "mia")].set_index("ref")
    assert set(evidence.index) == {"pr:3", "pr:12", "pr:21"}
    assert evidence.loc["pr:3", "url"] == "https://gh/o/r/pull/3"
    excerpt = evidence["excerpt"].astype(str)
    assert "10.0 days after their first PR opened (within 90 days; their 3rd PR)" in excerpt["pr:3"]
    assert "111.0 days" in excerpt["pr:12"] and "after 90 days" in excerpt["pr:12"]
    assert "no PR merged without changes requested yet" in excerpt["pr:21"]


def test_minimum_and_window_are_options() -> None:
    enough = mia_row(scored(ScoringOptions(now=NOW, min_clean_merge_mentees=2)))
    assert enough["status"] == "exploratory" and enough["min_n"] == 2  # never "ok": never ranked
    # with 120 days allowed, slow's 111 days count as in time
    wider = mia_row(scored(ScoringOptions(now=NOW, clean_merge_days=120)))
    assert wider["n"] == 2 and wider["raw"] == pytest.approx(1.0)
    # with 10 days, late's 30-day-old first PR is no longer censored (no clean merge: not in time) and
    # newbie's 10 days are exactly in time
    short = mia_row(scored(ScoringOptions(now=NOW, clean_merge_days=10)))
    assert short["n"] == 3 and short["raw"] == pytest.approx(1 / 3)


def test_config_key_sets_the_minimum(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[scores]\nmin_mentees_first_clean_merge = 3\n", encoding="utf-8")
    assert options_from_config(load_config(path), NOW).min_clean_merge_mentees == 3
    declared = families.find(FAMILY)
    assert declared is not None and declared.exploratory and declared.group is None  # not in the multiplier


def test_ordinal_words() -> None:
    words = ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "103rd"]
    assert [ordinal(k) for k in (1, 2, 3, 4, 11, 12, 13, 21, 22, 103)] == words


def visible(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)))


def test_family_on_person_and_methodology_pages(tmp_path: Path) -> None:
    options = ScoringOptions(now=NOW, min_clean_merge_mentees=2)
    report = build_report(scored(options), tmp_path / "r.html", now=NOW, title="t", min_group_size=1)
    markup = report.read_text(encoding="utf-8")
    person = visible(unpack_people(markup)["mia"]["html"])
    assert "Mentees' first clean merge" in person and "exploratory" in person
    method = visible(markup[markup.index('data-page="methodology"') : markup.index('data-page="bots"')])
    assert "Mentees' first clean merge" in method
    assert "clean merge within 90 days" in method and "below 2 such mentees" in method  # the run's values
