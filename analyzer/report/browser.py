"""Headless Chromium via Playwright: screenshots of a built report (for the README and for checks).

Playwright is a test/dev dependency, so it is imported only when a screenshot is asked for, and the
system Chromium is used (the project never downloads a browser build).
"""

from __future__ import annotations

import re
from pathlib import Path

from analyzer.errors import AnalyzerError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DRAW_TIMEOUT_MS = 60_000


def page_key(person: str | None) -> str:
    """The report's page key for a person (slug = the login lower-cased, other characters as '-')."""
    if person is None:
        return "team"
    return "person/" + (re.sub(r"[^a-z0-9-]+", "-", person.lower()).strip("-") or "person")


def screenshot(
    html_path: Path,
    png_path: Path,
    person: str | None = None,
    *,
    width: int = 1280,
    height: int = 900,
    full_page: bool = False,
    executable_path: str = CHROMIUM,
) -> Path:
    """Render the team view (or ``person``'s page: login or slug) to a PNG once its charts are drawn."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        raise AnalyzerError("screenshots need Playwright: pip install 'analyzer[test]'") from err
    key = page_key(person)
    url = Path(html_path).resolve().as_uri() + "#" + key
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())
            page.goto(url)
            page.wait_for_function(
                f"window.__reportState && window.__reportState.drawnPages[{key!r}] === true",
                timeout=DRAW_TIMEOUT_MS,
            )
            page.screenshot(path=str(png_path), full_page=full_page)
        finally:
            browser.close()
    return Path(png_path)
