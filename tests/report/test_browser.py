"""The report in real headless Chromium, from file://, with every non-file request blocked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from expected import landing_charts, person_charts
from fake_scores import HOSTILE_LOGIN, HOSTILE_SCRIPT, HOSTILE_STRINGS, FakeScores
from playwright.sync_api import Browser, Page, sync_playwright

from analyzer.report.browser import CHROMIUM, CHROMIUM_ARGS

XSS_TRAP = """
window.__xss = 0;
window.alert = function () { window.__xss += 1; };
window.confirm = window.prompt = window.alert;
"""
DRAWN = "key => window.__reportState && window.__reportState.drawnPages[key] === true"
COUNT_DRAWN = """sel => Array.from(document.querySelectorAll(sel + ' .js-plotly-plot'))
    .filter(el => el.querySelector('svg.main-svg')).length"""


@dataclass
class Watched:
    page: Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(browser: Browser, path: Path, fragment: str = "") -> Watched:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    w = Watched(page)
    page.add_init_script(XSS_TRAP)
    page.on("console", lambda m: w.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: w.errors.append(str(e)))

    def on_dialog(d: Any) -> None:
        w.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)

    def block(route: Any) -> None:
        w.requests.append(route.request.url)
        route.abort()

    page.route(re.compile(r"^(?!file:).*"), block)
    page.goto(path.resolve().as_uri() + fragment)
    return w


def _assert_clean(w: Watched) -> None:
    assert w.errors == []
    assert w.requests == []
    assert w.dialogs == []
    assert w.page.evaluate("window.__xss") == 0


def test_landing_draws_every_chart_offline(
    browser: Browser, report_path: Path, fake_scores: FakeScores
) -> None:
    w = _open(browser, report_path)
    w.page.wait_for_function(DRAWN, arg="team", timeout=30_000)
    expected = landing_charts(fake_scores)
    assert expected >= 10
    assert w.page.evaluate(COUNT_DRAWN, "#page-team") == expected
    assert w.page.get_attribute("#page-team", "data-expected-charts") == str(expected)
    _assert_clean(w)
    w.page.close()


def test_click_person_then_evidence(browser: Browser, report_path: Path, fake_scores: FakeScores) -> None:
    w = _open(browser, report_path)
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
    _assert_clean(w)
    page.close()


def test_hash_navigation_and_hostile_names(browser: Browser, report_path: Path) -> None:
    w = _open(browser, report_path, "#person/ada-lovelace-000")
    page = w.page
    page.wait_for_function(DRAWN, arg="person/ada-lovelace-000", timeout=30_000)
    assert page.locator("#page-person-ada-lovelace-000 h1").inner_text().startswith(HOSTILE_SCRIPT)
    page.goto(report_path.resolve().as_uri() + "#methodology")
    assert page.is_visible("#page-methodology")
    page.goto(report_path.resolve().as_uri() + "#bots")
    assert page.locator("#page-bots td", has_text="[bot]").count() > 0
    _assert_clean(w)
    page.close()


def test_pseudonymized_report_runs_clean(browser: Browser, pseudo_report_path: Path) -> None:
    w = _open(browser, pseudo_report_path)
    w.page.wait_for_function(DRAWN, arg="team", timeout=30_000)
    first = w.page.locator("#page-team .directory a").first
    slug = first.get_attribute("data-person")
    assert slug is not None and slug.startswith("user-")
    first.click()
    w.page.wait_for_function(DRAWN, arg=f"person/{slug}", timeout=30_000)
    _assert_clean(w)
    w.page.close()
