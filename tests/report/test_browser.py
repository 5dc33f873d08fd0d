"""The report in real headless Chromium, from file://, with every non-file request blocked."""

from __future__ import annotations

from pathlib import Path

from browsing import COUNT_DRAWN, DRAWN, assert_clean, open_report
from expected import landing_charts, person_charts
from fake_scores import HOSTILE_LOGIN, HOSTILE_SCRIPT, HOSTILE_STRINGS, FakeScores
from playwright.sync_api import Browser


def test_landing_draws_every_chart_offline(
    browser: Browser, report_path: Path, fake_scores: FakeScores
) -> None:
    w = open_report(browser, report_path)
    w.page.wait_for_function(DRAWN, arg="team", timeout=30_000)
    expected = landing_charts(fake_scores)
    assert expected >= 10
    assert w.page.evaluate(COUNT_DRAWN, "#page-team") == expected
    assert w.page.get_attribute("#page-team", "data-expected-charts") == str(expected)
    assert_clean(w)
    w.page.close()


def test_click_person_then_evidence(browser: Browser, report_path: Path, fake_scores: FakeScores) -> None:
    w = open_report(browser, report_path)
    page = w.page
    page.wait_for_function(DRAWN, arg="team", timeout=30_000)
    page.click(f'#page-team .directory a[data-person="{HOSTILE_LOGIN}"]')
    key = f"person/{HOSTILE_LOGIN}"
    page.wait_for_function(DRAWN, arg=key, timeout=30_000)
    section = f"#page-person-{HOSTILE_LOGIN}"
    assert page.is_visible(section) and not page.is_visible("#page-team")
    assert page.evaluate(COUNT_DRAWN, section) == person_charts(fake_scores, HOSTILE_LOGIN)
    page.click(f'{section} tr[data-family="harsh_rate"] a.evlink')
    evidence = page.locator(f"#ev-{HOSTILE_LOGIN}-harsh_rate")
    evidence.wait_for(state="visible")
    assert page.evaluate("location.hash") == f"#person/{HOSTILE_LOGIN}/harsh_rate"
    for hostile in HOSTILE_STRINGS:  # shown as literal text, never run
        assert evidence.locator("blockquote", has_text=hostile).first.is_visible()
    assert evidence.locator(".marker").count() > 0
    assert evidence.locator('a[href^="https://github.com/"]').count() > 0
    assert page.locator('a[href^="javascript:"]').count() == 0
    assert page.locator(f"{section} h1").inner_text().startswith('"><svg onload=alert(1)>')
    assert_clean(w)
    page.close()


def test_hash_navigation_and_hostile_names(browser: Browser, report_path: Path) -> None:
    w = open_report(browser, report_path, "#person/ada-lovelace-000")
    page = w.page
    page.wait_for_function(DRAWN, arg="person/ada-lovelace-000", timeout=30_000)
    assert page.locator("#page-person-ada-lovelace-000 h1").inner_text().startswith(HOSTILE_SCRIPT)
    page.goto(report_path.resolve().as_uri() + "#methodology")
    assert page.is_visible("#page-methodology")
    page.goto(report_path.resolve().as_uri() + "#bots")
    assert page.locator("#page-bots td", has_text="[bot]").count() > 0
    assert_clean(w)
    page.close()


def test_pseudonymized_report_runs_clean(browser: Browser, pseudo_report_path: Path) -> None:
    w = open_report(browser, pseudo_report_path)
    w.page.wait_for_function(DRAWN, arg="team", timeout=30_000)
    first = w.page.locator("#page-team .directory a").first
    slug = first.get_attribute("data-person")
    assert slug is not None and slug.startswith("user-")
    first.click()
    w.page.wait_for_function(DRAWN, arg=f"person/{slug}", timeout=30_000)
    assert_clean(w)
    w.page.close()
