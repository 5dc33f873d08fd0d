"""One team reference and one newcomer definition across the pages, charts and cards of a report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from fake_scores import FakeScores

from analyzer.report.build import unpack_people
from analyzer.report.labels import fmt, shown


def _landing(html: str) -> dict[str, dict]:
    m = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)
    assert m is not None
    return {div: spec for div, spec in json.loads(m.group(1))["landing"]}


def _typical(scores: FakeScores) -> dict[str, float]:
    """The team typical computed here from the scores: the median estimate of people with status ok."""
    fs = scores.family_scores
    ok = fs[(fs["status"] == "ok") & fs["person"].isin(set(scores.people["person"]))]
    sizes = ok.groupby("family").size()
    medians = pd.to_numeric(ok["estimate"]).groupby(ok["family"]).median()
    return {str(f): float(medians[f]) for f in medians.index if sizes[f] >= 5}


def test_one_team_reference_on_cards_charts_and_person_pages(report_path: Path, fake_scores: FakeScores) -> None:
    html = report_path.read_text(encoding="utf-8")
    landing = _landing(html)
    pages = unpack_people(html)
    typical = _typical(fake_scores)
    assert {"harsh_rate", "considerate"} <= set(typical)
    for fam, ref in typical.items():
        chart = landing.get(f"chart-dist-{fam}")
        if chart is not None:  # the dotted line of the distribution chart
            assert chart["layout"]["shapes"][0]["x0"] == round(shown(fam, ref), 4), fam
        said = f"team typical {fmt(fam, ref)}"
        fs = fake_scores.family_scores
        people = fs[(fs["family"] == fam) & (fs["status"] == "ok")]["person"]
        for login in people:
            slug = re.sub(r"[^a-z0-9-]+", "-", str(login).lower()).strip("-")
            assert said in pages[slug]["html"], (fam, login)
    # the team card names the same reference for the harsh rate
    assert f"the typical person: {fmt('harsh_rate', typical['harsh_rate'])}" in html


def test_one_newcomer_definition_on_badges_stars_and_lists(report_path: Path, fake_scores: FakeScores) -> None:
    html = report_path.read_text(encoding="utf-8")
    pages = unpack_people(html)
    edges = fake_scores.review_edges
    newcomers = set(edges[edges["author_is_newcomer"].astype(bool)]["author"])
    newcomers |= set(fake_scores.mentoring["mentee"]) | set(
        fake_scores.people[fake_scores.people["is_newcomer"].astype(bool)]["person"]
    )
    assert newcomers
    names = dict(zip(fake_scores.people["person"], fake_scores.people["display_name"], strict=True))
    for login in names:
        slug = re.sub(r"[^a-z0-9-]+", "-", str(login).lower()).strip("-")
        badge = 'class="badge"' in pages[slug]["html"].split("</h1>")[0]
        assert badge == (login in newcomers), login
        for div, spec in pages[slug]["charts"]:
            if div.endswith("-network"):
                nodes = next(t for t in spec["data"] if t.get("name", "").startswith("colleague"))
                for other, symbol in zip(nodes["customdata"], nodes["marker"]["symbol"], strict=True):
                    other_login = next(lo for lo in names if re.sub(r"[^a-z0-9-]+", "-", str(lo).lower()).strip("-") == other)
                    assert (symbol == "star") == (other_login in newcomers), (login, other_login)
    # the team card counts the same people
    assert f"{len(newcomers & set(names))} of them newcomers in the window" in html


def test_marks_only_when_the_interval_excludes_the_reference_and_follow_which_way_is_better() -> None:
    from analyzer.report.compare import FAVOURABLE, TYPICAL, UNFAVOURABLE, comparison, comparison_words

    above, around, below = {"lo": 0.04, "hi": 0.06}, {"lo": 0.01, "hi": 0.06}, {"lo": 0.001, "hi": 0.015}
    assert comparison("harsh_rate", above, 0.02) == UNFAVOURABLE  # lower is better
    assert comparison("harsh_rate", below, 0.02) == FAVOURABLE
    assert comparison("useful_rate", above, 0.02) == FAVOURABLE  # higher is better
    assert comparison("harsh_rate", around, 0.02) == TYPICAL
    assert comparison("mentoring_reach", {"lo": None, "hi": None}, 0.0) == ""  # a count: never marked
    assert comparison("harsh_rate", above, None) == ""  # no team reference (group too small): never marked
    assert comparison_words("harsh_rate", UNFAVOURABLE).startswith("▼")
    assert comparison_words("harsh_rate", FAVOURABLE).startswith("▲")
