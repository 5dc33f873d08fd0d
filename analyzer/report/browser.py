"""Headless Chromium via Playwright: screenshots of a built report (for the README and for checks).

Playwright is a test/dev dependency, so it is imported only when a screenshot is asked for. The browser
is the system Chromium (Debian's ``/usr/bin/chromium``, or ``chromium`` on PATH), else Playwright's own
build where someone installed it; ``ANALYZER_CHROMIUM`` names another one (or, set to a path that does
not exist, makes the browser absent). The project never downloads a browser build itself.

``python -m analyzer.report.browser`` prints the browser it would use, or the one-line hint and exit 1.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

from analyzer.errors import AnalyzerError

CHROMIUM_ENV = "ANALYZER_CHROMIUM"
DEBIAN_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_HINT = (
    "chromium not found, so the browser tests are skipped: install it (Debian/Ubuntu: sudo apt-get install "
    f"chromium) or set {CHROMIUM_ENV}=/path/to/chromium"
)


def _executable(path: str | None) -> str | None:
    return path if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


def _playwright_chromium() -> str | None:
    """Playwright's own Chromium, when it was installed (``playwright install chromium``) where allowed."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as pw:
            return _executable(pw.chromium.executable_path)
    except Exception:  # no driver, no browser build: simply not available
        return None


def find_chromium() -> str | None:
    """The Chromium to drive, or None when there is none (then say CHROMIUM_HINT)."""
    if CHROMIUM_ENV in os.environ:
        return _executable(os.environ[CHROMIUM_ENV])
    for candidate in (DEBIAN_CHROMIUM, shutil.which("chromium"), shutil.which("chromium-browser")):
        if _executable(candidate):
            return candidate
    return _playwright_chromium()


CHROMIUM = DEBIAN_CHROMIUM  # the default; ``find_chromium()`` is what callers should use
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
    executable_path: str | None = None,
) -> Path:
    """Render the team view (or ``person``'s page: login or slug) to a PNG once its charts are drawn."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        raise AnalyzerError("screenshots need Playwright: pip install 'analyzer[test]'") from err
    executable_path = executable_path or find_chromium()
    if executable_path is None:
        raise AnalyzerError(CHROMIUM_HINT.replace(", so the browser tests are skipped", ""))
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


def main() -> int:
    found = find_chromium()
    print(found or CHROMIUM_HINT)
    return 0 if found else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
