"""The multiplier effect in the report: the sentences in plain words, and on the demo report (built by the
real pipeline, ``demo_run``) the person pages' section and chart and the team's distribution, drawn in
headless Chromium."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from browsing import COUNT_DRAWN, DRAWN, assert_clean, open_report
from playwright.sync_api import Browser

from analyzer.demo import generate_org
from analyzer.report.browser import page_key
from analyzer.report.uplift_section import sentence
from analyzer.scores.outcomes import OUTCOMES
from analyzer.scores.pipeline import SCORE_SCHEMAS, Scores, read_scores
from analyzer.scores.uplift import UPLIFT_COLUMNS
from analyzer.scores.uplift_precision import MEASURED, statement

ROUNDS, HOURS, CI_FIRST, REWORK = OUTCOMES


def row(**values: Any) -> dict[str, Any]:
    """One uplift row with every declared column (defaults: an estimated, uncredited person)."""
    base: dict[str, Any] = dict.fromkeys(UPLIFT_COLUMNS)
    base |= {"outcome": "review_rounds", "status": "ok", "n_authors": 41, "min_n": 8, "credited": False}
    return base | values


def test_the_table_is_declared_once() -> None:
    assert tuple(SCORE_SCHEMAS["uplift"]) == UPLIFT_COLUMNS


def test_a_credited_decrease_reads_as_fewer_rounds_with_its_interval() -> None:
    text = sentence("Maja", ROUNDS, row(estimate=-0.18, lo=-0.26, hi=-0.09, credited=True))
    assert text == (
        "Authors who worked with Maja needed 18 % fewer review rounds [9 %, 26 %] in the following three "
        "months (n = 41 authors)."
    )


def test_a_credited_increase_reads_as_more() -> None:
    text = sentence("Viktor", HOURS, row(outcome="hours_to_merge", estimate=0.3, lo=0.1, hi=0.5, credited=True))
    assert "needed 30 % more time from ready-for-review to merge [10 %, 50 %]" in text


def test_outcomes_counted_in_pull_requests_read_as_had() -> None:
    text = sentence("Maja", CI_FIRST, row(outcome="ci_failed_first", estimate=-0.25, lo=-0.4, hi=-0.1, credited=True))
    assert (
        "Authors who worked with Maja had 25 % fewer pull requests failing CI on their first push [10 %, 40 %]" in text
    )
    text = sentence("Maja", REWORK, row(outcome="rework", estimate=0.2, lo=0.05, hi=0.4, credited=True))
    assert "had 20 % more pull requests needing a fix or revert within 14 days" in text


def test_an_interval_spanning_zero_is_no_detectable_effect() -> None:
    text = sentence("Tom", ROUNDS, row(estimate=-0.05, lo=-0.2, hi=0.1))
    assert text.startswith("Review rounds: no detectable effect") and "[-20 %, +10 %]" in text
    assert "fewer" not in text


def test_below_the_minimum_is_insufficient_data_with_n() -> None:
    text = sentence("Ana", ROUNDS, row(status="insufficient", n_authors=3))
    assert text == "Review rounds: insufficient data (n = 3 authors; at least 8 needed)."
    assert sentence("Ana", ROUNDS, None) == "Review rounds: insufficient data (n = 0 authors)."


def test_the_precision_statement_says_the_studys_figures_in_plain_words() -> None:
    words = statement(replace(MEASURED, false_credit=0.104, coverage=0.9, power_demo=0.712, power_larger=0.9))
    assert "people with no effect were credited 10 % of the time" in words
    assert "the 90 % intervals held the true effect 90 % of the time" in words
    assert "a true 20 % change was found 71 % of the time in an org of about 40 people" in words
    assert '"No detectable effect" is not "no effect".' in words


@pytest.fixture(scope="module")
def scores(demo_run: Any) -> Scores:
    return read_scores(demo_run.store)


def _planted(trait: str) -> list[str]:
    return [t.login for t in generate_org(seed=7, scale=1.0).traits if t.trait == trait]


def test_demo_person_pages_show_the_multiplier_in_chromium(browser: Browser, demo_run: Any, scores: Scores) -> None:
    rounds = scores.uplift[scores.uplift["outcome"] == "review_rounds"].set_index("person")
    # someone credited with an effect on any outcome, improvers first (whether this one draw credits them
    # is a matter of power: benchmarks/uplift_validity.py)
    ok = scores.uplift[scores.uplift["credited"] & scores.uplift["person"].isin(scores.people["person"])]
    credited = sorted(set(ok["person"]), key=lambda p: (p not in _planted("uplift_improver"), p))
    assert credited, "the demo has nobody credited to show"
    (null,) = _planted("uplift_busy_null")
    few = rounds[rounds["status"] == "insufficient"].index.intersection(scores.people["person"])
    w = open_report(browser, Path(demo_run.report))
    page = w.page
    page.wait_for_function(DRAWN, arg="team", timeout=60_000)
    # the team view: the distribution of effects, drawn, and no name in it (never a ranking)
    team_chart = page.locator("#chart-team-uplift")
    assert team_chart.locator("svg.main-svg").count() >= 1
    assert not any(name in team_chart.inner_text() for name in scores.people["display_name"].dropna())
    for login, expected in [
        (credited[0], "Authors who worked with"),
        (null, "no detectable effect"),
        *[(p, "insufficient data") for p in list(few)[:1]],
    ]:
        key = page_key(login)
        page.evaluate("key => { location.hash = '#' + key; }", key)
        page.wait_for_function(DRAWN, arg=key, timeout=60_000)
        section = page.locator(f"#page-person-{key[7:]} section.uplift")
        words = section.inner_text()
        assert expected in words, (login, words)
        assert "Observational evidence, not proof" in words
        assert statement() in words  # how precise the claims were, beside every person's claims
        drawn = page.evaluate(COUNT_DRAWN, f"#page-person-{key[7:]} section.uplift")
        assert drawn == (1 if rounds.loc[login, "status"] == "ok" else 0), login
    # the section sits right after the summary: before the tables of the page
    key = page_key(credited[0])
    order = page.evaluate(
        "slug => { const b = document.querySelector('#page-person-' + slug + ' .person-body');"
        " const kids = Array.from(b.children); return [kids.findIndex(k => k.matches('section.uplift')),"
        " kids.findIndex(k => k.tagName === 'H2')]; }",
        key[7:],
    )
    assert 0 < order[0] < order[1]
    assert_clean(w)
    page.close()
