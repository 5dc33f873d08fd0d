"""Report at org scale: 500 people, 200,000 comments (synthetic, from tests/report/fake_scores.py).

Prints generation time, file size and the time headless Chromium needs to draw every landing-page chart
(per-person charts are drawn lazily when a person page opens, so that is measured separately), against a
naive baseline that embeds plotly.js once per chart and draws every chart up front.

    .venv/bin/python benchmarks/report_scale.py [--people 500] [--comments 200000]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "report")]

from fake_scores import DEFAULT_NOW, TEST_METHODOLOGY, make_scores  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from analyzer.report import build_report  # noqa: E402
from analyzer.report.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from analyzer.report.build import plotly_js, unpack_people  # noqa: E402

DRAWN = "key => window.__reportState && window.__reportState.drawnPages[key] === true"
COUNT_DRAWN = """() => Array.from(document.querySelectorAll('#page-team .js-plotly-plot'))
    .filter(el => el.querySelector('svg.main-svg')).length"""


LOADS = 3  # the landing page is loaded this many times in fresh tabs; the worst load is the figure


def measure_browser(path: Path, person_slug: str) -> tuple[list[float], list[float], float, int]:
    """Seconds until all landing charts are drawn, for each load (wall clock from navigation start, and
    the page's own clock), seconds to open one person page, and the number of blocked network requests."""
    blocked: list[str] = []
    walls: list[float] = []
    clocks: list[float] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(LOADS):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route(re.compile(r"^(?!file:).*"), lambda r: (blocked.append(r.request.url), r.abort()))
            t0 = time.perf_counter()
            page.goto(path.resolve().as_uri())
            page.wait_for_function(DRAWN, arg="team", timeout=120_000, polling=20)
            walls.append(time.perf_counter() - t0)
            clocks.append(page.evaluate("window.__reportState.drawnAt.team") / 1000)
            drawn = page.evaluate(COUNT_DRAWN)
            expected = int(page.get_attribute("#page-team", "data-expected-charts") or -1)
            if drawn != expected:
                raise SystemExit(f"only {drawn} of {expected} landing charts have an SVG")
        t1 = time.perf_counter()
        page.evaluate("slug => { location.hash = '#person/' + slug; }", person_slug)
        page.wait_for_function(DRAWN, arg=f"person/{person_slug}", timeout=120_000, polling=20)
        person = time.perf_counter() - t1
        browser.close()
    return walls, clocks, person, len(blocked)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--comments", type=int, default=200_000)
    args = parser.parse_args()
    t = time.perf_counter()
    scores = make_scores(args.people, args.comments, seed=1, runs_per_workflow=1500)
    print(
        f"synthetic org: {args.people} people, {args.comments:,} comments, "
        f"{len(scores.ci_series):,} CI runs, "
        f"{len(scores.evidence):,} evidence rows (made in {time.perf_counter() - t:.1f} s)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.html"
        t = time.perf_counter()
        build_report(scores, out, now=DEFAULT_NOW, title="Scale test", methodology=TEST_METHODOLOGY)
        gen = time.perf_counter() - t
        html = out.read_text(encoding="utf-8")
        size = out.stat().st_size
        blob = json.loads(re.search(r'id="report-data">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
        n_landing = len(blob["landing"])
        people = unpack_people(html)
        n_person = sum(len(p["charts"]) for p in people.values())
        slug = sorted(people, key=lambda s: -len(people[s]["charts"]))[0]  # a person with a CI chart
        walls, clocks, person, blocked = measure_browser(out, slug)
    naive = (n_landing + n_person) * len(plotly_js())
    print(f"generation: {gen:.1f} s (target <= 20 s)")
    print(
        f"file size: {size / 1e6:.1f} MB (target <= 12 MB); naive one-plotly.js-per-chart file: "
        f"{naive / 1e6:,.0f} MB, ratio {size / naive:.4f}"
    )
    loads = ", ".join(f"{w:.2f} s ({c:.2f} s)" for w, c in zip(walls, clocks, strict=True))
    print(
        f"landing page: all {n_landing} charts drawn (SVG checked) {max(walls):.2f} s after navigation "
        f"started, worst of {LOADS} loads (target <= 3 s); each load, wall clock (page's clock): {loads}"
    )
    print(
        f"person page ({len(people[slug]['charts'])} charts, drawn lazily on open): {person:.2f} s; "
        f"{n_person} person charts in total, none drawn up front"
    )
    print(f"network requests attempted: {blocked}")


if __name__ == "__main__":
    main()
