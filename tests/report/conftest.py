"""Shared fixtures for the report tests: fake Scores and built reports (built once per session)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # make fake_scores importable from every test module

from fake_scores import DEFAULT_NOW, TEST_METHODOLOGY, FakeScores, make_scores  # noqa: E402
from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from analyzer.report import build_report  # noqa: E402
from analyzer.report.browser import CHROMIUM_ARGS, CHROMIUM_HINT, find_chromium  # noqa: E402


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One system Chromium for every browser test (launching it costs about a second); without one the
    browser tests are skipped with the one-line hint saying how to get it."""
    executable = find_chromium()
    if executable is None:
        pytest.skip(CHROMIUM_HINT)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def fake_scores() -> FakeScores:
    return make_scores(n_people=24, n_comments=1500, seed=7)


@pytest.fixture(scope="session")
def report_path(fake_scores: FakeScores, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    return build_report(
        fake_scores, out, now=DEFAULT_NOW, title="Acme review report", methodology=TEST_METHODOLOGY
    )


@pytest.fixture(scope="session")
def pseudo_report_path(fake_scores: FakeScores, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "pseudo.html"
    return build_report(
        fake_scores,
        out,
        now=DEFAULT_NOW,
        title="Acme review report",
        pseudonymize=True,
        methodology=TEST_METHODOLOGY,
    )
