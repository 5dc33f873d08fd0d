"""Read in a minute, on a phone and on a desktop: every person page opens with a summary sentence before
any table or chart, nothing is wider than the screen, every chart whose title promises 90 % intervals
draws them, every hover label carries its unit, and the people index is one click from the top."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from browsing import DRAWN, assert_clean, open_report
from fake_scores import FakeScores
from playwright.sync_api import Browser, Page

from analyzer.report.build import unpack_people

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
# A hover label must say what its number counts: a unit or a word for it.
UNIT = re.compile(
    r"%|h/month|\bmin\b|comments?\b|doc lines|pull requests?|newcomers?|people|reviews?|approvals|"
    r"team typical|score|evenness|n = |\(this page\)"
)
RAW_FLOAT = re.compile(r"\d\.\d{4,}")  # an unformatted number such as 0.473241

# Elements wider than the viewport or starting left of it (the page's own scroll width included).
OVERFLOW = """sel => {
  const width = document.documentElement.clientWidth;
  const bad = [];
  if (document.documentElement.scrollWidth > width + 1) bad.push('document ' + document.documentElement.scrollWidth);
  for (const el of document.querySelectorAll(sel + ' *, nav, nav *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > width + 1 || r.left < -1) {
      bad.push((el.tagName + '.' + (el.getAttribute('class') || '')).slice(0, 60) + ' ' + Math.round(r.left) + '..' + Math.round(r.right)
        + ' ' + (el.textContent || '').slice(0, 40));
    }
  }
  return bad.slice(0, 10);
}"""

# For every chart whose title promises 90 % intervals: interval traces with data, and interval marks
# really rendered in its SVG (line paths, error bars or a filled band).
INTERVALS = """sel => Array.from(document.querySelectorAll(sel + ' .js-plotly-plot')).map(gd => {
  const title = (gd.layout.title && gd.layout.title.text) || '';
  const promised = title.replace(/<br>/g, ' ').includes('90 % interval');
  const withData = gd.data.filter(t => ((t.name || '').includes('90 % interval')
      && (t.x || []).filter(v => v !== null).length >= 2)
    || [t.error_x, t.error_y].some(e => e && (e.array || []).some(v => v !== null && v > 0))).length;
  const drawn = Array.from(gd.querySelectorAll('.scatterlayer path.js-line, .scatterlayer path.js-fill, g.errorbar path'))
    .filter(p => (p.getAttribute('d') || '').length > 2).length;
  return {id: gd.id, title: title, promised: promised, withData: withData, drawn: drawn};
})"""

# Hover the first point of every hoverable trace of every chart; return the hover label texts.
HOVERS = """sel => Array.from(document.querySelectorAll(sel + ' .js-plotly-plot')).flatMap(gd =>
  gd.data.map((t, i) => {
    if (t.hoverinfo === 'skip' || t.type === 'heatmap' && !t.z) return null;
    let point = 0;
    if (t.type === 'heatmap') {
      const r = t.z.findIndex(row => row.some(v => v > 0));
      if (r < 0) return null;
      point = [r, t.z[r].findIndex(v => v > 0)];
    } else {
      const ys = t.y || [];
      point = ys.findIndex(v => v !== null && v !== undefined);
      if (point < 0) return null;
    }
    if (t.type === 'heatmap') { Plotly.Fx.hover(gd, {xval: point[1], yval: point[0]}); }
    else { Plotly.Fx.hover(gd, [{curveNumber: i, pointNumber: point}], (t.xaxis || 'x') + (t.yaxis || 'y')); }
    const label = gd.querySelector('.hoverlayer') ? gd.querySelector('.hoverlayer').textContent : '';
    Plotly.Fx.unhover(gd);
    return {chart: gd.id, trace: t.name || t.type, label: label};
  }).filter(x => x !== null))"""


def _check_page(page: Page, section: str, where: str) -> None:
    overflowing = page.evaluate(OVERFLOW, section)
    assert overflowing == [], f"{where}: {overflowing}"
    for chart in page.evaluate(INTERVALS, section):
        if chart["promised"]:
            assert chart["withData"] > 0 and chart["drawn"] > 0, f"{where}: {chart}"
    hovers = page.evaluate(HOVERS, section)
    for hover in hovers:
        assert hover["label"].strip(), f"{where}: no hover label for {hover}"
        assert UNIT.search(hover["label"]), f"{where}: hover without a unit: {hover}"
        assert not RAW_FLOAT.search(hover["label"]), f"{where}: unformatted number: {hover}"


def _open(browser: Browser, path: Path, size: tuple[int, int], fragment: str = "") -> Page:
    w = open_report(browser, path, fragment)
    w.page.set_viewport_size({"width": size[0], "height": size[1]})
    return w.page


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_team_view_fits_and_reaches_the_people_index(browser: Browser, report_path: Path, width: str) -> None:
    w = open_report(browser, report_path)
    page = w.page
    page.set_viewport_size({"width": WIDTHS[width][0], "height": WIDTHS[width][1]})
    page.reload()
    page.wait_for_function(DRAWN, arg="team", timeout=30_000)
    _check_page(page, "#page-team", f"team view at {width} width")
    # the people index: a link in the bar at the top, and the list itself within the first screens
    link = page.locator('nav a[href="#people"]')
    box = link.bounding_box()
    assert box is not None and box["y"] < 100
    index_top = page.evaluate("document.getElementById('people-index').getBoundingClientRect().top + scrollY")
    assert index_top < 2 * WIDTHS[width][1]
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    link.click()
    page.wait_for_function("document.getElementById('people-index').getBoundingClientRect().top < innerHeight")
    first = page.locator("#people-index .directory a").first
    assert first.is_visible()
    for other in ("methodology", "bots"):  # the text pages fit too (long formulas, tables)
        page.evaluate("key => { location.hash = '#' + key; }", other)
        page.wait_for_function("key => !document.getElementById('page-' + key).hidden", arg=other)
        overflowing = page.evaluate(OVERFLOW, f"#page-{other}")
        assert overflowing == [], f"{other} at {width} width: {overflowing}"
    assert_clean(w)
    page.close()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_every_person_page_reads_in_a_minute(
    browser: Browser, report_path: Path, fake_scores: FakeScores, width: str
) -> None:
    slugs = sorted(unpack_people(report_path.read_text(encoding="utf-8")))
    assert len(slugs) == len(fake_scores.people)
    w = open_report(browser, report_path)
    page = w.page
    page.set_viewport_size({"width": WIDTHS[width][0], "height": WIDTHS[width][1]})
    promised = 0
    for slug in slugs:
        page.evaluate("key => { location.hash = '#' + key; }", f"person/{slug}")
        page.wait_for_function(DRAWN, arg=f"person/{slug}", timeout=30_000)
        section = f"#page-person-{slug}"
        # a summary sentence first: right under the name, before any table or chart
        first = page.evaluate(
            """sel => { const h = document.querySelector(sel + ' h1');
                        const next = h.parentElement.nextElementSibling;
                        return next ? next.className : ''; }""",
            section,
        )
        assert first == "summary", slug
        summary = page.locator(f"{section} p.summary")
        text = summary.inner_text()
        assert re.search(r"\w[^.]*\.\s", text + " ") and len(text) > 40, text
        order = page.evaluate(
            """sel => { const s = document.querySelector(sel + ' p.summary');
                        const later = Array.from(document.querySelectorAll(sel + ' table, ' + sel + ' .chart'));
                        return later.every(el => s.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING); }""",
            section,
        )
        assert order, slug
        # no raw ids or internal family names
        page_text = page.inner_text(section)
        assert not re.search(r"\b(?:rc|pr|ep):\d{3,}", page_text), slug
        assert not re.search(r"\b(?:harsh_rate|rubber_stamp_rate|mentoring_reach|docs_volume|log1p)\b", page_text), slug
        _check_page(page, section, f"{slug} at {width} width")
        promised += sum(c["promised"] for c in page.evaluate(INTERVALS, section))
    assert promised >= len(slugs)  # the "what they do for others" chart promises (and draws) intervals
    assert_clean(w)
    page.close()


@pytest.mark.slow
@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_every_demo_person_page_fits_with_units_and_intervals(browser: Browser, demo_run: Any, width: str) -> None:
    """The same checks on the real pipeline's report (the demo org): real names, real CI workflows and
    every section a person page can have."""
    path = Path(demo_run.report)
    slugs = sorted(unpack_people(path.read_text(encoding="utf-8")))
    w = open_report(browser, path)
    page = w.page
    page.set_viewport_size({"width": WIDTHS[width][0], "height": WIDTHS[width][1]})
    for slug in slugs:
        page.evaluate("key => { location.hash = '#' + key; }", f"person/{slug}")
        page.wait_for_function(DRAWN, arg=f"person/{slug}", timeout=60_000)
        assert page.locator(f"#page-person-{slug} p.summary").count() == 1, slug
        _check_page(page, f"#page-person-{slug}", f"demo {slug} at {width} width")
    assert_clean(w)
    page.close()
