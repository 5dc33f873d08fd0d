"""The family registry: every family declared once, and a new family is one module plus one registry entry.

The toy "review latency" family below is the whole of what adding a family takes (its computation and one
``FamilyModule``); the test then finds it in the scores, the profile, the report's person and team pages
and the methodology page, with nothing else edited.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _score_helpers import NOW, frames_of, pr, rc, review, stand_in_scorer, ts

from analyzer.frames import Frames
from analyzer.report import build_report
from analyzer.report.build import unpack_people
from analyzer.scores import families, methodology, profile
from analyzer.scores.families import Family, FamilyInputs, FamilyModule
from analyzer.scores.options import ScoringOptions
from analyzer.scores.pipeline import Scores, score_all
from analyzer.scores.stats import family_rows

OPTS = ScoringOptions(now=NOW, min_thoroughness=1, min_considerate=1, min_harsh=1)
PEOPLE = ("alice", "bob", "carol", "dan")


def team_frames(options: ScoringOptions = OPTS) -> Frames:
    """Four people who open PRs and review each other's, at different speeds."""
    prs, reviews, comments = [], [], []
    for k in range(12):
        author, reviewer = PEOPLE[k % 4], PEOPLE[(k + 1) % 4]
        prs.append(pr(k + 1, author, created_at=ts(1 + k), additions=60))
        reviews.append(review(100 + k, k + 1, reviewer, submitted_at=ts(1 + k, hour=1 + (k % 4) * 5 + k // 4)))
        comments.append(rc(200 + k, k + 1, reviewer, f"rename `x{k}` because the name hides what it holds"))
    return frames_of(options, prs=prs, reviews=reviews, review_comments=comments)


# --- the new family: its module (one function per table it feeds) -----------------------------------


def review_latency_scores(x: FamilyInputs) -> pd.DataFrame:
    """Mean hours from a PR's opening to each reviewer's first review of it (lower is better)."""
    reviews = x.frames.reviews[~x.frames.reviews["is_bot"].fillna(False).astype(bool)]
    opened = x.frames.prs[["pr_id", "created_at", "person"]].rename(columns={"person": "pr_author"})
    rows = reviews.merge(opened, on="pr_id")
    rows = rows[rows["person"] != rows["pr_author"]]
    first = rows.groupby(["person", "pr_id"]).agg(at=("submitted_at", "min"), opened=("created_at", "first"))
    hours = ((first["at"] - first["opened"]).dt.total_seconds() / 3600).groupby(level="person")
    mean, n = hours.mean(), hours.size()
    nan = np.full(len(mean), np.nan)
    return family_rows(
        mean.index, "review_latency", mean, nan, nan, mean, n, x.options.min_thoroughness, "hours", False
    )


def review_latency_evidence(x: FamilyInputs) -> pd.DataFrame:
    """Each reviewer's latest review, as the example behind the number."""
    reviews = x.frames.reviews.sort_values("submitted_at").groupby("person").tail(1)
    return pd.DataFrame(
        {
            "person": reviews["person"],
            "family": "review_latency",
            "kind": "review",
            "ref": reviews["review_id"].astype(str),
            "url": reviews["url"],
            "excerpt": "first review of the pull request",
            "markers": "",
            "at": reviews["submitted_at"],
        }
    )


# --- ... and its one registry entry --------------------------------------------------------------------

REVIEW_LATENCY = FamilyModule(
    "review_latency",
    scores=review_latency_scores,
    evidence=review_latency_evidence,
    families=(
        Family(
            "review_latency",
            "Review latency",
            "How long authors wait for their first review from them, in hours.",
            "hours",
            False,
            "Mean hours from a PR's opening to the reviewer's first review of it; shown at >= "
            "{min_thoroughness} reviews.",
            n_unit="reviews",
            min_option="min_thoroughness",
            group="responsiveness",
        ),
    ),
)


@pytest.fixture
def with_latency() -> Iterator[FamilyModule]:
    with families.registered(REVIEW_LATENCY) as module:
        yield module


def visible(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)))


def page_text(report: str, page: str) -> str:
    """The visible text of one report page (``data-page`` value; person pages are packed), tags removed."""
    if page.startswith("person/"):
        return visible(unpack_people(report)[page.removeprefix("person/")]["html"])
    match = re.search(rf'<section class="page"[^>]*data-page="{re.escape(page)}"', report)
    assert match, f"no page {page}"
    end = report.find('<section class="page"', match.end())
    return visible(report[match.start() : end if end > 0 else len(report)])


def build(scores: Scores, out: Path) -> str:
    path = build_report(scores, out, now=NOW, title="t", min_group_size=1)
    return path.read_text(encoding="utf-8")


def test_a_new_family_is_one_module_and_one_registry_entry(with_latency: FamilyModule, tmp_path: Path) -> None:
    scores = score_all(team_frames(), OPTS, scorer=stand_in_scorer)
    latency = scores.family_scores[scores.family_scores["family"] == "review_latency"]
    assert set(latency["person"]) == set(PEOPLE)  # scores: family_scores rows for every reviewer
    assert (latency["min_n"] == OPTS.min_thoroughness).all() and (latency["status"] == "ok").all()
    assert set(scores.evidence.loc[scores.evidence["family"] == "review_latency", "person"]) == set(PEOPLE)
    # profile: its own group, lower latency counting as better, inside the composite multiplier
    assert families.profile_groups()["responsiveness"] == (("review_latency", -1),)
    wide = profile.family_z(scores.family_scores, OPTS.level)
    fastest = latency.loc[latency["estimate"].idxmin(), "person"]
    assert wide.loc[fastest, "responsiveness_z"] == wide["responsiveness_z"].max()
    # the methodology the run recorded carries its formula, filled with the run's minimum
    assert scores.meta["formulas"]["review_latency"].endswith("shown at >= 1 reviews.")

    report = build(scores, tmp_path / "r.html")
    assert "Review latency" in page_text(report, f"person/{fastest}")
    team = report[report.index('data-page="team"') : report.index('data-page="methodology"')]
    assert 'id="chart-dist-review_latency"' in team  # the team's distribution of the new family ...
    payload = report[report.index('id="report-data"') :]
    chart = payload[payload.index('"chart-dist-review_latency"') :][:4000]
    assert "Review latency" in chart and "lower is better" in chart  # ... drawn with its label and direction
    method = page_text(report, "methodology")
    assert "Review latency Mean hours from a PR's opening to the reviewer's first review of it; shown at >= 1" in method
    assert "Shown from a sample of 1 reviews." in method
    assert "responsiveness = review_latency" in method  # the multiplier's formula lists the new group


def test_unregistered_the_family_is_gone() -> None:
    with families.registered(REVIEW_LATENCY):
        assert families.find("review_latency") is not None
    assert families.find("review_latency") is None
    scores = score_all(team_frames(), OPTS, scorer=stand_in_scorer)
    assert "review_latency" not in set(scores.family_scores["family"])


def test_registering_a_taken_name_or_an_unknown_option_fails() -> None:
    taken = FamilyModule("again", scores=review_latency_scores, families=(families.find("harsh_rate"),))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="harsh_rate"):
        families.register(taken)
    typo = Family("x", "X", "", "", True, min_option="min_typo")
    with pytest.raises(ValueError, match="min_typo"):
        families.register(FamilyModule("x", scores=review_latency_scores, families=(typo,)))
    assert families.find("x") is None


