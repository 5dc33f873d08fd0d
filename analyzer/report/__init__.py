"""The self-contained HTML report (the only place plotly is imported: ``analyzer.report.charts``)."""

from __future__ import annotations

from analyzer.report.browser import screenshot
from analyzer.report.build import build_report
from analyzer.report.pseudonym import Pseudonymizer

__all__ = ["Pseudonymizer", "build_report", "screenshot"]
