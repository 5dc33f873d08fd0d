"""Headless Chromium helpers shared by the browser tests: file:// only, every other request blocked and
recorded, console errors, dialogs and an alert trap (window.__xss) watched."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page

XSS_TRAP = """
window.__xss = 0;
window.alert = function () { window.__xss += 1; };
window.confirm = window.prompt = window.alert;
"""
DRAWN = "key => window.__reportState && window.__reportState.drawnPages[key] === true"
# plot elements whose SVG was really rendered, counted in the DOM (not taken from the report's data)
COUNT_DRAWN = """sel => Array.from(document.querySelectorAll(sel + ' .js-plotly-plot'))
    .filter(el => el.querySelector('svg.main-svg')).length"""


@dataclass
class Watched:
    page: Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_report(browser: Browser, path: Path, fragment: str = "") -> Watched:
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


def assert_clean(w: Watched) -> None:
    """No console error, no request off file://, no dialog and no trapped alert call."""
    assert w.errors == []
    assert w.requests == []
    assert w.dialogs == []
    assert w.page.evaluate("window.__xss") == 0