def test_every_scored_family_is_declared_with_its_minimum_and_direction() -> None:
    """What the computations write (min_n, higher_is_better) is what the registry declares."""
    options = ScoringOptions(now=NOW, min_considerate=3, min_harsh=4, min_thoroughness=2, min_useful=5)
    scores = score_all(team_frames(options), options, scorer=stand_in_scorer)
    values = methodology.option_values(scores.meta["options"])  # type: ignore[arg-type]
    minimums = families.minimums(values)
    for name, rows in scores.family_scores.groupby("family"):
        declared = families.find(str(name))
        assert declared is not None, f"{name} is scored but not declared"
        assert bool(rows["higher_is_better"].iloc[0]) == bool(declared.higher_is_better), name
        if declared.min_option:
            assert (rows["min_n"] == minimums[str(name)]).all(), name
    assert minimums["harsh_rate"] == 4 and minimums["considerate"] == 3 and minimums["useful_rate"] == 5


def test_declarations_name_real_options_and_fill_every_formula() -> None:
    option_names = {f.name for f in fields(ScoringOptions)}
    declared = families.all_families()
    assert len({f.name for f in declared}) == len(declared)
    assert {f.min_option for f in declared if f.min_option} <= option_names
    filled = methodology.formulas(methodology.option_values())
    assert {f.name for f in declared if f.formula} <= set(filled)
    assert not [k for k, v in filled.items() if "{" in v or "}" in v]  # every template field was known
    # the multiplier's groups have their weight option; the default config weighs every group
    assert set(families.profile_groups()) == set(ScoringOptions().weights)


ROOT = Path(__file__).resolve().parents[2]
CITATION = re.compile(r'docs/methodology\.md,\s*"([^"]+)"')


def test_docs_methodology_carries_the_registry() -> None:
    """docs/methodology.md's generated section (families, building blocks, minimums, exclusions,
    deviations) is what the registry and methodology.py say today."""
    doc = (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")
    start, end = doc.index(methodology.BEGIN), doc.index(methodology.END) + len(methodology.END)
    assert doc[start:end] == methodology.families_markdown(), (
        "docs/methodology.md is stale: run python -m analyzer.scores.methodology docs/methodology.md"
    )


def test_code_cites_sections_of_docs_methodology_that_exist() -> None:
    """Comments cite docs/methodology.md by heading (not an outside specification), and each heading exists."""
    headings = set(re.findall(r"^#+ (.+?)\s*$", (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8"), re.M))
    cited: dict[str, set[str]] = {}
    outside: list[str] = []
    for path in sorted((ROOT / "analyzer").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for name in CITATION.findall(source):
            cited.setdefault(name, set()).add(path.name)
        outside += [f"{path.name}: {line.strip()}" for line in source.splitlines() if "§" in line or "metrics.md" in line]
    assert cited, "no code cites docs/methodology.md"
    # a citation names a heading, or its leading words ("Comment scorers" for "Comment scorers: harsh, ...")
    assert {name: files for name, files in cited.items() if not any(h.startswith(name) for h in headings)} == {}
    assert outside == []
